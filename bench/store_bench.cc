// store_bench: throughput of the SQLite revision store (pkg/store).
//
// Measures creates/s of 1 KiB values with 1 and 32 writer threads (group commit), gets/s from
// 4 reader threads, and the time to list 10,000 keys. Usage: store_bench [dir] [--normal]
// (--normal uses synchronous=NORMAL instead of FULL).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "pkg/store/sqlite_backend.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Creates `per_thread` keys from each of `threads` threads; returns creates per second.
double CreateRate(kc::store::Backend& store, const std::string& prefix, int threads,
                  int per_thread) {
  const std::string value(1024, 'v');
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        std::string key = prefix + std::to_string(t) + "/" + std::to_string(i);
        if (!store.Create(key, value).ok()) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  double secs = Seconds(start);
  if (failures) std::fprintf(stderr, "%d creates failed\n", failures.load());
  return threads * per_thread / secs;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::filesystem::temp_directory_path() /
                    ("kc-store-bench-" + std::to_string(::getpid()));
  bool sync_full = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--normal") == 0) {
      sync_full = false;
    } else {
      dir = argv[i];
    }
  }
  std::filesystem::remove_all(dir);

  kc::store::SqliteBackend::Options opts;
  opts.path = dir + "/kv.db";
  opts.sync_full = sync_full;
  auto opened = kc::store::SqliteBackend::Open(opts);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  auto store = std::move(opened).value();
  std::printf("store_bench: synchronous=%s, 1 KiB values, db %s\n", sync_full ? "FULL" : "NORMAL",
              opts.path.c_str());

  double one = CreateRate(*store, "/bench/one/", 1, 2000);
  std::printf("creates/s,  1 thread:   %10.0f\n", one);
  double many = CreateRate(*store, "/bench/many/", 32, 1000);
  std::printf("creates/s, 32 threads:  %10.0f\n", many);

  // 10,000 keys under one prefix for list and get.
  CreateRate(*store, "/bench/list/", 10, 1000);
  {
    auto start = Clock::now();
    auto list = store->List("/bench/list/", "", 0, 0);
    double secs = Seconds(start);
    std::printf("list of %zu keys:      %10.1f ms\n", list.ok() ? list->items.size() : 0,
                secs * 1000);
    start = Clock::now();
    std::string after;
    size_t pages = 0, items = 0;
    int64_t rev = 0;
    for (;;) {
      auto page = store->List("/bench/list/", after, 500, rev);
      if (!page.ok()) break;
      ++pages;
      items += page->items.size();
      rev = page->revision;
      if (!page->more) break;
      after = page->items.back().key;
    }
    std::printf("list of %zu keys in %zu pages of 500: %6.1f ms\n", items, pages,
                Seconds(start) * 1000);
  }
  {
    constexpr int kThreads = 4;
    constexpr int kGets = 20000;
    std::atomic<int> misses{0};
    std::vector<std::thread> workers;
    auto start = Clock::now();
    for (int t = 0; t < kThreads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < kGets; ++i) {
          int n = (i * 7 + t) % 10000;
          std::string key = "/bench/list/" + std::to_string(n / 1000) + "/" +
                            std::to_string(n % 1000);
          if (!store->Get(key).ok()) ++misses;
        }
      });
    }
    for (auto& w : workers) w.join();
    std::printf("gets/s, %d threads:      %10.0f (misses %d)\n", kThreads,
                kThreads * kGets / Seconds(start), misses.load());
  }
  auto stats = store->GetStats();
  std::printf("rows %lld, db+wal %lld bytes\n", static_cast<long long>(stats.rows),
              static_cast<long long>(stats.db_size_bytes));
  store->Close();
  store.reset();
  std::filesystem::remove_all(dir);
  return 0;
}

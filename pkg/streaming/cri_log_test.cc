// CRI log parsing and the pods/log option semantics of CriLogReader.
#include "pkg/streaming/cri_log.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "pkg/streaming/rfc3339_nano.h"

namespace kc::streaming {
namespace {

namespace fs = std::filesystem;

class TempFile {
 public:
  TempFile() {
    static std::atomic<int> n{0};
    dir_ = fs::temp_directory_path() /
           ("kc-cri-log-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir_);
    path_ = (dir_ / "0.log").string();
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const std::string& path() const { return path_; }
  void Write(const std::string& s, bool append = true) {
    std::ofstream f(path_, append ? std::ios::app | std::ios::binary : std::ios::binary);
    f << s;
  }

 private:
  fs::path dir_;
  std::string path_;
};

constexpr const char* kSample =
    "2026-11-21T23:32:24.020270025Z stdout F hello-out\n"
    "2026-11-21T23:32:24.020320633Z stderr F hello-err\n"
    "2026-11-21T23:32:25.1Z stdout P part-one \n"
    "2026-11-21T23:32:25.2Z stdout P part-two \n"
    "2026-11-21T23:32:25.3Z stdout F end\n"
    "2026-11-21T23:32:26Z stdout F last\n";

std::string ReadAll(const std::string& path, LogReadOptions opts, RunningCheck running = {}) {
  auto reader = CriLogReader::Open(path);
  REQUIRE(reader.ok());
  std::string out;
  Cancellation cancel;
  auto st = (*reader)->Run(
      opts, [&](std::string_view s) { out.append(s); return true; }, running, cancel);
  CHECK(st.ok());
  return out;
}

TEST_CASE("RFC 3339 with nanoseconds, as Go writes it") {
  SUBCASE("parse") {
    auto a = ParseRfc3339Nano("2026-11-21T23:32:24.020270025Z");
    REQUIRE(a.has_value());
    auto b = ParseRfc3339Nano("2026-11-21T23:32:24.02027Z");
    REQUIRE(b.has_value());
    CHECK(*a - *b == 25);
    CHECK(ParseRfc3339Nano("1970-01-01T00:00:01Z") == 1000000000);
    CHECK(ParseRfc3339Nano("1970-01-01T01:00:00+01:00") == 0);
    CHECK(ParseRfc3339Nano("1969-12-31T23:00:00-01:00") == 0);
    for (const char* bad : {"", "2026-11-21", "2026-11-21T23:32:24", "2026-13-01T00:00:00Z",
                            "2026-02-30T00:00:00Z", "2026-11-21T23:32:24.Z",
                            "2026-11-21T23:32:24Zjunk", "2026-11-21 23:32:24Z"}) {
      CAPTURE(bad);
      CHECK_FALSE(ParseRfc3339Nano(bad).has_value());
    }
  }
  SUBCASE("format drops trailing zeros of the fraction") {
    for (const char* t : {"2026-11-21T23:32:25.02254038Z", "2026-11-21T23:32:24.020270025Z",
                          "2026-11-21T23:32:25Z", "2000-02-29T00:00:00.5Z",
                          "1969-12-31T23:59:59.999999999Z"}) {
      auto n = ParseRfc3339Nano(t);
      REQUIRE(n.has_value());
      CHECK(FormatRfc3339Nano(*n) == t);
    }
    CHECK(FormatRfc3339Nano(1500000000) == "1970-01-01T00:00:01.5Z");
  }
}

TEST_CASE("CRI log lines") {
  auto r = ParseCriLogLine("2026-11-21T23:32:24.020270025Z stderr P some text with  spaces");
  REQUIRE(r.ok());
  CHECK(r->stream == LogStream::kStderr);
  CHECK(r->partial);
  CHECK(r->content == "some text with  spaces");
  CHECK(r->time_nanos == *ParseRfc3339Nano("2026-11-21T23:32:24.020270025Z"));
  auto empty = ParseCriLogLine("2026-11-21T23:32:24Z stdout F ");
  REQUIRE(empty.ok());
  CHECK(empty->content.empty());
  CHECK_FALSE(empty->partial);
  auto bare = ParseCriLogLine("2026-11-21T23:32:24Z stdout F");
  REQUIRE(bare.ok());
  CHECK(bare->content.empty());
  for (const char* bad : {"", "garbage", "2026-11-21T23:32:24Z", "2026-11-21T23:32:24Z stdout",
                          "2026-11-21T23:32:24Z stdin F x", "2026-11-21T23:32:24Z stdout X x",
                          "yesterday stdout F x"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseCriLogLine(bad).ok());
  }
}

TEST_CASE("pods/log options over a CRI log file") {
  TempFile f;
  f.Write(kSample);
  SUBCASE("everything; P records joined until F") {
    CHECK(ReadAll(f.path(), {}) == "hello-out\nhello-err\npart-one part-two end\nlast\n");
  }
  SUBCASE("timestamps: each line prefixed with its first record's time") {
    LogReadOptions o;
    o.timestamps = true;
    CHECK(ReadAll(f.path(), o) ==
          "2026-11-21T23:32:24.020270025Z hello-out\n"
          "2026-11-21T23:32:24.020320633Z hello-err\n"
          "2026-11-21T23:32:25.1Z part-one part-two end\n"
          "2026-11-21T23:32:26Z last\n");
  }
  SUBCASE("tailLines counts whole lines") {
    LogReadOptions o;
    o.tail_lines = 2;
    CHECK(ReadAll(f.path(), o) == "part-one part-two end\nlast\n");
    o.tail_lines = 1;
    CHECK(ReadAll(f.path(), o) == "last\n");
    o.tail_lines = 0;
    CHECK(ReadAll(f.path(), o) == "");
    o.tail_lines = 100;
    CHECK(ReadAll(f.path(), o) == "hello-out\nhello-err\npart-one part-two end\nlast\n");
  }
  SUBCASE("since: lines older than the bound are dropped") {
    LogReadOptions o;
    o.since_nanos = ParseRfc3339Nano("2026-11-21T23:32:24.02030Z");
    CHECK(ReadAll(f.path(), o) == "hello-err\npart-one part-two end\nlast\n");
    o.since_nanos = ParseRfc3339Nano("2026-11-21T23:32:25.15Z");  // inside the joined line
    CHECK(ReadAll(f.path(), o) == "last\n");
    o.since_nanos = ParseRfc3339Nano("2030-01-01T00:00:00Z");
    CHECK(ReadAll(f.path(), o) == "");
  }
  SUBCASE("limitBytes cuts the output") {
    LogReadOptions o;
    o.limit_bytes = 12;
    CHECK(ReadAll(f.path(), o) == "hello-out\nhe");
    o.limit_bytes = 1;
    CHECK(ReadAll(f.path(), o) == "h");
    o.timestamps = true;
    o.limit_bytes = 5;
    CHECK(ReadAll(f.path(), o) == "2026-");
  }
  SUBCASE("options combine: tail, then since, with timestamps") {
    LogReadOptions o;
    o.tail_lines = 3;
    o.since_nanos = ParseRfc3339Nano("2026-11-21T23:32:25Z");
    o.timestamps = true;
    CHECK(ReadAll(f.path(), o) == "2026-11-21T23:32:25.1Z part-one part-two end\n"
                                  "2026-11-21T23:32:26Z last\n");
  }
  SUBCASE("a refusing sink stops the reader") {
    auto reader = CriLogReader::Open(f.path());
    REQUIRE(reader.ok());
    int calls = 0;
    Cancellation cancel;
    CHECK((*reader)->Run({}, [&](std::string_view) { ++calls; return false; }, {}, cancel).ok());
    CHECK(calls == 1);
  }
}

TEST_CASE("malformed records are skipped; an unterminated last line is still read") {
  TempFile f;
  f.Write("2026-11-21T23:32:24Z stdout F one\n"
          "this is not a CRI record\n"
          "\n"
          "2026-11-21T23:32:25Z stdout F two\n"
          "2026-11-21T23:32:26Z stdout F three");
  CHECK(ReadAll(f.path(), {}) == "one\ntwo\nthree\n");
  LogReadOptions o;
  o.tail_lines = 1;
  CHECK(ReadAll(f.path(), o) == "three\n");
}

TEST_CASE("a missing log file is NotFound") {
  auto r = CriLogReader::Open("/nonexistent/kc/0.log");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == api::Reason::kNotFound);
}

// Runs a follow reader on a thread and lets the test look at its output so far.
class Follower {
 public:
  Follower(const std::string& path, LogReadOptions opts) {
    opts.follow = true;
    opts.poll_interval = std::chrono::milliseconds(10);
    opts.running_check_interval = std::chrono::milliseconds(20);
    auto r = CriLogReader::Open(path);
    REQUIRE(r.ok());
    reader_ = std::move(*r);
    thread_ = std::thread([this, opts] {
      status_ = reader_->Run(
          opts,
          [this](std::string_view s) {
            std::lock_guard<std::mutex> l(mu_);
            out_.append(s);
            return true;
          },
          [this] { return running_.load(); }, cancel_);
      finished_ = true;
    });
  }
  ~Follower() {
    cancel_.Cancel();
    thread_.join();
  }
  std::string out() {
    std::lock_guard<std::mutex> l(mu_);
    return out_;
  }
  // Waits up to 5 s for the output to become `want`.
  bool WaitFor(const std::string& want) {
    for (int i = 0; i < 500; ++i) {
      if (out() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  bool WaitFinished() {
    for (int i = 0; i < 500 && !finished_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return finished_;
  }
  std::atomic<bool> running_{true};
  Cancellation cancel_;
  std::atomic<bool> finished_{false};
  api::Status status_;

 private:
  std::unique_ptr<CriLogReader> reader_;
  std::thread thread_;
  std::mutex mu_;
  std::string out_;
};

TEST_CASE("follow: lines appended later arrive; ends when the container stopped") {
  TempFile f;
  f.Write("2026-11-21T23:32:24Z stdout F first\n");
  Follower follow(f.path(), {});
  REQUIRE(follow.WaitFor("first\n"));
  f.Write("2026-11-21T23:32:25Z stdout P half");  // a record still being written
  f.Write(" of a record \n2026-11-21T23:32:26Z stdout F and its end\n");
  REQUIRE(follow.WaitFor("first\nhalf of a record and its end\n"));
  CHECK_FALSE(follow.finished_);
  f.Write("2026-11-21T23:32:27Z stderr F bye\n");
  follow.running_ = false;  // the container stopped: the rest of the file, then done
  REQUIRE(follow.WaitFinished());
  CHECK(follow.status_.ok());
  CHECK(follow.out() == "first\nhalf of a record and its end\nbye\n");
}

TEST_CASE("follow with tailLines starts at the tail, then keeps reading") {
  TempFile f;
  f.Write(kSample);
  LogReadOptions o;
  o.tail_lines = 1;
  Follower follow(f.path(), o);
  REQUIRE(follow.WaitFor("last\n"));
  f.Write("2026-11-21T23:32:27Z stdout F more\n");
  REQUIRE(follow.WaitFor("last\nmore\n"));
}

TEST_CASE("follow continues in the new file after rotation") {
  TempFile f;
  f.Write("2026-11-21T23:32:24Z stdout F old\n");
  Follower follow(f.path(), {});
  REQUIRE(follow.WaitFor("old\n"));
  fs::rename(f.path(), f.path() + ".20261121-233225");
  f.Write("2026-11-21T23:32:25Z stdout F new\n", false);
  REQUIRE(follow.WaitFor("old\nnew\n"));
}

TEST_CASE("follow is cancellable while waiting for data") {
  TempFile f;
  f.Write("2026-11-21T23:32:24Z stdout F x\n");
  Follower follow(f.path(), {});
  REQUIRE(follow.WaitFor("x\n"));
  auto start = std::chrono::steady_clock::now();
  follow.cancel_.Cancel();
  REQUIRE(follow.WaitFinished());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

}  // namespace
}  // namespace kc::streaming

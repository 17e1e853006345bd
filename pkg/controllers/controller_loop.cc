#include "pkg/controllers/controller_loop.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

namespace kc::controllers {
namespace {

// A key that keeps failing is logged at warn level once it has been retried this often.
constexpr int kWarnAfterRequeues = 5;

}  // namespace

ControllerLoop::ControllerLoop(std::string name, client::WorkQueue& queue, SyncFunc sync)
    : name_(std::move(name)), queue_(queue), sync_(std::move(sync)) {}

ControllerLoop::~ControllerLoop() { Stop(); }

void ControllerLoop::Start(std::vector<client::SharedInformer*> wait_for, int workers) {
  std::lock_guard<std::mutex> l(mu_);
  if (started_ || stop_) return;
  started_ = true;
  starter_ =
      std::thread([this, wait_for = std::move(wait_for), workers] { Run(wait_for, workers); });
}

void ControllerLoop::Stop() {
  stop_ = true;
  queue_.ShutDown();
  std::thread t;
  {
    std::lock_guard<std::mutex> l(mu_);
    t = std::move(starter_);
  }
  if (t.joinable()) t.join();
  running_ = false;
}

void ControllerLoop::Run(std::vector<client::SharedInformer*> wait_for, int workers) {
  for (client::SharedInformer* informer : wait_for) {
    while (!stop_ && !informer->WaitForSync(std::chrono::milliseconds(100))) {
    }
  }
  if (stop_) return;
  spdlog::info("controller {}: caches synced, starting {} workers", name_, workers);
  running_ = true;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, workers); ++i) {
    threads.emplace_back([this] {
      // "ctrl-<name>", cut to the 15 characters Linux keeps (for top -H and perf).
      pthread_setname_np(pthread_self(), ("ctrl-" + name_).substr(0, 15).c_str());
      Work();
    });
  }
  for (std::thread& t : threads) t.join();
}

void ControllerLoop::Work() {
  std::string key;
  while (queue_.Get(&key)) {
    if (stop_) {
      queue_.Done(key);
      continue;
    }
    api::Status st = sync_(key);
    if (st.ok()) {
      queue_.Forget(key);
    } else {
      int requeues = queue_.NumRequeues(key);
      if (requeues == kWarnAfterRequeues) {
        spdlog::warn("controller {}: syncing {} keeps failing: {}", name_, key, st.ToString());
      } else {
        spdlog::debug("controller {}: syncing {} failed (retry {}): {}", name_, key, requeues,
                      st.ToString());
      }
      queue_.AddRateLimited(key);
    }
    queue_.Done(key);
  }
}

}  // namespace kc::controllers

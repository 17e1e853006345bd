#include "pkg/apiserver/watch_response.h"

#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <map>
#include <thread>

#include "pkg/apiserver/version_conversion.h"
#include "pkg/apiserver/watch_filter.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

// One thread serving every watch deadline.
class WakeTimer {
 public:
  static WakeTimer& Get() {
    static WakeTimer* t = new WakeTimer();  // lives for the process
    return *t;
  }
  void Add(std::chrono::steady_clock::time_point when, std::weak_ptr<std::function<void()>> fn) {
    std::lock_guard<std::mutex> l(mu_);
    queue_.emplace(when, std::move(fn));
    cv_.notify_one();
  }

 private:
  WakeTimer() {
    std::thread([this] { Loop(); }).detach();
  }
  void Loop() {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      if (queue_.empty()) {
        cv_.wait(l);
        continue;
      }
      auto next = queue_.begin()->first;
      if (std::chrono::steady_clock::now() < next) {
        cv_.wait_until(l, next);
        continue;
      }
      auto fn = queue_.begin()->second.lock();
      queue_.erase(queue_.begin());
      if (fn) {
        l.unlock();
        (*fn)();
        l.lock();
      }
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<std::chrono::steady_clock::time_point, std::weak_ptr<std::function<void()>>>
      queue_;
};

}  // namespace

void ScheduleWake(std::chrono::steady_clock::time_point when,
                  std::weak_ptr<std::function<void()>> fn) {
  WakeTimer::Get().Add(when, std::move(fn));
}

WatchResponse::WatchResponse(const api::ResourceInfo& ri, WatchHandle handle,
                             WatchResponseOptions opts)
    : ri_(ri), handle_(std::move(handle)), opts_(opts) {
  deadline_ = std::chrono::steady_clock::now() + opts_.timeout;
  last_revision_ = handle_.start_revision;
}

WatchResponse::~WatchResponse() { Cancel(); }

void WatchResponse::Start(std::function<void()> wake) {
  timer_token_ = std::make_shared<std::function<void()>>(wake);
  ScheduleWake(deadline_, timer_token_);
  if (handle_.watch) handle_.watch->SetNotify(std::move(wake));
}

void WatchResponse::Cancel() {
  timer_token_.reset();
  if (handle_.watch) {
    handle_.watch->Stop();
  }
}

bool WatchResponse::WaitReady(int timeout_ms) {
  if (initial_sent_ < handle_.initial.size()) return true;
  if (!handle_.watch) return true;
  return handle_.watch->Wait(timeout_ms);
}

void WatchResponse::AppendEvent(const char* type, const json::object& obj, std::string* out) {
  json::object ev;
  ev["type"] = type;
  if (opts_.table) {
    std::vector<json::object> one{obj};
    ev["object"] = ToTable(ri_, one, opts_.include, !sent_columns_, std::chrono::system_clock::now());
    sent_columns_ = true;
  } else if (HasVersionConversion(ri_)) {  // the stored shape, as the watch's version sees it
    json::object converted = obj;
    FromStorage(ri_, converted);
    ev["object"] = std::move(converted);
  } else {
    ev["object"] = obj;
  }
  *out += json::serialize(ev);
  out->push_back('\n');
}

bool WatchResponse::Pull(std::string* out) {
  if (finished_) return false;
  // 1. Synthetic ADDED events, in batches so one Pull stays small.
  size_t batch = 0;
  while (initial_sent_ < handle_.initial.size() && batch < 256) {
    AppendEvent("ADDED", handle_.initial[initial_sent_], out);
    handle_.initial[initial_sent_] = json::object();
    ++initial_sent_;
    ++batch;
  }
  if (initial_sent_ < handle_.initial.size()) return true;
  if (!handle_.initial.empty()) handle_.initial.clear();

  // 2. Live events.
  std::vector<store::Event> events;
  bool open = handle_.watch->Poll(&events, 512);
  for (const auto& ev : events) {
    auto api_ev = handle_.filter->Apply(ev);
    last_revision_ = ev.kv.mod_revision;
    if (api_ev) AppendEvent(api_ev->type, api_ev->object, out);
  }
  if (!open) {
    api::Status st = handle_.watch->closed_status();
    if (!st.ok()) {
      api::Status gone = api::Status::Expired("too old resource version: " +
                                              std::to_string(last_revision_) + " (" +
                                              std::to_string(last_revision_ + 1) + ")");
      json::object ev;
      ev["type"] = "ERROR";
      ev["object"] = StatusToJson(gone);
      *out += json::serialize(ev);
      out->push_back('\n');
    }
    finished_ = true;
    return false;
  }
  // 3. The deadline ends the watch; informers resume from the bookmark's revision.
  if (std::chrono::steady_clock::now() >= deadline_) {
    if (opts_.allow_bookmarks) {
      json::object obj;
      obj["kind"] = ri_.kind;
      obj["apiVersion"] = ri_.GroupVersion();
      json::object meta;
      meta["resourceVersion"] = std::to_string(last_revision_);
      obj["metadata"] = std::move(meta);
      json::object ev;
      ev["type"] = "BOOKMARK";
      ev["object"] = std::move(obj);
      *out += json::serialize(ev);
      out->push_back('\n');
    }
    finished_ = true;
    return false;
  }
  return true;
}

}  // namespace kc::apiserver

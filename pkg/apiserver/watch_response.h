// WatchResponse: the streamed body of a watch request. It first sends the synthetic ADDED
// events (resourceVersion "" or "0"), then converts the store's events through the WatchFilter,
// as newline-delimited JSON `{"type":...,"object":...}` (objects, or one-row Tables when the
// client asked for them). It ends cleanly at `timeoutSeconds` (with a BOOKMARK first when
// allowed), and with an ERROR event carrying a 410 Expired Status when the store dropped a
// watcher that fell behind.
//
// Thread-safety: driven by one connection strand (see ResponseStream); the store's notify
// callback and the deadline timer only call `wake`.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "pkg/api/resource_info.h"
#include "pkg/apiserver/http_types.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/response_util.h"

namespace kc::apiserver {

struct WatchResponseOptions {
  bool table = false;
  IncludeObject include = IncludeObject::kMetadata;
  bool allow_bookmarks = false;
  std::chrono::seconds timeout{1800};
};

class WatchResponse : public ResponseStream {
 public:
  WatchResponse(const api::ResourceInfo& ri, WatchHandle handle, WatchResponseOptions opts);
  ~WatchResponse() override;

  void Start(std::function<void()> wake) override;
  bool Pull(std::string* out) override;
  void Cancel() override;

  // Synchronous consumption for in-process clients: waits up to `timeout_ms` for data.
  bool WaitReady(int timeout_ms);

 private:
  void AppendEvent(const char* type, const boost::json::object& obj, std::string* out);

  const api::ResourceInfo& ri_;
  WatchHandle handle_;
  WatchResponseOptions opts_;
  std::chrono::steady_clock::time_point deadline_;
  size_t initial_sent_ = 0;
  bool sent_columns_ = false;
  bool finished_ = false;
  int64_t last_revision_ = 0;
  std::shared_ptr<std::function<void()>> timer_token_;
};

// Calls `fn` once at `when` from a shared timer thread unless the token expired first.
void ScheduleWake(std::chrono::steady_clock::time_point when,
                  std::weak_ptr<std::function<void()>> fn);

}  // namespace kc::apiserver

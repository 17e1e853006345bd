#include "pkg/apiserver/pod_log_response.h"

#include <spdlog/spdlog.h>

namespace kc::apiserver {

PodLogResponse::PodLogResponse(std::unique_ptr<streaming::CriLogReader> reader,
                               streaming::LogReadOptions options, streaming::RunningCheck running)
    : reader_(std::move(reader)), options_(std::move(options)), running_(std::move(running)) {}

PodLogResponse::~PodLogResponse() {
  Cancel();
  if (thread_.joinable()) thread_.join();
}

void PodLogResponse::Start(std::function<void()> wake) {
  wake_ = std::move(wake);
  thread_ = std::thread([this] {
    api::Status st = reader_->Run(
        options_, [this](std::string_view data) { return Append(data); }, running_, cancel_);
    if (!st.ok()) spdlog::warn("pods/log: {}", st.message());
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    if (!cancelled_) wake_();
  });
}

bool PodLogResponse::Append(std::string_view data) {
  std::unique_lock<std::mutex> lock(mu_);
  while (buffer_.size() >= kMaxBuffered && !cancelled_) {
    drained_.wait_for(lock, std::chrono::milliseconds(100));
  }
  if (cancelled_) return false;
  buffer_.append(data);
  wake_();  // under mu_, so that no wake can follow Cancel (the connection may be going away)
  return true;
}

bool PodLogResponse::Pull(std::string* out) {
  std::lock_guard<std::mutex> lock(mu_);
  out->append(buffer_);
  buffer_.clear();
  drained_.notify_all();
  return !done_;
}

void PodLogResponse::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  cancel_.Cancel();
  drained_.notify_all();
}

}  // namespace kc::apiserver

// PodLogResponse: the streamed body of GET pods/{name}/log. A CriLogReader runs on a thread of
// its own (reading and following a file blocks; the connection's I/O threads must not), filling
// a bounded buffer that the connection pumps out as chunks and flushes as it goes.
//
// Thread-safety: as ResponseStream (Start/Pull/Cancel on the connection's strand); `wake` is
// never called after Cancel returns. The destructor cancels the reader and joins its thread (it
// notices within the poll interval, or after a running check in progress).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/apiserver/http_types.h"
#include "pkg/streaming/cancellation.h"
#include "pkg/streaming/cri_log.h"

namespace kc::apiserver {

class PodLogResponse : public ResponseStream {
 public:
  // The reader blocks once this much output waits for the connection.
  static constexpr size_t kMaxBuffered = 256 * 1024;

  PodLogResponse(std::unique_ptr<streaming::CriLogReader> reader,
                 streaming::LogReadOptions options, streaming::RunningCheck running);
  ~PodLogResponse() override;

  void Start(std::function<void()> wake) override;
  bool Pull(std::string* out) override;
  void Cancel() override;

 private:
  bool Append(std::string_view data);  // the reader thread's sink

  std::unique_ptr<streaming::CriLogReader> reader_;
  streaming::LogReadOptions options_;
  streaming::RunningCheck running_;
  streaming::Cancellation cancel_;
  std::function<void()> wake_;
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable drained_;  // signalled when Pull took the buffer
  // Guarded by mu_:
  std::string buffer_;
  bool done_ = false;
  bool cancelled_ = false;  // no more wakes: the connection may be gone
};

}  // namespace kc::apiserver

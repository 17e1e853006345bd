// HttpWatchStream: the WatchStream of HttpClient::Watch. A thread runs the streaming GET through
// a curl multi handle; the write callback parses the body as a sequence of JSON watch events
// ({"type":...,"object":...}, newline-separated or not, split across chunks anywhere) and feeds
// them to the queue the consumer reads.
//
// The stream ends when the server closes the response (status OK), on an ERROR event (its
// Status, Expired for 410), on a non-2xx response (the decoded Status) or on a transport error
// (ServiceUnavailable). Stop() aborts the transfer at once by waking the multi handle.
//
// Thread-safety: as QueueWatchStream; Start/WaitForResponse are for the creating thread.
#pragma once

#include <atomic>
#include <boost/json/stream_parser.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/client/watch_queue.h"

typedef void CURL;
typedef void CURLM;
struct curl_slist;

namespace kc::client {

class HttpWatchStream : public QueueWatchStream {
 public:
  // Takes ownership of `easy` (URL, TLS and auth already set) and `headers`.
  HttpWatchStream(CURL* easy, curl_slist* headers);
  ~HttpWatchStream() override;

  void Start();
  // Waits until the final response status arrived or the stream ended, up to `timeout_ms`.
  // Returns the HTTP code, 0 if none arrived.
  int WaitForResponse(int timeout_ms);

 private:
  static size_t OnData(char* data, size_t size, size_t n, void* self);
  static size_t OnHeader(char* data, size_t size, size_t n, void* self);
  size_t HandleData(const char* data, size_t len);
  // Turns one parsed JSON value into an event; false (after finishing the stream) if malformed.
  bool HandleValue(boost::json::value v);
  void Run();
  void OnStop() override;
  void SignalResponse(int code);

  CURL* const easy_;
  CURLM* const multi_;
  curl_slist* const headers_;
  std::thread thread_;
  std::atomic<bool> abort_{false};

  // Used only by the transfer thread.
  boost::json::stream_parser parser_;
  std::string error_body_;
  int code_ = 0;

  std::mutex resp_mu_;
  std::condition_variable resp_cv_;
  int response_code_ = 0;  // guarded by resp_mu_
  bool response_done_ = false;  // guarded by resp_mu_: a final code arrived or the transfer ended
};

}  // namespace kc::client

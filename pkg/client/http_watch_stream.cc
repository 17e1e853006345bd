#include "pkg/client/http_watch_stream.h"

#include <curl/curl.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "pkg/client/status_json.h"

namespace kc::client {
namespace {

constexpr size_t kMaxErrorBody = 1 << 20;

}  // namespace

HttpWatchStream::HttpWatchStream(CURL* easy, curl_slist* headers)
    : easy_(easy), multi_(curl_multi_init()), headers_(headers) {
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &HttpWatchStream::OnData);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &HttpWatchStream::OnHeader);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  // A watch may stay idle for minutes; keepalive probes notice a dead peer.
  curl_easy_setopt(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy_, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(easy_, CURLOPT_TCP_KEEPINTVL, 15L);
}

HttpWatchStream::~HttpWatchStream() {
  Stop();
  if (thread_.joinable()) thread_.join();
  curl_multi_cleanup(multi_);
  curl_easy_cleanup(easy_);
  curl_slist_free_all(headers_);
}

void HttpWatchStream::Start() { thread_ = std::thread([this] { Run(); }); }

int HttpWatchStream::WaitForResponse(int timeout_ms) {
  std::unique_lock<std::mutex> l(resp_mu_);
  resp_cv_.wait_for(l, std::chrono::milliseconds(timeout_ms), [this] { return response_done_; });
  return response_code_;
}

void HttpWatchStream::SignalResponse(int code) {
  std::lock_guard<std::mutex> l(resp_mu_);
  if (response_done_) return;
  response_code_ = code;
  response_done_ = true;
  resp_cv_.notify_all();
}

void HttpWatchStream::OnStop() {
  abort_ = true;
  curl_multi_wakeup(multi_);
}

size_t HttpWatchStream::OnHeader(char* data, size_t size, size_t n, void* self) {
  auto* s = static_cast<HttpWatchStream*>(self);
  size_t len = size * n;
  // The blank line ends a header block; 1xx blocks are interim, the next one is final.
  if (len <= 2 && (len == 0 || data[0] == '\r' || data[0] == '\n')) {
    long code = 0;
    curl_easy_getinfo(s->easy_, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 200) {
      s->code_ = static_cast<int>(code);
      // Errors are reported once the body (the Status) has been read, from Run.
      if (code < 300) s->SignalResponse(s->code_);
    }
  }
  return s->abort_ ? 0 : len;
}

size_t HttpWatchStream::OnData(char* data, size_t size, size_t n, void* self) {
  return static_cast<HttpWatchStream*>(self)->HandleData(data, size * n);
}

size_t HttpWatchStream::HandleData(const char* data, size_t len) {
  if (abort_ || finished()) return 0;
  if (code_ < 200 || code_ >= 300) {
    if (error_body_.size() < kMaxErrorBody) error_body_.append(data, len);
    return len;
  }
  size_t off = 0;
  while (off < len) {
    boost::system::error_code ec;
    size_t used = parser_.write_some(data + off, len - off, ec);
    if (ec) {
      Finish(api::Status::Internal("watch: malformed event stream: " + ec.message()));
      return 0;
    }
    off += used;
    if (parser_.done()) {
      boost::json::value v = parser_.release();
      parser_.reset();
      if (!HandleValue(std::move(v))) return 0;
      if (finished()) return 0;  // an ERROR event ends the stream
    }
  }
  return len;
}

bool HttpWatchStream::HandleValue(boost::json::value v) {
  WatchEvent ev;
  const boost::json::object* obj = v.if_object();
  const boost::json::value* type = obj ? obj->if_contains("type") : nullptr;
  const boost::json::value* object = obj ? obj->if_contains("object") : nullptr;
  if (!type || !type->is_string() || !object || !object->is_object() ||
      !ParseWatchEventType(std::string(type->get_string()), &ev.type)) {
    Finish(api::Status::Internal("watch: malformed event: " + boost::json::serialize(v).substr(0, 200)));
    return false;
  }
  ev.object = object->get_object();
  Push(std::move(ev));
  return true;
}

void HttpWatchStream::Run() {
  curl_multi_add_handle(multi_, easy_);
  int running = 1;
  while (!abort_) {
    CURLMcode mc = curl_multi_perform(multi_, &running);
    if (mc != CURLM_OK || running == 0) break;
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  CURLcode result = CURLE_OK;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg == CURLMSG_DONE) result = msg->data.result;
  }
  curl_multi_remove_handle(multi_, easy_);

  if (abort_) {
    Finish(api::Status::Ok());
  } else if (code_ != 0 && (code_ < 200 || code_ >= 300)) {
    Finish(StatusFromBody(error_body_, code_));
  } else if (code_ >= 200 && (result == CURLE_OK || result == CURLE_OPERATION_TIMEDOUT)) {
    // The server (or our safety timeout past timeoutSeconds) closed the watch: a clean end.
    Finish(api::Status::Ok());
  } else {
    Finish(api::Status::Unavailable(std::string("watch: ") + curl_easy_strerror(result)));
  }
  SignalResponse(code_);
}

}  // namespace kc::client

#include "pkg/kubelet/net_check.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace kc::kubelet {
namespace {

size_t KeepBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t len = size * n;
  if (out && out->size() < 10240) out->append(data, std::min(len, 10240 - out->size()));
  return len;
}

}  // namespace

api::Result<int> HttpGet(const std::string& url,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         int timeout_ms, std::string* body) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) return api::Status::Internal("curl_easy_init failed");
  std::string sink;
  struct curl_slist* hdrs = nullptr;
  bool has_ua = false;
  for (const auto& [k, v] : headers) {
    if (strcasecmp(k.c_str(), "User-Agent") == 0) has_ua = true;
    hdrs = curl_slist_append(hdrs, (k + ": " + v).c_str());
  }
  if (!has_ua) hdrs = curl_slist_append(hdrs, "User-Agent: kube-probe/1.32");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, KeepBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, body ? body : &sink);
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    std::string msg = std::string("Get \"") + url + "\": " + curl_easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT) return api::Status(api::Reason::kTimeout, msg);
    return api::Status::Unavailable(msg);
  }
  return static_cast<int>(code);
}

api::Status TcpConnect(const std::string& host, int port, int timeout_ms) {
  struct addrinfo hints {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* res = nullptr;
  std::string port_s = std::to_string(port);
  if (getaddrinfo(host.c_str(), port_s.c_str(), &hints, &res) != 0 || !res) {
    return api::Status::Unavailable("dial tcp " + host + ":" + port_s + ": lookup failed");
  }
  api::Status result = api::Status::Unavailable("dial tcp " + host + ":" + port_s +
                                                ": connect: connection refused");
  for (struct addrinfo* a = res; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      struct pollfd p {fd, POLLOUT, 0};
      rc = ::poll(&p, 1, timeout_ms);
      if (rc == 0) {
        result = api::Status(api::Reason::kTimeout,
                             "dial tcp " + host + ":" + port_s + ": i/o timeout");
        ::close(fd);
        continue;
      }
      int err = 0;
      socklen_t len = sizeof(err);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      rc = (rc > 0 && err == 0) ? 0 : -1;
    }
    ::close(fd);
    if (rc == 0) {
      result = api::Status();
      break;
    }
  }
  freeaddrinfo(res);
  return result;
}

}  // namespace kc::kubelet

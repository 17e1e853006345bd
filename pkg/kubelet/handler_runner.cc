#include "pkg/kubelet/handler_runner.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/net_check.h"

namespace kc::kubelet {

int ResolvePort(const json::value& port, const json::object& container) {
  if (port.is_int64()) return static_cast<int>(port.get_int64());
  if (port.is_uint64()) return static_cast<int>(port.get_uint64());
  if (!port.is_string()) return -1;
  std::string name(port.get_string());
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
    return std::atoi(name.c_str());
  }
  if (const json::array* ports = api::GetArray(container, "ports")) {
    for (const json::value& p : *ports) {
      if (p.is_object() && api::GetString(p.get_object(), "name") == name) {
        return static_cast<int>(api::GetInt64(p.get_object(), "containerPort", -1));
      }
    }
  }
  return -1;
}

HandlerResult RunHandler(cri::Runtime& runtime, const json::object& handler,
                         const HandlerTarget& target, int timeout_seconds, std::string* output) {
  std::string sink;
  std::string& out = output ? *output : sink;
  int timeout = timeout_seconds > 0 ? timeout_seconds : 1;
  if (const json::object* exec = api::GetObject(handler, "exec")) {
    cri::v1::ExecSyncRequest req;
    req.set_container_id(target.container_id);
    if (const json::array* cmd = api::GetArray(*exec, "command")) {
      for (const json::value& v : *cmd) {
        if (v.is_string()) req.add_cmd(std::string(v.get_string()));
      }
    }
    req.set_timeout(timeout);
    auto res = runtime.ExecSync(req);
    if (!res.ok()) {
      out = res.status().message();
      if (res.status().reason() == api::Reason::kTimeout) return HandlerResult::kFailure;
      return HandlerResult::kError;
    }
    out = res->stdout() + res->stderr();
    return res->exit_code() == 0 ? HandlerResult::kSuccess : HandlerResult::kFailure;
  }
  if (const json::object* http = api::GetObject(handler, "httpGet")) {
    const json::value* port_v = http->if_contains("port");
    int port = port_v && target.container ? ResolvePort(*port_v, *target.container) : -1;
    if (port <= 0) {
      out = "unable to resolve port";
      return HandlerResult::kError;
    }
    std::string host = api::GetString(*http, "host");
    if (host.empty()) host = target.pod_ip;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    std::string scheme = api::GetString(*http, "scheme");
    std::string path = api::GetString(*http, "path");
    if (path.empty() || path[0] != '/') path = "/" + path;
    std::string url = (scheme == "HTTPS" ? "https://" : "http://") + host + ":" +
                      std::to_string(port) + path;
    std::vector<std::pair<std::string, std::string>> headers;
    if (const json::array* hs = api::GetArray(*http, "httpHeaders")) {
      for (const json::value& h : *hs) {
        if (h.is_object()) {
          headers.emplace_back(api::GetString(h.get_object(), "name"),
                               api::GetString(h.get_object(), "value"));
        }
      }
    }
    auto code = HttpGet(url, headers, timeout * 1000);
    if (!code.ok()) {
      out = code.status().message();
      return HandlerResult::kFailure;
    }
    out = "HTTP probe status code: " + std::to_string(*code);
    return *code >= 200 && *code < 400 ? HandlerResult::kSuccess : HandlerResult::kFailure;
  }
  if (const json::object* tcp = api::GetObject(handler, "tcpSocket")) {
    const json::value* port_v = tcp->if_contains("port");
    int port = port_v && target.container ? ResolvePort(*port_v, *target.container) : -1;
    if (port <= 0) {
      out = "unable to resolve port";
      return HandlerResult::kError;
    }
    std::string host = api::GetString(*tcp, "host");
    if (host.empty()) host = target.pod_ip;
    api::Status s = TcpConnect(host, port, timeout * 1000);
    out = s.message();
    return s.ok() ? HandlerResult::kSuccess : HandlerResult::kFailure;
  }
  if (const json::object* sl = api::GetObject(handler, "sleep")) {
    int64_t seconds = std::min<int64_t>(api::GetInt64(*sl, "seconds"), timeout);
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::seconds(seconds));
    return HandlerResult::kSuccess;
  }
  out = "unsupported handler";
  return HandlerResult::kError;
}

}  // namespace kc::kubelet

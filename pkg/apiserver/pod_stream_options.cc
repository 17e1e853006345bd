#include "pkg/apiserver/pod_stream_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "pkg/streaming/rfc3339_nano.h"
#include "pkg/streaming/websocket_channel.h"

namespace kc::apiserver {

namespace json = boost::json;

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// An optional int64 query parameter.
api::Status QueryInt(const HttpRequest& req, const std::string& name,
                     std::optional<int64_t>* out) {
  if (!req.HasQuery(name)) return api::Status::Ok();
  const std::string v = req.Query(name);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return api::Status::BadRequest("invalid value for " + name + ": \"" + v +
                                   "\" is not an integer");
  }
  *out = n;
  return api::Status::Ok();
}

const json::array* Containers(const json::object& pod, const char* field) {
  const json::value* spec = pod.if_contains("spec");
  if (!spec || !spec->is_object()) return nullptr;
  const json::value* list = spec->get_object().if_contains(field);
  return list && list->is_array() ? &list->get_array() : nullptr;
}

bool HasContainer(const json::object& pod, const std::string& name) {
  for (const char* field : {"containers", "initContainers", "ephemeralContainers"}) {
    const json::array* list = Containers(pod, field);
    if (!list) continue;
    for (const auto& c : *list) {
      if (!c.is_object()) continue;
      const json::value* n = c.get_object().if_contains("name");
      if (n && n->is_string() && n->get_string() == name) return true;
    }
  }
  return false;
}

std::string StringAt(const json::object& obj, const char* a, const char* b) {
  const json::value* x = obj.if_contains(a);
  if (!x || !x->is_object()) return "";
  const json::value* y = x->get_object().if_contains(b);
  return y && y->is_string() ? std::string(y->get_string()) : "";
}

std::string PodName(const json::object& pod) { return StringAt(pod, "metadata", "name"); }

}  // namespace

bool QueryBool(const HttpRequest& req, const std::string& name) {
  if (!req.HasQuery(name)) return false;
  const std::string v = req.Query(name);
  return !(v.empty() || Lower(v) == "false" || v == "0");
}

api::Result<PodLogRequest> ParsePodLogOptions(const HttpRequest& req, const std::string& pod,
                                              int64_t now_nanos) {
  PodLogRequest out;
  out.container = req.Query("container");
  out.previous = QueryBool(req, "previous");
  out.read.follow = QueryBool(req, "follow");
  out.read.timestamps = QueryBool(req, "timestamps");
  std::optional<int64_t> since_seconds;
  for (auto [name, field] : {std::pair{"tailLines", &out.read.tail_lines},
                             std::pair{"limitBytes", &out.read.limit_bytes},
                             std::pair{"sinceSeconds", &since_seconds}}) {
    if (auto st = QueryInt(req, name, field); !st.ok()) return st;
  }
  std::optional<int64_t> since_time;
  if (req.HasQuery("sinceTime")) {
    since_time = streaming::ParseRfc3339Nano(req.Query("sinceTime"));
    if (!since_time) {
      return api::Status::BadRequest("invalid value for sinceTime: \"" + req.Query("sinceTime") +
                                     "\" is not an RFC 3339 time");
    }
  }
  std::vector<api::StatusCause> causes;
  auto invalid = [&](const std::string& field, int64_t v, const std::string& why) {
    causes.push_back({"FieldValueInvalid", "Invalid value: " + std::to_string(v) + ": " + why,
                      field});
  };
  if (out.read.tail_lines && *out.read.tail_lines < 0) {
    invalid("tailLines", *out.read.tail_lines, "must be greater than or equal to 0");
  }
  if (out.read.limit_bytes && *out.read.limit_bytes < 1) {
    invalid("limitBytes", *out.read.limit_bytes, "must be greater than 0");
  }
  if (since_seconds && since_time) {
    causes.push_back({"FieldValueForbidden",
                      "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
                      ""});
  } else if (since_seconds && *since_seconds < 1) {
    invalid("sinceSeconds", *since_seconds, "must be greater than 0");
  }
  if (!causes.empty()) return api::Status::InvalidFor("PodLogOptions", pod, std::move(causes));
  if (since_seconds) out.read.since_nanos = now_nanos - *since_seconds * 1000000000;
  if (since_time) out.read.since_nanos = *since_time;
  return out;
}

api::Result<PodExecRequest> ParsePodExecOptions(const HttpRequest& req, bool exec) {
  PodExecRequest out;
  out.container = req.Query("container");
  if (exec) {
    auto range = req.query.equal_range("command");
    for (auto it = range.first; it != range.second; ++it) out.command.push_back(it->second);
    if (out.command.empty()) {
      return api::Status::BadRequest("you must specify at least one command for the container");
    }
  }
  out.streams.stdin = QueryBool(req, "stdin");
  out.streams.stdout = QueryBool(req, "stdout");
  out.streams.stderr = QueryBool(req, "stderr");
  out.streams.tty = QueryBool(req, "tty");
  if (!out.streams.stdin && !out.streams.stdout && !out.streams.stderr) {
    return api::Status::BadRequest("you must specify at least 1 of stdin, stdout, stderr");
  }
  // As upstream: a terminal has no separate stderr.
  if (out.streams.tty) out.streams.stderr = false;
  return out;
}

api::Result<std::vector<int32_t>> ParsePortForwardPorts(const HttpRequest& req) {
  std::vector<int32_t> ports;
  auto range = req.query.equal_range("ports");
  for (auto it = range.first; it != range.second; ++it) {
    for (const std::string& p : streaming::SplitHeaderList(it->second)) {
      int32_t n = 0;
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
      if (ec != std::errc() || end != p.data() + p.size() || n < 1 || n > 65535) {
        return api::Status::BadRequest("invalid port \"" + p + "\": must be 1-65535");
      }
      ports.push_back(n);
    }
  }
  return ports;
}

api::Result<std::string> ResolveContainer(const json::object& pod, const std::string& requested) {
  const std::string name = PodName(pod);
  if (!requested.empty()) {
    if (!HasContainer(pod, requested)) {
      return api::Status::BadRequest("container " + requested + " is not valid for pod " + name);
    }
    return requested;
  }
  const std::string annotated = [&] {
    const json::value* md = pod.if_contains("metadata");
    if (!md || !md->is_object()) return std::string();
    return StringAt(md->get_object(), "annotations", "kubectl.kubernetes.io/default-container");
  }();
  if (!annotated.empty() && HasContainer(pod, annotated)) return annotated;
  const json::array* list = Containers(pod, "containers");
  if (list && !list->empty() && list->front().is_object()) {
    const json::value* n = list->front().get_object().if_contains("name");
    if (n && n->is_string()) return std::string(n->get_string());
  }
  return api::Status::BadRequest("a container name must be specified for pod " + name);
}

api::Status CheckPodRunning(const json::object& pod, const std::string& subresource) {
  const std::string name = PodName(pod);
  if (StringAt(pod, "spec", "nodeName").empty()) {
    return api::Status::BadRequest("pod " + name + " does not have a host assigned");
  }
  const std::string phase = StringAt(pod, "status", "phase");
  if (phase == "Running") return api::Status::Ok();
  if (phase == "Succeeded" || phase == "Failed") {
    const std::string what = subresource == "exec"     ? "cannot exec into a container in"
                             : subresource == "attach" ? "cannot attach to a container in"
                                                       : "cannot port-forward to";
    return api::Status::BadRequest(what + " a completed pod; current phase is " + phase);
  }
  return api::Status::BadRequest("pod " + name + " is not running; current phase is " +
                                 (phase.empty() ? "Unknown" : phase));
}

}  // namespace kc::apiserver

#include "pkg/client/status_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/string.hpp>

namespace kc::client {
namespace {

std::string StringField(const boost::json::object& obj, const char* name) {
  const boost::json::value* v = obj.if_contains(name);
  if (!v || !v->is_string()) return "";
  return std::string(v->get_string());
}

int64_t IntField(const boost::json::object& obj, const char* name, int64_t def) {
  const boost::json::value* v = obj.if_contains(name);
  if (!v) return def;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return def;
}

}  // namespace

api::Status StatusFromJson(const boost::json::object& obj, int http_code) {
  int code = static_cast<int>(IntField(obj, "code", http_code));
  if (StringField(obj, "status") == "Success") return api::Status::Ok();
  api::Reason reason = api::Status::ReasonFromString(StringField(obj, "reason"), code);
  if (reason == api::Reason::kOk) reason = api::Reason::kInternalError;
  std::string message = StringField(obj, "message");
  if (message.empty()) message = "the server responded with HTTP " + std::to_string(code);
  api::Status st(reason, std::move(message));
  if (const boost::json::value* d = obj.if_contains("details"); d && d->is_object()) {
    const boost::json::object& det = d->get_object();
    api::StatusDetails& out = st.details();
    out.name = StringField(det, "name");
    out.group = StringField(det, "group");
    out.kind = StringField(det, "kind");
    out.uid = StringField(det, "uid");
    out.retry_after_seconds = static_cast<int>(IntField(det, "retryAfterSeconds", 0));
    if (const boost::json::value* c = det.if_contains("causes"); c && c->is_array()) {
      for (const boost::json::value& cv : c->get_array()) {
        if (!cv.is_object()) continue;
        const boost::json::object& co = cv.get_object();
        out.causes.push_back(api::StatusCause{StringField(co, "reason"),
                                              StringField(co, "message"),
                                              StringField(co, "field")});
      }
    }
  }
  return st;
}

api::Status StatusFromBody(const std::string& body, int http_code) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (!ec && v.is_object() && StringField(v.get_object(), "kind") == "Status") {
    return StatusFromJson(v.get_object(), http_code);
  }
  api::Reason reason = api::Status::ReasonFromString("", http_code);
  if (reason == api::Reason::kOk) reason = api::Reason::kInternalError;
  std::string text = body.substr(0, 512);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::string msg = "the server responded with HTTP " + std::to_string(http_code);
  if (!text.empty()) msg += ": " + text;
  return api::Status(reason, std::move(msg));
}

boost::json::object StatusToJson(const api::Status& status) {
  boost::json::object obj;
  obj["kind"] = "Status";
  obj["apiVersion"] = "v1";
  obj["metadata"] = boost::json::object();
  obj["status"] = status.ok() ? "Success" : "Failure";
  if (!status.message().empty()) obj["message"] = status.message();
  if (!status.ok()) obj["reason"] = api::Status::ReasonString(status.reason());
  const api::StatusDetails& d = status.details();
  if (!d.name.empty() || !d.group.empty() || !d.kind.empty() || !d.uid.empty() ||
      !d.causes.empty() || d.retry_after_seconds) {
    boost::json::object det;
    if (!d.name.empty()) det["name"] = d.name;
    if (!d.group.empty()) det["group"] = d.group;
    if (!d.kind.empty()) det["kind"] = d.kind;
    if (!d.uid.empty()) det["uid"] = d.uid;
    if (!d.causes.empty()) {
      boost::json::array causes;
      for (const api::StatusCause& c : d.causes) {
        boost::json::object co;
        if (!c.reason.empty()) co["reason"] = c.reason;
        if (!c.message.empty()) co["message"] = c.message;
        if (!c.field.empty()) co["field"] = c.field;
        causes.push_back(std::move(co));
      }
      det["causes"] = std::move(causes);
    }
    if (d.retry_after_seconds) det["retryAfterSeconds"] = d.retry_after_seconds;
    obj["details"] = std::move(det);
  }
  obj["code"] = status.http_code();
  return obj;
}

}  // namespace kc::client

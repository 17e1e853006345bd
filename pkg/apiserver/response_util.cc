#include "pkg/apiserver/response_util.h"

#include <boost/json/serialize.hpp>

#include "pkg/apiserver/version_conversion.h"
#include "pkg/printers/printers.h"

namespace kc::apiserver {
namespace json = boost::json;

json::object StatusToJson(const api::Status& s) {
  json::object o;
  o["kind"] = "Status";
  o["apiVersion"] = "v1";
  o["metadata"] = json::object();
  o["status"] = s.ok() ? "Success" : "Failure";
  o["message"] = s.message();
  o["reason"] = api::Status::ReasonString(s.reason());
  const api::StatusDetails& d = s.details();
  if (!d.name.empty() || !d.kind.empty() || !d.causes.empty() || !d.group.empty()) {
    json::object details;
    if (!d.name.empty()) details["name"] = d.name;
    if (!d.group.empty()) details["group"] = d.group;
    if (!d.kind.empty()) details["kind"] = d.kind;
    if (!d.uid.empty()) details["uid"] = d.uid;
    if (!d.causes.empty()) {
      json::array causes;
      for (const auto& c : d.causes) {
        json::object cj;
        cj["reason"] = c.reason;
        cj["message"] = c.message;
        if (!c.field.empty()) cj["field"] = c.field;
        causes.push_back(std::move(cj));
      }
      details["causes"] = std::move(causes);
    }
    if (d.retry_after_seconds > 0) details["retryAfterSeconds"] = d.retry_after_seconds;
    o["details"] = std::move(details);
  }
  o["code"] = s.http_code();
  return o;
}

HttpResponse ErrorResponse(const api::Status& s) {
  HttpResponse r;
  r.status = s.http_code();
  r.body = json::serialize(StatusToJson(s));
  if (s.details().retry_after_seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(s.details().retry_after_seconds));
  }
  return r;
}

HttpResponse JsonResponse(int code, const json::object& obj) {
  HttpResponse r;
  r.status = code;
  r.body = json::serialize(obj);
  return r;
}

HttpResponse CreatedSuccessResponse() {
  json::object ok;
  ok["kind"] = "Status";
  ok["apiVersion"] = "v1";
  ok["metadata"] = json::object();
  ok["status"] = "Success";
  ok["code"] = 201;
  return JsonResponse(201, ok);
}

api::Status MethodNotAllowed() {
  return api::Status(api::Reason::kMethodNotAllowed,
                     "the server does not allow this method on the requested resource");
}

json::object SuccessStatus(const api::ResourceInfo& ri, const json::object& obj) {
  json::object o;
  o["kind"] = "Status";
  o["apiVersion"] = "v1";
  o["metadata"] = json::object();
  o["status"] = "Success";
  json::object details;
  const json::value* meta = obj.if_contains("metadata");
  if (meta && meta->is_object()) {
    if (auto* n = meta->get_object().if_contains("name")) details["name"] = *n;
    if (!ri.group.empty()) details["group"] = ri.group;
    details["kind"] = ri.plural;
    if (auto* u = meta->get_object().if_contains("uid")) details["uid"] = *u;
  }
  o["details"] = std::move(details);
  return o;
}

bool WantsTable(const HttpRequest& req) {
  std::string accept = req.Header("accept");
  return accept.find("as=Table") != std::string::npos &&
         accept.find("g=meta.k8s.io") != std::string::npos;
}

IncludeObject ParseIncludeObject(const std::string& v) {
  if (v == "None") return IncludeObject::kNone;
  if (v == "Object") return IncludeObject::kObject;
  return IncludeObject::kMetadata;
}

json::object PartialMetadata(const json::object& obj) {
  json::object p;
  p["kind"] = "PartialObjectMetadata";
  p["apiVersion"] = "meta.k8s.io/v1";
  if (const json::value* m = obj.if_contains("metadata")) p["metadata"] = *m;
  return p;
}

json::object ToTable(const api::ResourceInfo& ri, const std::vector<json::object>& items,
                     IncludeObject include, bool with_columns,
                     std::chrono::system_clock::time_point now) {
  json::object t;
  t["kind"] = "Table";
  t["apiVersion"] = "meta.k8s.io/v1";
  t["metadata"] = json::object();
  // `items` are in the stored shape: the storage version's printer reads them (events.k8s.io/v1
  // Events are stored as core/v1 ones), and an included object is shown in ri's version.
  const api::ResourceInfo& stored = StorageResource(ri);
  const auto& columns = printers::ColumnsFor(stored);
  t["columnDefinitions"] = with_columns ? printers::ColumnDefinitionsJson(columns) : json::array();
  json::array rows;
  rows.reserve(items.size());
  for (const auto& obj : items) {
    json::object row;
    row["cells"] = printers::CellsFor(stored, obj, now);
    json::array conds = printers::RowConditionsFor(stored, obj);
    if (!conds.empty()) row["conditions"] = std::move(conds);
    if (include == IncludeObject::kMetadata) {
      row["object"] = PartialMetadata(obj);
    } else if (include == IncludeObject::kObject) {
      json::object shown = obj;
      FromStorage(ri, shown);
      row["object"] = std::move(shown);
    }
    rows.push_back(std::move(row));
  }
  t["rows"] = std::move(rows);
  return t;
}

}  // namespace kc::apiserver

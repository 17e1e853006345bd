// Building API responses: Status bodies from errors, objects and lists, and the server-side
// Table form (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`) kubectl asks for.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"
#include "pkg/apiserver/http_types.h"

namespace kc::apiserver {

boost::json::object StatusToJson(const api::Status& s);
HttpResponse ErrorResponse(const api::Status& s);
HttpResponse JsonResponse(int code, const boost::json::object& obj);
// 201 with a bare Success Status: what action subresources (binding, eviction) answer.
HttpResponse CreatedSuccessResponse();
// 405 MethodNotAllowed with upstream's message.
api::Status MethodNotAllowed();
// {"kind":"Status","status":"Success","details":{name,group,kind,uid}}
boost::json::object SuccessStatus(const api::ResourceInfo& ri, const boost::json::object& obj);

enum class IncludeObject { kNone, kMetadata, kObject };

// True when the Accept header asks for a meta.k8s.io Table.
bool WantsTable(const HttpRequest& req);
IncludeObject ParseIncludeObject(const std::string& v);

// A Table of `items`; `with_columns` false leaves columnDefinitions empty (watch events after
// the first).
boost::json::object ToTable(const api::ResourceInfo& ri, const std::vector<boost::json::object>& items,
                            IncludeObject include, bool with_columns,
                            std::chrono::system_clock::time_point now);

// Partial object metadata ({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",...}).
boost::json::object PartialMetadata(const boost::json::object& obj);

}  // namespace kc::apiserver

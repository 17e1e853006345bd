// Request decoding shared by the write handlers: body → JSON object by Content-Type (JSON,
// YAML; protobuf is refused with 415), strict/warn field validation against the OpenAPI
// schemas, apiVersion/kind checks, and the write query parameters (fieldManager, dryRun,
// fieldValidation) → RequestContext.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"
#include "pkg/apiserver/http_types.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/request_context.h"

namespace kc::apiserver {

// Fills ctx from the query (fieldManager or User-Agent, dryRun, fieldValidation).
api::Status BuildContext(const HttpRequest& req, RequestContext* ctx);

// Decodes an object body for `ri` (or for `expected_kind`/`expected_api_version` when the body
// is another type, e.g. Scale, Binding). Applies field validation per ctx. A body of `ri`'s own
// kind is returned in the storage shape (ToStorage in version_conversion.h): an autoscaling/v1
// HPA comes back as autoscaling/v2, to be written with StorageResource(ri).
api::Result<boost::json::object> DecodeObjectBody(const HttpRequest& req,
                                                  const api::ResourceInfo& ri,
                                                  RequestContext& ctx, bool check_schema = true,
                                                  const std::string& expected_kind = "",
                                                  const std::string& expected_api_version = "");

// DeleteOptions from the body (may be empty) and the query.
api::Result<DeleteOptions> DecodeDeleteOptions(const HttpRequest& req);

// List options from the query.
api::Result<ListOptions> DecodeListOptions(const HttpRequest& req);

// The media type without parameters, lower-cased ("application/json").
std::string BaseMediaType(const std::string& content_type);

}  // namespace kc::apiserver

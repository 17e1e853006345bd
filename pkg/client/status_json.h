// Conversions between api::Status and the `kind: Status` JSON body the API server sends with
// every failed request (and inside watch ERROR events).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "pkg/api/status.h"

namespace kc::client {

// Reads a metav1.Status object. `http_code` is used when the body has no usable reason (and as
// the fallback when it has no `code`). A Status with status "Success" maps to OK.
api::Status StatusFromJson(const boost::json::object& obj, int http_code);

// Reads an HTTP error body: a Status object if it parses as one, else a status built from the
// HTTP code with the body text (truncated) as its message.
api::Status StatusFromBody(const std::string& body, int http_code);

// Writes a Status as the wire object: {"kind":"Status","apiVersion":"v1","metadata":{},
// "status":"Failure","message":...,"reason":...,"details":{...},"code":...}.
boost::json::object StatusToJson(const api::Status& status);

}  // namespace kc::client

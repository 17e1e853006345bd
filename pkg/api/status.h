// Status: the error value every kcluster component returns instead of throwing.
//
// A Status carries one of the Kubernetes failure reasons (metav1.StatusReason), a human message
// and optional details (name, group, resource "kind", causes). The API server maps it straight to
// a `kind: Status` response body and HTTP code; the clients map a Status body back into one.
//
// Thread-safety: a plain value type; distinct objects may be used from different threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kc::api {

enum class Reason {
  kOk = 0,
  kNotFound,               // 404
  kAlreadyExists,          // 409
  kConflict,               // 409
  kInvalid,                // 422
  kBadRequest,             // 400
  kUnauthorized,           // 401
  kForbidden,              // 403
  kMethodNotAllowed,       // 405
  kNotAcceptable,          // 406
  kGone,                   // 410
  kExpired,                // 410
  kRequestEntityTooLarge,  // 413
  kUnsupportedMediaType,   // 415
  kTooManyRequests,        // 429
  kInternalError,          // 500
  kServiceUnavailable,     // 503
  kTimeout,                // 504
};

// One entry of details.causes (metav1.StatusCause).
struct StatusCause {
  std::string reason;  // e.g. FieldValueInvalid, FieldValueRequired, FieldManagerConflict
  std::string message;
  std::string field;   // e.g. metadata.name, spec.replicas
};

struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;  // the *resource* (plural), as the real apiserver fills it
  std::string uid;
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;
};

class Status {
 public:
  Status() = default;  // OK
  Status(Reason reason, std::string message) : reason_(reason), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return {Reason::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Reason::kAlreadyExists, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {Reason::kConflict, std::move(msg)}; }
  static Status Invalid(std::string msg) { return {Reason::kInvalid, std::move(msg)}; }
  static Status BadRequest(std::string msg) { return {Reason::kBadRequest, std::move(msg)}; }
  static Status Forbidden(std::string msg) { return {Reason::kForbidden, std::move(msg)}; }
  static Status Gone(std::string msg) { return {Reason::kGone, std::move(msg)}; }
  static Status Expired(std::string msg) { return {Reason::kExpired, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Reason::kInternalError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Reason::kServiceUnavailable, std::move(msg)}; }

  // The canonical upstream errors (apimachinery pkg/api/errors). `resource` is the plural
  // resource name qualified by group when non-core ("deployments.apps").
  static Status NotFoundFor(const std::string& qualified_resource, const std::string& name);
  static Status AlreadyExistsFor(const std::string& qualified_resource, const std::string& name);
  static Status ConflictFor(const std::string& qualified_resource, const std::string& name,
                            const std::string& why);
  // "<Kind>.<group> \"<name>\" is invalid: <cause 1>, <cause 2>"
  static Status InvalidFor(const std::string& qualified_kind, const std::string& name,
                           std::vector<StatusCause> causes);

  bool ok() const { return reason_ == Reason::kOk; }
  Reason reason() const { return reason_; }
  const std::string& message() const { return message_; }
  StatusDetails& details() { return details_; }
  const StatusDetails& details() const { return details_; }

  // Builder helpers for details.
  Status& WithName(std::string name) { details_.name = std::move(name); return *this; }
  Status& WithResource(std::string group, std::string resource) {
    details_.group = std::move(group);
    details_.kind = std::move(resource);
    return *this;
  }
  Status& WithCause(StatusCause cause) { details_.causes.push_back(std::move(cause)); return *this; }

  int http_code() const { return HttpCode(reason_); }
  static int HttpCode(Reason reason);
  static const char* ReasonString(Reason reason);  // "NotFound", "" for kOk
  static Reason ReasonFromString(const std::string& s, int http_code);

  std::string ToString() const;  // "NotFound: pods \"x\" not found"

 private:
  Reason reason_ = Reason::kOk;
  std::string message_;
  StatusDetails details_;
};

// Result<T>: a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)), has_value_(true) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}            // NOLINT: implicit by design

  bool ok() const { return has_value_; }
  const Status& status() const { return status_; }
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() { return value_; }
  const T& operator*() const { return value_; }

 private:
  T value_{};
  Status status_;
  bool has_value_ = false;
};

}  // namespace kc::api

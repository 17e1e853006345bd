#include "pkg/api/status.h"

namespace kc::api {

int Status::HttpCode(Reason reason) {
  switch (reason) {
    case Reason::kOk: return 200;
    case Reason::kNotFound: return 404;
    case Reason::kAlreadyExists: return 409;
    case Reason::kConflict: return 409;
    case Reason::kInvalid: return 422;
    case Reason::kBadRequest: return 400;
    case Reason::kUnauthorized: return 401;
    case Reason::kForbidden: return 403;
    case Reason::kMethodNotAllowed: return 405;
    case Reason::kNotAcceptable: return 406;
    case Reason::kGone: return 410;
    case Reason::kExpired: return 410;
    case Reason::kRequestEntityTooLarge: return 413;
    case Reason::kUnsupportedMediaType: return 415;
    case Reason::kTooManyRequests: return 429;
    case Reason::kInternalError: return 500;
    case Reason::kServiceUnavailable: return 503;
    case Reason::kTimeout: return 504;
  }
  return 500;
}

const char* Status::ReasonString(Reason reason) {
  switch (reason) {
    case Reason::kOk: return "";
    case Reason::kNotFound: return "NotFound";
    case Reason::kAlreadyExists: return "AlreadyExists";
    case Reason::kConflict: return "Conflict";
    case Reason::kInvalid: return "Invalid";
    case Reason::kBadRequest: return "BadRequest";
    case Reason::kUnauthorized: return "Unauthorized";
    case Reason::kForbidden: return "Forbidden";
    case Reason::kMethodNotAllowed: return "MethodNotAllowed";
    case Reason::kNotAcceptable: return "NotAcceptable";
    case Reason::kGone: return "Gone";
    case Reason::kExpired: return "Expired";
    case Reason::kRequestEntityTooLarge: return "RequestEntityTooLarge";
    case Reason::kUnsupportedMediaType: return "UnsupportedMediaType";
    case Reason::kTooManyRequests: return "TooManyRequests";
    case Reason::kInternalError: return "InternalError";
    case Reason::kServiceUnavailable: return "ServiceUnavailable";
    case Reason::kTimeout: return "Timeout";
  }
  return "InternalError";
}

Reason Status::ReasonFromString(const std::string& s, int http_code) {
  static const Reason kAll[] = {
      Reason::kNotFound,         Reason::kAlreadyExists,      Reason::kConflict,
      Reason::kInvalid,          Reason::kBadRequest,         Reason::kUnauthorized,
      Reason::kForbidden,        Reason::kMethodNotAllowed,   Reason::kNotAcceptable,
      Reason::kGone,             Reason::kExpired,            Reason::kRequestEntityTooLarge,
      Reason::kUnsupportedMediaType, Reason::kTooManyRequests, Reason::kInternalError,
      Reason::kServiceUnavailable, Reason::kTimeout};
  for (Reason r : kAll) {
    if (s == ReasonString(r)) return r;
  }
  for (Reason r : kAll) {
    if (HttpCode(r) == http_code) return r;
  }
  return http_code < 400 ? Reason::kOk : Reason::kInternalError;
}

Status Status::NotFoundFor(const std::string& qualified_resource, const std::string& name) {
  Status s(Reason::kNotFound, qualified_resource + " \"" + name + "\" not found");
  s.details_.name = name;
  return s;
}

Status Status::AlreadyExistsFor(const std::string& qualified_resource, const std::string& name) {
  Status s(Reason::kAlreadyExists, qualified_resource + " \"" + name + "\" already exists");
  s.details_.name = name;
  return s;
}

Status Status::ConflictFor(const std::string& qualified_resource, const std::string& name,
                           const std::string& why) {
  Status s(Reason::kConflict,
           "Operation cannot be fulfilled on " + qualified_resource + " \"" + name + "\": " + why);
  s.details_.name = name;
  return s;
}

Status Status::InvalidFor(const std::string& qualified_kind, const std::string& name,
                          std::vector<StatusCause> causes) {
  std::string msg = qualified_kind + " \"" + name + "\" is invalid: ";
  if (causes.size() == 1) {
    msg += causes[0].field.empty() ? causes[0].message : causes[0].field + ": " + causes[0].message;
  } else {
    msg += "[";
    for (size_t i = 0; i < causes.size(); ++i) {
      if (i) msg += ", ";
      msg += causes[i].field.empty() ? causes[i].message : causes[i].field + ": " + causes[i].message;
    }
    msg += "]";
  }
  Status s(Reason::kInvalid, std::move(msg));
  s.details_.name = name;
  s.details_.causes = std::move(causes);
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ReasonString(reason_)) + ": " + message_;
}

}  // namespace kc::api

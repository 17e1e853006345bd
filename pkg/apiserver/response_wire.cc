#include "pkg/apiserver/response_wire.h"

#include <boost/beast/http/status.hpp>

namespace kc::apiserver {
namespace {

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  for (char c : value) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  out.append("\r\n");
}

bool HasBody(int status) { return !(status < 200 || status == 204 || status == 304); }

}  // namespace

std::string SerializeResponse(HttpResponse&& resp, unsigned version, bool keep_alive,
                              bool head_request) {
  namespace http = boost::beast::http;
  std::string_view reason = http::obsolete_reason(http::int_to_status(resp.status));
  const bool body = HasBody(resp.status);
  std::string out;
  out.reserve(128 + resp.body.size());
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ")
      .append(std::to_string(resp.status))
      .append(" ")
      .append(reason)
      .append("\r\n");
  if (!resp.content_type.empty()) AppendHeader(out, "Content-Type", resp.content_type);
  for (const auto& [name, value] : resp.headers) AppendHeader(out, name, value);
  if (body) AppendHeader(out, "Content-Length", std::to_string(resp.body.size()));
  if (version == 11 && !keep_alive) AppendHeader(out, "Connection", "close");
  if (version == 10 && keep_alive) AppendHeader(out, "Connection", "keep-alive");
  out.append("\r\n");
  if (body && !head_request) out.append(resp.body);
  resp.body.clear();
  return out;
}

}  // namespace kc::apiserver

#include "pkg/apiserver/response_wire.h"

#include <doctest/doctest.h>

namespace kc::apiserver {

TEST_CASE("SerializeResponse: status line, headers, length and body in one buffer") {
  HttpResponse r;
  r.status = 201;
  r.body = R"({"kind":"ConfigMap"})";
  r.headers = {{"Warning", "299 - \"unknown field \\\"x\\\"\""}};
  CHECK(SerializeResponse(std::move(r), 11, true) ==
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        "Warning: 299 - \"unknown field \\\"x\\\"\"\r\nContent-Length: 20\r\n\r\n"
        R"({"kind":"ConfigMap"})");
}

TEST_CASE("SerializeResponse: Connection only when it differs from the version's default") {
  HttpResponse a;
  a.status = 404;
  a.body = "{}";
  CHECK(SerializeResponse(std::move(a), 11, false) ==
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n{}");
  HttpResponse b;
  b.content_type = "text/plain";
  b.body = "ok";
  CHECK(SerializeResponse(std::move(b), 10, true) ==
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
        "Connection: keep-alive\r\n\r\nok");
}

TEST_CASE("SerializeResponse: no body or length for 204 and 304; CR/LF cannot end a header") {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  r.body = "ignored";
  r.headers = {{"Warning", "299 - \"a\r\nInjected: yes\""}};
  CHECK(SerializeResponse(std::move(r), 11, true) ==
        "HTTP/1.1 204 No Content\r\nWarning: 299 - \"a  Injected: yes\"\r\n\r\n");
}

TEST_CASE("SerializeResponse: a HEAD answer has the length but not the body") {
  HttpResponse r;
  r.body = "{}";
  CHECK(SerializeResponse(std::move(r), 11, true, /*head_request=*/true) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");
}

}  // namespace kc::apiserver

// pods/log, pods/exec, pods/attach, pods/portforward: option parsing, container choice, the
// handler's answers, and an end-to-end exec through the real HTTP server (WebSocket v5 client ⇄
// relay ⇄ a fake containerd stream server).
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/http_server.h"
#include "pkg/apiserver/pod_stream_options.h"
#include "pkg/apiserver/test_util.h"
#include "pkg/streaming/fake_stream_server.h"
#include "pkg/streaming/pod_streams.h"
#include "pkg/streaming/rfc3339_nano.h"
#include "pkg/streaming/websocket_channel.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::Obj;

HttpRequest Req(const std::string& method, const std::string& path_and_query,
                std::map<std::string, std::string> headers = {}) {
  return testing::AdminRequest(method, path_and_query, std::move(headers));
}

// ---------------------------------------------------------------------------------------------
// Pure option handling.

TEST_CASE("query booleans follow apimachinery's conversion") {
  HttpRequest r = Req("GET", "/x?a=true&b=1&c=false&d=0&e=&f=FALSE&g=yes");
  CHECK(QueryBool(r, "a"));
  CHECK(QueryBool(r, "b"));
  CHECK_FALSE(QueryBool(r, "c"));
  CHECK_FALSE(QueryBool(r, "d"));
  CHECK_FALSE(QueryBool(r, "e"));
  CHECK_FALSE(QueryBool(r, "f"));
  CHECK(QueryBool(r, "g"));
  CHECK_FALSE(QueryBool(r, "absent"));
}

TEST_CASE("pods/log options") {
  const int64_t now = *streaming::ParseRfc3339Nano("2026-01-01T00:01:00Z");
  SUBCASE("all of them") {
    auto o = ParsePodLogOptions(
        Req("GET", "/log?container=c&follow=true&previous=1&tailLines=10&limitBytes=500"
                   "&timestamps=true&sinceSeconds=60"),
        "p", now);
    REQUIRE(o.ok());
    CHECK(o->container == "c");
    CHECK(o->previous);
    CHECK(o->read.follow);
    CHECK(o->read.timestamps);
    CHECK(o->read.tail_lines == 10);
    CHECK(o->read.limit_bytes == 500);
    CHECK(o->read.since_nanos == *streaming::ParseRfc3339Nano("2026-01-01T00:00:00Z"));
  }
  SUBCASE("sinceTime") {
    auto o = ParsePodLogOptions(Req("GET", "/log?sinceTime=2025-12-31T23:00:00Z"), "p", now);
    REQUIRE(o.ok());
    CHECK(o->read.since_nanos == *streaming::ParseRfc3339Nano("2025-12-31T23:00:00Z"));
    CHECK_FALSE(o->read.follow);
    CHECK_FALSE(o->read.tail_lines.has_value());
  }
  SUBCASE("invalid values are 422 PodLogOptions, as upstream validation") {
    auto o = ParsePodLogOptions(Req("GET", "/log?tailLines=-1"), "web", now);
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().reason() == api::Reason::kInvalid);
    CHECK(o.status().message() ==
          "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than "
          "or equal to 0");
    o = ParsePodLogOptions(Req("GET", "/log?limitBytes=0&sinceSeconds=0"), "web", now);
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().message().find("limitBytes: Invalid value: 0: must be greater than 0") !=
          std::string::npos);
    CHECK(o.status().message().find("sinceSeconds: Invalid value: 0: must be greater than 0") !=
          std::string::npos);
    o = ParsePodLogOptions(Req("GET", "/log?sinceSeconds=5&sinceTime=2025-12-31T23:00:00Z"),
                           "web", now);
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().message().find("at most one of `sinceTime` or `sinceSeconds`") !=
          std::string::npos);
  }
  SUBCASE("unparsable values are 400") {
    CHECK(ParsePodLogOptions(Req("GET", "/log?tailLines=ten"), "p", now).status().reason() ==
          api::Reason::kBadRequest);
    CHECK(ParsePodLogOptions(Req("GET", "/log?sinceTime=yesterday"), "p", now).status().reason() ==
          api::Reason::kBadRequest);
  }
}

TEST_CASE("exec/attach options") {
  SUBCASE("kubectl exec's query") {
    auto o = ParsePodExecOptions(
        Req("GET", "/exec?command=sh&command=-c&command=echo+hi&container=c&stderr=true&stdout=true"),
        true);
    REQUIRE(o.ok());
    CHECK(o->command == std::vector<std::string>{"sh", "-c", "echo hi"});
    CHECK(o->container == "c");
    CHECK(o->streams.stdout);
    CHECK(o->streams.stderr);
    CHECK_FALSE(o->streams.stdin);
    CHECK_FALSE(o->streams.tty);
  }
  SUBCASE("tty drops stderr") {
    auto o = ParsePodExecOptions(Req("GET", "/attach?stdin=true&stdout=true&stderr=true&tty=true"),
                                 false);
    REQUIRE(o.ok());
    CHECK(o->streams.tty);
    CHECK_FALSE(o->streams.stderr);
  }
  SUBCASE("errors") {
    CHECK(ParsePodExecOptions(Req("GET", "/exec?stdout=true"), true).status().message() ==
          "you must specify at least one command for the container");
    CHECK(ParsePodExecOptions(Req("GET", "/exec?command=ls"), true).status().message() ==
          "you must specify at least 1 of stdin, stdout, stderr");
    CHECK(ParsePodExecOptions(Req("GET", "/attach?stdin=true"), false).ok());
  }
  SUBCASE("port-forward ports") {
    auto p = ParsePortForwardPorts(Req("GET", "/portforward?ports=80,8080&ports=443"));
    REQUIRE(p.ok());
    CHECK(*p == std::vector<int32_t>{80, 8080, 443});
    CHECK(ParsePortForwardPorts(Req("GET", "/portforward"))->empty());
    CHECK_FALSE(ParsePortForwardPorts(Req("GET", "/portforward?ports=0")).ok());
    CHECK_FALSE(ParsePortForwardPorts(Req("GET", "/portforward?ports=http")).ok());
  }
}

TEST_CASE("the container a request means") {
  const json::object pod = Obj(R"({"metadata":{"name":"web"},"spec":{
      "initContainers":[{"name":"init"}],
      "containers":[{"name":"app"},{"name":"sidecar"}]}})");
  CHECK(*ResolveContainer(pod, "") == "app");
  CHECK(*ResolveContainer(pod, "sidecar") == "sidecar");
  CHECK(*ResolveContainer(pod, "init") == "init");
  auto bad = ResolveContainer(pod, "nope");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().reason() == api::Reason::kBadRequest);
  CHECK(bad.status().message() == "container nope is not valid for pod web");
  json::object annotated = pod;
  annotated["metadata"].as_object()["annotations"] =
      json::object{{"kubectl.kubernetes.io/default-container", "sidecar"}};
  CHECK(*ResolveContainer(annotated, "") == "sidecar");
  annotated["metadata"].as_object()["annotations"] =
      json::object{{"kubectl.kubernetes.io/default-container", "gone"}};
  CHECK(*ResolveContainer(annotated, "") == "app");
  CHECK_FALSE(ResolveContainer(Obj(R"({"metadata":{"name":"x"},"spec":{}})"), "").ok());
}

TEST_CASE("exec needs a scheduled, running pod") {
  CHECK(CheckPodRunning(Obj(R"({"metadata":{"name":"p"},"spec":{"nodeName":"n"},
                                "status":{"phase":"Running"}})"),
                        "exec")
            .ok());
  CHECK(CheckPodRunning(Obj(R"({"metadata":{"name":"p"},"spec":{}})"), "exec").message() ==
        "pod p does not have a host assigned");
  CHECK(CheckPodRunning(Obj(R"({"metadata":{"name":"p"},"spec":{"nodeName":"n"},
                                "status":{"phase":"Succeeded"}})"),
                        "exec")
            .message() ==
        "cannot exec into a container in a completed pod; current phase is Succeeded");
  auto pending = CheckPodRunning(Obj(R"({"metadata":{"name":"p"},"spec":{"nodeName":"n"},
                                         "status":{"phase":"Pending"}})"),
                                 "attach");
  CHECK(pending.reason() == api::Reason::kBadRequest);
  CHECK(pending.message() == "pod p is not running; current phase is Pending");
}

// ---------------------------------------------------------------------------------------------
// The handler.

class FakePodStreams : public streaming::PodStreams {
 public:
  api::Result<std::string> ExecUrl(const streaming::ExecParams& p) override {
    std::lock_guard<std::mutex> l(mu);
    exec_calls.push_back(p);
    return url;
  }
  api::Result<std::string> AttachUrl(const streaming::ExecParams& p) override {
    std::lock_guard<std::mutex> l(mu);
    attach_calls.push_back(p);
    return url;
  }
  api::Result<std::string> PortForwardUrl(const std::string&, const std::string&,
                                          const std::vector<int32_t>& ports) override {
    std::lock_guard<std::mutex> l(mu);
    forwarded_ports = ports;
    return url;
  }
  api::Result<streaming::LogTarget> ContainerLog(const std::string& ns, const std::string& pod,
                                                 const std::string& container,
                                                 bool previous) override {
    std::lock_guard<std::mutex> l(mu);
    log_calls.push_back(ns + "/" + pod + "/" + container + (previous ? "/previous" : ""));
    if (!log_error.ok()) return log_error;
    return streaming::LogTarget{log_path, running};
  }

  std::mutex mu;
  std::string url = "http://127.0.0.1:1/exec/unused";
  std::vector<streaming::ExecParams> exec_calls, attach_calls;
  std::vector<int32_t> forwarded_ports;
  std::vector<std::string> log_calls;
  std::string log_path;
  bool running = false;
  api::Status log_error;
};

// Allows everything except the verbs listed.
class VerbAuthorizer : public Authorizer {
 public:
  explicit VerbAuthorizer(std::set<std::string> denied) : denied_(std::move(denied)) {}
  Decision Authorize(const AuthzAttributes& a, std::string*) override {
    return denied_.count(a.request.verb) ? Decision::kDeny : Decision::kAllow;
  }

 private:
  std::set<std::string> denied_;
};

class PeerAuthenticator : public Authenticator {
 public:
  std::optional<UserInfo> Authenticate(const HttpRequest& req) override {
    if (!req.tls) return UserInfo{"system:admin", {"system:masters"}};
    return UserInfo{req.peer_user, req.peer_groups};
  }
};

class Fixture {
 public:
  explicit Fixture(std::set<std::string> denied = {})
      : surface_(*ApiSurface::Build("")),
        authz_(std::move(denied)),
        handler_(reg_.reg(), surface_, metrics_, authn_, authz_) {}

  HttpResponse Do(HttpRequest req) { return handler_.Handle(req); }
  // A pod "p" with containers a and b, bound to node n, in `phase`.
  void MakePod(const std::string& phase, bool scheduled = true) {
    const auto& pods = testing::Res("", "pods");
    reg_.MustCreate(pods, "default",
                    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{)" +
                        std::string(scheduled ? R"("nodeName":"n",)" : "") +
                        R"("containers":[{"name":"a","image":"busybox"},{"name":"b","image":"busybox"}]}})");
    if (phase.empty()) return;
    auto pod = reg_.reg().Get(pods, "default", "p");
    REQUIRE(pod.ok());
    (*pod)["status"] = json::object{{"phase", phase}};
    RequestContext ctx = testing::Ctx();
    auto updated = reg_.reg().Update(pods, "default", "p", *pod, "status", ctx);
    REQUIRE(updated.ok());
  }
  ApiHandler& handler() { return handler_; }

 private:
  testing::TestRegistry reg_;
  ApiSurface surface_;
  Metrics metrics_;
  PeerAuthenticator authn_;
  VerbAuthorizer authz_;
  ApiHandler handler_;
};

// Pumps a streamed response to completion (as the HTTP server does).
std::string Drain(HttpResponse& r) {
  REQUIRE(r.stream);
  std::mutex mu;
  std::condition_variable cv;
  bool woken = false;
  r.stream->Start([&] {
    std::lock_guard<std::mutex> l(mu);
    woken = true;
    cv.notify_all();
  });
  std::string body;
  for (int i = 0; i < 1000; ++i) {
    if (!r.stream->Pull(&body)) return body;
    std::unique_lock<std::mutex> l(mu);
    cv.wait_for(l, std::chrono::milliseconds(20), [&] { return woken; });
    woken = false;
  }
  FAIL("log stream did not end");
  return body;
}

const std::map<std::string, std::string> kWsHeaders = {
    {"connection", "Upgrade"},
    {"upgrade", "websocket"},
    {"sec-websocket-version", "13"},
    {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="},
    {"sec-websocket-protocol", "v5.channel.k8s.io"}};

TEST_CASE("pods/log through the handler") {
  Fixture f;
  FakePodStreams streams;
  testing::TempDir dir;
  streams.log_path = dir.File("0.log");
  std::ofstream(streams.log_path) << "2026-11-21T23:32:24.5Z stdout F one\n"
                                     "2026-11-21T23:32:25Z stderr F two\n";
  const std::string path = "/api/v1/namespaces/default/pods/p/log";

  SUBCASE("missing pod: 404") {
    f.handler().SetPodStreams(&streams);
    CHECK(f.Do(Req("GET", path)).status == 404);
  }
  f.MakePod("Running");
  SUBCASE("no node agent: 503") { CHECK(f.Do(Req("GET", path)).status == 503); }
  f.handler().SetPodStreams(&streams);
  SUBCASE("default container, then the body") {
    HttpResponse r = f.Do(Req("GET", path));
    CHECK(r.status == 200);
    CHECK(r.content_type == "text/plain");
    CHECK(Drain(r) == "one\ntwo\n");
    CHECK(streams.log_calls == std::vector<std::string>{"default/p/a"});
  }
  SUBCASE("container, previous, timestamps and tail") {
    HttpResponse r =
        f.Do(Req("GET", path + "?container=b&previous=true&timestamps=true&tailLines=1"));
    CHECK(r.status == 200);
    CHECK(Drain(r) == "2026-11-21T23:32:25Z two\n");
    CHECK(streams.log_calls == std::vector<std::string>{"default/p/b/previous"});
  }
  SUBCASE("follow a running container until it stops") {
    streams.running = true;
    HttpResponse r = f.Do(Req("GET", path + "?follow=true"));
    REQUIRE(r.status == 200);
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::ofstream(streams.log_path, std::ios::app) << "2026-11-21T23:32:26Z stdout F three\n";
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::lock_guard<std::mutex> l(streams.mu);
      streams.running = false;
    });
    CHECK(Drain(r) == "one\ntwo\nthree\n");
    stopper.join();
    CHECK(streams.log_calls.size() >= 2);  // the initial lookup and the running checks
  }
  SUBCASE("errors") {
    CHECK(f.Do(Req("GET", path + "?container=zzz")).status == 400);
    CHECK(f.Do(Req("GET", path + "?tailLines=-5")).status == 422);
    CHECK(f.Do(Req("POST", path)).status == 405);
    streams.log_error = api::Status::BadRequest(
        "container \"a\" in pod \"p\" is waiting to start: ContainerCreating");
    HttpResponse r = f.Do(Req("GET", path));
    CHECK(r.status == 400);
    CHECK(Obj(r.body)["message"] ==
          "container \"a\" in pod \"p\" is waiting to start: ContainerCreating");
  }
}

TEST_CASE("pods/log of an unscheduled pod is empty") {
  Fixture f;
  FakePodStreams streams;
  f.handler().SetPodStreams(&streams);
  f.MakePod("", /*scheduled=*/false);
  HttpResponse r = f.Do(Req("GET", "/api/v1/namespaces/default/pods/p/log"));
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK_FALSE(r.stream);
  CHECK(streams.log_calls.empty());
}

TEST_CASE("exec/attach/portforward through the handler") {
  Fixture f;
  FakePodStreams streams;
  f.handler().SetPodStreams(&streams);
  const std::string base = "/api/v1/namespaces/default/pods/p";
  f.MakePod("Running");
  SUBCASE("WebSocket upgrade: 101 with a relay; the kubelet got the resolved request") {
    HttpResponse r = f.Do(Req("GET", base + "/exec?command=sh&command=-c&command=echo+hi&stdout=true"
                                             "&stderr=true",
                              kWsHeaders));
    CHECK(r.status == 101);
    CHECK(r.upgrade != nullptr);
    REQUIRE(streams.exec_calls.size() == 1);
    const auto& p = streams.exec_calls[0];
    CHECK(p.ns == "default");
    CHECK(p.pod == "p");
    CHECK(p.container == "a");
    CHECK(p.cmd == std::vector<std::string>{"sh", "-c", "echo hi"});
    CHECK(p.stdout);
    CHECK(p.stderr);
    CHECK_FALSE(p.stdin);
  }
  SUBCASE("attach and SPDY POST") {
    auto h = std::map<std::string, std::string>{
        {"connection", "Upgrade"},
        {"upgrade", "SPDY/3.1"},
        {"x-stream-protocol-version", "v5.channel.k8s.io, v4.channel.k8s.io"}};
    HttpResponse r = f.Do(Req("POST", base + "/attach?container=b&stdin=true&tty=true", h));
    CHECK(r.status == 101);
    REQUIRE(streams.attach_calls.size() == 1);
    CHECK(streams.attach_calls[0].container == "b");
    CHECK(streams.attach_calls[0].tty);
  }
  SUBCASE("port-forward") {
    auto h = kWsHeaders;
    h["sec-websocket-protocol"] = "SPDY/3.1+portforward.k8s.io";
    HttpResponse r = f.Do(Req("GET", base + "/portforward?ports=8080", h));
    CHECK(r.status == 101);
    CHECK(streams.forwarded_ports == std::vector<int32_t>{8080});
  }
  SUBCASE("no upgrade headers: 400 before asking the node") {
    HttpResponse r = f.Do(Req("POST", base + "/exec?command=ls&stdout=true"));
    CHECK(r.status == 400);
    CHECK(Obj(r.body)["message"] == "Upgrade request required");
    CHECK(streams.exec_calls.empty());
  }
  SUBCASE("the node's error is passed on") {
    streams.url = "";
    struct Failing : FakePodStreams {
      api::Result<std::string> ExecUrl(const streaming::ExecParams&) override {
        return api::Status::NotFound("container \"a\" not found");
      }
    } failing;
    f.handler().SetPodStreams(&failing);
    HttpResponse r = f.Do(Req("GET", base + "/exec?command=ls&stdout=true", kWsHeaders));
    CHECK(r.status == 404);
  }
  SUBCASE("unknown container and bad methods") {
    CHECK(f.Do(Req("GET", base + "/exec?command=ls&stdout=true&container=x", kWsHeaders)).status ==
          400);
    CHECK(f.Do(Req("PUT", base + "/exec?command=ls&stdout=true", kWsHeaders)).status == 405);
  }
}

TEST_CASE("exec into a pod that is not running: 400, the node is not asked") {
  Fixture f;
  FakePodStreams streams;
  f.handler().SetPodStreams(&streams);
  f.MakePod("Pending");
  HttpResponse r = f.Do(
      Req("GET", "/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true", kWsHeaders));
  CHECK(r.status == 400);
  CHECK(Obj(r.body)["message"] == "pod p is not running; current phase is Pending");
  CHECK(streams.exec_calls.empty());
}

TEST_CASE("a WebSocket exec (GET) also needs create on pods/exec") {
  Fixture f({"create"});
  FakePodStreams streams;
  f.handler().SetPodStreams(&streams);
  f.MakePod("Running");
  HttpResponse r =
      f.Do(Req("GET", "/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true", kWsHeaders));
  CHECK(r.status == 403);
  CHECK(Obj(r.body)["message"] ==
        "pods \"p\" is forbidden: User \"admin\" cannot create resource \"pods/exec\" in API "
        "group \"\" in the namespace \"default\"");
  CHECK(streams.exec_calls.empty());
}

TEST_CASE("streaming subresources are never served inline on the I/O threads") {
  CHECK_FALSE(ApiHandler::RunsOnIoThread(Req("GET", "/api/v1/namespaces/default/pods/p/log")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(Req("GET", "/api/v1/namespaces/default/pods/p/exec")));
  CHECK(ApiHandler::RunsOnIoThread(Req("GET", "/api/v1/namespaces/default/pods/p/status")));
}

// ---------------------------------------------------------------------------------------------
// End to end through the HTTP server.

TEST_CASE("kubectl-style WebSocket v5 exec through the API server to a fake containerd") {
  Fixture f;
  streaming::testing::FakeStreamServer containerd(streaming::testing::ExecScript);
  FakePodStreams streams;
  streams.url = containerd.Url();
  f.handler().SetPodStreams(&streams);
  f.MakePod("Running");
  HttpServerOptions opts;
  opts.https_port = -1;
  opts.http_port = 0;
  opts.io_threads = 1;
  opts.worker_threads = 2;
  ApiHandler* h = &f.handler();
  HttpServer server(opts, [h](HttpRequest& req) { return h->Handle(req); });
  REQUIRE(server.Start().ok());

  namespace net = boost::asio;
  namespace beast = boost::beast;
  namespace websocket = beast::websocket;
  net::io_context ioc;
  websocket::stream<net::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"),
                           static_cast<unsigned short>(server.http_port())});
  ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
    req.set(beast::http::field::sec_websocket_protocol, "v5.channel.k8s.io");
  }));
  websocket::response_type res;
  ws.handshake(res, "127.0.0.1",
               "/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=cat"
               "&stdin=true&stdout=true&stderr=true");
  CHECK(res.result_int() == 101);
  CHECK(res[beast::http::field::sec_websocket_protocol] == "v5.channel.k8s.io");
  ws.binary(true);
  ws.write(net::buffer(streaming::EncodeChannelMessage(streaming::kChannelStdin, "tar bytes")));
  ws.ping({});  // kubectl pings every 5 s; the relay answers
  ws.write(net::buffer(streaming::EncodeCloseSignal(streaming::kChannelStdin)));
  std::string out, err, status;
  int close_code = -1;
  for (;;) {
    beast::flat_buffer b;
    beast::error_code ec;
    ws.read(b, ec);
    if (ec) {
      CHECK(ec == websocket::error::closed);
      close_code = ws.reason().code;
      break;
    }
    std::string msg = beast::buffers_to_string(b.data());
    REQUIRE(!msg.empty());
    std::string payload = msg.substr(1);
    switch (msg[0]) {
      case 1: out += payload; break;
      case 2: err += payload; break;
      case 3: status += payload; break;
      default: FAIL("unexpected channel " << int(msg[0]));
    }
  }
  containerd.Join();
  server.Stop();
  CHECK(containerd.error() == "");
  CHECK(out == "out\ngot:tar bytes");
  CHECK(err == "err\n");
  auto st = Obj(status);
  CHECK(st["status"] == "Failure");
  CHECK(st["reason"] == "NonZeroExitCode");
  CHECK(close_code == 1000);
  REQUIRE(streams.exec_calls.size() == 1);
  CHECK(streams.exec_calls[0].cmd == std::vector<std::string>{"sh", "-c", "cat"});
  CHECK(streams.exec_calls[0].stdin);
}

TEST_CASE("repeated request headers reach the handler as one list (SPDY fallback versions)") {
  std::string seen;
  std::mutex mu;
  HttpServerOptions opts;
  opts.https_port = -1;
  opts.http_port = 0;
  opts.io_threads = 1;
  opts.worker_threads = 1;
  HttpServer server(opts, [&](HttpRequest& req) {
    std::lock_guard<std::mutex> l(mu);
    seen = req.Header("x-stream-protocol-version");
    return HttpResponse{};
  });
  REQUIRE(server.Start().ok());
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server.http_port())});
  const std::string req =
      "POST /x HTTP/1.1\r\nHost: x\r\nX-Stream-Protocol-Version: v5.channel.k8s.io\r\n"
      "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  net::write(s, net::buffer(req));
  boost::beast::flat_buffer b;
  boost::beast::http::response<boost::beast::http::string_body> res;
  boost::beast::http::read(s, b, res);
  server.Stop();
  std::lock_guard<std::mutex> l(mu);
  CHECK(seen == "v5.channel.k8s.io, v4.channel.k8s.io");
}

}  // namespace
}  // namespace kc::apiserver

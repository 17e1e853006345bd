#include "pkg/client/http_client.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/request_path.h"

namespace kc::client {
namespace {

using namespace std::chrono_literals;

// ---- A minimal blocking HTTP/1.1 server on 127.0.0.1:0, one thread per connection ----

struct TestRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class Conn {
 public:
  explicit Conn(int fd) : fd_(fd) {}

  bool Write(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  void Respond(int code, const std::string& body, const std::string& ctype = "application/json") {
    Write("HTTP/1.1 " + std::to_string(code) + " X\r\nContent-Type: " + ctype +
          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  void StartChunked(int code) {
    Write("HTTP/1.1 " + std::to_string(code) +
          " X\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  }
  void Chunk(const std::string& data) {
    char size[32];
    snprintf(size, sizeof(size), "%zx\r\n", data.size());
    Write(size + data + "\r\n");
  }
  void EndChunked() { Write("0\r\n\r\n"); }
  // Waits until the client closes the connection (true) or `timeout` passes (false).
  bool WaitClientClose(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) {
        char buf[256];
        if (::recv(fd_, buf, sizeof(buf), 0) <= 0) return true;
      }
    }
    return false;
  }
  void Close() { closed_ = true; }
  bool closed() const { return closed_; }

 private:
  int fd_;
  bool closed_ = false;
};

class TestServer {
 public:
  using Handler = std::function<void(const TestRequest&, Conn&)>;

  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listen_fd_ >= 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    REQUIRE(::listen(listen_fd_, 64) == 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    accept_thread_.join();
    {
      std::lock_guard<std::mutex> l(mu_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : conn_threads_) t.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<TestRequest> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }
  TestRequest last() {
    std::lock_guard<std::mutex> l(mu_);
    REQUIRE_FALSE(requests_.empty());
    return requests_.back();
  }
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      connections_++;
      std::lock_guard<std::mutex> l(mu_);
      open_fds_.push_back(fd);
      conn_threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Reads one request; false when the peer closed or sent garbage.
  static bool ReadRequest(int fd, std::string& buf, TestRequest* req) {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      char tmp[4096];
      ssize_t n = ::recv(fd, tmp, sizeof(tmp), 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<size_t>(n));
    }
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string line = head.substr(0, line_end);
    size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) return false;
    req->method = line.substr(0, sp1);
    req->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t pos = line_end;
    while (pos != std::string::npos && pos < head.size()) {
      size_t next = head.find("\r\n", pos + 2);
      std::string h = head.substr(pos + 2, next == std::string::npos ? std::string::npos
                                                                     : next - pos - 2);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        for (char& c : name) c = static_cast<char>(tolower(c));
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value[0] == ' ') value.erase(0, 1);
        req->headers[name] = value;
      }
      pos = next;
    }
    size_t length = 0;
    if (auto it = req->headers.find("content-length"); it != req->headers.end()) {
      length = std::stoul(it->second);
    }
    while (buf.size() < length) {
      char tmp[4096];
      ssize_t n = ::recv(fd, tmp, sizeof(tmp), 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<size_t>(n));
    }
    req->body = buf.substr(0, length);
    buf.erase(0, length);
    return true;
  }

  void Serve(int fd) {
    std::string buf;
    Conn conn(fd);
    TestRequest req;
    while (!conn.closed() && ReadRequest(fd, buf, &req)) {
      {
        std::lock_guard<std::mutex> l(mu_);
        requests_.push_back(req);
      }
      handler_(req, conn);
      req = TestRequest();
    }
    ::close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<TestRequest> requests_;
  std::vector<std::thread> conn_threads_;
  std::vector<int> open_fds_;
};

HttpClientConfig ConfigFor(const TestServer& s) {
  HttpClientConfig c;
  c.server = s.url();
  c.bearer_token = "sekret";
  c.timeout = 5s;
  return c;
}

const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kDeployments{"apps", "v1", "deployments"};

Object Json(const char* text) { return boost::json::parse(text).as_object(); }

void EchoOk(const TestRequest& req, Conn& c) {
  c.Respond(200, R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"web"}})");
}

TEST_CASE("HttpClient builds resource paths and sends auth and accept headers") {
  TestServer server(&EchoOk);
  HttpClient client(ConfigFor(server));

  SUBCASE("get in a namespace") {
    api::Result<Object> r = client.Get(kPods, "default", "web");
    REQUIRE(r.ok());
    CHECK(r->at("kind").as_string() == "Pod");
    TestRequest req = server.last();
    CHECK(req.method == "GET");
    CHECK(req.target == "/api/v1/namespaces/default/pods/web");
    CHECK(req.Header("authorization") == "Bearer sekret");
    CHECK(req.Header("accept") == "application/json");
    CHECK(req.Header("user-agent") == "kcluster");
  }
  SUBCASE("named group with a subresource") {
    REQUIRE(client.Get(kDeployments, "ns1", "d", "status").ok());
    CHECK(server.last().target == "/apis/apps/v1/namespaces/ns1/deployments/d/status");
  }
  SUBCASE("cluster-scoped ignores the namespace") {
    REQUIRE(client.Get(kNodes, "default", "n1").ok());
    CHECK(server.last().target == "/api/v1/nodes/n1");
  }
  SUBCASE("an empty name is refused without a request") {
    api::Result<Object> r = client.Get(kPods, "default", "");
    CHECK(r.status().reason() == api::Reason::kBadRequest);
    CHECK(server.requests().empty());
  }
}

TEST_CASE("HttpClient list query strings and list decoding") {
  TestServer server([](const TestRequest& req, Conn& c) {
    c.Respond(200, R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"42",
                   "continue":"next"},"items":[{"metadata":{"name":"a"}},
                   {"kind":"Pod","metadata":{"name":"b"}}]})");
  });
  HttpClient client(ConfigFor(server));
  ListOptions o;
  o.label_selector = "app=web,tier in (a,b)";
  o.field_selector = "spec.nodeName=n1";
  o.limit = 500;
  o.continue_token = "tok";
  api::Result<ObjectList> r = client.List(kPods, "", o);
  REQUIRE(r.ok());
  CHECK(server.last().target ==
        "/api/v1/pods?continue=tok&fieldSelector=spec.nodeName%3Dn1&labelSelector=app%3Dweb%2C"
        "tier%20in%20%28a%2Cb%29&limit=500");
  CHECK(r->resource_version == "42");
  CHECK(r->continue_token == "next");
  REQUIRE(r->items.size() == 2);
  CHECK(r->items[0].at("kind").as_string() == "Pod");
  CHECK(r->items[0].at("apiVersion").as_string() == "v1");

  ListOptions rv;
  rv.resource_version = "0";
  REQUIRE(client.List(kDeployments, "ns1", rv).ok());
  CHECK(server.last().target == "/apis/apps/v1/namespaces/ns1/deployments?resourceVersion=0");
}

TEST_CASE("HttpClient writes: methods, bodies, content types and query parameters") {
  TestServer server(&EchoOk);
  HttpClient client(ConfigFor(server));

  SUBCASE("create takes the namespace from the object") {
    WriteOptions w;
    w.field_manager = "kubectl-create";
    w.dry_run = true;
    REQUIRE(client.Create(kPods, "", Json(R"({"metadata":{"name":"web","namespace":"ns2"}})"), w).ok());
    TestRequest req = server.last();
    CHECK(req.method == "POST");
    CHECK(req.target == "/api/v1/namespaces/ns2/pods?dryRun=All&fieldManager=kubectl-create");
    CHECK(req.Header("content-type") == "application/json");
    CHECK(boost::json::parse(req.body).at("metadata").at("name").as_string() == "web");
  }
  SUBCASE("create on a subresource posts to the named object") {
    WriteOptions w;
    w.subresource = "binding";
    REQUIRE(client.Create(kPods, "default",
                          Json(R"({"kind":"Binding","metadata":{"name":"web"},"target":{"name":"n1"}})"),
                          w).ok());
    CHECK(server.last().target == "/api/v1/namespaces/default/pods/web/binding");
  }
  SUBCASE("update puts to the object") {
    WriteOptions w;
    w.subresource = "status";
    REQUIRE(client.Update(kDeployments, "ns1",
                          Json(R"({"metadata":{"name":"d","resourceVersion":"7"}})"), w).ok());
    TestRequest req = server.last();
    CHECK(req.method == "PUT");
    CHECK(req.target == "/apis/apps/v1/namespaces/ns1/deployments/d/status");
    CHECK(boost::json::parse(req.body).at("metadata").at("resourceVersion").as_string() == "7");
  }
  SUBCASE("patch content types") {
    struct Case {
      PatchType type;
      const char* content_type;
      const char* query;
    };
    const Case cases[] = {
        {PatchType::kJson, "application/json-patch+json", "?fieldManager=m"},
        {PatchType::kMerge, "application/merge-patch+json", "?fieldManager=m"},
        {PatchType::kStrategicMerge, "application/strategic-merge-patch+json", "?fieldManager=m"},
        {PatchType::kApply, "application/apply-patch+yaml", "?fieldManager=m&force=true"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.content_type);
      PatchOptions p;
      p.field_manager = "m";
      p.force = true;
      REQUIRE(client.Patch(kPods, "default", "web", c.type, R"({"x":1})", p).ok());
      TestRequest req = server.last();
      CHECK(req.method == "PATCH");
      CHECK(req.Header("content-type") == c.content_type);
      CHECK(req.target == std::string("/api/v1/namespaces/default/pods/web") + c.query);
      CHECK(req.body == R"({"x":1})");
    }
  }
  SUBCASE("patch on a subresource with dry run") {
    PatchOptions p;
    p.subresource = "scale";
    p.dry_run = true;
    REQUIRE(client.Patch(kDeployments, "ns1", "d", PatchType::kMerge, "{}", p).ok());
    CHECK(server.last().target == "/apis/apps/v1/namespaces/ns1/deployments/d/scale?dryRun=All");
  }
  SUBCASE("delete sends DeleteOptions") {
    DeleteOptions d;
    d.grace_period_seconds = 0;
    d.propagation_policy = "Foreground";
    d.precondition_uid = "u-1";
    d.precondition_resource_version = "9";
    d.dry_run = true;
    REQUIRE(client.Delete(kPods, "default", "web", d).ok());
    TestRequest req = server.last();
    CHECK(req.method == "DELETE");
    CHECK(req.target == "/api/v1/namespaces/default/pods/web");
    CHECK(req.Header("content-type") == "application/json");
    boost::json::value body = boost::json::parse(req.body);
    CHECK(body.at("gracePeriodSeconds").as_int64() == 0);
    CHECK(body.at("propagationPolicy").as_string() == "Foreground");
    CHECK(body.at("preconditions").at("uid").as_string() == "u-1");
    CHECK(body.at("preconditions").at("resourceVersion").as_string() == "9");
    CHECK(body.at("dryRun").as_array().size() == 1);
    CHECK(body.at("dryRun").as_array()[0].as_string() == "All");
  }
  SUBCASE("delete with default options sends no body") {
    REQUIRE(client.Delete(kNodes, "", "n1").ok());
    TestRequest req = server.last();
    CHECK(req.target == "/api/v1/nodes/n1");
    CHECK(req.body.empty());
  }
}

TEST_CASE("HttpClient turns error responses into Status values") {
  struct Case {
    int code;
    std::string body;
    api::Reason reason;
    std::string message;
  };
  const Case cases[] = {
      {404, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
               "message":"pods \"web\" not found","reason":"NotFound",
               "details":{"name":"web","kind":"pods"},"code":404})",
       api::Reason::kNotFound, "pods \"web\" not found"},
      {409, R"({"kind":"Status","status":"Failure","message":"exists","reason":"AlreadyExists","code":409})",
       api::Reason::kAlreadyExists, "exists"},
      {409, R"({"kind":"Status","status":"Failure","message":"changed","reason":"Conflict","code":409})",
       api::Reason::kConflict, "changed"},
      {410, R"({"kind":"Status","status":"Failure","message":"too old","reason":"Expired","code":410})",
       api::Reason::kExpired, "too old"},
      {403, R"({"kind":"Status","status":"Failure","message":"no","code":403})",
       api::Reason::kForbidden, "no"},
      {500, "oops not json", api::Reason::kInternalError,
       "the server responded with HTTP 500: oops not json"},
      {503, "", api::Reason::kServiceUnavailable, "the server responded with HTTP 503"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.code);
    CAPTURE(c.body);
    TestServer server([&](const TestRequest&, Conn& conn) { conn.Respond(c.code, c.body); });
    HttpClient client(ConfigFor(server));
    api::Result<Object> r = client.Get(kPods, "default", "web");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == c.reason);
    CHECK(r.status().message() == c.message);
  }
}

TEST_CASE("HttpClient decodes Status details and causes") {
  TestServer server([](const TestRequest&, Conn& conn) {
    conn.Respond(422, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
      "message":"Pod \"x\" is invalid: spec.containers: Required value","reason":"Invalid",
      "details":{"name":"x","kind":"Pod","uid":"u1","retryAfterSeconds":3,"causes":[
        {"reason":"FieldValueRequired","message":"Required value","field":"spec.containers"},
        {"reason":"FieldValueInvalid","message":"bad","field":"metadata.name"}]},"code":422})");
  });
  HttpClient client(ConfigFor(server));
  api::Result<Object> r = client.Create(kPods, "default", Json(R"({"metadata":{"name":"x"}})"));
  REQUIRE_FALSE(r.ok());
  const api::Status& st = r.status();
  CHECK(st.reason() == api::Reason::kInvalid);
  CHECK(st.details().name == "x");
  CHECK(st.details().kind == "Pod");
  CHECK(st.details().uid == "u1");
  CHECK(st.details().retry_after_seconds == 3);
  REQUIRE(st.details().causes.size() == 2);
  CHECK(st.details().causes[0].reason == "FieldValueRequired");
  CHECK(st.details().causes[0].field == "spec.containers");
  CHECK(st.details().causes[1].message == "bad");
}

TEST_CASE("HttpClient raw Request returns body and code; transport errors are Unavailable") {
  TestServer server([](const TestRequest& req, Conn& c) { c.Respond(418, "teapot", "text/plain"); });
  HttpClient client(ConfigFor(server));
  int code = 0;
  api::Result<std::string> r = client.Request("GET", "/healthz", "", "", &code);
  REQUIRE(r.ok());
  CHECK(code == 418);
  CHECK(*r == "teapot");

  // A port nobody listens on (bind one, close it).
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  HttpClientConfig cfg;
  cfg.server = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  HttpClient dead(cfg);
  api::Result<Object> g = dead.Get(kPods, "default", "web");
  REQUIRE_FALSE(g.ok());
  CHECK(g.status().reason() == api::Reason::kServiceUnavailable);
  api::Result<std::unique_ptr<WatchStream>> w = dead.Watch(kPods, "", ListOptions{});
  REQUIRE_FALSE(w.ok());
  CHECK(w.status().reason() == api::Reason::kServiceUnavailable);
}

TEST_CASE("HttpClient reuses connections and is safe from many threads") {
  TestServer server(&EchoOk);
  HttpClient client(ConfigFor(server));
  for (int i = 0; i < 5; ++i) REQUIRE(client.Get(kPods, "default", "web").ok());
  CHECK(server.connections() == 1);

  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (client.Get(kPods, "default", "web").ok()) ok++;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok.load() == 160);
  CHECK(server.connections() <= 9);
}

std::string Event(const char* type, const char* name, const char* rv) {
  return std::string(R"({"type":")") + type + R"(","object":{"kind":"Pod","metadata":{"name":")" +
         name + R"(","resourceVersion":")" + rv + R"("}}})";
}

TEST_CASE("HttpClient watch parses events split across chunks") {
  TestServer server([](const TestRequest& req, Conn& c) {
    c.StartChunked(200);
    std::string e1 = Event("ADDED", "a", "11") + "\n";
    c.Chunk(e1.substr(0, 5));
    std::this_thread::sleep_for(5ms);
    c.Chunk(e1.substr(5, 20));
    c.Chunk(e1.substr(25));
    // Two events in one chunk, the second without a newline separator before the third.
    c.Chunk(Event("MODIFIED", "a", "12") + "\n" + Event("DELETED", "a", "13"));
    c.Chunk(R"({"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"20"}}})"
            "\n");
    c.EndChunked();
  });
  HttpClient client(ConfigFor(server));
  ListOptions o;
  o.resource_version = "10";
  o.allow_bookmarks = true;
  o.timeout_seconds = 400;
  o.label_selector = "app=web";
  auto r = client.Watch(kPods, "default", o);
  REQUIRE(r.ok());
  CHECK(server.last().target ==
        "/api/v1/namespaces/default/pods?allowWatchBookmarks=true&labelSelector=app%3Dweb&"
        "resourceVersion=10&timeoutSeconds=400&watch=true");
  WatchStream& s = **r;
  std::vector<std::pair<WatchEventType, std::string>> got;
  while (!s.ended()) {
    WatchEvent ev;
    if (s.Next(&ev, 2000)) {
      got.emplace_back(ev.type, std::string(ev.object.at("metadata").at("resourceVersion").as_string()));
    }
  }
  std::vector<std::pair<WatchEventType, std::string>> want = {
      {WatchEventType::kAdded, "11"},
      {WatchEventType::kModified, "12"},
      {WatchEventType::kDeleted, "13"},
      {WatchEventType::kBookmark, "20"}};
  CHECK(got == want);
  CHECK(s.status().ok());
}

TEST_CASE("HttpClient watch ends with Expired on a 410 ERROR event") {
  TestServer server([](const TestRequest& req, Conn& c) {
    c.StartChunked(200);
    c.Chunk(Event("ADDED", "a", "11") + "\n");
    c.Chunk(R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},)"
            R"j("status":"Failure","message":"too old resource version: 5 (11)","reason":"Expired",)j"
            R"("code":410}})" "\n");
    c.WaitClientClose(2s);
    c.Close();
  });
  HttpClient client(ConfigFor(server));
  auto r = client.Watch(kPods, "", ListOptions{});
  REQUIRE(r.ok());
  WatchStream& s = **r;
  WatchEvent ev;
  REQUIRE(s.Next(&ev, 2000));
  CHECK(ev.type == WatchEventType::kAdded);
  REQUIRE(s.Next(&ev, 2000));
  CHECK(ev.type == WatchEventType::kError);
  CHECK_FALSE(s.Next(&ev, 50));
  CHECK(s.ended());
  CHECK(s.status().reason() == api::Reason::kExpired);
  CHECK(s.status().message() == "too old resource version: 5 (11)");
}

TEST_CASE("HttpClient watch with an HTTP 410 fails the Watch call") {
  TestServer server([](const TestRequest& req, Conn& c) {
    c.Respond(410, R"({"kind":"Status","status":"Failure","message":"gone","reason":"Expired","code":410})");
  });
  HttpClient client(ConfigFor(server));
  auto r = client.Watch(kPods, "", ListOptions{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == api::Reason::kExpired);
  CHECK(r.status().message() == "gone");
}

TEST_CASE("HttpClient watch Stop aborts an idle stream promptly") {
  std::atomic<bool> client_closed{false};
  TestServer server([&](const TestRequest& req, Conn& c) {
    c.StartChunked(200);
    c.Chunk(Event("ADDED", "a", "1") + "\n");
    client_closed = c.WaitClientClose(5s);
    c.Close();
  });
  HttpClient client(ConfigFor(server));
  auto r = client.Watch(kPods, "", ListOptions{});
  REQUIRE(r.ok());
  std::unique_ptr<WatchStream> s = std::move(*r);
  WatchEvent ev;
  REQUIRE(s->Next(&ev, 2000));
  CHECK_FALSE(s->Next(&ev, 50));  // idle
  CHECK_FALSE(s->ended());
  std::atomic<bool> woke{false};
  std::thread reader([&] {
    WatchEvent e;
    s->Next(&e, 10000);
    woke = true;
  });
  std::this_thread::sleep_for(20ms);
  auto t0 = std::chrono::steady_clock::now();
  s->Stop();
  reader.join();
  CHECK(woke.load());
  CHECK(s->ended());
  s.reset();  // joins the transfer thread
  CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
  for (int i = 0; i < 100 && !client_closed; ++i) std::this_thread::sleep_for(10ms);
  CHECK(client_closed.load());
}

TEST_CASE("HttpClient watch reports a malformed event stream") {
  TestServer server([](const TestRequest& req, Conn& c) {
    c.StartChunked(200);
    c.Chunk(Event("ADDED", "a", "1") + "\n");
    c.Chunk("{\"type\":\"ADDED\",\"object\":[1,2]}\n");
    c.EndChunked();
  });
  HttpClient client(ConfigFor(server));
  auto r = client.Watch(kPods, "", ListOptions{});
  REQUIRE(r.ok());
  WatchStream& s = **r;
  WatchEvent ev;
  REQUIRE(s.Next(&ev, 2000));
  CHECK_FALSE(s.Next(&ev, 2000));
  CHECK(s.ended());
  CHECK(s.status().reason() == api::Reason::kInternalError);

  TestServer garbage([](const TestRequest& req, Conn& c) {
    c.StartChunked(200);
    c.Chunk("{not json at all\n");
    c.EndChunked();
  });
  HttpClient client2(ConfigFor(garbage));
  auto r2 = client2.Watch(kPods, "", ListOptions{});
  REQUIRE(r2.ok());
  CHECK_FALSE((*r2)->Next(&ev, 2000));
  CHECK((*r2)->ended());
  CHECK((*r2)->status().reason() == api::Reason::kInternalError);
}

TEST_CASE("PercentEncode and ResourcePath") {
  CHECK(PercentEncode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(PercentEncode("a=b,c d/e") == "a%3Db%2Cc%20d%2Fe");
  CHECK(ResourcePath(kPods, "", "") == "/api/v1/pods");
  CHECK(ResourcePath({"", "v1", "namespaces"}, "", "kube-system") == "/api/v1/namespaces/kube-system");
  CHECK(ResourcePath({"example.com", "v1", "widgets"}, "ns", "w", "status") ==
        "/apis/example.com/v1/namespaces/ns/widgets/w/status");
  CHECK(ResourcePath({"example.com", "v1", "widgets"}, "", "w") == "/apis/example.com/v1/widgets/w");
}

}  // namespace
}  // namespace kc::client

#include "pkg/kubelet/volumes.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pkg/client/fake_client.h"
#include "pkg/kubelet/cri/fake_runtime.h"
#include "pkg/kubelet/handler_runner.h"
#include "pkg/kubelet/net_check.h"

namespace kc::kubelet {
namespace {

std::string Read(const std::string& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/kc-vol-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

TEST_CASE("volume setup") {
  TempDir tmp;
  client::FakeClient client;
  REQUIRE(client.Seed({"", "v1", "secrets"}, json::parse(R"({"metadata":{"name":"s","namespace":"ns"},
      "data":{"user":"YWRtaW4=","pass":"cGF0"}})").as_object()).ok());
  VolumeManager vm(client, tmp.path + "/agent");
  ConfigSource config(client);
  std::string host_dir = tmp.path + "/host/made";
  json::object pod = json::parse(R"({"metadata":{"name":"p","namespace":"ns","uid":"u1",
      "labels":{"b":"2","a":"1"}},
      "spec":{"containers":[{"name":"c","resources":{"limits":{"memory":"1Gi"}}}],"volumes":[
        {"name":"hp","hostPath":{"path":")" + host_dir + R"(","type":"DirectoryOrCreate"}},
        {"name":"sec","secret":{"secretName":"s","defaultMode":256,
                                "items":[{"key":"user","path":"creds/user","mode":384}]}},
        {"name":"down","downwardAPI":{"items":[
            {"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},
            {"path":"name","fieldRef":{"fieldPath":"metadata.name"}},
            {"path":"mem","resourceFieldRef":{"containerName":"c","resource":"limits.memory","divisor":"1Mi"}}]}},
        {"name":"proj","projected":{"sources":[
            {"secret":{"name":"s","items":[{"key":"pass","path":"pw"}]}},
            {"downwardAPI":{"items":[{"path":"ns","fieldRef":{"fieldPath":"metadata.namespace"}}]}}]}}]}})")
                         .as_object();
  EnvContext ctx;
  ctx.pod = &pod;
  auto paths = vm.SetupPodVolumes(pod, config, ctx);
  REQUIRE(paths.ok());
  CHECK(paths->at("hp") == host_dir);
  CHECK(std::filesystem::is_directory(host_dir));
  std::string sec = paths->at("sec");
  CHECK(sec == tmp.path + "/agent/pods/u1/volumes/kubernetes.io~secret/sec");
  CHECK(Read(sec + "/creds/user") == "admin");
  CHECK(!std::filesystem::exists(sec + "/pass"));
  struct stat st;
  REQUIRE(::stat((sec + "/creds/user").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string down = paths->at("down");
  CHECK(Read(down + "/labels") == "a=\"1\"\nb=\"2\"");
  CHECK(Read(down + "/name") == "p");
  CHECK(Read(down + "/mem") == "1024");
  CHECK(Read(paths->at("proj") + "/pw") == "pat");
  CHECK(Read(paths->at("proj") + "/ns") == "ns");

  SUBCASE("mounts: subPath, readOnly, propagation") {
    json::object c = json::parse(R"({"name":"c","volumeMounts":[
        {"name":"hp","mountPath":"/data","subPath":"sub/dir","readOnly":true},
        {"name":"down","mountPath":"/etc/podinfo","mountPropagation":"HostToContainer"}]})")
                         .as_object();
    auto mounts = ContainerMounts(c, *paths, {});
    REQUIRE(mounts.ok());
    REQUIRE(mounts->size() == 2);
    CHECK((*mounts)[0].host_path() == host_dir + "/sub/dir");
    CHECK(std::filesystem::is_directory(host_dir + "/sub/dir"));
    CHECK((*mounts)[0].readonly());
    CHECK((*mounts)[1].propagation() == cri::v1::PROPAGATION_HOST_TO_CONTAINER);
    json::object bad = json::parse(R"({"name":"c","volumeMounts":[
        {"name":"hp","mountPath":"/x","subPath":"../../etc"}]})").as_object();
    CHECK(!ContainerMounts(bad, *paths, {}).ok());
    json::object missing = json::parse(R"({"name":"c","volumeMounts":[
        {"name":"nope","mountPath":"/x"}]})").as_object();
    CHECK(!ContainerMounts(missing, *paths, {}).ok());
    json::object expr = json::parse(R"J({"name":"c","volumeMounts":[
        {"name":"hp","mountPath":"/x","subPathExpr":"$(POD)"}]})J").as_object();
    auto em = ContainerMounts(expr, *paths, {{"POD", "p1"}});
    REQUIRE(em.ok());
    CHECK((*em)[0].host_path() == host_dir + "/p1");
  }
  SUBCASE("cleanup removes the pod directory") {
    REQUIRE(vm.CleanupPod("u1").ok());
    CHECK(!std::filesystem::exists(tmp.path + "/agent/pods/u1"));
    CHECK(std::filesystem::exists(host_dir));
  }
}

TEST_CASE("volume setup failures") {
  TempDir tmp;
  client::FakeClient client;
  VolumeManager vm(client, tmp.path);
  ConfigSource config(client);
  EnvContext ctx;
  auto setup = [&](const std::string& volumes) {
    json::object pod = json::parse(R"({"metadata":{"name":"p","namespace":"ns","uid":"u"},
        "spec":{"volumes":)" + volumes + "}}").as_object();
    ctx.pod = &pod;
    return vm.SetupPodVolumes(pod, config, ctx);
  };
  auto r = setup(R"([{"name":"d","hostPath":{"path":"/nonexistent/kc","type":"Directory"}}])");
  REQUIRE(!r.ok());
  CHECK(r.status().message() ==
        "MountVolume.SetUp failed for volume \"d\" : hostPath type check failed: /nonexistent/kc "
        "is not a directory");
  r = setup(R"([{"name":"cm","configMap":{"name":"missing"}}])");
  REQUIRE(!r.ok());
  CHECK(r.status().message() ==
        "MountVolume.SetUp failed for volume \"cm\" : configmap \"missing\" not found");
  r = setup(R"([{"name":"cm","configMap":{"name":"missing","optional":true}}])");
  CHECK(r.ok());
  r = setup(R"([{"name":"x","nfs":{"server":"s","path":"/"}}])");
  CHECK(!r.ok());
}

// A one-shot HTTP server on 127.0.0.1:<port> answering with `status`.
struct TinyHttp {
  explicit TinyHttp(int status) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    ::listen(fd, 4);
    thread = std::thread([this, status] {
      int c = ::accept(fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[2048];
      ssize_t n = ::recv(c, buf, sizeof(buf), 0);
      request.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
      std::string resp = "HTTP/1.0 " + std::to_string(status) + " X\r\nContent-Length: 2\r\n\r\nok";
      ::send(c, resp.data(), resp.size(), 0);
      ::close(c);
    });
  }
  ~TinyHttp() {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    if (thread.joinable()) thread.join();
  }
  int fd = -1;
  int port = 0;
  std::string request;
  std::thread thread;
};

TEST_CASE("probe handlers: http, tcp, exec") {
  cri::FakeRuntime runtime;
  json::object container = json::parse(R"({"name":"c","ports":[{"name":"web","containerPort":8080}]})")
                               .as_object();
  HandlerTarget target{nullptr, &container, "cid", "127.0.0.1"};
  CHECK(ResolvePort(json::value("web"), container) == 8080);
  CHECK(ResolvePort(json::value(81), container) == 81);
  CHECK(ResolvePort(json::value("nope"), container) == -1);
  {
    TinyHttp server(204);
    json::object h = json::parse(R"({"httpGet":{"path":"/healthz","port":)" +
                                 std::to_string(server.port) +
                                 R"(,"httpHeaders":[{"name":"X-Probe","value":"1"}]}})")
                         .as_object();
    std::string out;
    CHECK(RunHandler(runtime, h, target, 2, &out) == HandlerResult::kSuccess);
    server.thread.join();
    CHECK(server.request.find("GET /healthz") == 0);
    CHECK(server.request.find("X-Probe: 1") != std::string::npos);
    CHECK(server.request.find("kube-probe/1.32") != std::string::npos);
  }
  {
    TinyHttp server(500);
    json::object h = json::parse(R"({"httpGet":{"path":"/","port":)" +
                                 std::to_string(server.port) + "}}")
                         .as_object();
    CHECK(RunHandler(runtime, h, target, 2, nullptr) == HandlerResult::kFailure);
  }
  {
    TinyHttp server(200);
    json::object h = json::parse(R"({"tcpSocket":{"port":)" + std::to_string(server.port) + "}}")
                         .as_object();
    CHECK(RunHandler(runtime, h, target, 2, nullptr) == HandlerResult::kSuccess);
    CHECK(TcpConnect("127.0.0.1", 1, 500).reason() != api::Reason::kOk);
  }
  json::object exec = json::parse(R"({"exec":{"command":["x"]}})").as_object();
  CHECK(RunHandler(runtime, exec, target, 1, nullptr) == HandlerResult::kError);  // unknown id
  json::object none = json::parse(R"({"grpc":{"port":1}})").as_object();
  CHECK(RunHandler(runtime, none, target, 1, nullptr) == HandlerResult::kError);
}

}  // namespace
}  // namespace kc::kubelet

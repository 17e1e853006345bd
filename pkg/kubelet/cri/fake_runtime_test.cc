#include "pkg/kubelet/cri/fake_runtime.h"

#include <atomic>
#include <thread>

#include <doctest/doctest.h>

namespace kc::cri {
namespace {

// A manual clock: starts at 1000 s and advances 1 ms per reading.
struct TestClock {
  std::shared_ptr<std::atomic<int64_t>> now = std::make_shared<std::atomic<int64_t>>(1'000'000'000'000);
  FakeRuntime::Clock fn() {
    auto n = now;
    return [n] { return n->fetch_add(1'000'000) + 1'000'000; };
  }
};

v1::PodSandboxConfig SandboxConfig(const std::string& name, const std::string& app = "web") {
  v1::PodSandboxConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_metadata()->set_namespace_("default");
  c.mutable_metadata()->set_uid("uid-" + name);
  c.set_log_directory("/var/log/pods/default_" + name + "_uid-" + name);
  (*c.mutable_labels())["io.kubernetes.pod.name"] = name;
  (*c.mutable_labels())["app"] = app;
  (*c.mutable_annotations())["note"] = "x";
  return c;
}

std::string RunSandbox(FakeRuntime& rt, const v1::PodSandboxConfig& config) {
  v1::RunPodSandboxRequest req;
  *req.mutable_config() = config;
  auto resp = rt.RunPodSandbox(req);
  REQUIRE_MESSAGE(resp.ok(), resp.status().message());
  return resp->pod_sandbox_id();
}

api::Result<std::string> Create(FakeRuntime& rt, const std::string& sandbox_id,
                                const v1::PodSandboxConfig& sandbox_config, const std::string& name,
                                const std::string& image = "busybox:1.35") {
  v1::CreateContainerRequest req;
  req.set_pod_sandbox_id(sandbox_id);
  req.mutable_config()->mutable_metadata()->set_name(name);
  req.mutable_config()->mutable_image()->set_image(image);
  req.mutable_config()->set_log_path(name + "/0.log");
  (*req.mutable_config()->mutable_labels())["io.kubernetes.container.name"] = name;
  *req.mutable_sandbox_config() = sandbox_config;
  auto resp = rt.CreateContainer(req);
  if (!resp.ok()) return resp.status();
  return resp->container_id();
}

v1::ContainerStatus StatusOf(FakeRuntime& rt, const std::string& id) {
  v1::ContainerStatusRequest req;
  req.set_container_id(id);
  auto resp = rt.ContainerStatus(req);
  REQUIRE_MESSAGE(resp.ok(), resp.status().message());
  return resp->status();
}

api::Status Start(FakeRuntime& rt, const std::string& id) {
  v1::StartContainerRequest req;
  req.set_container_id(id);
  return rt.StartContainer(req);
}

TEST_CASE("FakeRuntime: sandbox lifecycle") {
  TestClock clock;
  FakeRuntime rt(clock.fn());
  auto config = SandboxConfig("nginx");
  std::string id = RunSandbox(rt, config);
  CHECK(id.size() == 64);

  v1::PodSandboxStatusRequest sreq;
  sreq.set_pod_sandbox_id(id);
  auto status = rt.PodSandboxStatus(sreq);
  REQUIRE(status.ok());
  CHECK(status->status().id() == id);
  CHECK(status->status().state() == v1::SANDBOX_READY);
  CHECK(status->status().metadata().name() == "nginx");
  CHECK(status->status().created_at() > 1'000'000'000'000);
  CHECK_FALSE(status->status().network().ip().empty());
  CHECK(status->status().labels().at("app") == "web");
  CHECK(status->status().annotations().at("note") == "x");

  SUBCASE("same name and attempt cannot be run twice; a new attempt can") {
    v1::RunPodSandboxRequest again;
    *again.mutable_config() = config;
    auto dup = rt.RunPodSandbox(again);
    CHECK_FALSE(dup.ok());
    CHECK(dup.status().message().find("failed to reserve sandbox name") != std::string::npos);
    again.mutable_config()->mutable_metadata()->set_attempt(1);
    CHECK(rt.RunPodSandbox(again).ok());
  }
  SUBCASE("unknown runtime handler") {
    v1::RunPodSandboxRequest req;
    *req.mutable_config() = SandboxConfig("other");
    req.set_runtime_handler("kata");
    CHECK_FALSE(rt.RunPodSandbox(req).ok());
  }
  SUBCASE("host network pods get no IP") {
    auto host = SandboxConfig("hostnet");
    host.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_network(
        v1::NODE);
    std::string hid = RunSandbox(rt, host);
    v1::PodSandboxStatusRequest r;
    r.set_pod_sandbox_id(hid);
    auto s = rt.PodSandboxStatus(r);
    REQUIRE(s.ok());
    CHECK(s->status().network().ip().empty());
    CHECK(s->status().linux().namespaces().options().network() == v1::NODE);
  }
  SUBCASE("stop, then remove; both idempotent where containerd is") {
    v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(id);
    CHECK(rt.StopPodSandbox(stop).ok());
    CHECK(rt.StopPodSandbox(stop).ok());
    auto after = rt.PodSandboxStatus(sreq);
    REQUIRE(after.ok());
    CHECK(after->status().state() == v1::SANDBOX_NOTREADY);
    CHECK(after->status().network().ip().empty());

    v1::RemovePodSandboxRequest rm;
    rm.set_pod_sandbox_id(id);
    CHECK(rt.RemovePodSandbox(rm).ok());
    CHECK(rt.RemovePodSandbox(rm).ok());  // unknown → OK
    auto gone = rt.PodSandboxStatus(sreq);
    CHECK(gone.status().reason() == api::Reason::kNotFound);
    stop.set_pod_sandbox_id("nope");
    CHECK(rt.StopPodSandbox(stop).reason() == api::Reason::kNotFound);
  }
}

TEST_CASE("FakeRuntime: ListPodSandbox filters") {
  FakeRuntime rt;
  std::string a = RunSandbox(rt, SandboxConfig("a", "web"));
  std::string b = RunSandbox(rt, SandboxConfig("b", "db"));
  std::string c = RunSandbox(rt, SandboxConfig("c", "web"));
  v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(c);
  REQUIRE(rt.StopPodSandbox(stop).ok());

  auto list = [&](const v1::PodSandboxFilter& f) {
    v1::ListPodSandboxRequest req;
    *req.mutable_filter() = f;
    auto resp = rt.ListPodSandbox(req);
    REQUIRE(resp.ok());
    std::vector<std::string> ids;
    for (const auto& item : resp->items()) ids.push_back(item.id());
    return ids;
  };
  v1::PodSandboxFilter f;
  CHECK(list(f) == std::vector<std::string>{a, b, c});  // creation order
  SUBCASE("by id") {
    f.set_id(b);
    CHECK(list(f) == std::vector<std::string>{b});
    f.set_id(b.substr(0, 12));  // exact match only
    CHECK(list(f).empty());
  }
  SUBCASE("by state") {
    f.mutable_state()->set_state(v1::SANDBOX_READY);
    CHECK(list(f) == std::vector<std::string>{a, b});
    f.mutable_state()->set_state(v1::SANDBOX_NOTREADY);
    CHECK(list(f) == std::vector<std::string>{c});
  }
  SUBCASE("by labels (AND of exact matches)") {
    (*f.mutable_label_selector())["app"] = "web";
    CHECK(list(f) == std::vector<std::string>{a, c});
    (*f.mutable_label_selector())["io.kubernetes.pod.name"] = "c";
    CHECK(list(f) == std::vector<std::string>{c});
    (*f.mutable_label_selector())["app"] = "db";
    CHECK(list(f).empty());
  }
}

TEST_CASE("FakeRuntime: container lifecycle") {
  TestClock clock;
  FakeRuntime rt(clock.fn());
  auto sconfig = SandboxConfig("pod");
  std::string sid = RunSandbox(rt, sconfig);

  SUBCASE("CreateContainer never pulls: image must be local") {
    auto r = Create(rt, sid, sconfig, "app");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kNotFound);
    CHECK(r.status().message() == "failed to resolve image \"busybox:1.35\": not found");
  }
  SUBCASE("unknown sandbox") {
    rt.AddImage("busybox:1.35");
    auto r = Create(rt, "nope", sconfig, "app");
    CHECK(r.status().reason() == api::Reason::kNotFound);
  }

  const std::string image_id = rt.AddImage("busybox:1.35", 2130656);
  auto cid = Create(rt, sid, sconfig, "app");
  REQUIRE(cid.ok());

  auto s = StatusOf(rt, *cid);
  CHECK(s.state() == v1::CONTAINER_CREATED);
  CHECK(s.created_at() > 0);
  CHECK(s.started_at() == 0);
  CHECK(s.finished_at() == 0);
  CHECK(s.image().image() == "docker.io/library/busybox:1.35");  // first repo tag
  CHECK(s.image_ref() == image_id);
  CHECK(s.log_path() == "/var/log/pods/default_pod_uid-pod/app/0.log");
  CHECK(s.labels().at("io.kubernetes.container.name") == "app");

  SUBCASE("the same name and attempt in one sandbox is reserved") {
    auto dup = Create(rt, sid, sconfig, "app");
    CHECK_FALSE(dup.ok());
  }
  SUBCASE("start, exit, status") {
    REQUIRE(Start(rt, *cid).ok());
    CHECK(Start(rt, *cid).reason() == api::Reason::kInternalError);  // not CREATED any more
    s = StatusOf(rt, *cid);
    CHECK(s.state() == v1::CONTAINER_RUNNING);
    CHECK(s.started_at() > s.created_at());

    REQUIRE(rt.SetContainerExited(*cid, 3, "").ok());
    s = StatusOf(rt, *cid);
    CHECK(s.state() == v1::CONTAINER_EXITED);
    CHECK(s.exit_code() == 3);
    CHECK(s.reason() == "Error");
    CHECK(s.finished_at() > s.started_at());
    CHECK(rt.SetContainerExited("nope", 0, "").reason() == api::Reason::kNotFound);
  }
  SUBCASE("stop kills with the configured result; stop again is OK") {
    REQUIRE(Start(rt, *cid).ok());
    v1::StopContainerRequest stop;
    stop.set_container_id(*cid);
    stop.set_timeout(30);
    REQUIRE(rt.StopContainer(stop).ok());
    s = StatusOf(rt, *cid);
    CHECK(s.state() == v1::CONTAINER_EXITED);
    CHECK(s.exit_code() == 137);
    CHECK(s.reason() == "Error");
    const int64_t finished = s.finished_at();
    CHECK(rt.StopContainer(stop).ok());
    CHECK(StatusOf(rt, *cid).finished_at() == finished);  // unchanged
    stop.set_container_id("nope");
    CHECK(rt.StopContainer(stop).reason() == api::Reason::kNotFound);
  }
  SUBCASE("SetStopResult") {
    rt.SetStopResult(0, "Completed");
    REQUIRE(Start(rt, *cid).ok());
    v1::StopContainerRequest stop;
    stop.set_container_id(*cid);
    REQUIRE(rt.StopContainer(stop).ok());
    CHECK(StatusOf(rt, *cid).reason() == "Completed");
  }
  SUBCASE("StopPodSandbox stops its containers and StartContainer then fails") {
    auto second = Create(rt, sid, sconfig, "sidecar");
    REQUIRE(second.ok());
    REQUIRE(Start(rt, *cid).ok());
    v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(sid);
    REQUIRE(rt.StopPodSandbox(stop).ok());
    CHECK(StatusOf(rt, *cid).state() == v1::CONTAINER_EXITED);
    CHECK(StatusOf(rt, *second).state() == v1::CONTAINER_CREATED);
    CHECK(Start(rt, *second).reason() == api::Reason::kInternalError);
  }
  SUBCASE("RemovePodSandbox removes its containers") {
    v1::RemovePodSandboxRequest rm;
    rm.set_pod_sandbox_id(sid);
    REQUIRE(rt.RemovePodSandbox(rm).ok());
    v1::ContainerStatusRequest req;
    req.set_container_id(*cid);
    CHECK(rt.ContainerStatus(req).status().reason() == api::Reason::kNotFound);
  }
  SUBCASE("RemoveContainer removes a running container; unknown is OK") {
    REQUIRE(Start(rt, *cid).ok());
    v1::RemoveContainerRequest rm;
    rm.set_container_id(*cid);
    REQUIRE(rt.RemoveContainer(rm).ok());
    CHECK(rt.RemoveContainer(rm).ok());
    v1::ListContainersRequest list;
    CHECK(rt.ListContainers(list)->containers_size() == 0);
  }
  SUBCASE("ReopenContainerLog needs a running container") {
    v1::ReopenContainerLogRequest req;
    req.set_container_id(*cid);
    CHECK(rt.ReopenContainerLog(req).message() == "container is not running");
    REQUIRE(Start(rt, *cid).ok());
    CHECK(rt.ReopenContainerLog(req).ok());
  }
  SUBCASE("UpdateContainerResources shows in status") {
    v1::UpdateContainerResourcesRequest req;
    req.set_container_id(*cid);
    req.mutable_linux()->set_memory_limit_in_bytes(64 << 20);
    REQUIRE(rt.UpdateContainerResources(req).ok());
    CHECK(StatusOf(rt, *cid).resources().linux().memory_limit_in_bytes() == 64 << 20);
  }
}

TEST_CASE("FakeRuntime: ListContainers filters") {
  FakeRuntime rt;
  rt.AddImage("busybox:1.35");
  auto c1 = SandboxConfig("p1");
  auto c2 = SandboxConfig("p2");
  std::string s1 = RunSandbox(rt, c1);
  std::string s2 = RunSandbox(rt, c2);
  auto a = Create(rt, s1, c1, "a");
  auto b = Create(rt, s1, c1, "b");
  auto c = Create(rt, s2, c2, "a");
  REQUIRE((a.ok() && b.ok() && c.ok()));
  REQUIRE(Start(rt, *b).ok());

  auto list = [&](const v1::ContainerFilter& f) {
    v1::ListContainersRequest req;
    *req.mutable_filter() = f;
    auto resp = rt.ListContainers(req);
    REQUIRE(resp.ok());
    std::vector<std::string> ids;
    for (const auto& item : resp->containers()) ids.push_back(item.id());
    return ids;
  };
  v1::ContainerFilter f;
  CHECK(list(f) == std::vector<std::string>{*a, *b, *c});
  SUBCASE("id") {
    f.set_id(*c);
    CHECK(list(f) == std::vector<std::string>{*c});
  }
  SUBCASE("sandbox") {
    f.set_pod_sandbox_id(s1);
    CHECK(list(f) == std::vector<std::string>{*a, *b});
  }
  SUBCASE("state") {
    f.mutable_state()->set_state(v1::CONTAINER_RUNNING);
    CHECK(list(f) == std::vector<std::string>{*b});
    f.mutable_state()->set_state(v1::CONTAINER_CREATED);
    CHECK(list(f) == std::vector<std::string>{*a, *c});
  }
  SUBCASE("labels") {
    (*f.mutable_label_selector())["io.kubernetes.container.name"] = "a";
    CHECK(list(f) == std::vector<std::string>{*a, *c});
  }
  SUBCASE("list fields") {
    v1::ListContainersRequest req;
    req.mutable_filter()->set_id(*b);
    auto resp = rt.ListContainers(req);
    REQUIRE(resp->containers_size() == 1);
    const auto& item = resp->containers(0);
    CHECK(item.pod_sandbox_id() == s1);
    CHECK(item.metadata().name() == "b");
    CHECK(item.image().image() == "busybox:1.35");  // the spec as given
    CHECK(item.image_ref().rfind("sha256:", 0) == 0);
    CHECK(item.state() == v1::CONTAINER_RUNNING);
  }
  SUBCASE("stats only for running containers, with usage") {
    REQUIRE(rt.SetContainerUsage(*b, 5000, 1 << 20).ok());
    v1::ListContainerStatsRequest req;
    auto resp = rt.ListContainerStats(req);
    REQUIRE(resp.ok());
    REQUIRE(resp->stats_size() == 1);
    CHECK(resp->stats(0).attributes().id() == *b);
    CHECK(resp->stats(0).cpu().usage_core_nano_seconds().value() == 5000);
    CHECK(resp->stats(0).memory().working_set_bytes().value() == 1 << 20);
    v1::ContainerStatsRequest one;
    one.set_container_id(*a);
    CHECK(rt.ContainerStats(one).ok());
    one.set_container_id("nope");
    CHECK(rt.ContainerStats(one).status().reason() == api::Reason::kNotFound);
  }
}

TEST_CASE("FakeRuntime: images") {
  FakeRuntime rt;
  const std::string id = rt.AddImage("busybox:1.35", 100);
  REQUIRE(id.size() == 71);
  REQUIRE(rt.AddImageTag(id, "busybox:latest").ok());
  CHECK(rt.AddImageTag("sha256:nope", "x").reason() == api::Reason::kNotFound);

  auto status = [&](const std::string& ref) {
    v1::ImageStatusRequest req;
    req.mutable_image()->set_image(ref);
    auto resp = rt.ImageStatus(req);
    REQUIRE(resp.ok());
    return resp->has_image() ? resp->image().id() : std::string("<none>");
  };
  SUBCASE("ImageStatus resolves tags, short names, IDs and ID prefixes; unknown is OK") {
    CHECK(status("busybox:1.35") == id);
    CHECK(status("busybox") == id);
    CHECK(status("docker.io/library/busybox:1.35") == id);
    CHECK(status(id) == id);
    CHECK(status(id.substr(7, 12)) == id);
    CHECK(status("sha256:" + id.substr(7, 12)) == id);
    CHECK(status("alpine") == "<none>");
    CHECK(status("") == "<none>");
  }
  SUBCASE("RemoveImage removes every tag of the image; unknown is OK") {
    v1::RemoveImageRequest rm;
    rm.mutable_image()->set_image("busybox:latest");
    REQUIRE(rt.RemoveImage(rm).ok());
    CHECK(status("busybox:1.35") == "<none>");
    CHECK(rt.RemoveImage(rm).ok());
  }
  SUBCASE("ListImages and ImageFsInfo") {
    rt.AddImage("k3st/pause:1", 50);
    auto list = rt.ListImages(v1::ListImagesRequest());
    REQUIRE(list.ok());
    REQUIRE(list->images_size() == 2);
    for (const auto& image : list->images()) {
      if (image.id() == id) {
        CHECK(image.repo_tags_size() == 2);
        CHECK(image.size() == 100);
      } else {
        CHECK(image.repo_tags(0) == "docker.io/k3st/pause:1");
      }
    }
    auto fs = rt.ImageFsInfo(v1::ImageFsInfoRequest());
    REQUIRE(fs.ok());
    REQUIRE(fs->image_filesystems_size() == 1);
    CHECK(fs->image_filesystems(0).used_bytes().value() == 150);
  }
  SUBCASE("PullImage: any image by default, adds a repo digest") {
    v1::PullImageRequest req;
    req.mutable_image()->set_image("nginx:1.25");
    auto pulled = rt.PullImage(req);
    REQUIRE(pulled.ok());
    CHECK(pulled->image_ref().rfind("sha256:", 0) == 0);
    CHECK(status("docker.io/library/nginx:1.25") == pulled->image_ref());
    v1::ImageStatusRequest sreq;
    sreq.mutable_image()->set_image("nginx:1.25");
    auto img = rt.ImageStatus(sreq);
    REQUIRE(img->image().repo_digests_size() == 1);
    CHECK(img->image().repo_digests(0).rfind("docker.io/library/nginx@sha256:", 0) == 0);
    // Pulling a local image returns its ID.
    req.mutable_image()->set_image("busybox:1.35");
    CHECK(rt.PullImage(req)->image_ref() == id);
  }
  SUBCASE("PullImage with SetPullAnyImage(false)") {
    rt.SetPullAnyImage(false);
    rt.AddPullableImage("registry.k8s.io/pause:3.9");
    v1::PullImageRequest req;
    req.mutable_image()->set_image("nosuch:1");
    auto failed = rt.PullImage(req);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.status().reason() == api::Reason::kNotFound);
    CHECK(failed.status().message() ==
          "failed to pull and unpack image \"docker.io/library/nosuch:1\": failed to resolve "
          "reference \"docker.io/library/nosuch:1\": docker.io/library/nosuch:1: not found");
    req.mutable_image()->set_image("registry.k8s.io/pause:3.9");
    CHECK(rt.PullImage(req).ok());
    req.mutable_image()->set_image("Bad Name");
    CHECK(rt.PullImage(req).status().reason() == api::Reason::kInternalError);
  }
}

TEST_CASE("FakeRuntime: exec, attach, port-forward") {
  FakeRuntime rt;
  rt.AddImage("busybox:1.35");
  auto sconfig = SandboxConfig("pod");
  std::string sid = RunSandbox(rt, sconfig);
  auto cid = Create(rt, sid, sconfig, "app");
  REQUIRE(cid.ok());

  v1::ExecSyncRequest sync;
  sync.set_container_id(*cid);
  sync.add_cmd("true");
  auto not_running = rt.ExecSync(sync);
  CHECK(not_running.status().message() == "container is in CONTAINER_CREATED state");
  REQUIRE(Start(rt, *cid).ok());
  CHECK(rt.ExecSync(sync)->exit_code() == 0);
  rt.SetExecSyncHandler([](const v1::ExecSyncRequest& r) -> api::Result<v1::ExecSyncResponse> {
    v1::ExecSyncResponse resp;
    resp.set_stdout("ran " + r.cmd(0));
    resp.set_exit_code(3);
    return resp;
  });
  auto ran = rt.ExecSync(sync);
  REQUIRE(ran.ok());
  CHECK(ran->stdout() == "ran true");
  CHECK(ran->exit_code() == 3);

  v1::ExecRequest exec;
  exec.set_container_id(*cid);
  exec.add_cmd("sh");
  CHECK(rt.Exec(exec).status().reason() == api::Reason::kBadRequest);  // no stream
  exec.set_tty(true);
  exec.set_stderr(true);
  CHECK(rt.Exec(exec).status().reason() == api::Reason::kBadRequest);  // tty + stderr
  exec.set_stderr(false);
  exec.set_stdout(true);
  auto url1 = rt.Exec(exec);
  auto url2 = rt.Exec(exec);
  REQUIRE((url1.ok() && url2.ok()));
  CHECK(url1->url().rfind("http://127.0.0.1:10010/exec/", 0) == 0);
  CHECK(url1->url().size() == std::string("http://127.0.0.1:10010/exec/").size() + 8);
  CHECK(url1->url() != url2->url());

  v1::AttachRequest attach;
  attach.set_container_id(*cid);
  attach.set_stdout(true);
  auto a = rt.Attach(attach);
  REQUIRE(a.ok());
  CHECK(a->url().find("/attach/") != std::string::npos);

  v1::PortForwardRequest pf;
  pf.set_pod_sandbox_id(sid);
  pf.add_port(8080);
  auto p = rt.PortForward(pf);
  REQUIRE(p.ok());
  CHECK(p->url().find("/portforward/") != std::string::npos);
  v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(sid);
  REQUIRE(rt.StopPodSandbox(stop).ok());
  CHECK_FALSE(rt.PortForward(pf).ok());
  CHECK_FALSE(rt.Attach(attach).ok());  // container was killed with the sandbox
}

TEST_CASE("FakeRuntime: FailNext, calls(), Status, Version, UpdateRuntimeConfig") {
  FakeRuntime rt;
  rt.FailNext("Version", api::Status::Unavailable("down"));
  rt.FailNext("Version", api::Status::Internal("still down"));
  auto v1r = rt.Version(v1::VersionRequest());
  CHECK(v1r.status().reason() == api::Reason::kServiceUnavailable);
  CHECK(rt.Version(v1::VersionRequest()).status().message() == "still down");
  auto ok = rt.Version(v1::VersionRequest());
  REQUIRE(ok.ok());
  CHECK(ok->runtime_api_version() == "v1");

  // A failed call has no effect.
  rt.FailNext("RunPodSandbox", api::Status::Internal("boom"));
  v1::RunPodSandboxRequest run;
  *run.mutable_config() = SandboxConfig("p");
  CHECK_FALSE(rt.RunPodSandbox(run).ok());
  CHECK(rt.ListPodSandbox(v1::ListPodSandboxRequest())->items_size() == 0);

  CHECK(rt.calls() == std::vector<std::string>{"Version", "Version", "Version", "RunPodSandbox",
                                               "ListPodSandbox"});
  CHECK(rt.CallCount("Version") == 3);
  rt.ClearCalls();
  CHECK(rt.calls().empty());

  auto st = rt.Status(v1::StatusRequest());
  REQUIRE(st.ok());
  REQUIRE(st->status().conditions_size() == 2);
  CHECK(st->status().conditions(0).type() == "RuntimeReady");
  CHECK(st->status().conditions(1).type() == "NetworkReady");
  CHECK(st->status().conditions(1).status());
  rt.SetNetworkReady(false);
  st = rt.Status(v1::StatusRequest());
  CHECK_FALSE(st->status().conditions(1).status());
  CHECK(st->status().conditions(1).reason() == "NetworkPluginNotReady");

  v1::UpdateRuntimeConfigRequest cfg;
  cfg.mutable_runtime_config()->mutable_network_config()->set_pod_cidr("10.42.0.0/24");
  REQUIRE(rt.UpdateRuntimeConfig(cfg).ok());
  CHECK(rt.pod_cidr() == "10.42.0.0/24");
}

TEST_CASE("FakeRuntime: concurrent use") {
  FakeRuntime rt;
  rt.AddImage("busybox:1.35");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto config = SandboxConfig("p" + std::to_string(t) + "-" + std::to_string(i));
        v1::RunPodSandboxRequest run;
        *run.mutable_config() = config;
        auto sid = rt.RunPodSandbox(run);
        if (!sid.ok()) {
          ++failures;
          continue;
        }
        v1::CreateContainerRequest create;
        create.set_pod_sandbox_id(sid->pod_sandbox_id());
        create.mutable_config()->mutable_metadata()->set_name("c");
        create.mutable_config()->mutable_image()->set_image("busybox:1.35");
        *create.mutable_sandbox_config() = config;
        if (!rt.CreateContainer(create).ok()) ++failures;
        rt.ListContainers(v1::ListContainersRequest());
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(rt.ListPodSandbox(v1::ListPodSandboxRequest())->items_size() == 100);
  CHECK(rt.ListContainers(v1::ListContainersRequest())->containers_size() == 100);
  CHECK(rt.CallCount("CreateContainer") == 100);
}

}  // namespace
}  // namespace kc::cri

#include "pkg/kubelet/container_config.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/kubelet/resources.h"

namespace kc::kubelet {
namespace {

json::object Pod(const std::string& spec) {
  return json::parse(R"({"metadata":{"name":"p","namespace":"ns","uid":"u1"},"spec":)" + spec + "}")
      .as_object();
}

api::Result<cri::v1::ContainerConfig> Build(const json::object& pod, EnvList env = {},
                                            std::optional<int64_t> image_uid = std::nullopt) {
  ContainerConfigInput in;
  in.pod = &pod;
  in.container = &pod.at("spec").at("containers").at(0).as_object();
  in.restart_count = 2;
  in.image = "sha256:abc";
  in.env = std::move(env);
  in.memory_capacity = 4LL << 30;
  in.image_uid = image_uid;
  return BuildContainerConfig(in);
}

TEST_CASE("container config basics") {
  json::object pod = Pod(R"J({"containers":[{"name":"c","image":"busybox:1.35",
      "command":["/bin/$(SHELL)"],"args":["-c","echo $(A) $$(A) $(B)"],"workingDir":"/w",
      "tty":true,"stdin":true,"terminationMessagePolicy":"FallbackToLogsOnError",
      "lifecycle":{"preStop":{"exec":{"command":["stop"]}}}}]})J");
  auto cfg = Build(pod, {{"SHELL", "sh"}, {"A", "1"}});
  REQUIRE(cfg.ok());
  CHECK(cfg->metadata().name() == "c");
  CHECK(cfg->metadata().attempt() == 2);
  CHECK(cfg->image().image() == "sha256:abc");
  CHECK(cfg->command(0) == "/bin/sh");
  CHECK(cfg->args(1) == "echo 1 $(A) $(B)");
  CHECK(cfg->working_dir() == "/w");
  CHECK(cfg->tty());
  CHECK(cfg->stdin());
  CHECK(cfg->log_path() == "c/2.log");
  CHECK(cfg->annotations().at("io.kubernetes.container.restartCount") == "2");
  CHECK(cfg->annotations().at("io.kubernetes.container.terminationMessagePath") ==
        "/dev/termination-log");
  CHECK(cfg->annotations().at("io.kubernetes.container.terminationMessagePolicy") ==
        "FallbackToLogsOnError");
  CHECK(cfg->annotations().at("io.kubernetes.container.preStopHandler").find("stop") !=
        std::string::npos);
  CHECK(!cfg->annotations().at("io.kubernetes.container.hash").empty());
  CHECK(cfg->labels().at("io.kubernetes.pod.uid") == "u1");
  CHECK(cfg->linux().security_context().masked_paths_size() > 0);
  CHECK(cfg->linux().security_context().readonly_paths_size() > 0);
  CHECK(cfg->linux().resources().cpu_shares() == 2);
  CHECK(cfg->linux().resources().oom_score_adj() == 1000);  // BestEffort
}

TEST_CASE("container security context") {
  json::object pod = Pod(R"({"securityContext":{"runAsUser":1000,"runAsGroup":3000,
      "supplementalGroups":[4000],"seccompProfile":{"type":"RuntimeDefault"}},
      "containers":[{"name":"c","securityContext":{"runAsUser":2000,"readOnlyRootFilesystem":true,
      "allowPrivilegeEscalation":false,"capabilities":{"add":["NET_ADMIN"],"drop":["ALL"]}}}]})");
  auto cfg = Build(pod);
  REQUIRE(cfg.ok());
  const auto& sc = cfg->linux().security_context();
  CHECK(sc.run_as_user().value() == 2000);
  CHECK(sc.run_as_group().value() == 3000);
  CHECK(sc.supplemental_groups(0) == 4000);
  CHECK(sc.readonly_rootfs());
  CHECK(sc.no_new_privs());
  CHECK(sc.capabilities().add_capabilities(0) == "NET_ADMIN");
  CHECK(sc.capabilities().drop_capabilities(0) == "ALL");
  CHECK(sc.seccomp().profile_type() == cri::v1::SecurityProfile::RuntimeDefault);
  CHECK(!sc.privileged());

  json::object priv = Pod(R"({"containers":[{"name":"c","securityContext":{"privileged":true}}]})");
  auto pcfg = Build(priv);
  REQUIRE(pcfg.ok());
  CHECK(pcfg->linux().security_context().privileged());
  CHECK(pcfg->linux().security_context().masked_paths_size() == 0);
}

TEST_CASE("runAsNonRoot") {
  SUBCASE("explicit root user is refused") {
    auto cfg = Build(Pod(R"({"containers":[{"name":"c","securityContext":{"runAsNonRoot":true,"runAsUser":0}}]})"));
    REQUIRE(!cfg.ok());
    CHECK(cfg.status().message() ==
          "container's runAsUser breaks non-root policy (pod: \"p_ns(u1)\", container: c)");
  }
  SUBCASE("image running as root is refused") {
    auto cfg = Build(Pod(R"({"securityContext":{"runAsNonRoot":true},"containers":[{"name":"c"}]})"),
                     {}, 0);
    REQUIRE(!cfg.ok());
    CHECK(cfg.status().message() ==
          "container has runAsNonRoot and image will run as root (pod: \"p_ns(u1)\", container: c)");
  }
  SUBCASE("image with a non-root uid passes") {
    auto cfg = Build(Pod(R"({"securityContext":{"runAsNonRoot":true},"containers":[{"name":"c"}]})"),
                     {}, 65534);
    CHECK(cfg.ok());
  }
}

TEST_CASE("resources to CRI") {
  CHECK(MilliCpuToShares(0) == 2);
  CHECK(MilliCpuToShares(1) == 2);
  CHECK(MilliCpuToShares(1000) == 1024);
  CHECK(MilliCpuToShares(250) == 256);
  CHECK(MilliCpuToQuota(0, 100000) == 0);
  CHECK(MilliCpuToQuota(5, 100000) == 1000);
  CHECK(MilliCpuToQuota(1500, 100000) == 150000);
  json::object c = json::parse(R"({"resources":{"requests":{"cpu":"100m","memory":"1Gi"},
      "limits":{"memory":"2Gi"}}})").as_object();
  ContainerResources r = ComputeContainerResources(c, "Burstable", 4LL << 30);
  CHECK(r.cpu_shares == 102);
  CHECK(r.cpu_quota == 0);
  CHECK(r.memory_limit_bytes == 2LL << 30);
  CHECK(r.oom_score_adj == 750);
  CHECK(ComputeContainerResources(c, "Guaranteed", 4LL << 30).oom_score_adj == -997);
  CHECK(PodCgroupParent("Burstable", "x") == "/kubepods/burstable/podx");
}

}  // namespace
}  // namespace kc::kubelet

#include "pkg/controllers/root_ca_publisher.h"

#include <doctest/doctest.h>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_test_util.h"

namespace kc::controllers {
namespace {

using testing::kConfigMaps;
using testing::kNamespacesRes;
using testing::MakeObject;
using testing::WaitFor;

const char kPem[] = "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n";

struct Fixture {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};
  RootCAPublisher pub{fake, factory, kPem, Options()};

  static RootCAPublisherOptions Options() {
    RootCAPublisherOptions o;
    o.base_delay = std::chrono::milliseconds(1);
    o.max_delay = std::chrono::milliseconds(20);
    return o;
  }
  Fixture() {
    factory.Start();
    pub.Start(1);
    REQUIRE(WaitFor([&] { return pub.Running(); }));
  }
  ~Fixture() {
    pub.Stop();
    factory.Stop();
  }
  // The published ConfigMap's ca.crt ("" when missing).
  std::string CaCrt(const std::string& ns) {
    api::Result<client::Object> cm = f().Get(kConfigMaps, ns, kRootCAConfigMapName);
    if (!cm.ok()) return "";
    const boost::json::object* data = api::GetObject(*cm, "data");
    return data ? api::GetString(*data, "ca.crt") : "";
  }
  client::FakeClient& f() { return fake; }
};

TEST_CASE("root CA publisher: every namespace gets kube-root-ca.crt") {
  Fixture f;
  REQUIRE(f.fake.Create(kNamespacesRes, "", MakeObject("v1", "Namespace", "", "team")).ok());
  REQUIRE(f.fake.Create(kNamespacesRes, "", MakeObject("v1", "Namespace", "", "default")).ok());
  CHECK(WaitFor([&] { return f.CaCrt("team") == kPem && f.CaCrt("default") == kPem; }));
  api::Result<client::Object> cm = f.fake.Get(kConfigMaps, "team", kRootCAConfigMapName);
  REQUIRE(cm.ok());
  CHECK(api::GetString(*cm, "kind") == "ConfigMap");
  CHECK(api::GetObject(*cm, "data")->size() == 1);
  const boost::json::value* desc = api::Lookup(*cm, "metadata.annotations");
  REQUIRE(desc);
  CHECK(api::GetString(desc->as_object(), kDescriptionAnnotation) == kRootCADescription);

  SUBCASE("a deleted ConfigMap is created again") {
    REQUIRE(f.fake.Delete(kConfigMaps, "team", kRootCAConfigMapName).ok());
    CHECK(WaitFor([&] { return f.CaCrt("team") == kPem; }));
  }
  SUBCASE("an edited ConfigMap is put back; other annotations and labels stay") {
    client::Object edited = *cm;
    edited["data"] = boost::json::object{{"ca.crt", "tampered"}, {"extra", "x"}};
    edited["metadata"].as_object()["labels"] = boost::json::object{{"team", "a"}};
    edited["metadata"].as_object()["annotations"] = boost::json::object{{"note", "mine"}};
    REQUIRE(f.fake.Update(kConfigMaps, "team", edited).ok());
    CHECK(WaitFor([&] {
      api::Result<client::Object> now = f.fake.Get(kConfigMaps, "team", kRootCAConfigMapName);
      if (!now.ok() || f.CaCrt("team") != kPem) return false;
      const boost::json::value* ann = api::Lookup(*now, "metadata.annotations");
      return api::GetObject(*now, "data")->size() == 1 && ann &&
             api::GetString(ann->as_object(), "note") == "mine" &&
             api::GetString(ann->as_object(), kDescriptionAnnotation) == kRootCADescription &&
             api::Lookup(*now, "metadata.labels.team") != nullptr;
    }));
  }
  SUBCASE("other ConfigMaps are not touched") {
    REQUIRE(f.fake.Create(kConfigMaps, "team", MakeObject("v1", "ConfigMap", "team", "app")).ok());
    f.fake.ClearActions();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(f.fake.ActionsFor("update", "configmaps").empty());
    CHECK(f.fake.ActionsFor("create", "configmaps").empty());
  }
}

TEST_CASE("root CA publisher: terminating namespaces are skipped") {
  Fixture f;
  client::Object ns = MakeObject("v1", "Namespace", "", "going");
  ns["status"] = boost::json::object{{"phase", "Terminating"}};
  REQUIRE(f.fake.Create(kNamespacesRes, "", ns).ok());
  REQUIRE(f.fake.Create(kNamespacesRes, "", MakeObject("v1", "Namespace", "", "live")).ok());
  CHECK(WaitFor([&] { return f.CaCrt("live") == kPem; }));
  CHECK(f.CaCrt("going").empty());
  CHECK(f.pub.Sync("missing").ok());
}

}  // namespace
}  // namespace kc::controllers

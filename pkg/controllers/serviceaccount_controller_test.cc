#include "pkg/controllers/serviceaccount_controller.h"

#include <doctest/doctest.h>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_test_util.h"

namespace kc::controllers {
namespace {

using testing::kNamespacesRes;
using testing::MakeObject;
using testing::WaitFor;

const client::ResourceRef kServiceAccounts{"", "v1", "serviceaccounts"};

client::Object Namespace(const std::string& name, const std::string& phase = "Active") {
  client::Object ns = MakeObject("v1", "Namespace", "", name);
  ns["status"] = boost::json::object{{"phase", phase}};
  return ns;
}

struct Fixture {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};
  ServiceAccountController sac{fake, factory, Options()};

  static ServiceAccountControllerOptions Options() {
    ServiceAccountControllerOptions o;
    o.base_delay = std::chrono::milliseconds(1);
    o.max_delay = std::chrono::milliseconds(20);
    return o;
  }
  Fixture() {
    factory.Start();
    sac.Start(1);
    REQUIRE(WaitFor([&] { return sac.Running(); }));
  }
  ~Fixture() {
    sac.Stop();
    factory.Stop();
  }
  bool HasDefault(const std::string& ns) { return fake.Get(kServiceAccounts, ns, "default").ok(); }
};

TEST_CASE("serviceaccount controller: every active namespace gets a default ServiceAccount") {
  Fixture f;
  REQUIRE(f.fake.Create(kNamespacesRes, "", Namespace("team")).ok());
  REQUIRE(f.fake.Create(kNamespacesRes, "", Namespace("other")).ok());
  CHECK(WaitFor([&] { return f.HasDefault("team") && f.HasDefault("other"); }));
  api::Result<client::Object> sa = f.fake.Get(kServiceAccounts, "team", "default");
  REQUIRE(sa.ok());
  CHECK(api::GetString(*sa, "kind") == "ServiceAccount");

  SUBCASE("a deleted default ServiceAccount is created again") {
    std::string old_uid = client::ObjectMetaString(*sa, "uid");
    REQUIRE(f.fake.Delete(kServiceAccounts, "team", "default").ok());
    CHECK(WaitFor([&] {
      api::Result<client::Object> again = f.fake.Get(kServiceAccounts, "team", "default");
      return again.ok() && client::ObjectMetaString(*again, "uid") != old_uid;
    }));
  }
  SUBCASE("other ServiceAccounts are left alone") {
    REQUIRE(
        f.fake.Create(kServiceAccounts, "team", MakeObject("v1", "ServiceAccount", "team", "bot"))
            .ok());
    REQUIRE(f.fake.Delete(kServiceAccounts, "team", "bot").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(f.fake.Get(kServiceAccounts, "team", "bot").ok());
  }
}

TEST_CASE(
    "serviceaccount controller: terminating namespaces get nothing; Forbidden is not retried") {
  Fixture f;
  REQUIRE(f.fake.Create(kNamespacesRes, "", Namespace("going", "Terminating")).ok());
  // The API server refuses content in "racing": it started terminating after the cache saw it.
  f.fake.AddReactor("create", "serviceaccounts",
                    [](const client::FakeClient::Action& a) -> std::optional<api::Status> {
                      if (a.ns == "racing")
                        return api::Status::Forbidden("namespace racing is being terminated");
                      return std::nullopt;
                    });
  REQUIRE(f.fake.Create(kNamespacesRes, "", Namespace("racing")).ok());
  REQUIRE(f.fake.Create(kNamespacesRes, "", Namespace("live")).ok());
  CHECK(WaitFor([&] { return f.HasDefault("live"); }));
  CHECK_FALSE(f.HasDefault("going"));
  CHECK_FALSE(f.HasDefault("racing"));
  CHECK(f.sac.Sync("going").ok());
  CHECK(f.sac.Sync("racing").ok());
  CHECK(f.sac.Sync("missing").ok());
}

}  // namespace
}  // namespace kc::controllers

#include "pkg/api/status.h"

#include <doctest/doctest.h>

#include "pkg/api/resource_info.h"

namespace kc::api {

TEST_CASE("reasons map to HTTP codes and back") {
  CHECK(Status::HttpCode(Reason::kNotFound) == 404);
  CHECK(Status::HttpCode(Reason::kInvalid) == 422);
  CHECK(Status::HttpCode(Reason::kExpired) == 410);
  CHECK(Status::ReasonFromString("Conflict", 409) == Reason::kConflict);
  CHECK(Status::ReasonFromString("", 404) == Reason::kNotFound);
  CHECK(Status::ReasonFromString("", 200) == Reason::kOk);
}

TEST_CASE("canonical messages follow upstream wording") {
  CHECK(Status::NotFoundFor("deployments.apps", "web").message() ==
        "deployments.apps \"web\" not found");
  auto inv = Status::InvalidFor("Deployment.apps", "web",
                                {{"FieldValueInvalid", "Invalid value: -1: must be >= 0",
                                  "spec.replicas"}});
  CHECK(inv.message() ==
        "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be >= 0");
  CHECK(inv.details().causes.size() == 1);
  Result<int> r = Status::Gone("x");
  CHECK_FALSE(r.ok());
  CHECK(r.status().http_code() == 410);
}

TEST_CASE("catalog lookups") {
  const ResourceInfo* d = FindResource("apps", "v1", "deployments");
  REQUIRE(d != nullptr);
  CHECK(d->kind == "Deployment");
  CHECK(d->has_scale);
  CHECK(d->QualifiedResource() == "deployments.apps");
  CHECK(FindKind("", "v1", "Pod")->plural == "pods");
  CHECK(FindResource("", "v1", "nope") == nullptr);
  std::string g, v;
  SplitGroupVersion("rbac.authorization.k8s.io/v1", &g, &v);
  CHECK(g == "rbac.authorization.k8s.io");
  CHECK(v == "v1");
}

}  // namespace kc::api

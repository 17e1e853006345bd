#include "pkg/controllers/namespace_conditions.h"

#include <doctest/doctest.h>

#include <boost/json/array.hpp>

#include "pkg/api/json_path.h"

namespace kc::controllers {
namespace {

const NamespaceCondition* Find(const std::vector<NamespaceCondition>& cs, const std::string& t) {
  for (const NamespaceCondition& c : cs) {
    if (c.type == t) return &c;
  }
  return nullptr;
}

TEST_CASE("namespace conditions: from a content report") {
  NamespaceContentReport r;
  struct Want {
    std::string type, status, reason, message;
  };
  std::vector<Want> want;

  SUBCASE("everything removed") {
    want = {
        {"NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered",
         "All resources successfully discovered"},
        {"NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
         "All legacy kube types successfully parsed"},
        {"NamespaceDeletionContentFailure", "False", "ContentDeleted",
         "All content successfully deleted, may be waiting on finalization"},
        {"NamespaceContentRemaining", "False", "ContentRemoved",
         "All content successfully removed"},
        {"NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
         "All content-preserving finalizers finished"},
    };
  }
  SUBCASE("content and finalizers remain, sorted") {
    r.remaining = {{"pods.", 2}, {"deployments.apps", 1}};
    r.finalizers = {{"z.example/f", 1}, {"a.example/f", 3}};
    want = {
        {"NamespaceContentRemaining", "True", "SomeResourcesRemain",
         "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 "
         "resource instances"},
        {"NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
         "Some content in the namespace has finalizers remaining: a.example/f in 3 resource "
         "instances, z.example/f in 1 resource instances"},
    };
  }
  SUBCASE("one failure") {
    r.errors = {"failed to list pods: boom"};
    want = {{"NamespaceDeletionContentFailure", "True", "ContentDeletionFailed",
             "Failed to delete all resource types, 1 remaining: failed to list pods: boom"}};
  }
  SUBCASE("several failures") {
    r.errors = {"a", "b"};
    want = {{"NamespaceDeletionContentFailure", "True", "ContentDeletionFailed",
             "Failed to delete all resource types, 2 remaining: [a, b]"}};
  }

  std::vector<NamespaceCondition> got = DeletionConditions(r);
  CHECK(got.size() == 5);
  for (const Want& w : want) {
    CAPTURE(w.type);
    const NamespaceCondition* c = Find(got, w.type);
    REQUIRE(c);
    CHECK(c->status == w.status);
    CHECK(c->reason == w.reason);
    CHECK(c->message == w.message);
  }
}

TEST_CASE("namespace conditions: merging keeps transition times of unchanged statuses") {
  boost::json::object ns;
  std::vector<NamespaceCondition> first = {{"A", "True", "R1", "m1"}, {"B", "False", "R", "m"}};
  CHECK(MergeConditions(ns, first, "t1"));
  CHECK_FALSE(MergeConditions(ns, first, "t2"));

  std::vector<NamespaceCondition> second = {{"A", "True", "R2", "m2"}, {"B", "True", "R", "m"}};
  CHECK(MergeConditions(ns, second, "t3"));
  const boost::json::array& list = api::Lookup(ns, "status.conditions")->get_array();
  REQUIRE(list.size() == 2);
  const boost::json::object& a = list[0].get_object();
  const boost::json::object& b = list[1].get_object();
  CHECK(api::GetString(a, "type") == "A");
  CHECK(api::GetString(a, "reason") == "R2");
  CHECK(api::GetString(a, "lastTransitionTime") == "t1");  // status stayed True
  CHECK(api::GetString(b, "status") == "True");
  CHECK(api::GetString(b, "lastTransitionTime") == "t3");
}

}  // namespace
}  // namespace kc::controllers

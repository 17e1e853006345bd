#include "pkg/controllers/statefulset_pods.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_utils.h"

namespace kc::controllers {
namespace {

boost::json::object Json(const std::string& s) { return boost::json::parse(s).as_object(); }

client::Object Set(const std::string& extra_spec = "") {
  return Json(
      R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"ns1",)"
      R"("uid":"set-uid"},"spec":{"replicas":2,"serviceName":"db-hl",)"
      R"("selector":{"matchLabels":{"app":"db"}},)"
      R"("template":{"metadata":{"labels":{"app":"db"},"annotations":{"a":"b"}},)"
      R"("spec":{"containers":[{"name":"c","image":"pg"}],)"
      R"("volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"x"}}]}},)"
      R"("volumeClaimTemplates":[{"metadata":{"name":"data","labels":{"tier":"disk"}},)"
      R"("spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}},)"
      R"("status":{"phase":"Pending"}}])" +
      extra_spec + "}}");
}

std::string LabelOf(const client::Object& o, const char* key) {
  return api::GetString(api::Lookup(o, "metadata.labels")->get_object(), key);
}

TEST_CASE("statefulset pods: names and ordinals") {
  struct Row {
    const char* name;
    const char* parent;
    int64_t ordinal;
  };
  std::vector<Row> rows = {{"web-0", "web", 0}, {"web-12", "web", 12}, {"my-web-3", "my-web", 3},
                           {"web", "", -1},     {"web-", "", -1},      {"web-x1", "", -1},
                           {"web-1a", "", -1},  {"-4", "", 4}};
  for (const Row& r : rows) {
    CAPTURE(r.name);
    StatefulPodIdentity id = ParseStatefulPodName(r.name);
    CHECK(id.parent == r.parent);
    CHECK(id.ordinal == r.ordinal);
  }
  client::Object set = Set();
  CHECK(StatefulSetPodName(set, 4) == "db-4");
  CHECK(ClaimName(set, "data", 1) == "data-db-1");
  CHECK(StartOrdinal(set) == 0);
  CHECK(StartOrdinal(Set(R"(,"ordinals":{"start":5})")) == 5);
  CHECK(OrdinalInRange(set, 1));
  CHECK_FALSE(OrdinalInRange(set, 2));
  CHECK(OrdinalInRange(Set(R"(,"ordinals":{"start":5})"), 6));
  CHECK_FALSE(OrdinalInRange(Set(R"(,"ordinals":{"start":5})"), 1));
  client::Object member = Json(R"({"metadata":{"name":"db-1"}})");
  client::Object other = Json(R"({"metadata":{"name":"dbx-1"}})");
  CHECK(IsMemberOf(set, member));
  CHECK_FALSE(IsMemberOf(set, other));
}

TEST_CASE("statefulset pods: a new pod has identity, storage and an owner") {
  client::Object set = Set();
  client::Object pod = NewStatefulSetPod(set, 1);
  CHECK(client::ObjectMetaString(pod, "name") == "db-1");
  CHECK(client::ObjectMetaString(pod, "namespace") == "ns1");
  CHECK(LabelOf(pod, "app") == "db");
  CHECK(LabelOf(pod, kStatefulSetPodNameLabel) == "db-1");
  CHECK(LabelOf(pod, kPodIndexLabel) == "1");
  CHECK(api::Lookup(pod, "metadata.annotations.a")->get_string() == "b");
  CHECK(api::Lookup(pod, "spec.hostname")->get_string() == "db-1");
  CHECK(api::Lookup(pod, "spec.subdomain")->get_string() == "db-hl");
  std::optional<OwnerRef> ref = ControllerOf(pod);
  REQUIRE(ref);
  CHECK(ref->uid == "set-uid");
  CHECK(ref->kind == "StatefulSet");
  // The claim volume replaces the template's volume of the same name; others stay.
  const boost::json::array& vols = api::Lookup(pod, "spec.volumes")->get_array();
  REQUIRE(vols.size() == 2);
  CHECK(api::GetString(vols[0].as_object(), "name") == "data");
  CHECK(api::Lookup(vols[0], "persistentVolumeClaim.claimName")->get_string() == "data-db-1");
  CHECK(api::Lookup(vols[0], "emptyDir") == nullptr);
  CHECK(api::GetString(vols[1].as_object(), "name") == "cfg");
  CHECK(IdentityMatches(set, pod));
  CHECK(StorageMatches(set, pod));

  client::Object no_service = Set();
  no_service["spec"].as_object()["serviceName"] = "";
  CHECK(api::Lookup(NewStatefulSetPod(no_service, 0), "spec.subdomain") == nullptr);
}

TEST_CASE("statefulset pods: identity and storage mismatches") {
  client::Object set = Set();
  client::Object pod = NewStatefulSetPod(set, 0);
  client::Object wrong_label = pod;
  wrong_label["metadata"].as_object()["labels"].as_object()[kPodIndexLabel] = "7";
  CHECK_FALSE(IdentityMatches(set, wrong_label));
  client::Object no_labels = pod;
  no_labels["metadata"].as_object().erase("labels");
  CHECK_FALSE(IdentityMatches(set, no_labels));
  client::Object other_ns = pod;
  other_ns["metadata"].as_object()["namespace"] = "ns2";
  CHECK_FALSE(IdentityMatches(set, other_ns));
  client::Object wrong_claim = pod;
  wrong_claim["spec"].as_object()["volumes"] =
      Json(R"({"v":[{"name":"data","persistentVolumeClaim":{"claimName":"data-db-9"}}]})")["v"];
  CHECK_FALSE(StorageMatches(set, wrong_claim));
  client::Object no_volumes = pod;
  no_volumes["spec"].as_object().erase("volumes");
  CHECK_FALSE(StorageMatches(set, no_volumes));
  std::string patch = IdentityLabelsPatch(set, wrong_label);
  CHECK(patch.find("\"apps.kubernetes.io/pod-index\":\"0\"") != std::string::npos);
  CHECK(patch.find("\"statefulset.kubernetes.io/pod-name\":\"db-0\"") != std::string::npos);
}

TEST_CASE("statefulset pods: claims from the templates") {
  std::vector<client::Object> claims = ClaimsForOrdinal(Set(), 3);
  REQUIRE(claims.size() == 1);
  const client::Object& c = claims[0];
  CHECK(client::ObjectMetaString(c, "name") == "data-db-3");
  CHECK(client::ObjectMetaString(c, "namespace") == "ns1");
  CHECK(api::GetString(c, "kind") == "PersistentVolumeClaim");
  CHECK(LabelOf(c, "tier") == "disk");
  CHECK(LabelOf(c, "app") == "db");  // the selector's matchLabels are added
  CHECK(api::Lookup(c, "spec.resources.requests.storage")->get_string() == "1Gi");
  CHECK(c.if_contains("status") == nullptr);
  CHECK(ControllerOf(c) == std::nullopt);
}

TEST_CASE("statefulset pods: claim ownerReferences follow the retention policy") {
  auto with_policy = [](const char* deleted, const char* scaled) {
    return Set(std::string(R"(,"persistentVolumeClaimRetentionPolicy":{"whenDeleted":")") +
               deleted + R"(","whenScaled":")" + scaled + R"("})");
  };
  client::Object claim = ClaimsForOrdinal(Set(), 0)[0];
  client::Object live = Json(R"({"metadata":{"name":"db-1","uid":"pod-1"}})");
  client::Object condemned = Json(R"({"metadata":{"name":"db-5","uid":"pod-5"}})");
  auto kinds = [](const std::optional<boost::json::array>& refs) {
    std::vector<std::string> out;
    if (!refs) return std::vector<std::string>{"unchanged"};
    for (const auto& r : *refs) out.push_back(api::GetString(r.as_object(), "kind"));
    return out;
  };
  struct Row {
    const char* deleted;
    const char* scaled;
    const client::Object* pod;
    std::vector<std::string> kinds;
  };
  std::vector<Row> rows = {
      {"Retain", "Retain", &live, {"unchanged"}},
      {"Retain", "Retain", &condemned, {"unchanged"}},
      {"Delete", "Retain", &live, {"StatefulSet"}},
      {"Delete", "Retain", &condemned, {"StatefulSet"}},
      {"Retain", "Delete", &live, {"unchanged"}},
      {"Retain", "Delete", &condemned, {"Pod"}},
      {"Delete", "Delete", &live, {"StatefulSet"}},
      {"Delete", "Delete", &condemned, {"Pod"}},
      {"Delete", "Delete", nullptr, {"StatefulSet"}},
  };
  for (const Row& r : rows) {
    CAPTURE(r.deleted);
    CAPTURE(r.scaled);
    CAPTURE(r.pod != nullptr);
    CHECK(kinds(ClaimOwnerRefs(claim, with_policy(r.deleted, r.scaled), r.pod)) == r.kinds);
  }
  // Back to Retain removes both references; foreign references stay.
  client::Object owned = claim;
  owned["metadata"].as_object()["ownerReferences"] =
      Json(R"({"r":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","uid":"set-uid"},)"
           R"({"apiVersion":"v1","kind":"Pod","name":"db-5","uid":"pod-5"},)"
           R"({"apiVersion":"v1","kind":"ConfigMap","name":"x","uid":"cm"}]})")["r"];
  CHECK(kinds(ClaimOwnerRefs(owned, Set(), &condemned)) == std::vector<std::string>{"ConfigMap"});
  CHECK(ClaimHasStalePodRef(owned, "db-5", ""));
  CHECK(ClaimHasStalePodRef(owned, "db-5", "pod-6"));
  CHECK_FALSE(ClaimHasStalePodRef(owned, "db-5", "pod-5"));
  CHECK_FALSE(ClaimHasStalePodRef(owned, "db-1", ""));
}

}  // namespace
}  // namespace kc::controllers

// Helpers for the ReplicaSet and Deployment controller tests (tests only): workload objects,
// pod readiness and replica changes in the fake, and waiting for an informer to catch up.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/controllers/controller_test_util.h"

namespace kc::controllers::testing {

inline boost::json::object PodTemplate(const std::string& app, const std::string& image) {
  return boost::json::object{
      {"metadata", boost::json::object{{"labels", boost::json::object{{"app", app}}}}},
      {"spec", boost::json::object{{"containers", boost::json::array{boost::json::object{
                                                      {"name", "c"}, {"image", image}}}}}}};
}

inline client::Object ReplicaSetObject(const std::string& name, int64_t replicas) {
  client::Object rs = MakeObject("apps/v1", "ReplicaSet", "default", name);
  rs["spec"] = boost::json::object{
      {"replicas", replicas},
      {"selector", boost::json::object{{"matchLabels", boost::json::object{{"app", "web"}}}}},
      {"template", PodTemplate("web", "nginx:1")}};
  return rs;
}

// True once the informer for `res` holds exactly what the fake holds (by resourceVersion).
inline bool CacheCaughtUp(client::FakeClient& fake, client::SharedInformerFactory& factory,
                          const client::ResourceRef& res) {
  client::SharedInformer* inf = factory.ForResource(res);
  return WaitFor([&] {
    api::Result<client::ObjectList> l = fake.List(res, "", {});
    if (!l.ok() || l->items.size() != inf->indexer().Size()) return false;
    for (const client::Object& o : l->items) {
      client::ObjectPtr c = inf->Get(client::ObjectKey(o));
      if (!c || client::ObjectMetaString(*c, "resourceVersion") !=
                    client::ObjectMetaString(o, "resourceVersion")) {
        return false;
      }
    }
    return true;
  });
}

// Sets the pod's phase Running and its Ready condition (lastTransitionTime `ago` in the past).
inline void SetPodReady(client::FakeClient& fake, const std::string& name, bool ready,
                        std::chrono::seconds ago = std::chrono::seconds(0)) {
  api::Result<client::Object> p = fake.Get(kPods, "default", name);
  if (!p.ok()) return;
  boost::json::object& st = api::EnsureObject(*p, "status");
  st["phase"] = "Running";
  st["conditions"] = boost::json::array{boost::json::object{
      {"type", "Ready"},
      {"status", ready ? "True" : "False"},
      {"lastTransitionTime", api::FormatTime(std::chrono::system_clock::now() - ago)}}};
  client::WriteOptions w;
  w.subresource = "status";
  fake.Update(kPods, "default", *p, w);
}

inline void SetReplicas(client::FakeClient& fake, const client::ResourceRef& res,
                        const std::string& name, int64_t replicas) {
  fake.Patch(res, "default", name, client::PatchType::kMerge,
             "{\"spec\":{\"replicas\":" + std::to_string(replicas) + "}}");
}

}  // namespace kc::controllers::testing

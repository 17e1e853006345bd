#include "pkg/controllers/node_lifecycle_pods.h"

#include <boost/json/array.hpp>

#include "pkg/api/json_path.h"

namespace kc::controllers {

std::string PodNodeName(const client::Object& pod) {
  const boost::json::value* n = api::Lookup(pod, "spec.nodeName");
  return n && n->is_string() ? std::string(n->get_string()) : "";
}

std::vector<std::string> PodNodeNameIndexFunc(const client::Object& pod) {
  std::string node = PodNodeName(pod);
  if (node.empty()) return {};
  return {node};
}

bool UpdatePodCondition(boost::json::object& status, boost::json::object cond,
                        const std::string& now) {
  const std::string type = api::GetString(cond, "type");
  boost::json::value& cv = status["conditions"];
  if (!cv.is_array()) cv = boost::json::array();
  boost::json::array& conds = cv.get_array();
  cond["lastTransitionTime"] = now;
  for (boost::json::value& v : conds) {
    if (!v.is_object() || api::GetString(v.get_object(), "type") != type) continue;
    const boost::json::object& old = v.get_object();
    bool same_status = api::GetString(old, "status") == api::GetString(cond, "status");
    if (same_status) {
      if (const boost::json::value* t = old.if_contains("lastTransitionTime")) {
        cond["lastTransitionTime"] = *t;
      } else {
        cond.erase("lastTransitionTime");
      }
    }
    auto field = [](const boost::json::object& o, const char* k) {
      const boost::json::value* f = o.if_contains(k);
      return f ? *f : boost::json::value();
    };
    if (same_status && field(old, "reason") == field(cond, "reason") &&
        field(old, "message") == field(cond, "message") &&
        field(old, "lastProbeTime") == field(cond, "lastProbeTime")) {
      return false;
    }
    v = std::move(cond);
    return true;
  }
  conds.emplace_back(std::move(cond));
  return true;
}

}  // namespace kc::controllers

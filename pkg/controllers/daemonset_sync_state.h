// Internal to the DaemonSet controller (daemonset_controller.cc and daemonset_update.cc): the
// state one sync works on and small helpers over daemon pods and DaemonSets.
//
// Thread-safety: a State belongs to one sync; the helpers are free functions over caller-owned
// values.
#pragma once

#include <algorithm>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/api/label_selector.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_revision.h"
#include "pkg/controllers/daemonset_controller.h"
#include "pkg/controllers/daemonset_node_eligibility.h"

namespace kc::controllers {
namespace daemonset_internal {

inline const client::ResourceRef kDaemonSets{"apps", "v1", "daemonsets"};
inline const client::ResourceRef kPods{"", "v1", "pods"};
inline const client::ResourceRef kNodes{"", "v1", "nodes"};

inline std::string Name(const client::Object& o) { return client::ObjectMetaString(o, "name"); }
inline std::string Uid(const client::Object& o) { return client::ObjectMetaString(o, "uid"); }

inline const boost::json::object* LabelsOf(const client::Object& o) {
  const boost::json::value* l = api::Lookup(o, "metadata.labels");
  return l && l->is_object() ? &l->get_object() : nullptr;
}

inline std::string Label(const client::Object& o, const char* key) {
  const boost::json::object* l = LabelsOf(o);
  return l ? api::GetString(*l, key) : "";
}

inline std::string StringAt(const client::Object& o, std::string_view path) {
  const boost::json::value* v = api::Lookup(o, path);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

inline std::string Phase(const client::Object& pod) { return StringAt(pod, "status.phase"); }

inline bool IsRolling(const client::Object& ds) {
  std::string t = StringAt(ds, "spec.updateStrategy.type");
  return t.empty() || t == "RollingUpdate";
}

inline std::optional<int64_t> TemplateGeneration(const client::Object& ds) {
  const boost::json::value* a = api::Lookup(ds, "metadata.annotations");
  if (!a || !a->is_object()) return std::nullopt;
  std::string g = api::GetString(a->get_object(), kTemplateGenerationAnnotation);
  if (g.empty() || g.size() > 18 || !std::all_of(g.begin(), g.end(), ::isdigit)) {
    return std::nullopt;
  }
  return std::stoll(g);
}

inline bool IsPodUpdated(const client::Object& pod, const std::string& hash,
                         std::optional<int64_t> generation) {
  bool template_matches =
      generation && Label(pod, kPodTemplateGenerationLabel) == std::to_string(*generation);
  bool hash_matches = !hash.empty() && Label(pod, kControllerRevisionHashLabel) == hash;
  return hash_matches || template_matches;
}

// Scheduled pods first, then older first, then by name (upstream's
// podByCreationTimestampAndPhase).
inline void SortByCreation(std::vector<client::ObjectPtr>& pods) {
  std::stable_sort(pods.begin(), pods.end(),
                   [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
                     bool sa = !StringAt(*a, "spec.nodeName").empty();
                     bool sb = !StringAt(*b, "spec.nodeName").empty();
                     if (sa != sb) return sa;
                     std::string ta = client::ObjectMetaString(*a, "creationTimestamp");
                     std::string tb = client::ObjectMetaString(*b, "creationTimestamp");
                     if (ta != tb) return ta < tb;
                     return Name(*a) < Name(*b);
                   });
}

}  // namespace daemonset_internal

// What one sync works on.
struct DaemonSetController::State {
  std::string key;
  std::string ns;
  client::Object ds;
  api::LabelSelector selector;
  std::vector<client::ObjectPtr> nodes;  // sorted by name
  std::map<std::string, client::ObjectPtr> node_by_name;
  std::vector<client::ObjectPtr> pods;  // claimed
  client::Object cur;                   // the revision of the current template
  std::vector<client::Object> old;      // the other revisions
  std::string hash;
  std::optional<int64_t> generation;
  int64_t min_ready = 0;
  std::chrono::system_clock::time_point now;
  bool adopt_checked = false;
  bool can_adopt = false;
};

}  // namespace kc::controllers

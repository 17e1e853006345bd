#include "pkg/controllers/namespace_conditions.h"

#include <boost/json/array.hpp>

#include "pkg/api/json_path.h"

namespace kc::controllers {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::vector<NamespaceCondition> DeletionConditions(const NamespaceContentReport& report) {
  std::vector<NamespaceCondition> out;
  out.push_back({"NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered",
                 "All resources successfully discovered"});
  out.push_back({"NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
                 "All legacy kube types successfully parsed"});
  if (report.errors.empty()) {
    out.push_back({"NamespaceDeletionContentFailure", "False", "ContentDeleted",
                   "All content successfully deleted, may be waiting on finalization"});
  } else {
    // Upstream prints an aggregate of one error bare, of several as "[a, b]".
    std::string errs =
        report.errors.size() == 1 ? report.errors[0] : "[" + Join(report.errors, ", ") + "]";
    out.push_back({"NamespaceDeletionContentFailure", "True", "ContentDeletionFailed",
                   "Failed to delete all resource types, " + std::to_string(report.errors.size()) +
                       " remaining: " + errs});
  }
  if (report.remaining.empty()) {
    out.push_back({"NamespaceContentRemaining", "False", "ContentRemoved",
                   "All content successfully removed"});
  } else {
    std::vector<std::string> parts;  // std::map keeps them sorted, as upstream sorts them
    for (const auto& [res, n] : report.remaining) {
      parts.push_back(res + " has " + std::to_string(n) + " resource instances");
    }
    out.push_back({"NamespaceContentRemaining", "True", "SomeResourcesRemain",
                   "Some resources are remaining: " + Join(parts, ", ")});
  }
  if (report.finalizers.empty()) {
    out.push_back({"NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
                   "All content-preserving finalizers finished"});
  } else {
    std::vector<std::string> parts;
    for (const auto& [f, n] : report.finalizers) {
      parts.push_back(f + " in " + std::to_string(n) + " resource instances");
    }
    out.push_back({"NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
                   "Some content in the namespace has finalizers remaining: " + Join(parts, ", ")});
  }
  return out;
}

bool MergeConditions(boost::json::object& ns, const std::vector<NamespaceCondition>& conditions,
                     const std::string& now) {
  boost::json::object& status = api::EnsureObject(ns, "status");
  boost::json::value& cv = status["conditions"];
  if (!cv.is_array()) cv = boost::json::array();
  boost::json::array& list = cv.get_array();
  bool changed = false;
  for (const NamespaceCondition& c : conditions) {
    boost::json::object* existing = nullptr;
    for (boost::json::value& v : list) {
      if (v.is_object() && api::GetString(v.get_object(), "type") == c.type) {
        existing = &v.get_object();
        break;
      }
    }
    if (existing && api::GetString(*existing, "status") == c.status &&
        api::GetString(*existing, "reason") == c.reason &&
        api::GetString(*existing, "message") == c.message) {
      continue;
    }
    boost::json::object next;
    next["type"] = c.type;
    next["status"] = c.status;
    std::string transition = now;
    if (existing && api::GetString(*existing, "status") == c.status &&
        !api::GetString(*existing, "lastTransitionTime").empty()) {
      transition = api::GetString(*existing, "lastTransitionTime");
    }
    next["lastTransitionTime"] = transition;
    next["reason"] = c.reason;
    next["message"] = c.message;
    if (existing) {
      *existing = std::move(next);
    } else {
      list.push_back(std::move(next));
    }
    changed = true;
  }
  return changed;
}

}  // namespace kc::controllers

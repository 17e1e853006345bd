#include "pkg/controllers/controller_utils.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

const boost::json::object* ReadyCondition(const client::Object& pod) {
  const boost::json::value* c = api::Lookup(pod, "status.conditions");
  if (!c || !c->is_array()) return nullptr;
  return FindCondition(c->get_array(), "Ready");
}

void AppendCanonical(const boost::json::value& v, std::string& out) {
  if (v.is_object()) {
    std::vector<std::pair<std::string, const boost::json::value*>> members;
    for (const auto& kv : v.get_object()) members.emplace_back(std::string(kv.key()), &kv.value());
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out += '{';
    bool first = true;
    for (const auto& [k, val] : members) {
      if (!first) out += ',';
      first = false;
      out += boost::json::serialize(boost::json::value(k));
      out += ':';
      AppendCanonical(*val, out);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const boost::json::value& e : v.get_array()) {
      if (!first) out += ',';
      first = false;
      AppendCanonical(e, out);
    }
    out += ']';
  } else {
    out += boost::json::serialize(v);
  }
}

}  // namespace

bool IsPodActive(const client::Object& pod) {
  const boost::json::value* p = api::Lookup(pod, "status.phase");
  std::string phase = p && p->is_string() ? std::string(p->get_string()) : "";
  return phase != "Succeeded" && phase != "Failed" && !IsDeleting(pod);
}

bool IsPodReady(const client::Object& pod) {
  const boost::json::object* c = ReadyCondition(pod);
  return c && api::GetString(*c, "status") == "True";
}

std::optional<std::chrono::system_clock::time_point> PodReadySince(const client::Object& pod) {
  const boost::json::object* c = ReadyCondition(pod);
  if (!c || api::GetString(*c, "status") != "True") return std::nullopt;
  return api::ParseTime(api::GetString(*c, "lastTransitionTime"));
}

bool IsPodAvailable(const client::Object& pod, int64_t min_ready_seconds,
                    std::chrono::system_clock::time_point now) {
  if (!IsPodReady(pod)) return false;
  if (min_ready_seconds <= 0) return true;
  std::optional<std::chrono::system_clock::time_point> since = PodReadySince(pod);
  return since && *since + std::chrono::seconds(min_ready_seconds) <= now;
}

std::optional<OwnerRef> ControllerOf(const client::Object& obj) {
  for (const OwnerRef& r : OwnerRefs(obj)) {
    if (r.controller) return r;
  }
  return std::nullopt;
}

boost::json::object ControllerRefFor(const client::Object& owner) {
  boost::json::object r;
  r["apiVersion"] = api::GetString(owner, "apiVersion");
  r["kind"] = api::GetString(owner, "kind");
  r["name"] = client::ObjectMetaString(owner, "name");
  r["uid"] = client::ObjectMetaString(owner, "uid");
  r["controller"] = true;
  r["blockOwnerDeletion"] = true;
  return r;
}

std::string AdoptPatch(const client::Object& obj, const client::Object& owner) {
  boost::json::array refs;
  if (const boost::json::value* v = api::Lookup(obj, "metadata.ownerReferences");
      v && v->is_array()) {
    refs = v->get_array();
  }
  refs.emplace_back(ControllerRefFor(owner));
  return MetadataListPatch(client::ObjectMetaString(obj, "resourceVersion"), "ownerReferences",
                           refs);
}

std::string ReleasePatch(const client::Object& obj, const std::string& owner_uid) {
  boost::json::array refs;
  if (const boost::json::value* v = api::Lookup(obj, "metadata.ownerReferences");
      v && v->is_array()) {
    for (const boost::json::value& r : v->get_array()) {
      if (r.is_object() && api::GetString(r.get_object(), "uid") == owner_uid) continue;
      refs.push_back(r);
    }
  }
  return MetadataListPatch(client::ObjectMetaString(obj, "resourceVersion"), "ownerReferences",
                           refs);
}

ClaimAction ClaimObject(const client::Object& obj, const client::Object& owner, bool matches) {
  std::optional<OwnerRef> ref = ControllerOf(obj);
  if (ref) {
    if (ref->uid != client::ObjectMetaString(owner, "uid")) return ClaimAction::kIgnore;
    if (matches) return ClaimAction::kOwned;
    return IsDeleting(owner) ? ClaimAction::kIgnore : ClaimAction::kRelease;
  }
  if (!matches || IsDeleting(owner) || IsDeleting(obj)) return ClaimAction::kIgnore;
  return ClaimAction::kAdopt;
}

std::string CanonicalJson(const boost::json::value& v) {
  std::string out;
  AppendCanonical(v, out);
  return out;
}

std::string ComputeTemplateHash(const boost::json::value& pod_template,
                                std::optional<int64_t> collision_count) {
  std::string text = CanonicalJson(pod_template);
  if (collision_count) text += "#" + std::to_string(*collision_count);
  uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string digits = std::to_string(h);
  std::string out;
  for (unsigned char c : digits) out += kAlphabet[c % (sizeof(kAlphabet) - 1)];
  return out;
}

api::Result<int64_t> ScaledValue(const boost::json::value* v, int64_t total, bool round_up,
                                 int64_t def) {
  if (!v || v->is_null()) return def;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (!v->is_string()) return api::Status::Invalid("invalid int-or-string value");
  std::string s(v->get_string());
  bool pct = !s.empty() && s.back() == '%';
  if (pct) s.pop_back();
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), ::isdigit)) {
    return api::Status::Invalid("invalid value for IntOrString: invalid value \"" +
                                std::string(v->get_string()) + "\"");
  }
  int64_t n = std::stoll(s);
  if (!pct) return n;
  int64_t num = n * total;
  return round_up ? (num + 99) / 100 : num / 100;
}

const boost::json::object* FindCondition(const boost::json::array& conditions,
                                         const std::string& type) {
  for (const boost::json::value& c : conditions) {
    if (c.is_object() && api::GetString(c.get_object(), "type") == type) return &c.get_object();
  }
  return nullptr;
}

bool RemoveCondition(boost::json::array& conditions, const std::string& type) {
  for (auto it = conditions.begin(); it != conditions.end(); ++it) {
    if (it->is_object() && api::GetString(it->get_object(), "type") == type) {
      conditions.erase(it);
      return true;
    }
  }
  return false;
}

bool SetCondition(boost::json::array& conditions, const std::string& type,
                  const std::string& status, const std::string& reason, const std::string& message,
                  const std::string& now) {
  std::string transition = now;
  if (const boost::json::object* cur = FindCondition(conditions, type)) {
    if (api::GetString(*cur, "status") == status && api::GetString(*cur, "reason") == reason) {
      return false;
    }
    if (api::GetString(*cur, "status") == status) {
      transition = api::GetString(*cur, "lastTransitionTime");
    }
    RemoveCondition(conditions, type);
  }
  boost::json::object c;
  c["type"] = type;
  c["status"] = status;
  c["lastUpdateTime"] = now;
  c["lastTransitionTime"] = transition;
  c["reason"] = reason;
  c["message"] = message;
  conditions.emplace_back(std::move(c));
  return true;
}

void ControllerExpectations::ExpectCreations(const std::string& key, int n) {
  std::lock_guard<std::mutex> l(mu_);
  Record& r = records_[key];
  r.adds = n;
  r.deletes.clear();
  r.at = std::chrono::steady_clock::now();
}

void ControllerExpectations::ExpectDeletions(const std::string& key,
                                             const std::set<std::string>& pod_keys) {
  std::lock_guard<std::mutex> l(mu_);
  Record& r = records_[key];
  r.adds = 0;
  r.deletes = pod_keys;
  r.at = std::chrono::steady_clock::now();
}

void ControllerExpectations::CreationObserved(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(key);
  if (it != records_.end() && it->second.adds > 0) it->second.adds--;
}

void ControllerExpectations::DeletionObserved(const std::string& key, const std::string& pod_key) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(key);
  if (it != records_.end()) it->second.deletes.erase(pod_key);
}

bool ControllerExpectations::Satisfied(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return true;
  const Record& r = it->second;
  if (r.adds <= 0 && r.deletes.empty()) return true;
  return std::chrono::steady_clock::now() - r.at > timeout_;
}

void ControllerExpectations::Delete(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  records_.erase(key);
}

}  // namespace kc::controllers

#include "pkg/controllers/job_utils.h"

#include <algorithm>
#include <tuple>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const boost::json::array* JobConditions(const client::Object& job) {
  const boost::json::value* c = api::Lookup(job, "status.conditions");
  return c && c->is_array() ? &c->get_array() : nullptr;
}

std::optional<WallTime> TimeField(const boost::json::object& o, const char* key) {
  std::string s = api::GetString(o, key);
  if (s.empty()) return std::nullopt;
  return api::ParseTime(s);
}

bool ParseNonNegative(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Latest state.terminated.finishedAt of the containers, nullopt if any is not terminated.
std::optional<WallTime> ContainersFinishTime(const client::Object& pod) {
  const boost::json::value* s = api::Lookup(pod, "status.containerStatuses");
  if (!s || !s->is_array() || s->get_array().empty()) return std::nullopt;
  std::optional<WallTime> latest;
  for (const boost::json::value& c : s->get_array()) {
    const boost::json::value* t = c.is_object() ? api::Lookup(c, "state.terminated") : nullptr;
    if (!t || !t->is_object()) return std::nullopt;
    std::optional<WallTime> f = TimeField(t->get_object(), "finishedAt");
    if (f && (!latest || *latest < *f)) latest = f;
  }
  return latest;
}

int PhaseOrdinal(const std::string& phase) {
  if (phase == "Unknown") return 1;
  if (phase == "Running") return 2;
  return 0;  // Pending or none
}

int64_t MaxRestarts(const client::Object& pod) {
  int64_t max = 0;
  if (const boost::json::value* s = api::Lookup(pod, "status.containerStatuses");
      s && s->is_array()) {
    for (const boost::json::value& c : s->get_array()) {
      if (c.is_object()) max = std::max(max, api::GetInt64(c.get_object(), "restartCount"));
    }
  }
  return max;
}

bool ExitCodeMatches(int64_t code, const boost::json::object& req) {
  std::string op = api::GetString(req, "operator");
  bool in_values = false;
  if (const boost::json::array* vals = api::GetArray(req, "values")) {
    for (const boost::json::value& v : *vals) {
      if (v.is_int64() && v.get_int64() == code) in_values = true;
      if (v.is_uint64() && static_cast<int64_t>(v.get_uint64()) == code) in_values = true;
    }
  }
  if (op == "In") return in_values;
  if (op == "NotIn") return !in_values;
  return false;
}

// The first terminated container (regular, then init) with a non-zero exit code matching.
const boost::json::object* MatchExitCodes(const client::Object& pod,
                                          const boost::json::object& req) {
  std::string container = api::GetString(req, "containerName");
  for (const char* field : {"status.containerStatuses", "status.initContainerStatuses"}) {
    const boost::json::value* list = api::Lookup(pod, field);
    if (!list || !list->is_array()) continue;
    for (const boost::json::value& c : list->get_array()) {
      if (!c.is_object()) continue;
      const boost::json::value* t = api::Lookup(c, "state.terminated");
      if (!t || !t->is_object()) continue;
      if (!container.empty() && api::GetString(c.get_object(), "name") != container) continue;
      int64_t code = api::GetInt64(t->get_object(), "exitCode");
      if (code != 0 && ExitCodeMatches(code, req)) return &c.get_object();
    }
  }
  return nullptr;
}

const boost::json::object* MatchPodConditions(const client::Object& pod,
                                              const boost::json::array& patterns) {
  const boost::json::value* conds = api::Lookup(pod, "status.conditions");
  if (!conds || !conds->is_array()) return nullptr;
  for (const boost::json::value& c : conds->get_array()) {
    if (!c.is_object()) continue;
    for (const boost::json::value& p : patterns) {
      if (!p.is_object()) continue;
      std::string want_status = api::GetString(p.get_object(), "status");
      if (want_status.empty()) want_status = "True";
      if (api::GetString(c.get_object(), "type") == api::GetString(p.get_object(), "type") &&
          api::GetString(c.get_object(), "status") == want_status) {
        return &c.get_object();
      }
    }
  }
  return nullptr;
}

PodFailureAction ActionOf(const std::string& a) {
  if (a == "FailJob") return PodFailureAction::kFailJob;
  if (a == "Ignore") return PodFailureAction::kIgnore;
  if (a == "Count") return PodFailureAction::kCount;
  if (a == "FailIndex") return PodFailureAction::kFailIndex;
  return PodFailureAction::kNone;
}

void SortByFinishedTime(std::vector<client::ObjectPtr>& pods) {
  std::stable_sort(pods.begin(), pods.end(),
                   [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
                     return PodFinishedTime(*a) < PodFinishedTime(*b);
                   });
}

}  // namespace

const boost::json::object* FindJobCondition(const client::Object& job, const std::string& type) {
  const boost::json::array* conds = JobConditions(job);
  if (!conds) return nullptr;
  for (const boost::json::value& c : *conds) {
    if (c.is_object() && api::GetString(c.get_object(), "type") == type) return &c.get_object();
  }
  return nullptr;
}

bool IsJobConditionTrue(const client::Object& job, const std::string& type) {
  const boost::json::object* c = FindJobCondition(job, type);
  return c && api::GetString(*c, "status") == "True";
}

std::string JobFinishedType(const client::Object& job) {
  const boost::json::array* conds = JobConditions(job);
  if (!conds) return "";
  for (const boost::json::value& c : *conds) {
    if (!c.is_object() || api::GetString(c.get_object(), "status") != "True") continue;
    std::string type = api::GetString(c.get_object(), "type");
    if (type == "Complete" || type == "Failed") return type;
  }
  return "";
}

std::optional<WallTime> JobFinishTime(const client::Object& job) {
  const boost::json::array* conds = JobConditions(job);
  if (!conds) return std::nullopt;
  for (const boost::json::value& c : *conds) {
    if (!c.is_object() || api::GetString(c.get_object(), "status") != "True") continue;
    std::string type = api::GetString(c.get_object(), "type");
    if (type == "Complete" || type == "Failed") {
      return TimeField(c.get_object(), "lastTransitionTime");
    }
  }
  return std::nullopt;
}

boost::json::object NewJobCondition(const std::string& type, const std::string& status,
                                    const std::string& reason, const std::string& message,
                                    WallTime now) {
  boost::json::object c;
  c["type"] = type;
  c["status"] = status;
  c["lastProbeTime"] = api::FormatTime(now);
  c["lastTransitionTime"] = api::FormatTime(now);
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

bool EnsureJobCondition(boost::json::array& conditions, const std::string& type,
                        const std::string& status, const std::string& reason,
                        const std::string& message, WallTime now) {
  for (boost::json::value& v : conditions) {
    if (!v.is_object() || api::GetString(v.get_object(), "type") != type) continue;
    const boost::json::object& c = v.get_object();
    if (api::GetString(c, "status") != status || api::GetString(c, "reason") != reason ||
        api::GetString(c, "message") != message) {
      v = NewJobCondition(type, status, reason, message, now);
      return true;
    }
    return false;
  }
  if (status == "False") return false;
  conditions.push_back(NewJobCondition(type, status, reason, message, now));
  return true;
}

int64_t CompletionIndex(const client::Object& pod) {
  const boost::json::value* a = api::Lookup(pod, "metadata.annotations");
  if (!a || !a->is_object()) return -1;
  const boost::json::value* v = a->get_object().if_contains(kJobCompletionIndexAnnotation);
  if (!v || !v->is_string()) return -1;
  std::string s(v->get_string());
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  int64_t ix = 0;
  return ParseNonNegative(s, &ix) ? ix : -1;
}

OrderedIndexes OrderedIndexes::Parse(const std::string& s, int64_t completions) {
  OrderedIndexes out;
  if (s.empty()) return out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string part =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? s.size() + 1 : comma + 1;
    size_t dash = part.find('-');
    Interval iv{0, 0};
    if (!ParseNonNegative(part.substr(0, dash), &iv.first)) continue;
    if (iv.first >= completions) break;
    if (dash != std::string::npos) {
      if (!ParseNonNegative(part.substr(dash + 1), &iv.last)) continue;
      if (iv.last >= completions) iv.last = completions - 1;
    } else {
      iv.last = iv.first;
    }
    if (!out.intervals_.empty() && out.intervals_.back().last == iv.first - 1) {
      out.intervals_.back().last = iv.last;
    } else {
      out.intervals_.push_back(iv);
    }
  }
  return out;
}

OrderedIndexes OrderedIndexes::With(const std::vector<int64_t>& indexes) const {
  std::vector<Interval> all = intervals_;
  for (int64_t ix : indexes) all.push_back({ix, ix});
  std::stable_sort(all.begin(), all.end(),
                   [](const Interval& a, const Interval& b) { return a.first < b.first; });
  OrderedIndexes out;
  for (const Interval& iv : all) {
    if (out.intervals_.empty() || iv.first > out.intervals_.back().last + 1) {
      out.intervals_.push_back(iv);
    } else if (out.intervals_.back().last < iv.last) {
      out.intervals_.back().last = iv.last;
    }
  }
  return out;
}

bool OrderedIndexes::Has(int64_t ix) const {
  auto it = std::lower_bound(intervals_.begin(), intervals_.end(), ix,
                             [](const Interval& iv, int64_t v) { return iv.last < v; });
  return it != intervals_.end() && it->first <= ix;
}

int64_t OrderedIndexes::Total() const {
  int64_t n = 0;
  for (const Interval& iv : intervals_) n += iv.last - iv.first + 1;
  return n;
}

std::string OrderedIndexes::ToString() const {
  std::string out;
  for (const Interval& iv : intervals_) {
    if (!out.empty()) out += ',';
    out += std::to_string(iv.first);
    if (iv.last > iv.first) {
      out += iv.last == iv.first + 1 ? ',' : '-';
      out += std::to_string(iv.last);
    }
  }
  return out;
}

std::string PodPhase(const client::Object& pod) {
  const boost::json::value* p = api::Lookup(pod, "status.phase");
  return p && p->is_string() ? std::string(p->get_string()) : "";
}

bool HasJobTrackingFinalizer(const client::Object& pod) {
  return HasFinalizer(Finalizers(pod), kJobTrackingFinalizer);
}

bool IsPodTerminating(const client::Object& pod) {
  std::string phase = PodPhase(pod);
  return phase != "Succeeded" && phase != "Failed" && IsDeleting(pod);
}

bool IsPodFailedForJob(const client::Object& pod, const client::Object& job) {
  std::string phase = PodPhase(pod);
  if (phase == "Failed") return true;
  const boost::json::object* spec = api::GetObject(job, "spec");
  if (spec) {
    const boost::json::value* pfp = spec->if_contains("podFailurePolicy");
    bool only_failed =
        (pfp && !pfp->is_null()) || api::GetString(*spec, "podReplacementPolicy") == "Failed";
    if (only_failed) return false;
  }
  return IsDeleting(pod) && phase != "Succeeded";
}

WallTime PodFinishedTime(const client::Object& pod) {
  if (std::optional<WallTime> t = ContainersFinishTime(pod)) return *t;
  if (const boost::json::value* conds = api::Lookup(pod, "status.conditions");
      conds && conds->is_array()) {
    for (const boost::json::value& c : conds->get_array()) {
      if (!c.is_object() || api::GetString(c.get_object(), "type") != "Ready") continue;
      if (api::GetString(c.get_object(), "status") == "False") {
        if (std::optional<WallTime> t = TimeField(c.get_object(), "lastTransitionTime")) return *t;
      }
    }
  }
  if (const boost::json::object* meta = api::GetObject(pod, "metadata")) {
    if (std::optional<WallTime> t = TimeField(*meta, "deletionTimestamp")) return *t;
    if (std::optional<WallTime> t = TimeField(*meta, "creationTimestamp")) return *t;
  }
  return WallTime{};
}

int64_t ActivePodRestarts(const std::vector<client::ObjectPtr>& pods) {
  int64_t total = 0;
  for (const client::ObjectPtr& p : pods) {
    std::string phase = PodPhase(*p);
    if (phase != "Running" && phase != "Pending") continue;
    for (const char* field : {"status.initContainerStatuses", "status.containerStatuses"}) {
      const boost::json::value* list = api::Lookup(*p, field);
      if (!list || !list->is_array()) continue;
      for (const boost::json::value& c : list->get_array()) {
        if (c.is_object()) total += api::GetInt64(c.get_object(), "restartCount");
      }
    }
  }
  return total;
}

void SortForDeletion(std::vector<client::ObjectPtr>& pods) {
  auto key = [](const client::ObjectPtr& p) {
    const boost::json::value* n = api::Lookup(*p, "spec.nodeName");
    bool assigned = n && n->is_string() && !n->get_string().empty();
    bool ready = IsPodReady(*p);
    std::optional<WallTime> since = ready ? PodReadySince(*p) : std::nullopt;
    int64_t ready_at =
        since ? std::chrono::duration_cast<std::chrono::seconds>(since->time_since_epoch()).count()
              : 0;
    std::optional<WallTime> created =
        api::ParseTime(client::ObjectMetaString(*p, "creationTimestamp"));
    int64_t created_at =
        created
            ? std::chrono::duration_cast<std::chrono::seconds>(created->time_since_epoch()).count()
            : 0;
    // Smaller tuples are deleted first; a missing time counts as the newest.
    return std::make_tuple(assigned, PhaseOrdinal(PodPhase(*p)), ready,
                           since ? -ready_at : INT64_MIN, -MaxRestarts(*p),
                           created ? -created_at : INT64_MIN);
  };
  std::stable_sort(
      pods.begin(), pods.end(),
      [&](const client::ObjectPtr& a, const client::ObjectPtr& b) { return key(a) < key(b); });
}

PodFailurePolicyMatch MatchPodFailurePolicy(const boost::json::object* policy,
                                            const client::Object& pod) {
  PodFailurePolicyMatch m;
  if (!policy) return m;
  const boost::json::array* rules = api::GetArray(*policy, "rules");
  if (!rules) return m;
  std::string ns = client::ObjectMetaString(pod, "namespace");
  std::string name = client::ObjectMetaString(pod, "name");
  for (size_t i = 0; i < rules->size(); ++i) {
    if (!(*rules)[i].is_object()) continue;
    const boost::json::object& rule = (*rules)[i].get_object();
    std::string action_name = api::GetString(rule, "action");
    PodFailureAction action = ActionOf(action_name);
    std::string matched;
    if (const boost::json::object* codes = api::GetObject(rule, "onExitCodes")) {
      const boost::json::object* c = MatchExitCodes(pod, *codes);
      if (!c) continue;
      int64_t code =
          api::GetInt64(*api::GetObject(*api::GetObject(*c, "state"), "terminated"), "exitCode");
      matched = "Container " + api::GetString(*c, "name") + " for pod " + ns + "/" + name +
                " failed with exit code " + std::to_string(code) + " matching " + action_name +
                " rule at index " + std::to_string(i);
    } else if (const boost::json::array* pcs = api::GetArray(rule, "onPodConditions")) {
      const boost::json::object* c = MatchPodConditions(pod, *pcs);
      if (!c) continue;
      matched = "Pod " + ns + "/" + name + " has condition " + api::GetString(*c, "type") +
                " matching " + action_name + " rule at index " + std::to_string(i);
    } else {
      continue;
    }
    switch (action) {
      case PodFailureAction::kIgnore:
        return {PodFailureAction::kIgnore, false, ""};
      case PodFailureAction::kCount:
        return {PodFailureAction::kCount, true, ""};
      case PodFailureAction::kFailIndex:
        return {PodFailureAction::kFailIndex, true, ""};
      case PodFailureAction::kFailJob:
        return {PodFailureAction::kFailJob, true, matched};
      case PodFailureAction::kNone:
        break;  // unknown action: try the next rule
    }
  }
  return m;
}

JobBackoffRecord NextBackoffRecord(JobBackoffRecord record,
                                   const std::vector<client::ObjectPtr>& new_succeeded,
                                   const std::vector<client::ObjectPtr>& new_failed) {
  std::vector<client::ObjectPtr> succeeded = new_succeeded;
  std::vector<client::ObjectPtr> failed = new_failed;
  SortByFinishedTime(succeeded);
  SortByFinishedTime(failed);
  if (succeeded.empty()) {
    if (failed.empty()) return record;
    record.failures_after_last_success += static_cast<int64_t>(failed.size());
    record.last_failure_time = PodFinishedTime(*failed.back());
    return record;
  }
  record = JobBackoffRecord{};
  WallTime last_success = PodFinishedTime(*succeeded.back());
  for (auto it = failed.rbegin(); it != failed.rend(); ++it) {
    WallTime t = PodFinishedTime(**it);
    if (t <= last_success) break;
    if (!record.last_failure_time) record.last_failure_time = t;
    record.failures_after_last_success++;
  }
  return record;
}

std::chrono::milliseconds RemainingBackoff(const JobBackoffRecord& record, WallTime now,
                                           std::chrono::milliseconds base,
                                           std::chrono::milliseconds max) {
  if (record.failures_after_last_success == 0 || !record.last_failure_time) {
    return std::chrono::milliseconds(0);
  }
  std::chrono::milliseconds backoff = base;
  for (int64_t i = 1; i < record.failures_after_last_success; ++i) {
    backoff *= 2;
    if (backoff >= max) {
      backoff = max;
      break;
    }
  }
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - *record.last_failure_time);
  if (backoff < elapsed) return std::chrono::milliseconds(0);
  return backoff - elapsed;
}

}  // namespace kc::controllers

// batch/v1 Job and CronJob validation, including the cron schedule parser's error texts.
#include <sys/stat.h>

#include <vector>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr int64_t kMaxParallelismForIndexedJob = 100000;

std::string JoinGoSlice(const std::vector<std::string_view>& fields) {
  std::string s = "[";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) s += " ";
    s += fields[i];
  }
  return s + "]";
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

struct Bounds {
  int64_t min, max;
  std::vector<std::string_view> names;  // names[i] ↔ min + i
};

// strconv.Atoi semantics plus robfig/cron's wording.
bool ParseCronInt(std::string_view expr, int64_t* out, std::string* err) {
  std::string_view digits = expr;
  bool neg = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    neg = digits[0] == '-';
    digits.remove_prefix(1);
  }
  bool ok = !digits.empty() && digits.size() < 18;
  int64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      ok = false;
    else
      v = v * 10 + (c - '0');
  }
  if (!ok) {
    *err = "failed to parse int from " + std::string(expr) + ": strconv.Atoi: parsing " +
           GoQuote(expr) + ": invalid syntax";
    return false;
  }
  if (neg) v = -v;
  if (v < 0) {
    *err = "negative number (" + std::to_string(v) + ") not allowed: " + std::string(expr);
    return false;
  }
  *out = v;
  return true;
}

bool ParseIntOrName(std::string_view expr, const Bounds& b, int64_t* out, std::string* err) {
  std::string lower(expr);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t i = 0; i < b.names.size(); ++i) {
    if (lower == b.names[i]) {
      *out = b.min + static_cast<int64_t>(i);
      return true;
    }
  }
  return ParseCronInt(expr, out, err);
}

std::string CronRangeError(std::string_view expr, const Bounds& b) {
  std::vector<std::string_view> range_and_step = Split(expr, '/');
  std::vector<std::string_view> low_high = Split(range_and_step[0], '-');
  int64_t start = 0, end = 0, step = 1;
  std::string err;
  bool star = low_high[0] == "*" || low_high[0] == "?";
  if (star) {
    start = b.min;
    end = b.max;
  } else {
    if (!ParseIntOrName(low_high[0], b, &start, &err)) return err;
    if (low_high.size() == 1) {
      end = start;
    } else if (low_high.size() == 2) {
      if (!ParseIntOrName(low_high[1], b, &end, &err)) return err;
    } else {
      return "too many hyphens: " + std::string(expr);
    }
  }
  if (range_and_step.size() == 2) {
    if (!ParseCronInt(range_and_step[1], &step, &err)) return err;
    if (low_high.size() == 1 && !star) end = b.max;
  } else if (range_and_step.size() > 2) {
    return "too many slashes: " + std::string(expr);
  }
  std::string e(expr);
  if (start < b.min) {
    return "beginning of range (" + std::to_string(start) + ") below minimum (" +
           std::to_string(b.min) + "): " + e;
  }
  if (end > b.max) {
    return "end of range (" + std::to_string(end) + ") above maximum (" + std::to_string(b.max) +
           "): " + e;
  }
  if (start > end) {
    return "beginning of range (" + std::to_string(start) + ") beyond end of range (" +
           std::to_string(end) + "): " + e;
  }
  if (step == 0) return "step of range should be a positive number: " + e;
  return "";
}

bool ValidGoDuration(std::string_view s) {
  // [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ with units ns us µs ms s m h, or "0".
  if (s == "0") return true;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i == s.size()) return false;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == start) return false;
    size_t ustart = i;
    while (i < s.size() && !((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    if (unit != "ns" && unit != "us" && unit != "µs" && unit != "ms" && unit != "s" &&
        unit != "m" && unit != "h") {
      return false;
    }
  }
  return true;
}

bool TimeZoneExists(std::string_view tz) {
  if (tz == "UTC") return true;
  struct stat st;
  std::string path = "/usr/share/zoneinfo/" + std::string(tz);
  if (::stat("/usr/share/zoneinfo", &st) != 0) return true;  // no tz database: cannot tell
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

ErrorList ValidateTimeZone(const json::object* spec, const Path& p) {
  ErrorList errs;
  const json::value* v = spec ? spec->if_contains("timeZone") : nullptr;
  if (v == nullptr || v->is_null()) return errs;
  std::string_view tz = v->is_string() ? std::string_view(v->get_string()) : "";
  if (tz.empty()) {
    errs.push_back(InvalidStr(p, tz, "timeZone must be nil or non-empty string"));
    return errs;
  }
  for (std::string_view part : Split(tz, '/')) {
    bool ok = part != "." && part != ".." && !part.empty() && part[0] != '-';
    for (char c : part) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '+' ||
            c == '.'))
        ok = false;
    }
    if (!ok) {
      errs.push_back(InvalidStr(p, tz, "unknown time zone " + std::string(tz)));
      return errs;
    }
  }
  std::string lower(tz);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "local") {
    errs.push_back(InvalidStr(
        p, tz,
        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
  } else if (!TimeZoneExists(tz)) {
    errs.push_back(InvalidStr(p, tz, "unknown time zone " + std::string(tz)));
  }
  return errs;
}

// validateJobSpec: everything but the selector (shared with CronJob job templates).
ErrorList ValidateJobSpecCommon(const json::object* spec, const Path& p) {
  ErrorList errs;
  for (const char* key : {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                          "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"}) {
    Append(errs, ValidateNonnegative(spec, key, p.Child(key)));
  }
  std::string_view mode = GetStr(spec, "completionMode");
  bool indexed = mode == "Indexed";
  if (!indexed) {
    for (const char* key : {"backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"}) {
      if (Has(spec, key))
        errs.push_back(Forbidden(p.Child(key), "requires indexed completion mode"));
    }
  }
  if (Has(spec, "completionMode")) {
    if (mode != "NonIndexed" && mode != "Indexed") {
      errs.push_back(NotSupported(p.Child("completionMode"), mode, {"NonIndexed", "Indexed"}));
    }
    if (indexed) {
      if (!Has(spec, "completions")) {
        errs.push_back(Required(p.Child("completions"), "when completion mode is Indexed"));
      }
      if (auto par = GetInt(spec, "parallelism"); par && *par > kMaxParallelismForIndexedJob) {
        errs.push_back(
            InvalidInt(p.Child("parallelism"), *par,
                       "must be less than or equal to 100000 when completion mode is Indexed"));
      }
    }
  }
  bool has_pfp = Has(spec, "podFailurePolicy");
  if (Has(spec, "podReplacementPolicy")) {
    std::string_view prp = GetStr(spec, "podReplacementPolicy");
    if (has_pfp) {
      if (prp != "Failed")
        errs.push_back(NotSupported(p.Child("podReplacementPolicy"), prp, {"Failed"}));
    } else if (prp != "Failed" && prp != "TerminatingOrFailed") {
      errs.push_back(
          NotSupported(p.Child("podReplacementPolicy"), prp, {"Failed", "TerminatingOrFailed"}));
    }
  }
  const json::object* tmpl = GetObj(spec, "template");
  Path tp = p.Child("template");
  Append(errs, ValidatePodTemplateSpec(tmpl, tp, PodSpecOptions{}));
  std::string_view restart = GetStr(GetObj(tmpl, "spec"), "restartPolicy");
  Path rp = tp.Child("spec", "restartPolicy");
  if (restart.empty() || restart == "Always") {
    errs.push_back(Required(rp, "valid values: \"OnFailure\", \"Never\""));
  } else if (restart != "OnFailure" && restart != "Never") {
    errs.push_back(NotSupported(rp, restart, {"OnFailure", "Never"}));
  } else if (has_pfp && restart != "Never") {
    errs.push_back(
        InvalidStr(rp, restart, "only \"Never\" is supported when podFailurePolicy is specified"));
  }
  return errs;
}

// Generated-selector mode: the template must carry the labels the server generated.
ErrorList ValidateGeneratedSelector(const json::object& obj) {
  ErrorList errs;
  const json::object* spec = GetObj(obj, "spec");
  if (IsTrue(spec, "manualSelector")) return errs;
  const json::object* tmeta = GetObj(GetObj(spec, "template"), "metadata");
  const json::object* labels = GetObj(tmeta, "labels");
  if (labels == nullptr) return errs;
  const json::object* meta = GetObj(obj, "metadata");
  std::string_view uid = GetStr(meta, "uid");
  std::string_view name = GetStr(meta, "name");
  if (uid.empty()) errs.push_back(Required(Path("metadata").Child("uid")));
  Path lp = Path("spec").Child("template", "metadata").Child("labels");
  auto has_label = [&](std::string_view key, std::string_view expected) {
    const json::value* v = labels->if_contains(key);
    if (v == nullptr) {
      errs.push_back(Required(lp.Key(key), expected));
    } else if (!v->is_string() || v->get_string() != expected) {
      errs.push_back(InvalidRendered(lp.Key(key), RenderStringMap(labels),
                                     "must be '" + std::string(expected) + "'"));
    }
  };
  has_label("controller-uid", uid);
  has_label("job-name", name);
  has_label("batch.kubernetes.io/controller-uid", uid);
  has_label("batch.kubernetes.io/job-name", name);
  const json::object* sel = GetObj(spec, "selector");
  if (sel != nullptr && InspectSelector(sel).ok) {
    json::object expected;
    expected["batch.kubernetes.io/controller-uid"] = uid;
    expected["batch.kubernetes.io/job-name"] = name;
    if (!SelectorMatches(sel, &expected)) {
      errs.push_back(InvalidRendered(Path("spec").Child("selector"),
                                     RenderLabelSelector(spec->if_contains("selector")),
                                     "`selector` not auto-generated"));
    }
  }
  return errs;
}

}  // namespace

std::string CronScheduleError(std::string_view schedule) {
  std::string_view spec = schedule;
  // TZ=/CRON_TZ= prefixes are parsed (and separately rejected by the caller).
  if (spec.substr(0, 3) == "TZ=" || spec.substr(0, 8) == "CRON_TZ=") {
    size_t sp = spec.find(' ');
    spec = sp == std::string_view::npos ? std::string_view() : spec.substr(sp + 1);
    while (!spec.empty() && spec.front() == ' ') spec.remove_prefix(1);
  }
  if (spec.empty()) return "empty spec string";
  if (spec[0] == '@') {
    static const char* kDescriptors[] = {"@yearly", "@annually", "@monthly", "@weekly",
                                         "@daily",  "@midnight", "@hourly"};
    for (const char* d : kDescriptors) {
      if (spec == d) return "";
    }
    if (spec.substr(0, 7) == "@every ") {
      std::string_view dur = spec.substr(7);
      if (ValidGoDuration(dur)) return "";
      return "failed to parse duration " + std::string(spec) + ": time: invalid duration " +
             GoQuote(dur);
    }
    return "unrecognized descriptor: " + std::string(spec);
  }
  std::vector<std::string_view> fields = SplitFields(spec);
  if (fields.size() != 5) {
    return "expected exactly 5 fields, found " + std::to_string(fields.size()) + ": " +
           JoinGoSlice(fields);
  }
  static const Bounds kBounds[] = {
      {0, 59, {}},
      {0, 23, {}},
      {1, 31, {}},
      {1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
      {0, 6, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
  };
  for (size_t i = 0; i < 5; ++i) {
    for (std::string_view part : Split(fields[i], ',')) {
      std::string err = CronRangeError(part, kBounds[i]);
      if (!err.empty()) return err;
    }
  }
  return "";
}

ErrorList ValidateJob(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Append(errs, ValidateGeneratedSelector(obj));
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  Append(errs, ValidateJobSpecCommon(spec, sp));
  const json::object* sel = GetObj(spec, "selector");
  if (sel == nullptr) {
    errs.push_back(Required(sp.Child("selector")));
  } else {
    Append(errs, ValidateLabelSelector(sel, sp.Child("selector")));
  }
  if (InspectSelector(sel).ok) {
    const json::object* tmeta = GetObj(GetObj(spec, "template"), "metadata");
    if (sel == nullptr || !InspectSelector(sel).empty) {
      Append(errs, ValidateSelectorMatchesTemplate(sel, tmeta,
                                                   sp.Child("template", "metadata", "labels")));
    }
  }
  if (GetStr(spec, "completionMode") == "Indexed") {
    if (auto completions = GetInt(spec, "completions"); completions && *completions > 0) {
      std::string name(GetStr(GetObj(obj, "metadata"), "name"));
      std::string host = name + "-" + std::to_string(*completions - 1);
      if (!IsDNS1123Label(host).empty()) {
        errs.push_back(InvalidStr(Path("metadata").Child("name"), name,
                                  "will not able to create pod with invalid DNS label: " + host));
      }
    }
  }
  return errs;
}

ErrorList ValidateJobUpdate(const ResourceInfo& ri, const json::object& obj,
                            const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Path sp("spec");
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  bool indexed = GetStr(ns, "completionMode") == "Indexed";
  const json::value* nc = ns ? ns->if_contains("completions") : nullptr;
  const json::value* oc = os ? os->if_contains("completions") : nullptr;
  if (!indexed) {
    Append(errs, ValidateImmutable(ns, os, "completions", sp.Child("completions")));
  } else if (!SemanticEqual(nc, oc) && nc && !nc->is_null()) {
    if (GetInt(ns, "completions") != GetInt(ns, "parallelism")) {
      errs.push_back(Invalid(sp.Child("completions"), *nc,
                             "can only be modified in tandem with spec.parallelism"));
    }
  }
  const json::value* nsel = ns ? ns->if_contains("selector") : nullptr;
  const json::value* osel = os ? os->if_contains("selector") : nullptr;
  if (!SemanticEqual(nsel, osel)) {
    errs.push_back(
        InvalidRendered(sp.Child("selector"), RenderLabelSelector(nsel), "field is immutable"));
  }
  // The template is immutable, except that a suspended Job that never started may change its
  // scheduling directives (nodeSelector, tolerations, affinity, schedulingGates) and labels.
  json::value nt = ns && ns->contains("template") ? ns->at("template") : json::value();
  json::value ot = os && os->contains("template") ? os->at("template") : json::value();
  bool never_started = !Has(GetObj(old, "status"), "startTime");
  if (IsTrue(ns, "suspend") && never_started) {
    for (json::value* t : {&nt, &ot}) {
      json::object* to = t->if_object();
      if (to == nullptr) continue;
      if (json::object* m = MutObj(*to, "metadata")) {
        m->erase("labels");
        m->erase("annotations");
      }
      if (json::object* s = MutObj(*to, "spec")) {
        for (const char* key : {"nodeSelector", "tolerations", "affinity", "schedulingGates"})
          s->erase(key);
      }
    }
  }
  if (!SemanticEqual(nt, ot)) {
    errs.push_back(
        InvalidRendered(sp.Child("template"), "core.PodTemplateSpec{...}", "field is immutable"));
  }
  for (const char* key : {"completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
                          "successPolicy"}) {
    Append(errs, ValidateImmutable(ns, os, key, sp.Child(key)));
  }
  (void)ri;
  return errs;
}

ErrorList ValidateCronJob(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  std::string_view schedule = GetStr(spec, "schedule");
  if (schedule.empty()) {
    errs.push_back(Required(sp.Child("schedule")));
  } else {
    std::string err = CronScheduleError(schedule);
    if (!err.empty()) errs.push_back(InvalidStr(sp.Child("schedule"), schedule, err));
    if (schedule.find("TZ") != std::string_view::npos) {
      errs.push_back(
          InvalidStr(sp.Child("schedule"), schedule,
                     "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
    }
  }
  Append(errs,
         ValidateNonnegative(spec, "startingDeadlineSeconds", sp.Child("startingDeadlineSeconds")));
  Append(errs, ValidateTimeZone(spec, sp.Child("timeZone")));
  std::string_view cp = GetStr(spec, "concurrencyPolicy");
  if (cp.empty()) {
    errs.push_back(Required(sp.Child("concurrencyPolicy")));
  } else if (cp != "Allow" && cp != "Forbid" && cp != "Replace") {
    errs.push_back(NotSupported(sp.Child("concurrencyPolicy"), cp, {"Allow", "Forbid", "Replace"}));
  }
  Path jp = sp.Child("jobTemplate");
  const json::object* jspec = GetObj(GetObj(spec, "jobTemplate"), "spec");
  Append(errs, ValidateJobSpecCommon(jspec, jp.Child("spec")));
  if (Has(jspec, "selector")) {
    errs.push_back(InvalidRendered(jp.Child("spec", "selector"),
                                   RenderLabelSelector(jspec->if_contains("selector")),
                                   "`selector` will be auto-generated"));
  }
  if (IsTrue(jspec, "manualSelector")) {
    errs.push_back(
        NotSupportedRendered(jp.Child("spec", "manualSelector"), "true", {"nil", "false"}));
  }
  Append(errs, ValidateNonnegative(spec, "successfulJobsHistoryLimit",
                                   sp.Child("successfulJobsHistoryLimit")));
  Append(errs,
         ValidateNonnegative(spec, "failedJobsHistoryLimit", sp.Child("failedJobsHistoryLimit")));
  std::string_view name = GetStr(GetObj(obj, "metadata"), "name");
  if (name.size() > 52) {
    errs.push_back(
        InvalidStr(Path("metadata").Child("name"), name, "must be no more than 52 characters"));
  }
  return errs;
}

}  // namespace kc::api::validation

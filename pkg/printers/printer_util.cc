#include "pkg/printers/printer_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "pkg/printers/printers.h"

namespace kc::printers::internal {

const boost::json::value* Find(const boost::json::object& o, std::string_view key) {
  return o.if_contains(key);
}

const boost::json::object* FindObj(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const boost::json::object* FindObj(const boost::json::object* o, std::string_view key) {
  return o ? FindObj(*o, key) : nullptr;
}

const boost::json::array* FindArr(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

const boost::json::array* FindArr(const boost::json::object* o, std::string_view key) {
  return o ? FindArr(*o, key) : nullptr;
}

const boost::json::object* Path(const boost::json::object& o,
                                std::initializer_list<std::string_view> keys) {
  const boost::json::object* cur = &o;
  for (auto k : keys) {
    cur = FindObj(cur, k);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string Str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return "";
  return std::string(v->get_string());
}

std::string Str(const boost::json::object* o, std::string_view key) {
  return o ? Str(*o, key) : std::string();
}

std::optional<int64_t> AsInt(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && d >= -9.2e18 && d <= 9.2e18) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<int64_t> Int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  return AsInt(*v);
}

std::optional<int64_t> Int(const boost::json::object* o, std::string_view key) {
  return o ? Int(*o, key) : std::nullopt;
}

int64_t IntOr(const boost::json::object* o, std::string_view key, int64_t dflt) {
  return Int(o, key).value_or(dflt);
}

std::optional<bool> Bool(const boost::json::object* o, std::string_view key) {
  if (!o) return std::nullopt;
  const auto* v = o->if_contains(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

size_t Size(const boost::json::object* o, std::string_view key) {
  if (!o) return 0;
  const auto* v = o->if_contains(key);
  if (!v) return 0;
  if (v->is_array()) return v->get_array().size();
  if (v->is_object()) return v->get_object().size();
  return 0;
}

const boost::json::object* Meta(const boost::json::object& obj) { return FindObj(obj, "metadata"); }

std::string Name(const boost::json::object& obj) { return Str(Meta(obj), "name"); }

namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<TimePoint> ParseTime(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (s.size() < 20) return std::nullopt;
  if (!Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int ndigits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (ndigits < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
        ++ndigits;
      }
      ++pos;
    }
    if (ndigits == 0) return std::nullopt;
    for (int i = ndigits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset_s = 0;
  if (pos >= s.size()) return std::nullopt;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om)) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t secs = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                 h * 3600 + mi * 60 + se - offset_s;
  auto dur = std::chrono::seconds(secs) + std::chrono::nanoseconds(nanos);
  return TimePoint(std::chrono::duration_cast<Clock::duration>(dur));
}

std::string FormatTime(TimePoint t) {
  int64_t secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  // civil_from_days
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m,
                d, static_cast<int>(rem / 3600), static_cast<int>(rem % 3600 / 60),
                static_cast<int>(rem % 60));
  return buf;
}

std::string HumanSince(TimePoint t, TimePoint now) {
  // Go's Duration.Seconds() truncated toward zero; duration_cast truncates the same way.
  return HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - t));
}

std::string AgeSince(std::string_view timestamp, TimePoint now) {
  if (timestamp.empty()) return "<unknown>";
  auto t = ParseTime(timestamp);
  if (!t) return "<unknown>";
  return HumanSince(*t, now);
}

std::string Age(const boost::json::object& obj, TimePoint now) {
  return AgeSince(Str(Meta(obj), "creationTimestamp"), now);
}

std::string FormatLabels(const boost::json::object* labels) {
  if (!labels || labels->empty()) return "<none>";
  std::map<std::string, std::string> sorted;
  for (const auto& kv : *labels) {
    sorted[std::string(kv.key())] = kv.value().is_string() ? std::string(kv.value().get_string())
                                                           : std::string();
  }
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += ',';
    out += k + "=" + v;
  }
  return out;
}

std::string SelectorString(const boost::json::object* selector, bool* ok) {
  *ok = true;
  if (!selector) return "";
  // (key, rendered requirement), sorted by key with a stable order for equal keys.
  std::vector<std::pair<std::string, std::string>> reqs;
  if (const auto* ml = FindObj(*selector, "matchLabels")) {
    for (const auto& kv : *ml) {
      if (!kv.value().is_string()) {
        *ok = false;
        return "";
      }
      reqs.emplace_back(std::string(kv.key()),
                        std::string(kv.key()) + "=" + std::string(kv.value().get_string()));
    }
  }
  if (const auto* me = FindArr(*selector, "matchExpressions")) {
    for (const auto& e : *me) {
      const auto* expr = e.if_object();
      if (!expr) {
        *ok = false;
        return "";
      }
      std::string key = Str(*expr, "key");
      std::string op = Str(*expr, "operator");
      std::vector<std::string> values;
      if (const auto* vals = FindArr(*expr, "values")) {
        for (const auto& v : *vals) {
          if (v.is_string()) values.emplace_back(v.get_string());
        }
      }
      std::sort(values.begin(), values.end());
      std::string r;
      if (op == "In" || op == "NotIn") {
        if (values.empty()) {
          *ok = false;
          return "";
        }
        r = key + (op == "In" ? " in (" : " notin (") + Join(values, ",") + ")";
      } else if (op == "Exists" || op == "DoesNotExist") {
        if (!values.empty()) {
          *ok = false;
          return "";
        }
        r = (op == "Exists" ? "" : "!") + key;
      } else {
        *ok = false;
        return "";
      }
      if (key.empty()) {
        *ok = false;
        return "";
      }
      reqs.emplace_back(key, std::move(r));
    }
  }
  std::stable_sort(reqs.begin(), reqs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& r : reqs) {
    if (!out.empty()) out += ',';
    out += r.second;
  }
  return out;
}

std::string FormatLabelSelector(const boost::json::object* selector) {
  bool ok = true;
  std::string s = SelectorString(selector, &ok);
  if (!ok) return "<error>";
  return s.empty() ? "<none>" : s;
}

void ContainersAndImages(const boost::json::object* pod_spec, std::string* names,
                         std::string* images) {
  names->clear();
  images->clear();
  const auto* containers = FindArr(pod_spec, "containers");
  if (!containers) return;
  bool first = true;
  for (const auto& c : *containers) {
    const auto* co = c.if_object();
    if (!first) {
      *names += ',';
      *images += ',';
    }
    first = false;
    *names += Str(co, "name");
    *images += Str(co, "image");
  }
}

std::string IntOrString(const boost::json::value* v) {
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (auto i = AsInt(*v)) return std::to_string(*i);
  return "";
}

std::string Quantity(const boost::json::value* v) {
  if (!v) return "0";
  if (v->is_string()) return CanonicalQuantity(v->get_string());
  if (auto i = AsInt(*v)) return CanonicalQuantity(std::to_string(*i));
  return "0";
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace kc::printers::internal

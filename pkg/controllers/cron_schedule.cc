#include "pkg/controllers/cron_schedule.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace kc::controllers {
namespace {

constexpr uint64_t kStar = uint64_t{1} << 63;

struct Bounds {
  int min;
  int max;
  std::vector<std::string_view> names;  // names[i] is min + i
};

const Bounds kSeconds{0, 59, {}};
const Bounds kMinutes{0, 59, {}};
const Bounds kHours{0, 23, {}};
const Bounds kDom{1, 31, {}};
const Bounds kMonths{
    1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}};
const Bounds kDow{0, 6, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}};

uint64_t Bits(int min, int max, int step) {
  uint64_t b = 0;
  for (int i = min; i <= max; i += step) b |= uint64_t{1} << i;
  return b;
}

uint64_t All(const Bounds& r) { return Bits(r.min, r.max, 1) | kStar; }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    out.push_back(
        s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::vector<std::string_view> Fields(std::string_view s) {
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

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// strconv.Atoi plus robfig's wording. Values above the bounds are caught by the range checks.
bool ParseInt(std::string_view expr, int* out, std::string* err) {
  std::string_view digits = expr;
  bool neg = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    neg = digits[0] == '-';
    digits.remove_prefix(1);
  }
  bool ok = !digits.empty() && digits.size() <= 9;
  int v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    v = v * 10 + (c - '0');
  }
  if (!ok) {
    *err = "failed to parse int from " + std::string(expr) + ": strconv.Atoi: parsing \"" +
           std::string(expr) + "\": invalid syntax";
    return false;
  }
  if (neg && v != 0) {
    *err = "negative number (-" + std::to_string(v) + ") not allowed: " + std::string(expr);
    return false;
  }
  *out = v;
  return true;
}

bool ParseIntOrName(std::string_view expr, const Bounds& r, int* out, std::string* err) {
  std::string lower(expr);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t i = 0; i < r.names.size(); ++i) {
    if (lower == r.names[i]) {
      *out = r.min + static_cast<int>(i);
      return true;
    }
  }
  return ParseInt(expr, out, err);
}

bool ParseRange(std::string_view expr, const Bounds& r, uint64_t* bits, std::string* err) {
  std::vector<std::string_view> range_and_step = Split(expr, '/');
  std::vector<std::string_view> low_high = Split(range_and_step[0], '-');
  bool single = low_high.size() == 1;
  int start = 0, end = 0, step = 1;
  uint64_t extra = 0;
  if (low_high[0] == "*" || low_high[0] == "?") {
    start = r.min;
    end = r.max;
    extra = kStar;
  } else {
    if (!ParseIntOrName(low_high[0], r, &start, err)) return false;
    if (low_high.size() == 1) {
      end = start;
    } else if (low_high.size() == 2) {
      if (!ParseIntOrName(low_high[1], r, &end, err)) return false;
    } else {
      *err = "too many hyphens: " + std::string(expr);
      return false;
    }
  }
  if (range_and_step.size() == 2) {
    if (!ParseInt(range_and_step[1], &step, err)) return false;
    if (single) end = r.max;  // "N/step" means "N-max/step"
    if (step > 1) extra = 0;
  } else if (range_and_step.size() > 2) {
    *err = "too many slashes: " + std::string(expr);
    return false;
  }
  std::string e(expr);
  if (start < r.min) {
    *err = "beginning of range (" + std::to_string(start) + ") below minimum (" +
           std::to_string(r.min) + "): " + e;
    return false;
  }
  if (end > r.max) {
    *err = "end of range (" + std::to_string(end) + ") above maximum (" + std::to_string(r.max) +
           "): " + e;
    return false;
  }
  if (start > end) {
    *err = "beginning of range (" + std::to_string(start) + ") beyond end of range (" +
           std::to_string(end) + "): " + e;
    return false;
  }
  if (step == 0) {
    *err = "step of range should be a positive number: " + e;
    return false;
  }
  *bits = Bits(start, end, step) | extra;
  return true;
}

bool ParseField(std::string_view field, const Bounds& r, uint64_t* bits, std::string* err) {
  *bits = 0;
  for (std::string_view part : Split(field, ',')) {
    uint64_t b = 0;
    if (!ParseRange(part, r, &b, err)) return false;
    *bits |= b;
  }
  return true;
}

bool Has(uint64_t bits, int i) { return (bits >> i) & 1; }

}  // namespace

std::optional<std::chrono::nanoseconds> ParseGoDuration(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return std::nullopt;
  __int128 total = 0;
  while (!s.empty()) {
    size_t i = 0;
    __int128 whole = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + (s[i] - '0');
      if (whole > (__int128{1} << 63)) return std::nullopt;
      digits = true;
      ++i;
    }
    __int128 frac = 0, scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (scale < 1000000000000000000LL) {
          frac = frac * 10 + (s[i] - '0');
          scale *= 10;
        }
        digits = true;
        ++i;
      }
    }
    if (!digits) return std::nullopt;
    size_t u = i;
    while (u < s.size() && s[u] != '.' && !(s[u] >= '0' && s[u] <= '9')) ++u;
    std::string_view unit = s.substr(i, u - i);
    int64_t mult = 0;
    if (unit == "ns") {
      mult = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      mult = 1000;
    } else if (unit == "ms") {
      mult = 1000000;
    } else if (unit == "s") {
      mult = 1000000000;
    } else if (unit == "m") {
      mult = 60LL * 1000000000;
    } else if (unit == "h") {
      mult = 3600LL * 1000000000;
    } else {
      return std::nullopt;
    }
    total += whole * mult + frac * mult / scale;
    if (total > (__int128{1} << 63)) return std::nullopt;
    s.remove_prefix(u);
  }
  if (!neg && total > INT64_MAX) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<int64_t>(neg ? -total : total));
}

api::Result<CronSchedule> CronSchedule::Parse(std::string_view spec,
                                              std::shared_ptr<const CronTimeZone> zone) {
  if (spec.empty()) return api::Status::Invalid("empty spec string");
  CronSchedule s;
  s.zone_ = zone ? std::move(zone) : CronTimeZone::Utc();
  if (spec.substr(0, 3) == "TZ=" || spec.substr(0, 8) == "CRON_TZ=") {
    size_t sp = spec.find(' ');
    if (sp == std::string_view::npos) return api::Status::Invalid("empty spec string");
    size_t eq = spec.find('=');
    std::string_view name = spec.substr(eq + 1, sp - eq - 1);
    api::Result<std::shared_ptr<const CronTimeZone>> loc = CronTimeZone::Load(name);
    if (!loc.ok()) {
      return api::Status::Invalid("provided bad location " + std::string(name) + ": " +
                                  loc.status().message());
    }
    s.zone_ = *loc;
    spec = TrimSpace(spec.substr(sp));
  }
  if (!spec.empty() && spec[0] == '@') {
    s.second_ = 1;
    s.minute_ = 1;
    s.hour_ = 1;
    s.dom_ = All(kDom);
    s.month_ = All(kMonths);
    s.dow_ = All(kDow);
    if (spec == "@yearly" || spec == "@annually") {
      s.dom_ = uint64_t{1} << 1;
      s.month_ = uint64_t{1} << 1;
    } else if (spec == "@monthly") {
      s.dom_ = uint64_t{1} << 1;
    } else if (spec == "@weekly") {
      s.dow_ = 1;
    } else if (spec == "@daily" || spec == "@midnight") {
    } else if (spec == "@hourly") {
      s.hour_ = All(kHours);
    } else if (spec.substr(0, 7) == "@every ") {
      std::string_view dur = spec.substr(7);
      std::optional<std::chrono::nanoseconds> d = ParseGoDuration(dur);
      if (!d) {
        return api::Status::Invalid("failed to parse duration " + std::string(spec) +
                                    ": time: invalid duration \"" + std::string(dur) + "\"");
      }
      auto every = std::max(*d, std::chrono::nanoseconds(std::chrono::seconds(1)));
      s.every_ = every - every % std::chrono::seconds(1);
    } else {
      return api::Status::Invalid("unrecognized descriptor: " + std::string(spec));
    }
    return s;
  }
  std::vector<std::string_view> fields = Fields(spec);
  if (fields.size() != 5) {
    std::string list = "[";
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) list += " ";
      list += fields[i];
    }
    return api::Status::Invalid("expected exactly 5 fields, found " +
                                std::to_string(fields.size()) + ": " + list + "]");
  }
  std::string err;
  if (!ParseField("0", kSeconds, &s.second_, &err) ||
      !ParseField(fields[0], kMinutes, &s.minute_, &err) ||
      !ParseField(fields[1], kHours, &s.hour_, &err) ||
      !ParseField(fields[2], kDom, &s.dom_, &err) ||
      !ParseField(fields[3], kMonths, &s.month_, &err) ||
      !ParseField(fields[4], kDow, &s.dow_, &err)) {
    return api::Status::Invalid(err);
  }
  return s;
}

bool CronSchedule::DayMatches(const CivilTime& c) const {
  bool dom = Has(dom_, c.day);
  bool dow = Has(dow_, c.weekday);
  if ((dom_ & kStar) || (dow_ & kStar)) return dom && dow;
  return dom || dow;
}

std::optional<CronSchedule::TimePoint> CronSchedule::Next(TimePoint t) const {
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  auto since = t.time_since_epoch();
  auto secs = duration_cast<seconds>(since);
  if (secs > since) secs -= seconds(1);  // floor for times before 1970
  if (every_) {
    return t +
           duration_cast<TimePoint::duration>(*every_ - duration_cast<nanoseconds>(since - secs));
  }
  if (month_ == 0) return std::nullopt;  // default-constructed
  const CronTimeZone& z = *zone_;
  int64_t unix = secs.count() + 1;  // the upcoming whole second
  CivilTime c = z.ToCivil(unix);
  const int64_t year_limit = c.year + 5;
  bool added = false;
  // Each pass either moves forward or returns; the bound only guards against a broken zone.
  for (int guard = 0; guard < 100000; ++guard) {
    c = z.ToCivil(unix);
    if (c.year > year_limit) return std::nullopt;
    bool wrap = false;
    while (!Has(month_, c.month)) {
      if (!added) {
        added = true;
        unix = z.FromCivil({c.year, c.month, 1, 0, 0, 0});
        c = z.ToCivil(unix);
      }
      unix = z.FromCivil({c.year, c.month + 1, c.day, c.hour, c.minute, c.second});
      c = z.ToCivil(unix);
      if (c.month == 1) {
        wrap = true;
        break;
      }
    }
    if (wrap) continue;
    while (!DayMatches(c)) {
      if (!added) {
        added = true;
        unix = z.FromCivil({c.year, c.month, c.day, 0, 0, 0});
        c = z.ToCivil(unix);
      }
      unix = z.FromCivil({c.year, c.month, c.day + 1, c.hour, c.minute, c.second});
      c = z.ToCivil(unix);
      // Midnight may not exist on a DST day; land back on it.
      if (c.hour != 0) {
        unix += c.hour > 12 ? int64_t{24 - c.hour} * 3600 : -int64_t{c.hour} * 3600;
        c = z.ToCivil(unix);
      }
      if (c.day == 1) {
        wrap = true;
        break;
      }
    }
    if (wrap) continue;
    while (!Has(hour_, c.hour)) {
      if (!added) {
        added = true;
        unix = z.FromCivil({c.year, c.month, c.day, c.hour, 0, 0});
      }
      unix += 3600;
      c = z.ToCivil(unix);
      if (c.hour == 0) {
        wrap = true;
        break;
      }
    }
    if (wrap) continue;
    while (!Has(minute_, c.minute)) {
      if (!added) {
        added = true;
        unix -= ((unix % 60) + 60) % 60;
      }
      unix += 60;
      c = z.ToCivil(unix);
      if (c.minute == 0) {
        wrap = true;
        break;
      }
    }
    if (wrap) continue;
    while (!Has(second_, c.second)) {
      added = true;
      unix += 1;
      c = z.ToCivil(unix);
      if (c.second == 0) {
        wrap = true;
        break;
      }
    }
    if (wrap) continue;
    return TimePoint(duration_cast<TimePoint::duration>(seconds(unix)));
  }
  return std::nullopt;
}

}  // namespace kc::controllers

#include "pkg/controllers/cron_schedule_time_zone.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <utility>

namespace kc::controllers {
namespace {

constexpr int64_t kAlpha = INT64_MIN;
constexpr int64_t kOmega = INT64_MAX;
constexpr int64_t kDay = 86400;
constexpr size_t kMaxTzifSize = 1 << 20;
constexpr const char kZoneInfoDir[] = "/usr/share/zoneinfo/";
constexpr const char kMalformed[] = "malformed time zone information";

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int month, int64_t year) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// --- POSIX TZ rules (the TZif footer), after Go's tzset. ---

class RuleParser {
 public:
  explicit RuleParser(std::string_view s) : s_(s) {}

  bool Parse(CronTimeZone::PosixRule* out) {
    if (!Name()) return false;
    int32_t posix = 0;
    if (!Offset(&posix)) return false;
    out->std_offset = -posix;
    if (s_.empty()) return true;  // no DST
    if (!Name()) return false;
    out->has_dst = true;
    out->dst_offset = out->std_offset + 3600;
    if (!s_.empty() && s_[0] != ',') {
      if (!Offset(&posix)) return false;
      out->dst_offset = -posix;
    }
    if (s_.empty()) s_ = ",M3.2.0,M11.1.0";  // the US rules, as Go and glibc default
    if (s_[0] != ',') return false;
    s_.remove_prefix(1);
    if (!Date(&out->start)) return false;
    if (s_.empty() || s_[0] != ',') return false;
    s_.remove_prefix(1);
    if (!Date(&out->end)) return false;
    return s_.empty();
  }

 private:
  bool Name() {
    if (s_.empty()) return false;
    if (s_[0] == '<') {
      size_t close = s_.find('>');
      if (close == std::string_view::npos) return false;
      s_.remove_prefix(close + 1);
      return true;
    }
    size_t i = 0;
    while (i < s_.size() && s_[i] != ',' && s_[i] != '-' && s_[i] != '+' &&
           !(s_[i] >= '0' && s_[i] <= '9')) {
      ++i;
    }
    if (i < 3) return false;
    s_.remove_prefix(i);
    return true;
  }

  bool Num(int min, int max, int* out) {
    size_t i = 0;
    int v = 0;
    while (i < s_.size() && s_[i] >= '0' && s_[i] <= '9' && i < 4) v = v * 10 + (s_[i++] - '0');
    if (i == 0 || v < min || v > max) return false;
    s_.remove_prefix(i);
    *out = v;
    return true;
  }

  // [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536 extension).
  bool Offset(int32_t* out) {
    int sign = 1;
    if (!s_.empty() && (s_[0] == '+' || s_[0] == '-')) {
      sign = s_[0] == '-' ? -1 : 1;
      s_.remove_prefix(1);
    }
    int h = 0, m = 0, sec = 0;
    if (!Num(0, 167, &h)) return false;
    if (!s_.empty() && s_[0] == ':') {
      s_.remove_prefix(1);
      if (!Num(0, 59, &m)) return false;
      if (!s_.empty() && s_[0] == ':') {
        s_.remove_prefix(1);
        if (!Num(0, 59, &sec)) return false;
      }
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  bool Date(CronTimeZone::RuleDate* r) {
    using Kind = CronTimeZone::RuleDate::Kind;
    if (s_.empty()) return false;
    if (s_[0] == 'J') {
      s_.remove_prefix(1);
      r->kind = Kind::kJulianNoLeap;
      if (!Num(1, 365, &r->day)) return false;
    } else if (s_[0] == 'M') {
      s_.remove_prefix(1);
      r->kind = Kind::kMonthWeekDay;
      if (!Num(1, 12, &r->month)) return false;
      if (s_.empty() || s_[0] != '.') return false;
      s_.remove_prefix(1);
      if (!Num(1, 5, &r->week)) return false;
      if (s_.empty() || s_[0] != '.') return false;
      s_.remove_prefix(1);
      if (!Num(0, 6, &r->day)) return false;
    } else {
      r->kind = Kind::kJulianZero;
      if (!Num(0, 365, &r->day)) return false;
    }
    r->time = 7200;
    if (!s_.empty() && s_[0] == '/') {
      s_.remove_prefix(1);
      int32_t t = 0;
      if (!Offset(&t)) return false;
      r->time = t;
    }
    return true;
  }

  std::string_view s_;
};

// Day of the year (0-based) a rule date falls on in `year`.
int RuleDay(int64_t year, const CronTimeZone::RuleDate& r) {
  using Kind = CronTimeZone::RuleDate::Kind;
  switch (r.kind) {
    case Kind::kJulianNoLeap:
      return r.day - 1 + (IsLeap(year) && r.day >= 60 ? 1 : 0);
    case Kind::kJulianZero:
      return r.day;
    case Kind::kMonthWeekDay:
      break;
  }
  int64_t first = DaysFromCivil(year, r.month, 1);
  int first_wd = static_cast<int>(((first + 4) % 7 + 7) % 7);
  int d = r.day - first_wd;
  if (d < 0) d += 7;
  for (int i = 1; i < r.week; ++i) {
    if (d + 7 >= DaysIn(r.month, year)) break;
    d += 7;
  }
  return static_cast<int>(first - DaysFromCivil(year, 1, 1)) + d;
}

int64_t RuleTransition(int64_t year, const CronTimeZone::RuleDate& r, int32_t offset_before) {
  return DaysFromCivil(year, 1, 1) * kDay + int64_t{RuleDay(year, r)} * kDay + r.time -
         offset_before;
}

// --- TZif ---

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  bool Skip(size_t n) {
    if (d_.size() < n) return false;
    d_.remove_prefix(n);
    return true;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (d_.size() < n) return false;
    *out = d_.substr(0, n);
    d_.remove_prefix(n);
    return true;
  }
  bool Be(int size, int64_t* out) {
    std::string_view b;
    if (!Bytes(static_cast<size_t>(size), &b)) return false;
    uint64_t v = 0;
    for (char c : b) v = (v << 8) | static_cast<unsigned char>(c);
    if (size == 4) {
      *out = static_cast<int32_t>(static_cast<uint32_t>(v));
    } else {
      *out = static_cast<int64_t>(v);
    }
    return true;
  }
  std::string_view rest() const { return d_; }

 private:
  std::string_view d_;
};

struct TzifHeader {
  char version = 0;
  int64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

bool ReadHeader(Reader& r, TzifHeader* h) {
  std::string_view magic;
  if (!r.Bytes(4, &magic) || magic != "TZif") return false;
  std::string_view v;
  if (!r.Bytes(1, &v) || !r.Skip(15)) return false;
  h->version = v[0];
  for (int64_t* f :
       {&h->isutcnt, &h->isstdcnt, &h->leapcnt, &h->timecnt, &h->typecnt, &h->charcnt}) {
    if (!r.Be(4, f) || *f < 0 || *f > 100000) return false;
  }
  return h->typecnt >= 1;
}

size_t BlockSize(const TzifHeader& h, int time_size) {
  return static_cast<size_t>(h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt +
                             h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
}

std::mutex& CacheMu() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, std::shared_ptr<const CronTimeZone>>& Cache() {
  static auto* cache = new std::map<std::string, std::shared_ptr<const CronTimeZone>>();
  return *cache;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::string data;
  char buf[4096];
  while (f.read(buf, sizeof(buf)) || f.gcount() > 0) {
    data.append(buf, static_cast<size_t>(f.gcount()));
    if (data.size() > kMaxTzifSize) return false;
  }
  if (f.bad()) return false;
  *out = std::move(data);
  return true;
}

}  // namespace

CivilTime CivilFromUnix(int64_t unix_seconds) {
  int64_t days = FloorDiv(unix_seconds, kDay);
  int64_t secs = unix_seconds - days * kDay;
  int64_t z = days + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  CivilTime c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  c.weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);
  return c;
}

int64_t UnixFromCivil(const CivilTime& c) {
  int64_t m0 = c.month - 1;
  int64_t year = c.year + FloorDiv(m0, 12);
  int month = static_cast<int>(m0 - FloorDiv(m0, 12) * 12) + 1;
  int64_t days = DaysFromCivil(year, month, 1) + (c.day - 1);
  return days * kDay + int64_t{c.hour} * 3600 + int64_t{c.minute} * 60 + c.second;
}

std::shared_ptr<const CronTimeZone> CronTimeZone::Utc() {
  static const std::shared_ptr<const CronTimeZone> utc = [] {
    auto z = std::shared_ptr<CronTimeZone>(new CronTimeZone());
    z->name_ = "UTC";
    z->types_.push_back({0, false});
    return std::shared_ptr<const CronTimeZone>(std::move(z));
  }();
  return utc;
}

std::shared_ptr<const CronTimeZone> CronTimeZone::Local() {
  static const std::shared_ptr<const CronTimeZone> local = []() {
    const char* tz = std::getenv("TZ");
    std::string data;
    if (tz == nullptr) {
      if (ReadFile("/etc/localtime", &data)) {
        api::Result<std::shared_ptr<const CronTimeZone>> z = FromTzif("Local", data);
        if (z.ok()) return *z;
      }
      return Utc();
    }
    std::string name = tz;
    if (!name.empty() && name[0] == ':') name.erase(0, 1);
    if (name.empty() || name == "UTC") return Utc();
    std::string path = name[0] == '/' ? name : kZoneInfoDir + name;
    if (name.find("..") == std::string::npos && ReadFile(path, &data)) {
      api::Result<std::shared_ptr<const CronTimeZone>> z = FromTzif("Local", data);
      if (z.ok()) return *z;
    }
    api::Result<std::shared_ptr<const CronTimeZone>> z = FromPosixRule("Local", name);
    return z.ok() ? *z : Utc();
  }();
  return local;
}

api::Result<std::shared_ptr<const CronTimeZone>> CronTimeZone::Load(std::string_view name) {
  if (name.empty() || name == "UTC") return Utc();
  if (name == "Local") return Local();
  if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\') {
    return api::Status::Invalid("time: invalid location name");
  }
  std::string key(name);
  {
    std::lock_guard<std::mutex> l(CacheMu());
    auto it = Cache().find(key);
    if (it != Cache().end()) return it->second;
  }
  std::string data;
  if (!ReadFile(kZoneInfoDir + key, &data)) {
    return api::Status::Invalid("unknown time zone " + key);
  }
  api::Result<std::shared_ptr<const CronTimeZone>> z = FromTzif(key, data);
  if (!z.ok()) return z;
  std::lock_guard<std::mutex> l(CacheMu());
  return Cache().emplace(key, *z).first->second;
}

api::Result<std::shared_ptr<const CronTimeZone>> CronTimeZone::FromTzif(std::string name,
                                                                        std::string_view data) {
  Reader r(data);
  TzifHeader h;
  if (!ReadHeader(r, &h)) return api::Status::Invalid(kMalformed);
  int time_size = 4;
  if (h.version >= '2') {
    if (!r.Skip(BlockSize(h, 4)) || !ReadHeader(r, &h)) return api::Status::Invalid(kMalformed);
    time_size = 8;
  }
  auto z = std::shared_ptr<CronTimeZone>(new CronTimeZone());
  z->name_ = std::move(name);
  for (int64_t i = 0; i < h.timecnt; ++i) {
    int64_t t = 0;
    if (!r.Be(time_size, &t)) return api::Status::Invalid(kMalformed);
    if (!z->when_.empty() && t <= z->when_.back()) return api::Status::Invalid(kMalformed);
    z->when_.push_back(t);
  }
  std::string_view idx;
  if (!r.Bytes(static_cast<size_t>(h.timecnt), &idx)) return api::Status::Invalid(kMalformed);
  for (char c : idx) {
    auto i = static_cast<uint8_t>(c);
    if (i >= h.typecnt) return api::Status::Invalid(kMalformed);
    z->type_of_.push_back(i);
  }
  for (int64_t i = 0; i < h.typecnt; ++i) {
    int64_t off = 0;
    std::string_view rest;
    if (!r.Be(4, &off) || !r.Bytes(2, &rest)) return api::Status::Invalid(kMalformed);
    z->types_.push_back({static_cast<int32_t>(off), rest[0] != 0});
  }
  if (!r.Skip(
          static_cast<size_t>(h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt))) {
    return api::Status::Invalid(kMalformed);
  }
  if (time_size == 8) {
    std::string_view footer = r.rest();
    if (footer.size() >= 2 && footer[0] == '\n') {
      size_t end = footer.find('\n', 1);
      if (end != std::string_view::npos && end > 1) {
        PosixRule rule;
        if (RuleParser(footer.substr(1, end - 1)).Parse(&rule)) z->rule_ = rule;
      }
    }
  }
  return std::shared_ptr<const CronTimeZone>(std::move(z));
}

api::Result<std::shared_ptr<const CronTimeZone>> CronTimeZone::FromPosixRule(
    std::string name, std::string_view rule) {
  PosixRule parsed;
  if (!RuleParser(rule).Parse(&parsed)) return api::Status::Invalid(kMalformed);
  auto z = std::shared_ptr<CronTimeZone>(new CronTimeZone());
  z->name_ = std::move(name);
  z->types_.push_back({parsed.std_offset, false});
  z->rule_ = parsed;
  return std::shared_ptr<const CronTimeZone>(std::move(z));
}

CronTimeZone::Period CronTimeZone::RulePeriod(int64_t t, int64_t after) const {
  const PosixRule& r = *rule_;
  if (!r.has_dst) return {r.std_offset, false, after, kOmega};
  // Transitions of the years around t, each with the state it starts.
  std::vector<std::pair<int64_t, bool>> tx;
  int64_t year = CivilFromUnix(t).year;
  for (int64_t y = year - 1; y <= year + 1; ++y) {
    tx.emplace_back(RuleTransition(y, r.start, r.std_offset), true);
    tx.emplace_back(RuleTransition(y, r.end, r.dst_offset), false);
  }
  std::sort(tx.begin(), tx.end());
  Period p{r.std_offset, false, after, kOmega};
  for (size_t i = 0; i < tx.size(); ++i) {
    if (tx[i].first > t) {
      p.end = tx[i].first;
      break;
    }
    p.dst = tx[i].second;
    p.offset = p.dst ? r.dst_offset : r.std_offset;
    p.start = std::max(after, tx[i].first);
    p.end = kOmega;
  }
  return p;
}

CronTimeZone::Period CronTimeZone::LookUp(int64_t t) const {
  if (when_.empty()) {
    if (rule_) return RulePeriod(t, kAlpha);
    return {types_[0].offset, types_[0].dst, kAlpha, kOmega};
  }
  if (t < when_[0]) return {types_[0].offset, types_[0].dst, kAlpha, when_[0]};
  size_t i =
      static_cast<size_t>(std::upper_bound(when_.begin(), when_.end(), t) - when_.begin()) - 1;
  const LocalType& lt = types_[type_of_[i]];
  if (i + 1 == when_.size() && rule_) return RulePeriod(t, when_[i]);
  return {lt.offset, lt.dst, when_[i], i + 1 < when_.size() ? when_[i + 1] : kOmega};
}

CivilTime CronTimeZone::ToCivil(int64_t t) const { return CivilFromUnix(t + LookUp(t).offset); }

int64_t CronTimeZone::FromCivil(const CivilTime& c) const {
  int64_t unix = UnixFromCivil(c);
  // As Go's time.Date: guess with the offset at `unix` read as UTC, then re-check.
  Period p = LookUp(unix);
  if (p.offset != 0) {
    int64_t utc = unix - p.offset;
    if (utc < p.start || utc >= p.end) p = LookUp(utc);
    unix -= p.offset;
  }
  return unix;
}

std::string CronTimeZone::FormatRfc3339(int64_t t) const {
  int32_t off = LookUp(t).offset;
  CivilTime c = CivilFromUnix(t + off);
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d",
                        static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
  std::string out(buf, static_cast<size_t>(n));
  if (off == 0) return out + "Z";
  char sign = off < 0 ? '-' : '+';
  int32_t a = off < 0 ? -off : off;
  std::snprintf(buf, sizeof(buf), "%c%02d:%02d", sign, a / 3600, a / 60 % 60);
  return out + buf;
}

}  // namespace kc::controllers

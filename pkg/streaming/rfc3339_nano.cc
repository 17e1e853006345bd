#include "pkg/streaming/rfc3339_nano.h"

#include <chrono>
#include <cstdio>

namespace kc::streaming {

namespace {

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

std::optional<int64_t> ParseRfc3339Nano(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!Digits(s, 0, 4, &y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int64_t secs = duration_cast<seconds>(sys_days(ymd).time_since_epoch()).count() +
                 int64_t{h} * 3600 + int64_t{mi} * 60 + sec;
  int64_t nanos = 0;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s[i] - '0');
        ++digits;
      }
      ++i;
    }
    if (digits == 0) return std::nullopt;
    while (digits < 9) {
      nanos *= 10;
      ++digits;
    }
  }
  if (i >= s.size()) return std::nullopt;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return std::nullopt;
  } else if ((s[i] == '+' || s[i] == '-') && s.size() == i + 6 && s[i + 3] == ':') {
    int oh, om;
    if (!Digits(s, i + 1, 2, &oh) || !Digits(s, i + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    int64_t off = int64_t{oh} * 3600 + int64_t{om} * 60;
    secs += s[i] == '+' ? -off : off;
  } else {
    return std::nullopt;
  }
  return secs * 1000000000 + nanos;
}

std::string FormatRfc3339Nano(int64_t unix_nanos) {
  using namespace std::chrono;
  int64_t secs = unix_nanos / 1000000000;
  int64_t frac = unix_nanos % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  const sys_seconds tp{seconds{secs}};
  const sys_days day_point = floor<days>(tp);
  const year_month_day ymd{day_point};
  const int64_t tod = (tp - day_point).count();
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d", int{ymd.year()},
                        unsigned{ymd.month()}, unsigned{ymd.day()}, static_cast<int>(tod / 3600),
                        static_cast<int>(tod / 60 % 60), static_cast<int>(tod % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof(f), ".%09lld", static_cast<long long>(frac));
    std::string fs(f);
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  out += 'Z';
  return out;
}

}  // namespace kc::streaming

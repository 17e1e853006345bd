#include "pkg/api/time_util.h"

#include <cstdio>
#include <ctime>
#include <random>

namespace kc::api {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

std::string FormatWith(Clock::time_point t, bool micro) {
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  if (secs > t) secs -= std::chrono::seconds(1);
  std::time_t tt = Clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (micro) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(t - secs).count();
    std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(us));
    out += buf;
  }
  out += 'Z';
  return out;
}

}  // namespace

std::string FormatTime(Clock::time_point t) { return FormatWith(t, false); }
std::string FormatMicroTime(Clock::time_point t) { return FormatWith(t, true); }

std::optional<Clock::time_point> ParseTime(std::string_view s) {
  std::tm tm{};
  int y, mo, d, h, mi, sec;
  std::string str(s);
  int consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) !=
          6 ||
      consumed != 19) {
    return std::nullopt;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  std::time_t tt = timegm(&tm);
  auto tp = Clock::from_time_t(tt);
  size_t i = 19;
  if (i < str.size() && str[i] == '.') {
    ++i;
    long long frac = 0;
    int digits = 0;
    while (i < str.size() && str[i] >= '0' && str[i] <= '9') {
      if (digits < 6) {
        frac = frac * 10 + (str[i] - '0');
        ++digits;
      }
      ++i;
    }
    while (digits < 6) {
      frac *= 10;
      ++digits;
    }
    tp += std::chrono::microseconds(frac);
  }
  if (i >= str.size()) return std::nullopt;
  if (str[i] == 'Z' || str[i] == 'z') return i + 1 == str.size() ? std::optional(tp) : std::nullopt;
  if ((str[i] == '+' || str[i] == '-') && str.size() == i + 6) {
    int oh = 0, om = 0;
    if (std::sscanf(str.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    auto off = std::chrono::hours(oh) + std::chrono::minutes(om);
    return str[i] == '+' ? tp - off : tp + off;
  }
  return std::nullopt;
}

std::string NewUid() {
  std::uniform_int_distribution<uint64_t> dist;
  uint64_t a = dist(Rng()), b = dist(Rng());
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  // 8-4-4-4-12 lower-case hex digits of a then b (every create pays for this; no snprintf).
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t pos = 0;
  auto put = [&](uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) out[pos++] = kHex[(v >> (4 * i)) & 0xf];
  };
  put(a >> 32, 8);
  ++pos;
  put(a >> 16, 4);
  ++pos;
  put(a, 4);
  ++pos;
  put(b >> 48, 4);
  ++pos;
  put(b, 12);
  return out;
}

std::string RandomSuffix(int n) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<int> dist(0, sizeof(kAlphabet) - 2);
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(kAlphabet[dist(Rng())]);
  return out;
}

}  // namespace kc::api

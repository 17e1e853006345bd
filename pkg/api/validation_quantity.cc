#include "pkg/api/validation_quantity.h"

#include <cmath>
#include <cstdio>

namespace kc::api::validation {
namespace {

using i128 = __int128;

constexpr i128 kNano = 1000000000;
// Upstream caps huge values; anything beyond ~10^37 nano-units is clamped here.
const i128 kCap = [] {
  i128 v = 1;
  for (int i = 0; i < 37; ++i) v *= 10;
  return v;
}();

bool MulCapped(i128* v, i128 by) {
  if (*v != 0 && by != 0 && *v > kCap / by) {
    *v = kCap;
    return false;
  }
  *v *= by;
  return true;
}

std::string I128ToString(i128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  if (neg) s.insert(s.begin(), '-');
  return s;
}

i128 Pow(i128 base, int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) MulCapped(&r, base);
  return r;
}

}  // namespace

std::optional<Qty> Qty::Parse(std::string_view s) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    ++i;
  }
  i128 digits = 0;
  int frac = 0, ndigits = 0, significant = 0;
  bool seen_dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (seen_dot) return std::nullopt;
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    ++ndigits;
    if (significant > 0 || c != '0') ++significant;
    if (significant > 36) return std::nullopt;  // more precision than we can hold
    digits = digits * 10 + (c - '0');
    if (seen_dot) ++frac;
  }
  if (ndigits == 0) return std::nullopt;

  std::string_view suffix = s.substr(i);
  Qty q;
  int exp10 = 0, k1024 = 0;
  if (suffix.empty()) {
    q.format_ = Format::kDecimalSI;
  } else if (suffix.size() == 2 && suffix[1] == 'i') {
    static const char kBin[] = "KMGTPE";
    const char* p = std::char_traits<char>::find(kBin, 6, suffix[0]);
    if (p == nullptr) return std::nullopt;
    k1024 = static_cast<int>(p - kBin) + 1;
    q.format_ = Format::kBinarySI;
  } else if (suffix.size() == 1 && std::string_view("numkMGTPE").find(suffix[0]) != suffix.npos) {
    switch (suffix[0]) {
      case 'n': exp10 = -9; break;
      case 'u': exp10 = -6; break;
      case 'm': exp10 = -3; break;
      case 'k': exp10 = 3; break;
      case 'M': exp10 = 6; break;
      case 'G': exp10 = 9; break;
      case 'T': exp10 = 12; break;
      case 'P': exp10 = 15; break;
      case 'E': exp10 = 18; break;
    }
    q.format_ = Format::kDecimalSI;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {
    std::string_view rest = suffix.substr(1);
    bool eneg = false;
    if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
      eneg = rest[0] == '-';
      rest.remove_prefix(1);
    }
    if (rest.empty() || rest.size() > 4) return std::nullopt;
    int e = 0;
    for (char c : rest) {
      if (c < '0' || c > '9') return std::nullopt;
      e = e * 10 + (c - '0');
    }
    exp10 = eneg ? -e : e;
    q.format_ = Format::kDecimalExponent;
  } else {
    return std::nullopt;
  }

  i128 v = digits;
  for (int k = 0; k < k1024; ++k) MulCapped(&v, 1024);
  int scale = 9 - frac + exp10;  // v * 10^scale nano-units
  if (scale >= 0) {
    if (scale > 40) {
      v = v == 0 ? 0 : kCap;
    } else {
      MulCapped(&v, Pow(10, scale));
    }
  } else if (-scale > 37) {
    v = v == 0 ? 0 : 1;  // rounds up to the smallest unit
  } else {
    i128 div = Pow(10, -scale);
    v = (v + div - 1) / div;  // round up
  }
  if (v > kCap) v = kCap;
  q.nanos_ = neg ? -v : v;
  return q;
}

std::optional<Qty> Qty::FromJson(const boost::json::value& v) {
  if (v.is_string()) return Parse(std::string_view(v.get_string().data(), v.get_string().size()));
  if (v.is_int64()) return Parse(std::to_string(v.get_int64()));
  if (v.is_uint64()) return Parse(std::to_string(v.get_uint64()));
  if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d)) return std::nullopt;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9f", d);
    return Parse(buf);
  }
  return std::nullopt;
}

bool Qty::IsInteger() const { return nanos_ % kNano == 0; }

Qty Qty::RoundUpToMilli() const {
  constexpr i128 kMilli = 1000000;
  Qty q = *this;
  i128 mag = nanos_ < 0 ? -nanos_ : nanos_;
  mag = (mag + kMilli - 1) / kMilli * kMilli;
  q.nanos_ = nanos_ < 0 ? -mag : mag;
  return q;
}

std::string Qty::ToString() const {
  if (nanos_ == 0) return "0";
  bool neg = nanos_ < 0;
  i128 mag = neg ? -nanos_ : nanos_;
  std::string sign = neg ? "-" : "";

  if (format_ == Format::kBinarySI && mag % kNano == 0 && mag / kNano >= 1024) {
    i128 units = mag / kNano;
    static const char* kSuffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int k = 0;
    while (k < 6 && units % 1024 == 0) {
      units /= 1024;
      ++k;
    }
    return sign + I128ToString(units) + kSuffix[k];
  }

  i128 m = mag;
  int e = -9;
  while (m % 10 == 0) {
    m /= 10;
    ++e;
  }
  while (((e % 3) + 3) % 3 != 0) {
    m *= 10;
    --e;
  }
  if (format_ == Format::kDecimalExponent) {
    return sign + I128ToString(m) + (e == 0 ? "" : "e" + std::to_string(e));
  }
  if (e > 18) {
    m *= Pow(10, e - 18);
    e = 18;
  }
  const char* suffix = "";
  switch (e) {
    case -9: suffix = "n"; break;
    case -6: suffix = "u"; break;
    case -3: suffix = "m"; break;
    case 3: suffix = "k"; break;
    case 6: suffix = "M"; break;
    case 9: suffix = "G"; break;
    case 12: suffix = "T"; break;
    case 15: suffix = "P"; break;
    case 18: suffix = "E"; break;
    default: break;
  }
  return sign + I128ToString(m) + suffix;
}

}  // namespace kc::api::validation

#include "pkg/api/quantity.h"

#include <algorithm>
#include <charconv>

namespace kc::api {

namespace {

__extension__ using Int128 = __int128;

constexpr Int128 kNano = 1000000000;
constexpr Int128 kMaxNano = static_cast<Int128>(INT64_MAX) * kNano;

constexpr char kFormatMsg[] =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Int128 Pow10(int n) {
  Int128 r = 1;
  while (n-- > 0) r *= 10;
  return r;
}

// The suffix: a power of ten or of 1024, and the format it implies.
bool ParseSuffix(std::string_view s, int* exp10, int* exp1024, Quantity::Format* format) {
  static const std::pair<std::string_view, int> kDecimal[] = {
      {"", 0},  {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3},
      {"M", 6}, {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static const std::string_view kBinary[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  *exp10 = 0;
  *exp1024 = 0;
  for (const auto& [text, e] : kDecimal) {
    if (s == text) {
      *exp10 = e;
      *format = Quantity::Format::kDecimalSI;
      return true;
    }
  }
  for (int i = 0; i < 6; ++i) {
    if (s == kBinary[i]) {
      *exp1024 = i + 1;
      *format = Quantity::Format::kBinarySI;
      return true;
    }
  }
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view num = s.substr(1);
    if (num[0] == '+') num.remove_prefix(1);
    int e = 0;
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), e);
    if (ec != std::errc() || end != num.data() + num.size() || e > 1000 || e < -1000) {
      return false;
    }
    *exp10 = e;
    *format = Quantity::Format::kDecimalExponent;
    return true;
  }
  return false;
}

}  // namespace

Int128 Quantity::Clamp(Int128 nano) { return std::clamp(nano, -kMaxNano, kMaxNano); }

Result<Quantity> Quantity::Parse(std::string_view s) {
  size_t pos = 0;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative = s[pos++] == '-';
  size_t int_start = pos;
  while (pos < s.size() && IsDigit(s[pos])) ++pos;
  std::string_view int_part = s.substr(int_start, pos - int_start);
  std::string_view frac_part;
  bool dot = pos < s.size() && s[pos] == '.';
  if (dot) {
    size_t frac_start = ++pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    frac_part = s.substr(frac_start, pos - frac_start);
  }
  std::string_view suffix = s.substr(pos);
  // The pre-check regex: ^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$
  size_t sp = 0;
  while (sp < suffix.size() &&
         std::string_view("eEinumkKMGTP").find(suffix[sp]) != std::string_view::npos)
    ++sp;
  if (sp < suffix.size() && (suffix[sp] == '+' || suffix[sp] == '-')) ++sp;
  while (sp < suffix.size() && IsDigit(suffix[sp])) ++sp;
  bool numeric_run = pos > int_start;  // at least one of [0-9.]
  if (!numeric_run || sp != suffix.size()) {
    if (numeric_run && !suffix.empty() && suffix[0] == '.') {
      return Status::BadRequest("unable to parse numeric part of quantity");
    }
    return Status::BadRequest(kFormatMsg);
  }
  if (int_part.empty() && frac_part.empty()) {
    return Status::BadRequest("unable to parse numeric part of quantity");
  }
  int exp10 = 0, exp1024 = 0;
  Format format = Format::kDecimalSI;
  if (!ParseSuffix(suffix, &exp10, &exp1024, &format)) {
    return Status::BadRequest("unable to parse quantity's suffix");
  }

  // Mantissa digits, capped so that the binary multiplier cannot overflow; dropped digits only
  // make the value round up.
  std::string digits = std::string(int_part) + std::string(frac_part);
  int exp = exp10 - static_cast<int>(frac_part.size());
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  size_t cap = exp1024 ? 20 : 36;
  bool sticky = false;
  if (digits.size() > cap) {
    sticky = digits.find_first_not_of('0', cap) != std::string::npos;
    exp += static_cast<int>(digits.size() - cap);
    digits.resize(cap);
  }
  Int128 m = 0;
  for (char c : digits) m = m * 10 + (c - '0');
  for (int i = 0; i < exp1024; ++i) m *= 1024;

  int shift = exp + 9;  // to nano units
  Int128 nano = 0;
  if (m == 0) {
    nano = sticky ? 1 : 0;
  } else if (shift >= 0) {
    nano = m;
    for (int i = 0; i < shift && nano <= kMaxNano; ++i) nano *= 10;
    nano = std::min(nano, kMaxNano);
  } else if (-shift > 38) {
    nano = 1;
  } else {
    Int128 div = Pow10(-shift);
    nano = m / div + ((m % div != 0 || sticky) ? 1 : 0);
  }
  nano = std::min(nano, kMaxNano);
  return Quantity(negative ? -nano : nano, format);
}

Result<Quantity> Quantity::FromJson(const boost::json::value& v) {
  if (v.is_string()) return Parse(v.get_string());
  if (v.is_int64()) return Parse(std::to_string(v.get_int64()));
  if (v.is_uint64()) return Parse(std::to_string(v.get_uint64()));
  if (v.is_double()) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), v.get_double());
    if (res.ec != std::errc())
      return Status::BadRequest("unable to parse numeric part of quantity");
    return Parse(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
  }
  return Status::BadRequest(kFormatMsg);
}

Quantity Quantity::FromMilli(int64_t milli, Format format) {
  return Quantity(static_cast<Int128>(milli) * 1000000, format);
}

Quantity Quantity::FromValue(int64_t value, Format format) {
  return Quantity(static_cast<Int128>(value) * kNano, format);
}

namespace {

// ceil(nano / unit), saturated to int64.
int64_t CeilDiv(Int128 nano, Int128 unit) {
  Int128 q = nano / unit;
  if (nano % unit > 0) ++q;
  q = std::clamp(q, static_cast<Int128>(INT64_MIN), static_cast<Int128>(INT64_MAX));
  return static_cast<int64_t>(q);
}

std::string Int128ToString(Int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s += static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  if (neg) s += '-';
  std::reverse(s.begin(), s.end());
  return s;
}

}  // namespace

int64_t Quantity::Value() const { return CeilDiv(nano_, kNano); }
int64_t Quantity::MilliValue() const { return CeilDiv(nano_, 1000000); }
double Quantity::AsApproximateDouble() const { return static_cast<double>(nano_) / 1e9; }

void Quantity::Add(const Quantity& other) {
  if (nano_ == 0) format_ = other.format_;
  nano_ = Clamp(nano_ + other.nano_);
}

void Quantity::Sub(const Quantity& other) {
  if (nano_ == 0) format_ = other.format_;
  nano_ = Clamp(nano_ - other.nano_);
}

void Quantity::RoundUpToMilli() {
  Int128 mag = nano_ < 0 ? -nano_ : nano_;
  if (mag % 1000000 != 0) mag += 1000000 - mag % 1000000;  // away from zero, like upstream
  nano_ = Clamp(nano_ < 0 ? -mag : mag);
}

std::string Quantity::ToString() const {
  if (nano_ == 0) return "0";
  bool negative = nano_ < 0;
  Int128 mag = negative ? -nano_ : nano_;
  std::string sign = negative ? "-" : "";
  if (format_ == Format::kBinarySI && mag % kNano == 0 && mag / kNano >= 1024) {
    static const char* kSuffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    Int128 v = mag / kNano;
    int k = 0;
    while (k < 6 && v % 1024 == 0) {
      v /= 1024;
      ++k;
    }
    return sign + Int128ToString(v) + kSuffix[k];
  }
  // m * 10^e with m free of trailing zeros, then e lowered to a multiple of three.
  Int128 m = mag;
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
    return sign + Int128ToString(m) + (e == 0 ? "" : "e" + std::to_string(e));
  }
  while (e > 18) {
    m *= 10;
    --e;
  }
  static const char* kDecimal[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  return sign + Int128ToString(m) + kDecimal[(e + 9) / 3];
}

}  // namespace kc::api

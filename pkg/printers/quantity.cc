// Canonical rendering of resource.Quantity strings, as apimachinery's Quantity.String() prints
// them after parsing: "1000" -> "1k", "1.5" -> "1500m", "0.5Gi" -> "512Mi", "2048Ki" -> "2Mi".
#include <cstdint>
#include <string>
#include <string_view>

#include "pkg/printers/printer_util.h"

namespace kc::printers::internal {
namespace {

using i128 = __int128;

enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

constexpr i128 kLimit = static_cast<i128>(1) << 120;  // overflow guard for the mantissa

bool MulCheck(i128* v, i128 factor) {
  if (*v != 0 && (factor > kLimit / (*v < 0 ? -*v : *v))) return false;
  *v *= factor;
  return true;
}

std::string ToString(i128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

const char* DecimalSuffix(int exponent) {
  switch (exponent) {
    case -9: return "n";
    case -6: return "u";
    case -3: return "m";
    case 0: return "";
    case 3: return "k";
    case 6: return "M";
    case 9: return "G";
    case 12: return "T";
    case 15: return "P";
    case 18: return "E";
    default: return nullptr;
  }
}

}  // namespace

std::string CanonicalQuantity(std::string_view in) {
  const std::string original(in);
  std::string_view s = in;
  if (s.empty()) return original;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // Number: digits [. digits]
  i128 mantissa = 0;
  int scale = 0;  // value = mantissa * 10^scale (times a binary factor for BinarySI)
  size_t pos = 0;
  int ndigits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (!MulCheck(&mantissa, 10)) return original;
    mantissa += s[pos] - '0';
    ++pos;
    ++ndigits;
  }
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (!MulCheck(&mantissa, 10)) return original;
      mantissa += s[pos] - '0';
      --scale;
      ++pos;
      ++ndigits;
    }
  }
  if (ndigits == 0) return original;
  std::string_view suffix = s.substr(pos);
  Format format = Format::kDecimalSI;
  int binary_exp = 0;  // power of 1024
  if (suffix.empty()) {
  } else if (suffix.size() == 2 && suffix[1] == 'i') {
    static constexpr std::string_view kBin = "KMGTPE";
    auto idx = kBin.find(suffix[0]);
    if (idx == std::string_view::npos) return original;
    format = Format::kBinarySI;
    binary_exp = static_cast<int>(idx) + 1;
  } else if (suffix.size() == 1 &&
             std::string_view("numkMGTPE").find(suffix[0]) != std::string_view::npos) {
    static constexpr std::string_view kDec = "num kMGTPE";
    int idx = static_cast<int>(kDec.find(suffix[0]));
    scale += (idx - 3) * 3;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {
    std::string_view e = suffix.substr(1);
    bool eneg = false;
    if (!e.empty() && (e[0] == '+' || e[0] == '-')) {
      eneg = e[0] == '-';
      e.remove_prefix(1);
    }
    if (e.empty() || e.size() > 4) return original;
    int ev = 0;
    for (char c : e) {
      if (c < '0' || c > '9') return original;
      ev = ev * 10 + (c - '0');
    }
    scale += eneg ? -ev : ev;
    format = Format::kDecimalExponent;
  } else {
    return original;
  }
  if (binary_exp > 0 && !MulCheck(&mantissa, static_cast<i128>(1) << (10 * binary_exp))) {
    return original;
  }
  // Precision is limited to nano units; smaller fractions round up (away from zero).
  if (scale < -9) {
    i128 div = 1;
    for (int i = scale; i < -9; ++i) {
      if (!MulCheck(&div, 10)) return original;
    }
    i128 q = mantissa / div;
    if (mantissa % div != 0) ++q;
    mantissa = q;
    scale = -9;
  }
  if (mantissa == 0) return "0";
  if (negative) mantissa = -mantissa;

  if (format == Format::kBinarySI) {
    // Small or fractional binary values print as DecimalSI to avoid rounding.
    i128 abs = mantissa < 0 ? -mantissa : mantissa;
    i128 pow10 = 1;
    for (int i = scale; i < 0; ++i) pow10 *= 10;
    bool integral = scale >= 0 || abs % pow10 == 0;
    i128 whole = integral ? mantissa / pow10 : 0;
    i128 abs_whole = whole < 0 ? -whole : whole;
    if (!integral || abs_whole < 1024) {
      format = Format::kDecimalSI;
    } else {
      if (scale > 0) {
        for (int i = 0; i < scale; ++i) {
          if (!MulCheck(&whole, 10)) return original;
        }
      }
      int exp = 0;
      while (whole % 1024 == 0 && exp < 6) {
        whole /= 1024;
        ++exp;
      }
      static const char* kBinSuffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      return ToString(whole) + kBinSuffix[exp];
    }
  }
  // Decimal: strip trailing zeros into the exponent, then align the exponent to a multiple of 3.
  int exponent = scale;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  int mod = ((exponent % 3) + 3) % 3;
  for (int i = 0; i < mod; ++i) {
    if (!MulCheck(&mantissa, 10)) return original;
    --exponent;
  }
  if (format == Format::kDecimalSI) {
    if (const char* suf = DecimalSuffix(exponent)) return ToString(mantissa) + suf;
  }
  return exponent == 0 ? ToString(mantissa) : ToString(mantissa) + "e" + std::to_string(exponent);
}

}  // namespace kc::printers::internal

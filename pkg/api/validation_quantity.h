// A small resource.Quantity model used by defaulting and validation: parse ("500m", "1.5Gi",
// "1e3", or a JSON number), compare, test sign and integrality, round up to milli precision and
// print in the canonical upstream form ("0.5" → "500m", "1024Mi" → "1Gi").
//
// Values are kept exactly as an integer count of nano-units (10^-9), which is the precision
// upstream parsing rounds to. Kept internal to defaults/validation; if a shared quantity type
// lands in pkg/api it can replace this one.
//
// Thread-safety: a plain value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace kc::api::validation {

class Qty {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  // Parses a quantity string; nullopt when malformed (see kQuantityParseError).
  static std::optional<Qty> Parse(std::string_view s);
  // Accepts a JSON string or number.
  static std::optional<Qty> FromJson(const boost::json::value& v);

  int Sign() const { return nanos_ < 0 ? -1 : (nanos_ > 0 ? 1 : 0); }
  int Compare(const Qty& o) const { return nanos_ < o.nanos_ ? -1 : (nanos_ > o.nanos_ ? 1 : 0); }
  Qty Plus(const Qty& o) const {
    Qty q = *this;
    q.nanos_ += o.nanos_;
    return q;
  }
  bool IsInteger() const;            // no fractional part
  Qty RoundUpToMilli() const;        // ceil to a multiple of 10^-3
  std::string ToString() const;      // canonical form
  Format format() const { return format_; }

 private:
  __int128 nanos_ = 0;
  Format format_ = Format::kDecimalSI;
};

// The upstream decode error for a malformed quantity.
inline constexpr const char* kQuantityParseError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

}  // namespace kc::api::validation

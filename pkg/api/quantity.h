// Quantity: a Kubernetes resource quantity ("100m", "1.5", "128Mi", "2e3", "500M"), as used in
// container resources, node capacity, quotas and PVC sizes (apimachinery api/resource).
//
// The value is held exactly at nano (10^-9) precision, rounded up (away from zero) at parse time
// like upstream; magnitudes beyond 2^63-1 are capped. The format (DecimalSI, BinarySI,
// DecimalExponent) comes from the parsed suffix and drives the canonical string form:
// "0.5" -> "500m", "1024Mi" -> "1Gi", "1.5Gi" -> "1536Mi", "12e6" -> "12e6".
//
// Thread-safety: a plain value type.
#pragma once

#include <boost/json/value.hpp>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::api {

class Quantity {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  Quantity() = default;  // zero, DecimalSI

  // Errors are BadRequest with upstream's texts ("quantities must match the regular expression
  // ...", "unable to parse numeric part of quantity", "unable to parse quantity's suffix").
  static Result<Quantity> Parse(std::string_view s);
  // A JSON string or number (numbers are accepted like upstream).
  static Result<Quantity> FromJson(const boost::json::value& v);
  static Quantity FromMilli(int64_t milli, Format format = Format::kDecimalSI);
  static Quantity FromValue(int64_t value, Format format = Format::kDecimalSI);

  int64_t Value() const;       // ceil(q)
  int64_t MilliValue() const;  // ceil(q * 1000)
  double AsApproximateDouble() const;
  bool IsZero() const { return nano_ == 0; }
  int Sign() const { return nano_ < 0 ? -1 : nano_ > 0 ? 1 : 0; }
  Format format() const { return format_; }

  void Add(const Quantity& other);
  void Sub(const Quantity& other);
  // Rounds up to milli precision, as defaulting does for ResourceLists ("0.0001" -> "1m").
  void RoundUpToMilli();

  std::string ToString() const;  // canonical form

  int Compare(const Quantity& other) const {
    return nano_ < other.nano_ ? -1 : nano_ > other.nano_;
  }
  friend bool operator==(const Quantity& a, const Quantity& b) { return a.nano_ == b.nano_; }
  friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.Compare(b) <=> 0;
  }

 private:
  __extension__ using Int128 = __int128;
  Quantity(Int128 nano, Format format) : nano_(nano), format_(format) {}
  static Int128 Clamp(Int128 nano);

  Int128 nano_ = 0;  // value * 10^9
  Format format_ = Format::kDecimalSI;
};

}  // namespace kc::api

// Test-only: a tiny protobuf writer used by the tests to hand-encode bodies the way Go's
// generated marshalling (and so kubectl) writes them, plus the "k8s\0" envelope.
//
// Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kc::protobuf::testing {

class Pb {
 public:
  // A varint field (int32 values must be passed sign-extended, as Go does).
  Pb& Varint(uint32_t field, uint64_t value) {
    Tag(field, 0);
    PutVarint(value);
    return *this;
  }
  Pb& Int(uint32_t field, int64_t value) { return Varint(field, static_cast<uint64_t>(value)); }
  Pb& Bool(uint32_t field, bool value) { return Varint(field, value ? 1 : 0); }
  // A length-delimited field: string, bytes or an encoded message.
  Pb& Bytes(uint32_t field, std::string_view bytes) {
    Tag(field, 2);
    PutVarint(bytes.size());
    buf_.append(bytes);
    return *this;
  }
  Pb& Str(uint32_t field, std::string_view s) { return Bytes(field, s); }
  Pb& Msg(uint32_t field, const Pb& m) { return Bytes(field, m.str()); }
  // One map<string,string> entry {1 key, 2 value}.
  Pb& Entry(uint32_t field, std::string_view key, std::string_view value) {
    return Msg(field, Pb().Str(1, key).Str(2, value));
  }
  // Raw bytes appended as they are (for malformed-input tests).
  Pb& Raw(std::string_view bytes) {
    buf_.append(bytes);
    return *this;
  }
  Pb& Tag(uint32_t field, int wire_type) {
    PutVarint(uint64_t{field} << 3 | static_cast<uint64_t>(wire_type));
    return *this;
  }
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      buf_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    buf_ += static_cast<char>(v);
  }
  const std::string& str() const { return buf_; }

 private:
  std::string buf_;
};

// ObjectMeta as Go marshals it: every non-pointer field written, the zero creationTimestamp as
// an empty message, then labels.
inline Pb GoObjectMeta(std::string_view name,
                       const std::vector<std::pair<std::string, std::string>>& labels = {}) {
  Pb m;
  m.Str(1, name).Str(2, "").Str(3, "").Str(4, "").Str(5, "").Str(6, "").Int(7, 0).Msg(8, Pb());
  for (const auto& [k, v] : labels) m.Entry(11, k, v);
  return m;
}

// The "k8s\0" + runtime.Unknown envelope.
inline std::string Envelope(std::string_view api_version, std::string_view kind, const Pb& raw) {
  Pb unknown;
  unknown.Msg(1, Pb().Str(1, api_version).Str(2, kind)).Msg(2, raw).Str(3, "").Str(4, "");
  return std::string("k8s\0", 4) + unknown.str();
}

}  // namespace kc::protobuf::testing

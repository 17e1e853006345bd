// WireReader: a bounds-checked cursor over the bytes of one protobuf message, reading the
// primitives of the protobuf wire format (tags, base-128 varints, length-delimited payloads) and
// skipping fields it is not asked to interpret.
//
// Every read checks the remaining length first; malformed input (a truncated or over-long
// varint, a length beyond the buffer, a group or reserved wire type, field number 0) yields a
// BadRequest Status and leaves the reader unusable. The reader never owns the bytes: the
// string_view passed in must outlive it and every string_view it hands out.
//
// Thread-safety: a plain value type; one reader must not be used from two threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::protobuf {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  // True once every byte has been consumed.
  bool done() const { return pos_ >= data_.size(); }
  size_t position() const { return pos_; }

  // The next field's number (1 .. 2^29-1) and wire type.
  api::Status ReadTag(uint32_t* field, WireType* type);
  // A base-128 varint of at most 10 bytes.
  api::Status ReadVarint(uint64_t* value);
  // A varint length followed by that many bytes.
  api::Status ReadLengthDelimited(std::string_view* bytes);
  // Skips the payload of a field whose tag was just read.
  api::Status Skip(WireType type);

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// The BadRequest every malformed-body error uses, so callers see one consistent prefix.
api::Status MalformedProtobuf(std::string_view detail);

}  // namespace kc::protobuf

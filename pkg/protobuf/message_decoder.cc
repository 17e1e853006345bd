#include "pkg/protobuf/message_decoder.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <system_error>

#include "pkg/protobuf/json_values.h"
#include "pkg/protobuf/wire_reader.h"

namespace kc::protobuf {
namespace {

namespace json = boost::json;

bool IsVarintKind(ValueKind kind) {
  return kind == ValueKind::kInt32 || kind == ValueKind::kInt64 || kind == ValueKind::kBool;
}

api::Status WrongWireType(const FieldSpec& f, const MessageSchema& schema) {
  return MalformedProtobuf(std::string("wrong wire type for field ") + schema.name + "." +
                           (f.json_name[0] != '\0' ? f.json_name : "(inline)"));
}

json::value VarintValue(ValueKind kind, uint64_t raw) {
  switch (kind) {
    case ValueKind::kBool:
      return json::value(raw != 0);
    case ValueKind::kInt32:
      // int32 values are sign-extended to 64 bits on the wire; the low 32 bits are the value.
      return json::value(static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(raw))));
    default:
      return json::value(static_cast<int64_t>(raw));
  }
}

bool IsZero(const json::value& v) {
  if (v.is_string()) return v.get_string().empty();
  if (v.is_int64()) return v.get_int64() == 0;
  if (v.is_bool()) return !v.get_bool();
  return false;
}

// intstr.IntOrString {1 type (0 int, 1 string), 2 intVal, 3 strVal}.
api::Result<json::value> DecodeIntOrString(std::string_view bytes) {
  WireReader r(bytes);
  uint64_t type = 0;
  int64_t int_val = 0;
  std::string str_val;
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    if ((field == 1 || field == 2) && wt == WireType::kVarint) {
      uint64_t v = 0;
      if (auto s = r.ReadVarint(&v); !s.ok()) return s;
      if (field == 1) {
        type = v;
      } else {
        int_val = static_cast<int32_t>(static_cast<uint32_t>(v));
      }
    } else if (field == 3 && wt == WireType::kLengthDelimited) {
      std::string_view s_bytes;
      if (auto s = r.ReadLengthDelimited(&s_bytes); !s.ok()) return s;
      str_val = SanitizeUtf8(s_bytes);
    } else if (field <= 3) {
      return MalformedProtobuf("wrong wire type in IntOrString");
    } else if (auto s = r.Skip(wt); !s.ok()) {
      return s;
    }
  }
  if (type == 0) return json::value(int_val);
  if (type == 1) return json::value(str_val);
  return MalformedProtobuf("invalid IntOrString type " + std::to_string(type));
}

// A message whose field `number` holds bytes (Quantity.string, FieldsV1.Raw, ExtraValue.items
// when `repeated`). Other fields are skipped.
api::Status ReadBytesFields(std::string_view bytes, uint32_t number, const char* what,
                            std::string_view* last, json::array* all) {
  WireReader r(bytes);
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    if (field != number) {
      if (auto s = r.Skip(wt); !s.ok()) return s;
      continue;
    }
    if (wt != WireType::kLengthDelimited) {
      return MalformedProtobuf(std::string("wrong wire type in ") + what);
    }
    std::string_view value;
    if (auto s = r.ReadLengthDelimited(&value); !s.ok()) return s;
    if (last != nullptr) *last = value;
    if (all != nullptr) all->emplace_back(SanitizeUtf8(value));
  }
  return api::Status::Ok();
}

// metav1.Time / MicroTime {1 seconds, 2 nanos}; metav1.Duration {1 duration}.
api::Status ReadSecondsNanos(std::string_view bytes, int64_t* seconds, int64_t* nanos) {
  WireReader r(bytes);
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    if (field == 1 || field == 2) {
      if (wt != WireType::kVarint) return MalformedProtobuf("wrong wire type in timestamp");
      uint64_t v = 0;
      if (auto s = r.ReadVarint(&v); !s.ok()) return s;
      if (field == 1) {
        *seconds = static_cast<int64_t>(v);
      } else {
        *nanos = static_cast<int32_t>(static_cast<uint32_t>(v));
      }
    } else if (auto s = r.Skip(wt); !s.ok()) {
      return s;
    }
  }
  return api::Status::Ok();
}

// Decodes one value carried in a length-delimited payload.
api::Result<json::value> DecodeLengthDelimitedValue(const FieldSpec& f, std::string_view bytes,
                                                    int depth) {
  switch (f.kind) {
    case ValueKind::kString:
      return json::value(SanitizeUtf8(bytes));
    case ValueKind::kBytes:
      return json::value(Base64Encode(bytes));
    case ValueKind::kMessage: {
      json::object obj;
      if (auto s = DecodeMessageInto(bytes, f.message(), depth + 1, &obj); !s.ok()) return s;
      return json::value(std::move(obj));
    }
    case ValueKind::kIntOrString:
      return DecodeIntOrString(bytes);
    case ValueKind::kQuantity: {
      std::string_view text = "0";  // the zero Quantity marshals as "0"
      if (auto s = ReadBytesFields(bytes, 1, "Quantity", &text, nullptr); !s.ok()) return s;
      if (text.empty()) text = "0";
      return json::value(SanitizeUtf8(text));
    }
    case ValueKind::kTime:
    case ValueKind::kMicroTime: {
      if (bytes.empty()) return json::value(nullptr);  // the zero time
      int64_t seconds = 0;
      int64_t nanos = 0;
      if (auto s = ReadSecondsNanos(bytes, &seconds, &nanos); !s.ok()) return s;
      auto text = FormatTimestamp(seconds, nanos, f.kind == ValueKind::kMicroTime);
      if (!text) return MalformedProtobuf("timestamp out of range");
      return json::value(*text);
    }
    case ValueKind::kDuration: {
      int64_t ns = 0;
      int64_t ignored = 0;
      if (auto s = ReadSecondsNanos(bytes, &ns, &ignored); !s.ok()) return s;
      return json::value(FormatGoDuration(ns));
    }
    case ValueKind::kExtraValue: {
      json::array items;
      if (auto s = ReadBytesFields(bytes, 1, "ExtraValue", nullptr, &items); !s.ok()) return s;
      return json::value(std::move(items));
    }
    case ValueKind::kRawJson: {
      std::string_view raw;
      if (auto s = ReadBytesFields(bytes, 1, "FieldsV1", &raw, nullptr); !s.ok()) return s;
      if (raw.empty()) return json::value(json::object());
      std::error_code ec;
      json::value parsed = json::parse(raw, ec);
      if (ec) return MalformedProtobuf("FieldsV1 does not hold JSON");
      return parsed;
    }
    case ValueKind::kInt32:
    case ValueKind::kInt64:
    case ValueKind::kBool:
      break;
  }
  return MalformedProtobuf("unexpected length-delimited value");
}

// The default of a map value missing from its entry.
json::value DefaultMapValue(ValueKind kind) {
  switch (kind) {
    case ValueKind::kQuantity:
      return json::value("0");
    case ValueKind::kTime:
    case ValueKind::kMicroTime:
      return json::value(nullptr);
    case ValueKind::kExtraValue:
      return json::value(json::array());
    case ValueKind::kMessage:
      return json::value(json::object());
    default:
      return json::value("");
  }
}

// A map entry message {1 key, 2 value}.
api::Status DecodeMapEntry(const FieldSpec& f, std::string_view bytes, int depth,
                           json::object* map) {
  WireReader r(bytes);
  std::string key;
  json::value value = DefaultMapValue(f.kind);
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    if (field != 1 && field != 2) {
      if (auto s = r.Skip(wt); !s.ok()) return s;
      continue;
    }
    if (wt != WireType::kLengthDelimited) return MalformedProtobuf("wrong wire type in map entry");
    std::string_view payload;
    if (auto s = r.ReadLengthDelimited(&payload); !s.ok()) return s;
    if (field == 1) {
      key = SanitizeUtf8(payload);
    } else {
      auto v = DecodeLengthDelimitedValue(f, payload, depth);
      if (!v.ok()) return v.status();
      value = std::move(*v);
    }
  }
  (*map)[key] = std::move(value);
  return api::Status::Ok();
}

json::array& ArraySlot(json::object* out, const char* name) {
  json::value& slot = (*out)[name];
  if (!slot.is_array()) slot = json::array();
  return slot.as_array();
}

json::object& ObjectSlot(json::object* out, const char* name) {
  json::value& slot = (*out)[name];
  if (!slot.is_object()) slot = json::object();
  return slot.as_object();
}

api::Status DecodeField(const FieldSpec& f, const MessageSchema& schema, WireType wt,
                        WireReader& r, int depth, json::object* out) {
  const bool varint_kind = IsVarintKind(f.kind);

  if (f.shape == Shape::kRepeated && varint_kind && wt == WireType::kLengthDelimited) {
    // Packed repeated scalars.
    std::string_view packed;
    if (auto s = r.ReadLengthDelimited(&packed); !s.ok()) return s;
    json::array& arr = ArraySlot(out, f.json_name);
    WireReader pr(packed);
    while (!pr.done()) {
      uint64_t v = 0;
      if (auto s = pr.ReadVarint(&v); !s.ok()) return s;
      arr.push_back(VarintValue(f.kind, v));
    }
    return api::Status::Ok();
  }

  const WireType expected = varint_kind ? WireType::kVarint : WireType::kLengthDelimited;
  if (f.shape == Shape::kMap || f.shape == Shape::kInline) {
    if (wt != WireType::kLengthDelimited) return WrongWireType(f, schema);
  } else if (wt != expected) {
    return WrongWireType(f, schema);
  }

  json::value value;
  if (varint_kind && f.shape != Shape::kMap) {
    uint64_t raw = 0;
    if (auto s = r.ReadVarint(&raw); !s.ok()) return s;
    value = VarintValue(f.kind, raw);
  } else {
    std::string_view payload;
    if (auto s = r.ReadLengthDelimited(&payload); !s.ok()) return s;
    switch (f.shape) {
      case Shape::kInline:
        return DecodeMessageInto(payload, f.message(), depth + 1, out);
      case Shape::kMap:
        return DecodeMapEntry(f, payload, depth, &ObjectSlot(out, f.json_name));
      case Shape::kSingle:
        if (f.kind == ValueKind::kMessage) {
          // A message seen again merges into the earlier one.
          return DecodeMessageInto(payload, f.message(), depth + 1, &ObjectSlot(out, f.json_name));
        }
        break;
      case Shape::kRepeated:
        break;
    }
    auto decoded = DecodeLengthDelimitedValue(f, payload, depth);
    if (!decoded.ok()) return decoded.status();
    value = std::move(*decoded);
  }

  if (f.shape == Shape::kRepeated) {
    ArraySlot(out, f.json_name).push_back(std::move(value));
  } else if (f.presence == Presence::kOmitEmpty && IsZero(value)) {
    out->erase(f.json_name);
  } else {
    (*out)[f.json_name] = std::move(value);
  }
  return api::Status::Ok();
}

}  // namespace

api::Status DecodeMessageInto(std::string_view bytes, const MessageSchema& schema, int depth,
                              boost::json::object* out) {
  if (depth > kMaxMessageDepth) return MalformedProtobuf("messages nested too deeply");
  WireReader r(bytes);
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    const FieldSpec* f = schema.Find(field);
    if (f == nullptr) {
      if (auto s = r.Skip(wt); !s.ok()) return s;
      continue;
    }
    if (auto s = DecodeField(*f, schema, wt, r, depth, out); !s.ok()) return s;
  }
  return api::Status::Ok();
}

api::Result<boost::json::object> DecodeMessage(std::string_view bytes,
                                               const MessageSchema& schema) {
  boost::json::object out;
  if (auto s = DecodeMessageInto(bytes, schema, 0, &out); !s.ok()) return s;
  return out;
}

}  // namespace kc::protobuf

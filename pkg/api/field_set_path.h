// Field paths as server-side apply names them: a path is a list of PathElements, each a struct
// field (".spec"), a keyed-list item ("[name=\"web\"]"), a set member ("[=\"x\"]") or a list index
// ("[3]"). Paths print the way upstream conflict messages print them and encode to the keys of
// the FieldsV1 format used in metadata.managedFields ("f:spec", "k:{\"name\":\"web\"}", "v:\"x\"",
// "i:3").
//
// The ordering (PathElement::Compare) follows structured-merge-diff so that FieldsV1 output lists
// keys in the same order as a real API server: fields < keys < values < indexes; fields by name,
// keys by number of key fields then name/value, values by JsonCompare.
//
// Thread-safety: plain value types; distinct objects may be used from different threads.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace kc::api {

// A total order over JSON values: numbers (compared numerically) < strings < bools < arrays <
// objects < null. Returns <0, 0 or >0.
int JsonCompare(const boost::json::value& a, const boost::json::value& b);
// Deep equality where numbers compare by value (3 == 3.0) and object key order is ignored.
bool JsonEqual(const boost::json::value& a, const boost::json::value& b);
bool JsonEqual(const boost::json::object& a, const boost::json::object& b);

class PathElement {
 public:
  enum class Type { kField, kKey, kValue, kIndex };
  // The key fields of a keyed-list item, sorted by name.
  using KeyFields = std::vector<std::pair<std::string, boost::json::value>>;

  static PathElement Field(std::string name);
  static PathElement Key(KeyFields fields);  // sorts the fields by name
  static PathElement Value(boost::json::value value);
  static PathElement Index(int64_t index);

  Type type() const { return type_; }
  const std::string& field_name() const { return name_; }
  const KeyFields& key() const { return key_; }
  const boost::json::value& value() const { return value_; }
  int64_t index() const { return index_; }

  // ".spec", "[name=\"web\"]", "[containerPort=80,protocol=\"TCP\"]", "[=\"x\"]", "[3]".
  std::string ToString() const;
  // "f:spec", "k:{\"name\":\"web\"}", "v:\"x\"", "i:3".
  std::string ToFieldsV1Key() const;
  // Parses a FieldsV1 key; nullopt when malformed (including the "." self marker).
  static std::optional<PathElement> FromFieldsV1Key(std::string_view key);

  int Compare(const PathElement& other) const;
  bool operator<(const PathElement& other) const { return Compare(other) < 0; }
  bool operator==(const PathElement& other) const { return Compare(other) == 0; }

 private:
  PathElement() = default;

  Type type_ = Type::kField;
  std::string name_;
  KeyFields key_;
  boost::json::value value_;
  int64_t index_ = 0;
};

// A path from the object root. std::vector's lexicographic operator< orders paths so that a path
// comes right before everything beneath it.
using FieldPath = std::vector<PathElement>;

// ".spec.template.spec.containers[name=\"web\"].image"
std::string FieldPathString(const FieldPath& path);

// Convenience for building paths of plain fields: MakeFieldPath({"spec", "replicas"}).
FieldPath MakeFieldPath(std::initializer_list<std::string_view> fields);

// True when `prefix` is a (not necessarily proper) prefix of `path`.
bool IsPathPrefix(const FieldPath& prefix, const FieldPath& path);

}  // namespace kc::api

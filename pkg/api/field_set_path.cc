#include "pkg/api/field_set_path.h"

#include <algorithm>
#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kc::api {
namespace {

// Rank of a JSON kind in the total order: numbers, strings, bools, arrays, objects, null.
int KindRank(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return 0;
    case boost::json::kind::string: return 1;
    case boost::json::kind::bool_: return 2;
    case boost::json::kind::array: return 3;
    case boost::json::kind::object: return 4;
    case boost::json::kind::null: return 5;
  }
  return 5;
}

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

int CompareNumbers(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_int64() && b.is_int64()) {
    return a.get_int64() < b.get_int64() ? -1 : (a.get_int64() > b.get_int64() ? 1 : 0);
  }
  if (a.is_uint64() && b.is_uint64()) {
    return a.get_uint64() < b.get_uint64() ? -1 : (a.get_uint64() > b.get_uint64() ? 1 : 0);
  }
  if (a.is_int64() && b.is_uint64()) {
    if (a.get_int64() < 0) return -1;
    auto av = static_cast<uint64_t>(a.get_int64());
    return av < b.get_uint64() ? -1 : (av > b.get_uint64() ? 1 : 0);
  }
  if (a.is_uint64() && b.is_int64()) return -CompareNumbers(b, a);
  double x = a.to_number<double>();
  double y = b.to_number<double>();
  return x < y ? -1 : (x > y ? 1 : 0);
}

// Objects compare by their sorted (key, value) lists.
std::vector<std::pair<std::string_view, const boost::json::value*>> SortedEntries(
    const boost::json::object& o) {
  std::vector<std::pair<std::string_view, const boost::json::value*>> out;
  out.reserve(o.size());
  for (const auto& kv : o) out.emplace_back(kv.key(), &kv.value());
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

std::string ValueString(const boost::json::value& v) { return boost::json::serialize(v); }

}  // namespace

int JsonCompare(const boost::json::value& a, const boost::json::value& b) {
  int ra = KindRank(a), rb = KindRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0: return CompareNumbers(a, b);
    case 1: return Sign(std::string_view(a.get_string()).compare(std::string_view(b.get_string())));
    case 2: return a.get_bool() == b.get_bool() ? 0 : (a.get_bool() ? 1 : -1);
    case 3: {
      const auto& x = a.get_array();
      const auto& y = b.get_array();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = JsonCompare(x[i], y[i]); c != 0) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    case 4: {
      auto x = SortedEntries(a.get_object());
      auto y = SortedEntries(b.get_object());
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = Sign(x[i].first.compare(y[i].first)); c != 0) return c;
        if (int c = JsonCompare(*x[i].second, *y[i].second); c != 0) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    default: return 0;
  }
}

bool JsonEqual(const boost::json::object& x, const boost::json::object& y) {
  if (x.size() != y.size()) return false;
  for (const auto& kv : x) {
    auto it = y.find(kv.key());
    if (it == y.end() || !JsonEqual(kv.value(), it->value())) return false;
  }
  return true;
}

bool JsonEqual(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_object() && b.is_object()) return JsonEqual(a.get_object(), b.get_object());
  if (a.is_array() && b.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!JsonEqual(x[i], y[i])) return false;
    }
    return true;
  }
  return JsonCompare(a, b) == 0;
}

PathElement PathElement::Field(std::string name) {
  PathElement e;
  e.type_ = Type::kField;
  e.name_ = std::move(name);
  return e;
}

PathElement PathElement::Key(KeyFields fields) {
  std::sort(fields.begin(), fields.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  PathElement e;
  e.type_ = Type::kKey;
  e.key_ = std::move(fields);
  return e;
}

PathElement PathElement::Value(boost::json::value value) {
  PathElement e;
  e.type_ = Type::kValue;
  e.value_ = std::move(value);
  return e;
}

PathElement PathElement::Index(int64_t index) {
  PathElement e;
  e.type_ = Type::kIndex;
  e.index_ = index;
  return e;
}

std::string PathElement::ToString() const {
  switch (type_) {
    case Type::kField: return "." + name_;
    case Type::kKey: {
      std::string out = "[";
      for (size_t i = 0; i < key_.size(); ++i) {
        if (i > 0) out += ",";
        out += key_[i].first + "=" + ValueString(key_[i].second);
      }
      return out + "]";
    }
    case Type::kValue: return "[=" + ValueString(value_) + "]";
    case Type::kIndex: return "[" + std::to_string(index_) + "]";
  }
  return "";
}

std::string PathElement::ToFieldsV1Key() const {
  switch (type_) {
    case Type::kField: return "f:" + name_;
    case Type::kKey: {
      boost::json::object o;
      for (const auto& [name, v] : key_) o[name] = v;
      return "k:" + boost::json::serialize(o);
    }
    case Type::kValue: return "v:" + ValueString(value_);
    case Type::kIndex: return "i:" + std::to_string(index_);
  }
  return "";
}

std::optional<PathElement> PathElement::FromFieldsV1Key(std::string_view key) {
  if (key.size() < 2 || key[1] != ':') return std::nullopt;
  std::string_view rest = key.substr(2);
  switch (key[0]) {
    case 'f': return Field(std::string(rest));
    case 'i': {
      int64_t index = 0;
      auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
      if (ec != std::errc() || ptr != rest.data() + rest.size() || index < 0) return std::nullopt;
      return Index(index);
    }
    case 'k':
    case 'v': {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(rest, ec);
      if (ec) return std::nullopt;
      if (key[0] == 'v') return Value(std::move(v));
      if (!v.is_object() || v.get_object().empty()) return std::nullopt;
      KeyFields fields;
      for (const auto& kv : v.get_object()) fields.emplace_back(std::string(kv.key()), kv.value());
      return Key(std::move(fields));
    }
    default: return std::nullopt;
  }
}

int PathElement::Compare(const PathElement& other) const {
  if (type_ != other.type_) return static_cast<int>(type_) < static_cast<int>(other.type_) ? -1 : 1;
  switch (type_) {
    case Type::kField: return Sign(name_.compare(other.name_));
    case Type::kKey: {
      if (key_.size() != other.key_.size()) return key_.size() < other.key_.size() ? -1 : 1;
      for (size_t i = 0; i < key_.size(); ++i) {
        if (int c = Sign(key_[i].first.compare(other.key_[i].first)); c != 0) return c;
        if (int c = JsonCompare(key_[i].second, other.key_[i].second); c != 0) return c;
      }
      return 0;
    }
    case Type::kValue: return JsonCompare(value_, other.value_);
    case Type::kIndex: return index_ < other.index_ ? -1 : (index_ > other.index_ ? 1 : 0);
  }
  return 0;
}

std::string FieldPathString(const FieldPath& path) {
  std::string out;
  for (const auto& e : path) out += e.ToString();
  return out;
}

FieldPath MakeFieldPath(std::initializer_list<std::string_view> fields) {
  FieldPath path;
  for (std::string_view f : fields) path.push_back(PathElement::Field(std::string(f)));
  return path;
}

bool IsPathPrefix(const FieldPath& prefix, const FieldPath& path) {
  if (prefix.size() > path.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), path.begin());
}

}  // namespace kc::api

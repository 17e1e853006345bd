#include "pkg/apiserver/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cerrno>
#include <cstdlib>
#include <string>

namespace kc::apiserver {
namespace json = boost::json;

namespace {

json::value ScalarToJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") return json::value(s);
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* b = s.c_str();
  char* end = nullptr;
  bool numeric_start = (s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '+';
  if (numeric_start) {
    errno = 0;
    long long i = std::strtoll(b, &end, 10);
    if (errno == 0 && end && *end == '\0') return json::value(static_cast<int64_t>(i));
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
      errno = 0;
      long long h = std::strtoll(b + 2, &end, s[1] == 'x' ? 16 : 8);
      if (errno == 0 && end && *end == '\0') return json::value(static_cast<int64_t>(h));
    }
    errno = 0;
    double d = std::strtod(b, &end);
    bool has_digit = false;
    for (char c : s) has_digit = has_digit || (c >= '0' && c <= '9');
    if (errno == 0 && end && *end == '\0' && has_digit) return json::value(d);
  }
  if (s == ".inf" || s == "+.inf") return json::value(1e308 * 10);
  if (s == "-.inf") return json::value(-1e308 * 10);
  return json::value(s);
}

api::Result<json::value> Convert(const YAML::Node& n, int depth) {
  if (depth > 200) return api::Status::BadRequest("yaml: document nested too deeply");
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return json::value(nullptr);
    case YAML::NodeType::Scalar:
      return ScalarToJson(n);
    case YAML::NodeType::Sequence: {
      json::array arr;
      arr.reserve(n.size());
      for (const auto& item : n) {
        auto v = Convert(item, depth + 1);
        if (!v.ok()) return v.status();
        arr.push_back(std::move(*v));
      }
      return json::value(std::move(arr));
    }
    case YAML::NodeType::Map: {
      json::object obj;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) return api::Status::BadRequest("yaml: map keys must be strings");
        auto v = Convert(kv.second, depth + 1);
        if (!v.ok()) return v.status();
        obj[kv.first.Scalar()] = std::move(*v);
      }
      return json::value(std::move(obj));
    }
  }
  return json::value(nullptr);
}

}  // namespace

api::Result<json::value> YamlToJson(std::string_view yaml) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(yaml));
    if (docs.empty()) return api::Status::BadRequest("yaml: empty document");
    if (docs.size() > 1) return api::Status::BadRequest("yaml: expected a single document");
    return Convert(docs[0], 0);
  } catch (const YAML::Exception& e) {
    return api::Status::BadRequest(std::string("error converting YAML to JSON: ") + e.what());
  }
}

}  // namespace kc::apiserver

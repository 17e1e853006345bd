#include "pkg/apiserver/label_scan.h"

#include <simdjson.h>

#include <cstring>
#include <vector>

namespace kc::apiserver {

bool ScanLabels(std::string_view json, boost::json::object* labels) {
  thread_local simdjson::ondemand::parser parser;
  thread_local std::vector<char> buf;
  labels->clear();
  if (buf.size() < json.size() + simdjson::SIMDJSON_PADDING) {
    buf.resize(json.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(buf.data(), json.data(), json.size());
  simdjson::ondemand::document doc;
  if (parser.iterate(buf.data(), json.size(), buf.size()).get(doc)) return false;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root)) return false;
  simdjson::ondemand::object meta;
  auto meta_err = root.find_field_unordered("metadata").get_object().get(meta);
  if (meta_err == simdjson::NO_SUCH_FIELD) return true;
  if (meta_err) return false;
  simdjson::ondemand::object lo;
  auto err = meta.find_field_unordered("labels").get_object().get(lo);
  if (err == simdjson::NO_SUCH_FIELD) return true;
  if (err) return false;
  for (auto field : lo) {
    std::string_view key, value;
    if (field.unescaped_key().get(key)) return false;
    if (field.value().get_string().get(value)) return false;
    (*labels)[key] = value;
  }
  return true;
}

}  // namespace kc::apiserver

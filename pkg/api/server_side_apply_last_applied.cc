#include "pkg/api/server_side_apply_last_applied.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include <boost/json/serialize.hpp>

namespace kc::api {
namespace {

void AppendString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
      continue;
    }
    // U+2028 and U+2029 (E2 80 A8/A9) are escaped by Go as well.
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
}

// encoding/json formats float64 with 'f' between 1e-6 and 1e21 and with 'e' outside, trimming a
// leading zero from negative exponents ("1e-07" -> "1e-7").
void AppendDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[64];
  double a = std::fabs(d);
  bool fixed = a == 0 || (a >= 1e-6 && a < 1e21);
  auto res = std::to_chars(buf, buf + sizeof(buf), d,
                           fixed ? std::chars_format::fixed : std::chars_format::scientific);
  std::string s(buf, res.ptr);
  if (!fixed) {
    auto e = s.find('e');
    if (e != std::string::npos && e + 2 < s.size() && s[e + 2] == '0') s.erase(e + 2, 1);
  }
  out += s;
}

void Append(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      const auto& o = v.get_object();
      std::vector<const boost::json::key_value_pair*> entries;
      for (const auto& kv : o) entries.push_back(&kv);
      std::sort(entries.begin(), entries.end(),
                [](const auto* x, const auto* y) { return x->key() < y->key(); });
      out += '{';
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += ',';
        AppendString(out, entries[i]->key());
        out += ':';
        Append(out, entries[i]->value());
      }
      out += '}';
      return;
    }
    case boost::json::kind::array: {
      const auto& a = v.get_array();
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out += ',';
        Append(out, a[i]);
      }
      out += ']';
      return;
    }
    case boost::json::kind::string: AppendString(out, v.get_string()); return;
    case boost::json::kind::double_: AppendDouble(out, v.get_double()); return;
    default: out += boost::json::serialize(v); return;
  }
}

}  // namespace

std::string GoSortedJson(const boost::json::value& v) {
  std::string out;
  Append(out, v);
  return out;
}

void SyncLastAppliedAnnotation(boost::json::object& obj, const boost::json::object& applied,
                               std::string_view manager) {
  if (manager != "kubectl") return;
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->value().is_object()) return;
  auto ann = meta->value().get_object().find("annotations");
  if (ann == meta->value().get_object().end() || !ann->value().is_object()) return;
  auto& annotations = ann->value().get_object();
  if (!annotations.contains(kLastAppliedAnnotation)) return;

  boost::json::value config = applied;
  auto cmeta = config.get_object().find("metadata");
  if (cmeta != config.get_object().end() && cmeta->value().is_object()) {
    auto cann = cmeta->value().get_object().find("annotations");
    if (cann != cmeta->value().get_object().end() && cann->value().is_object()) {
      cann->value().get_object().stable_erase(kLastAppliedAnnotation);
    }
  }
  annotations[kLastAppliedAnnotation] = GoSortedJson(config) + "\n";
}

}  // namespace kc::api

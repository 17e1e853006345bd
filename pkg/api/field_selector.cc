#include "pkg/api/field_selector.h"

#include <algorithm>
#include <boost/json/value.hpp>
#include <charconv>

#include "pkg/api/json_path.h"

namespace kc::api {
namespace json = boost::json;

namespace {

// Splits on commas not preceded by an escaping backslash.
std::vector<std::string> SplitTerms(std::string_view s) {
  std::vector<std::string> terms;
  std::string cur;
  bool escaped = false;
  for (char c : s) {
    if (escaped) {
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == ',') {
      terms.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    cur += c;
  }
  terms.push_back(std::move(cur));
  return terms;
}

// The first operator occurrence, trying "!=", "==", "=" at each position.
bool SplitTerm(const std::string& term, std::string* lhs, std::string* op, std::string* rhs) {
  static const char* kOps[] = {"!=", "==", "="};
  for (size_t i = 0; i < term.size(); ++i) {
    for (const char* o : kOps) {
      if (term.compare(i, std::char_traits<char>::length(o), o) == 0) {
        *lhs = term.substr(0, i);
        *op = o;
        *rhs = term.substr(i + op->size());
        return true;
      }
    }
  }
  return false;
}

Status Unescape(const std::string& in, std::string* out) {
  out->clear();
  bool escaping = false;
  for (char c : in) {
    if (escaping) {
      if (c != '\\' && c != ',' && c != '=') {
        return Status::BadRequest(
            std::string("invalid field selector: invalid escape sequence: \\") + c);
      }
      *out += c;
      escaping = false;
    } else if (c == '\\') {
      escaping = true;
    } else if (c == ',' || c == '=') {
      // Go prints the rune with %v, i.e. as its code point.
      return Status::BadRequest("invalid field selector: unescaped character in value: " +
                                std::to_string(static_cast<int>(c)));
    } else {
      *out += c;
    }
  }
  if (escaping) return Status::BadRequest("invalid field selector: invalid escape sequence: \\");
  return Status::Ok();
}

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == ',' || c == '=') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Result<FieldSelector> FieldSelector::Parse(std::string_view selector) {
  std::vector<std::string> parts = SplitTerms(selector);
  std::sort(parts.begin(), parts.end());
  FieldSelector sel;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    std::string lhs, op, rhs;
    if (!SplitTerm(part, &lhs, &op, &rhs)) {
      return Status::BadRequest("invalid selector: '" + std::string(selector) +
                                "'; can't understand '" + part + "'");
    }
    FieldRequirement r;
    if (Status s = Unescape(rhs, &r.value); !s.ok()) return s;
    r.field = std::move(lhs);
    r.equals = op != "!=";
    sel.terms_.push_back(std::move(r));
  }
  return sel;
}

std::vector<std::string> FieldSelector::Fields() const {
  std::vector<std::string> out;
  for (const auto& t : terms_) out.push_back(t.field);
  return out;
}

bool FieldSelector::Matches(const json::object& obj) const {
  for (const auto& t : terms_) {
    if ((FieldValueAsString(obj, t.field) == t.value) != t.equals) return false;
  }
  return true;
}

bool FieldSelector::RequiresExactMatch(std::string_view field, std::string* value) const {
  for (const auto& t : terms_) {
    if (t.equals && t.field == field) {
      *value = t.value;
      return true;
    }
  }
  return false;
}

std::string FieldSelector::ToString() const {
  std::string out;
  for (const auto& t : terms_) {
    if (!out.empty()) out += ',';
    out += t.field + (t.equals ? "=" : "!=") + Escape(t.value);
  }
  return out;
}

std::string FieldValueAsString(const json::object& obj, std::string_view path) {
  const json::value* v = Lookup(obj, path);
  if (!v) return "";
  switch (v->kind()) {
    case json::kind::string:
      return std::string(v->get_string());
    case json::kind::bool_:
      return v->get_bool() ? "true" : "false";
    case json::kind::int64:
      return std::to_string(v->get_int64());
    case json::kind::uint64:
      return std::to_string(v->get_uint64());
    case json::kind::double_: {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof(buf), v->get_double());
      return std::string(buf, res.ptr);
    }
    default:
      return "";
  }
}

}  // namespace kc::api

#include "pkg/api/json_patch.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/field_set_path.h"  // JsonEqual

namespace kc::api {
namespace json = boost::json;

namespace {

// A parsed JSON Pointer: the unescaped reference tokens.
struct Pointer {
  std::string text;
  std::vector<std::string> tokens;
};

Result<Pointer> ParsePointer(std::string_view text) {
  Pointer p{std::string(text), {}};
  if (text.empty()) return p;
  if (text.front() != '/') {
    return Status::BadRequest("JSON pointer must be empty or start with '/': \"" + p.text + "\"");
  }
  std::string tok;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      p.tokens.push_back(std::move(tok));
      tok.clear();
    } else if (text[i] == '~') {
      char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return Status::BadRequest("invalid escape in JSON pointer \"" + p.text + "\"");
      }
      tok += next == '0' ? '~' : '/';
      ++i;
    } else {
      tok += text[i];
    }
  }
  return p;
}

// Array index per RFC 6901: "0" or digits without a leading zero, at most `max` (size for add,
// size-1 otherwise).
bool ParseIndex(const std::string& tok, size_t max, size_t* out) {
  if (tok.empty() || tok.size() > 18 || (tok.size() > 1 && tok[0] == '0')) return false;
  size_t v = 0;
  for (char c : tok) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

Status Missing(std::string_view op, const Pointer& p) {
  return Status::Invalid(std::string(op) + " operation does not apply: doc is missing path: \"" +
                         p.text + "\": missing value");
}

// Resolves all tokens but the last; nullptr when some container is missing.
json::value* Parent(json::value& doc, const Pointer& p) {
  json::value* cur = &doc;
  for (size_t i = 0; i + 1 < p.tokens.size(); ++i) {
    const std::string& tok = p.tokens[i];
    if (json::object* o = cur->if_object()) {
      cur = o->if_contains(tok);
    } else if (json::array* a = cur->if_array()) {
      size_t idx = 0;
      if (a->empty() || !ParseIndex(tok, a->size() - 1, &idx)) return nullptr;
      cur = &(*a)[idx];
    } else {
      return nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

json::value* Find(json::value& doc, const Pointer& p) {
  if (p.tokens.empty()) return &doc;
  json::value* parent = Parent(doc, p);
  if (!parent) return nullptr;
  const std::string& last = p.tokens.back();
  if (json::object* o = parent->if_object()) return o->if_contains(last);
  if (json::array* a = parent->if_array()) {
    size_t idx = 0;
    if (a->empty() || !ParseIndex(last, a->size() - 1, &idx)) return nullptr;
    return &(*a)[idx];
  }
  return nullptr;
}

Status Add(json::value& doc, const Pointer& p, json::value v, std::string_view op) {
  if (p.tokens.empty()) {
    doc = std::move(v);
    return Status::Ok();
  }
  json::value* parent = Parent(doc, p);
  if (!parent) return Missing(op, p);
  const std::string& last = p.tokens.back();
  if (json::object* o = parent->if_object()) {
    (*o)[last] = std::move(v);
    return Status::Ok();
  }
  if (json::array* a = parent->if_array()) {
    size_t idx = a->size();
    if (last != "-" && !ParseIndex(last, a->size(), &idx)) {
      return Status::Invalid(std::string(op) + " operation does not apply: invalid index " + last +
                             " in \"" + p.text + "\"");
    }
    a->insert(a->begin() + static_cast<std::ptrdiff_t>(idx), std::move(v));
    return Status::Ok();
  }
  return Missing(op, p);
}

Status Remove(json::value& doc, const Pointer& p, std::string_view op, json::value* removed) {
  if (p.tokens.empty()) {
    return Status::Invalid(std::string(op) + " operation does not apply: cannot remove the root");
  }
  json::value* parent = Parent(doc, p);
  const std::string& last = p.tokens.back();
  if (json::object* o = parent ? parent->if_object() : nullptr) {
    auto it = o->find(last);
    if (it == o->end()) return Missing(op, p);
    if (removed) *removed = std::move(it->value());
    o->stable_erase(it);
    return Status::Ok();
  }
  if (json::array* a = parent ? parent->if_array() : nullptr) {
    size_t idx = 0;
    if (a->empty() || !ParseIndex(last, a->size() - 1, &idx)) return Missing(op, p);
    if (removed) *removed = std::move((*a)[idx]);
    a->erase(a->begin() + static_cast<std::ptrdiff_t>(idx));
    return Status::Ok();
  }
  return Missing(op, p);
}

bool IsPrefixOf(const Pointer& from, const Pointer& path) {
  if (from.tokens.size() >= path.tokens.size()) return false;
  for (size_t i = 0; i < from.tokens.size(); ++i) {
    if (from.tokens[i] != path.tokens[i]) return false;
  }
  return true;
}

Status ApplyOne(json::value& doc, const json::object& op_obj) {
  const json::value* opv = op_obj.if_contains("op");
  const json::value* pathv = op_obj.if_contains("path");
  if (!opv || !opv->is_string())
    return Status::BadRequest("JSON patch operation is missing \"op\"");
  if (!pathv || !pathv->is_string()) {
    return Status::BadRequest("JSON patch operation is missing \"path\"");
  }
  std::string op(opv->get_string());
  auto path = ParsePointer(pathv->get_string());
  if (!path.ok()) return path.status();
  const json::value* value = op_obj.if_contains("value");
  Result<Pointer> from = Pointer{};
  if (op == "move" || op == "copy") {
    const json::value* fromv = op_obj.if_contains("from");
    if (!fromv || !fromv->is_string()) {
      return Status::BadRequest(op + " operation is missing \"from\"");
    }
    from = ParsePointer(fromv->get_string());
    if (!from.ok()) return from.status();
  } else if ((op == "add" || op == "replace" || op == "test") && !value) {
    return Status::BadRequest(op + " operation is missing \"value\"");
  }

  if (op == "add") return Add(doc, *path, *value, op);
  if (op == "remove") return Remove(doc, *path, op, nullptr);
  if (op == "replace") {
    json::value* target = Find(doc, *path);
    if (!target) return Missing(op, *path);
    *target = *value;
    return Status::Ok();
  }
  if (op == "test") {
    json::value* target = Find(doc, *path);
    if (!target) return Missing(op, *path);
    if (!JsonEqual(*target, *value)) {
      return Status::Invalid("testing value " + path->text + " failed: test failed");
    }
    return Status::Ok();
  }
  if (op == "move") {
    if (IsPrefixOf(*from, *path)) {
      return Status::Invalid("move operation does not apply: \"from\" " + from->text +
                             " is a proper prefix of \"path\" " + path->text);
    }
    json::value moved;
    if (Status s = Remove(doc, *from, op, &moved); !s.ok()) return s;
    return Add(doc, *path, std::move(moved), op);
  }
  if (op == "copy") {
    json::value* src = Find(doc, *from);
    if (!src) return Missing(op, *from);
    json::value copy = *src;
    return Add(doc, *path, std::move(copy), op);
  }
  return Status::BadRequest("Unexpected kind: " + op);
}

}  // namespace

Status ApplyJsonPatch(json::value& doc, const json::value& patch) {
  const json::array* ops = patch.if_array();
  if (!ops) {
    return Status::BadRequest("json: cannot unmarshal " +
                              std::string(patch.is_object() ? "object" : "value") +
                              " into Go value of type jsonpatch.Patch");
  }
  json::value work = doc;
  for (const json::value& op : *ops) {
    if (!op.is_object()) return Status::BadRequest("JSON patch operations must be objects");
    if (Status s = ApplyOne(work, op.get_object()); !s.ok()) return s;
  }
  doc = std::move(work);
  return Status::Ok();
}

}  // namespace kc::api

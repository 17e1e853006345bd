#include "pkg/openapi/schema_registry.h"

#include <cstdio>
#include <cstdlib>
#include <set>

#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {
namespace {

constexpr std::string_view kMetaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits off the first whitespace-delimited token of `*s`.
std::string_view NextToken(std::string_view* s) {
  *s = TrimLeft(*s);
  size_t end = 0;
  while (end < s->size() && (*s)[end] != ' ' && (*s)[end] != '\t') ++end;
  std::string_view tok = s->substr(0, end);
  *s = TrimLeft(s->substr(end));
  return tok;
}

// "meta.v1.X" / "core.v1.X" / "runtime.RawExtension" -> upstream definition names.
std::string ExpandQualified(std::string_view name) {
  if (name.substr(0, 8) == "meta.v1.") return std::string(kMetaPrefix) + std::string(name.substr(8));
  if (name.substr(0, 8) == "runtime.") return "io.k8s.apimachinery.pkg." + std::string(name);
  return "io.k8s.api." + std::string(name);
}

std::string ResolveName(std::string_view name, const std::string& package) {
  if (name.find('.') != std::string_view::npos) return ExpandQualified(name);
  return ExpandQualified(package + "." + std::string(name));
}

api::Result<TypeRef> ParseType(std::string_view t, const std::string& package) {
  TypeRef r;
  using K = TypeRef::Kind;
  if (t.substr(0, 2) == "[]" || t.substr(0, 2) == "{}") {
    auto elem = ParseType(t.substr(2), package);
    if (!elem.ok()) return elem.status();
    r.kind = t[0] == '[' ? K::kArray : K::kMap;
    r.elem = std::make_shared<TypeRef>(std::move(elem).value());
    return r;
  }
  if (t.empty()) return api::Status::Internal("empty type");
  if (t == "string") { r.kind = K::kString; return r; }
  if (t == "int32") { r.kind = K::kInt32; return r; }
  if (t == "int64") { r.kind = K::kInt64; return r; }
  if (t == "bool") { r.kind = K::kBool; return r; }
  if (t == "double") { r.kind = K::kDouble; return r; }
  if (t == "byte") { r.kind = K::kByte; return r; }
  if (t == "object") { r.kind = K::kObject; return r; }
  r.kind = K::kRef;
  if (t == "quantity") {
    r.ref = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  } else if (t == "ios") {
    r.ref = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  } else if (t == "time") {
    r.ref = std::string(kMetaPrefix) + "Time";
  } else if (t == "microtime") {
    r.ref = std::string(kMetaPrefix) + "MicroTime";
  } else if (t[0] >= 'a' && t[0] <= 'z' && t.find('.') == std::string_view::npos) {
    return api::Status::Internal("unknown primitive type '" + std::string(t) + "'");
  } else {
    r.ref = ResolveName(t, package);
  }
  return r;
}

void AddBuiltinScalars(std::map<std::string, TypeDef, std::less<>>* types) {
  auto add = [&](std::string name, Scalar s, std::string desc) {
    TypeDef t;
    t.name = std::move(name);
    t.scalar = s;
    t.description = std::move(desc);
    (*types)[t.name] = std::move(t);
  };
  add("io.k8s.apimachinery.pkg.api.resource.Quantity", Scalar::kQuantity,
      "A fixed-point number with an optional SI or binary suffix, e.g. 500m, 1.5, 128Mi, 2Gi, "
      "1e3. Serialized as a string in canonical form.");
  add("io.k8s.apimachinery.pkg.util.intstr.IntOrString", Scalar::kIntOrString,
      "A value that is either an integer or a string, e.g. a port number or name, or a "
      "percentage like \"25%\".");
  add(std::string(kMetaPrefix) + "Time", Scalar::kDateTime,
      "A timestamp in RFC 3339 form with second precision, e.g. 2024-05-01T12:00:00Z.");
  add(std::string(kMetaPrefix) + "MicroTime", Scalar::kDateTime,
      "A timestamp in RFC 3339 form with microsecond precision.");
}

}  // namespace

const FieldDef* TypeDef::Field(std::string_view field_name) const {
  for (const auto& f : fields) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

api::Result<std::unique_ptr<SchemaRegistry>> SchemaRegistry::Parse(
    const std::vector<std::string_view>& sources) {
  auto reg = std::make_unique<SchemaRegistry>();
  AddBuiltinScalars(&reg->types_);
  for (std::string_view text : sources) {
    std::string package;
    TypeDef* current = nullptr;
    int line_no = 0;
    while (!text.empty()) {
      ++line_no;
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      line = TrimRight(line);
      std::string_view body = TrimLeft(line);
      if (body.empty() || body[0] == '#') continue;
      auto fail = [&](const std::string& why) {
        return api::Status::Internal("schema text (package " + package + ") line " +
                                     std::to_string(line_no) + ": " + why + ": " +
                                     std::string(body));
      };
      const bool indented = line[0] == ' ' || line[0] == '\t';
      if (!indented) {
        std::string_view rest = body;
        std::string_view head = NextToken(&rest);
        if (head == "package") {
          package = std::string(NextToken(&rest));
          current = nullptr;
          continue;
        }
        if (package.empty()) return fail("type before any package line");
        TypeDef t;
        t.name = ResolveName(head, package);
        if (reg->types_.count(t.name)) return fail("duplicate type");
        while (!rest.empty() && (rest[0] == '@' || rest[0] == '+')) {
          std::string_view flag = NextToken(&rest);
          if (flag == "+open") {
            t.open = true;
          } else if (flag[0] == '@') {
            std::string_view gvk = flag.substr(1);
            auto s1 = gvk.find('/');
            auto s2 = gvk.find('/', s1 == std::string_view::npos ? 0 : s1 + 1);
            if (s1 == std::string_view::npos || s2 == std::string_view::npos) {
              return fail("bad kind flag");
            }
            t.gvks.push_back(Gvk{std::string(gvk.substr(0, s1)),
                                 std::string(gvk.substr(s1 + 1, s2 - s1 - 1)),
                                 std::string(gvk.substr(s2 + 1))});
          } else {
            return fail("unknown flag");
          }
        }
        t.description = std::string(rest);
        if (!t.gvks.empty()) {
          t.fields.push_back(FieldDef{"apiVersion", TypeRef{}, false,
                                      "The versioned schema of this object, e.g. v1 or apps/v1. "
                                      "Servers convert recognized schemas to the latest version."});
          t.fields.push_back(FieldDef{"kind", TypeRef{}, false,
                                      "The REST resource this object represents, in CamelCase. "
                                      "Set by clients; cannot be updated."});
          TypeRef meta;
          meta.kind = TypeRef::Kind::kRef;
          meta.ref = std::string(kMetaPrefix) + "ObjectMeta";
          t.fields.push_back(FieldDef{"metadata", meta, false,
                                      "Standard object metadata: name, namespace, labels, "
                                      "annotations and server-managed fields."});
        }
        auto [it, ok] = reg->types_.emplace(t.name, std::move(t));
        current = &it->second;
        continue;
      }
      if (!current) return fail("field outside a type");
      std::string_view rest = body;
      std::string_view name = NextToken(&rest);
      if (name.substr(0, 3) == "...") {
        const TypeDef* src = reg->Find(ResolveName(name.substr(3), package));
        if (!src) return fail("'...' of an undeclared type");
        for (const auto& f : src->fields) {
          if (!current->Field(f.name)) current->fields.push_back(f);
        }
        continue;
      }
      FieldDef f;
      if (!name.empty() && name.back() == '!') {
        f.required = true;
        name.remove_suffix(1);
      }
      f.name = std::string(name);
      std::string_view type = NextToken(&rest);
      if (f.name.empty() || type.empty()) return fail("field needs a name and a type");
      auto tr = ParseType(type, package);
      if (!tr.ok()) return fail(tr.status().message());
      f.type = std::move(tr).value();
      f.description = std::string(rest);
      if (current->Field(f.name)) return fail("duplicate field");
      current->fields.push_back(std::move(f));
    }
  }
  for (const auto& [name, t] : reg->types_) {
    for (const auto& g : t.gvks) reg->kinds_[g.group + "/" + g.version + "/" + g.kind] = &t;
  }
  return reg;
}

const TypeDef* SchemaRegistry::Find(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : &it->second;
}

const TypeDef* SchemaRegistry::ForKind(std::string_view group, std::string_view version,
                                       std::string_view kind) const {
  std::string key;
  key.append(group).append("/").append(version).append("/").append(kind);
  auto it = kinds_.find(key);
  return it == kinds_.end() ? nullptr : it->second;
}

std::vector<std::string> SchemaRegistry::DanglingRefs() const {
  std::set<std::string> missing;
  for (const auto& [name, t] : types_) {
    for (const auto& f : t.fields) {
      const TypeRef* r = &f.type;
      while (r->elem) r = r->elem.get();
      if (r->kind == TypeRef::Kind::kRef && !Find(r->ref)) missing.insert(r->ref + " (in " + name + ")");
    }
  }
  return {missing.begin(), missing.end()};
}

const SchemaRegistry& Registry() {
  static const SchemaRegistry* const registry = [] {
    auto r = SchemaRegistry::Parse({MetaSchemas(), PodSchemas(), SchedulingSchemas(),
                                    VolumeSchemas(), CoreSchemas(), AppsSchemas(), BatchSchemas(),
                                    AutoscalingSchemas(), NetworkingSchemas(), PolicySchemas()});
    if (!r.ok()) {
      std::fprintf(stderr, "kc_openapi: %s\n", r.status().message().c_str());
      std::abort();
    }
    return std::move(r).value().release();
  }();
  return *registry;
}

}  // namespace kc::openapi::internal

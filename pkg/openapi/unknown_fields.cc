// Strict field validation against the compiled-in schemas.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "pkg/openapi/openapi.h"
#include "pkg/openapi/schema_registry.h"

namespace kc::openapi {
namespace {

using internal::FieldDef;
using internal::Scalar;
using internal::SchemaRegistry;
using internal::TypeDef;
using internal::TypeRef;

// Paths are rendered like upstream's strict decoder: fields joined by '.', list items as [i],
// map values by their key ("metadata.labels.app").
std::string Join(const std::string& path, std::string_view field) {
  return path.empty() ? std::string(field) : path + "." + std::string(field);
}

class Walker {
 public:
  Walker(const SchemaRegistry& reg, std::vector<std::string>* out) : reg_(reg), out_(out) {}

  void Type(const TypeDef& t, const boost::json::value& v, const std::string& path, bool root) {
    if (t.open || t.scalar != Scalar::kNone) return;
    const auto* obj = v.if_object();
    if (!obj) return;  // wrong JSON types are for the decoder/validation to report
    for (const auto& kv : *obj) {
      // Status is written by controllers through the status subresource; accept it freely.
      if (root && kv.key() == "status") continue;
      const FieldDef* f = t.Field(kv.key());
      const std::string child = Join(path, kv.key());
      if (!f) {
        out_->push_back(child);
        continue;
      }
      Ref(f->type, kv.value(), child);
    }
  }

  void Ref(const TypeRef& r, const boost::json::value& v, const std::string& path) {
    switch (r.kind) {
      case TypeRef::Kind::kRef:
        if (const TypeDef* t = reg_.Find(r.ref)) Type(*t, v, path, false);
        return;
      case TypeRef::Kind::kArray:
        if (const auto* arr = v.if_array()) {
          for (size_t i = 0; i < arr->size(); ++i) {
            Ref(*r.elem, (*arr)[i], path + "[" + std::to_string(i) + "]");
          }
        }
        return;
      case TypeRef::Kind::kMap:
        if (const auto* obj = v.if_object()) {
          for (const auto& kv : *obj) Ref(*r.elem, kv.value(), Join(path, kv.key()));
        }
        return;
      default:
        return;  // scalars and free-form objects
    }
  }

 private:
  const SchemaRegistry& reg_;
  std::vector<std::string>* out_;
};

}  // namespace

std::vector<std::string> UnknownFields(const api::ResourceInfo& ri, const boost::json::value& obj) {
  std::vector<std::string> out;
  const auto& reg = internal::Registry();
  const TypeDef* t = reg.ForKind(ri.group, ri.version, ri.kind);
  if (!t) return out;
  Walker(reg, &out).Type(*t, obj, "", true);
  return out;
}

}  // namespace kc::openapi

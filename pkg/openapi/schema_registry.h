// The compiled-in schema registry: every Kubernetes type kcluster describes in OpenAPI, keyed by
// upstream's definition name ("io.k8s.api.apps.v1.Deployment"), parsed once from the compact
// schema text of schema_sources.h.
//
// Schema text format (one construct per line, '#' starts a comment line):
//   package core.v1                  sets the package for the type names that follow
//   PodSpec [flags] Description...   a type header (no indentation); flags:
//       @group/version/Kind            the type is that kind's root (repeatable; core group empty,
//                                      "@/v1/Pod"); apiVersion, kind and metadata fields are
//                                      added automatically
//       +open                          x-kubernetes-preserve-unknown-fields: accepts any field
//   <indent>name[!] type Description...   a field; '!' marks it required
//   <indent>...Other                 copies the fields of type Other (declared earlier)
// Field types: string int32 int64 bool double byte object(free-form) quantity ios(IntOrString)
// time microtime, []T (list), {}T (map of string to T), or a type name: unqualified names are in
// the current package, qualified ones ("meta.v1.ObjectMeta", "core.v1.PodTemplateSpec") are
// expanded to upstream's prefixes (io.k8s.api., io.k8s.apimachinery.pkg.apis.).
//
// Thread-safety: Registry() is built on first use and immutable afterwards.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/status.h"

namespace kc::openapi::internal {

struct TypeRef {
  enum class Kind { kString, kInt32, kInt64, kBool, kDouble, kByte, kObject, kRef, kArray, kMap };
  Kind kind = Kind::kString;
  std::string ref;                      // kRef: full definition name
  std::shared_ptr<const TypeRef> elem;  // kArray / kMap element
};

struct FieldDef {
  std::string name;
  TypeRef type;
  bool required = false;
  std::string description;
};

struct Gvk {
  std::string group, version, kind;
};

// Scalar types serialised as strings (Quantity, IntOrString, Time, MicroTime).
enum class Scalar { kNone, kQuantity, kIntOrString, kDateTime };

struct TypeDef {
  std::string name;  // "io.k8s.api.core.v1.PodSpec"
  std::string description;
  std::vector<Gvk> gvks;
  std::vector<FieldDef> fields;
  bool open = false;
  Scalar scalar = Scalar::kNone;

  const FieldDef* Field(std::string_view field_name) const;
};

class SchemaRegistry {
 public:
  // Parses `sources` in order (a type must be declared before `...` copies it; references may
  // point forward). Errors name the offending line.
  static api::Result<std::unique_ptr<SchemaRegistry>> Parse(const std::vector<std::string_view>& sources);

  const TypeDef* Find(std::string_view name) const;
  // The root type of a kind, or nullptr.
  const TypeDef* ForKind(std::string_view group, std::string_view version,
                         std::string_view kind) const;
  const std::map<std::string, TypeDef, std::less<>>& types() const { return types_; }
  // Every name referenced by some field but never defined (empty when consistent).
  std::vector<std::string> DanglingRefs() const;

 private:
  std::map<std::string, TypeDef, std::less<>> types_;
  std::map<std::string, const TypeDef*, std::less<>> kinds_;  // "group/version/Kind" -> root
};

// The registry over all compiled-in schema texts. Aborts on a malformed text (a build bug that
// the unit tests catch).
const SchemaRegistry& Registry();

}  // namespace kc::openapi::internal

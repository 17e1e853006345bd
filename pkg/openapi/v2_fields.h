// Field numbers of the gnostic `openapi.v2` protobuf messages (github.com/google/gnostic-models,
// openapiv2/OpenAPIv2.proto) that the /openapi/v2 document uses. kubectl unmarshals the body of
// `GET /openapi/v2` (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf) as
// openapi_v2.Document. Only the fields kcluster writes are listed.
//
// Thread-safety: constants only.
#pragma once

#include <cstdint>

namespace kc::openapi::internal::v2 {

// Document
namespace document {
inline constexpr uint32_t kSwagger = 1;              // string
inline constexpr uint32_t kInfo = 2;                 // Info
inline constexpr uint32_t kPaths = 8;                // Paths
inline constexpr uint32_t kDefinitions = 9;          // Definitions
inline constexpr uint32_t kSecurity = 12;            // repeated SecurityRequirement
inline constexpr uint32_t kSecurityDefinitions = 13; // SecurityDefinitions
}  // namespace document

namespace info {
inline constexpr uint32_t kTitle = 1;
inline constexpr uint32_t kVersion = 2;
}  // namespace info

// Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
namespace paths {
inline constexpr uint32_t kPath = 2;
}

// Every Named* message (NamedAny, NamedPathItem, NamedSchema, NamedResponseValue,
// NamedSecurityDefinitionsItem, NamedStringArray) is { string name = 1; <T> value = 2; }.
namespace named {
inline constexpr uint32_t kName = 1;
inline constexpr uint32_t kValue = 2;
}  // namespace named

// Any { google.protobuf.Any value = 1; string yaml = 2; }
namespace any {
inline constexpr uint32_t kYaml = 2;
}

// Definitions / Properties { repeated NamedSchema additional_properties = 1; }
namespace named_schemas {
inline constexpr uint32_t kAdditionalProperties = 1;
}

namespace path_item {
inline constexpr uint32_t kGet = 2;
inline constexpr uint32_t kPut = 3;
inline constexpr uint32_t kPost = 4;
inline constexpr uint32_t kDelete = 5;
inline constexpr uint32_t kPatch = 8;
inline constexpr uint32_t kParameters = 9;  // repeated ParametersItem
}  // namespace path_item

namespace operation {
inline constexpr uint32_t kTags = 1;
inline constexpr uint32_t kDescription = 3;
inline constexpr uint32_t kOperationId = 5;
inline constexpr uint32_t kProduces = 6;
inline constexpr uint32_t kConsumes = 7;
inline constexpr uint32_t kParameters = 8;  // repeated ParametersItem
inline constexpr uint32_t kResponses = 9;   // Responses
inline constexpr uint32_t kSchemes = 10;
inline constexpr uint32_t kVendorExtension = 13;
}  // namespace operation

// ParametersItem { oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
namespace parameters_item {
inline constexpr uint32_t kParameter = 1;
}
// Parameter { oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
namespace parameter {
inline constexpr uint32_t kBodyParameter = 1;
inline constexpr uint32_t kNonBodyParameter = 2;
}  // namespace parameter
// NonBodyParameter { oneof { header = 1; form_data = 2; query = 3; path = 4; } }
namespace non_body_parameter {
inline constexpr uint32_t kQuery = 3;
inline constexpr uint32_t kPath = 4;
}  // namespace non_body_parameter

namespace body_parameter {
inline constexpr uint32_t kDescription = 1;
inline constexpr uint32_t kName = 2;
inline constexpr uint32_t kIn = 3;
inline constexpr uint32_t kRequired = 4;
inline constexpr uint32_t kSchema = 5;
}  // namespace body_parameter

namespace query_parameter {
inline constexpr uint32_t kRequired = 1;
inline constexpr uint32_t kIn = 2;
inline constexpr uint32_t kDescription = 3;
inline constexpr uint32_t kName = 4;
inline constexpr uint32_t kType = 6;
inline constexpr uint32_t kUniqueItems = 20;
}  // namespace query_parameter

namespace path_parameter {
inline constexpr uint32_t kRequired = 1;
inline constexpr uint32_t kIn = 2;
inline constexpr uint32_t kDescription = 3;
inline constexpr uint32_t kName = 4;
inline constexpr uint32_t kType = 5;
inline constexpr uint32_t kUniqueItems = 19;
}  // namespace path_parameter

// Responses { repeated NamedResponseValue response_code = 1; }
namespace responses {
inline constexpr uint32_t kResponseCode = 1;
}
// ResponseValue { oneof { Response response = 1; JsonReference json_reference = 2; } }
namespace response_value {
inline constexpr uint32_t kResponse = 1;
}
namespace response {
inline constexpr uint32_t kDescription = 1;
inline constexpr uint32_t kSchema = 2;  // SchemaItem
}  // namespace response
// SchemaItem { oneof { Schema schema = 1; FileSchema file_schema = 2; } }
namespace schema_item {
inline constexpr uint32_t kSchema = 1;
}

namespace schema {
inline constexpr uint32_t kRef = 1;  // "_ref", the JSON "$ref"
inline constexpr uint32_t kFormat = 2;
inline constexpr uint32_t kDescription = 4;
inline constexpr uint32_t kRequired = 19;              // repeated string
inline constexpr uint32_t kAdditionalProperties = 21;  // AdditionalPropertiesItem
inline constexpr uint32_t kType = 22;                  // TypeItem
inline constexpr uint32_t kItems = 23;                 // ItemsItem
inline constexpr uint32_t kProperties = 25;            // Properties
inline constexpr uint32_t kVendorExtension = 31;       // repeated NamedAny
}  // namespace schema

// AdditionalPropertiesItem { oneof { Schema schema = 1; bool boolean = 2; } }
namespace additional_properties_item {
inline constexpr uint32_t kSchema = 1;
}
// TypeItem { repeated string value = 1; }
namespace type_item {
inline constexpr uint32_t kValue = 1;
}
// ItemsItem { repeated Schema schema = 1; }
namespace items_item {
inline constexpr uint32_t kSchema = 1;
}

// SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
namespace security_definitions {
inline constexpr uint32_t kAdditionalProperties = 1;
}
// SecurityDefinitionsItem { oneof { basic = 1; ApiKeySecurity api_key_security = 2; ... } }
namespace security_definitions_item {
inline constexpr uint32_t kApiKeySecurity = 2;
}
namespace api_key_security {
inline constexpr uint32_t kType = 1;
inline constexpr uint32_t kName = 2;
inline constexpr uint32_t kIn = 3;
inline constexpr uint32_t kDescription = 4;
}  // namespace api_key_security
// SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
namespace security_requirement {
inline constexpr uint32_t kAdditionalProperties = 1;
}

}  // namespace kc::openapi::internal::v2

// RequestContext: who is asking and how a write should be handled (dry run, field manager,
// field validation), passed from the HTTP handler or LocalClient into the Registry. Warnings
// produced while serving are appended and returned as `Warning: 299` headers.
//
// Thread-safety: owned by one request; not shared.
#pragma once

#include <string>
#include <vector>

namespace kc::apiserver {

enum class FieldValidation { kIgnore, kWarn, kStrict };

struct RequestContext {
  std::string user;
  std::vector<std::string> groups;
  std::string field_manager;  // already resolved (query param, else User-Agent prefix)
  bool dry_run = false;
  FieldValidation field_validation = FieldValidation::kWarn;
  std::vector<std::string> warnings;  // out: "unknown field \"spec.foo\""
  // Set by server-side apply, which computes managedFields itself.
  bool managed_fields_done = false;
};

}  // namespace kc::apiserver

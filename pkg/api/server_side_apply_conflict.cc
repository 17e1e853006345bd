#include "pkg/api/server_side_apply_conflict.h"

#include <algorithm>
#include <string>
#include <tuple>

namespace kc::api {

Status ApplyConflictStatus(std::vector<ApplyConflict> conflicts) {
  std::sort(conflicts.begin(), conflicts.end(), [](const ApplyConflict& a, const ApplyConflict& b) {
    const auto& x = a.owner;
    const auto& y = b.owner;
    return std::tie(x.manager, x.operation, x.api_version, x.subresource) <
           std::tie(y.manager, y.operation, y.api_version, y.subresource);
  });
  size_t total = 0;
  for (const ApplyConflict& c : conflicts) total += c.fields.Size();

  std::string message;
  if (total == 1) {
    const ApplyConflict& only =
        *std::find_if(conflicts.begin(), conflicts.end(),
                      [](const ApplyConflict& c) { return !c.fields.Empty(); });
    message = "Apply failed with 1 conflict: conflict with " + only.owner.Describe() + ": " +
              FieldPathString(*only.fields.paths().begin());
  } else {
    message = "Apply failed with " + std::to_string(total) + " conflicts: ";
    bool first = true;
    for (const ApplyConflict& c : conflicts) {
      if (c.fields.Empty()) continue;
      if (!first) message += "\n";
      first = false;
      message += "conflicts with " + c.owner.Describe() + ":";
      for (const FieldPath& path : c.fields.paths()) message += "\n- " + FieldPathString(path);
    }
  }

  Status status = Status::Conflict(std::move(message));
  for (const ApplyConflict& c : conflicts) {
    for (const FieldPath& path : c.fields.paths()) {
      status.WithCause({"FieldManagerConflict", "conflict with " + c.owner.Describe(),
                        FieldPathString(path)});
    }
  }
  return status;
}

}  // namespace kc::api

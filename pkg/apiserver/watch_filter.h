// WatchFilter: turns store events of one resource into Kubernetes watch events, applying label
// and field selectors the way the apiserver does — an object that starts matching is ADDED, one
// that stops matching is DELETED, non-matching changes are dropped.
//
// Thread-safety: immutable after construction; Apply may be called from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include "pkg/api/field_selector.h"
#include "pkg/api/label_selector.h"
#include "pkg/store/backend.h"

namespace kc::apiserver {

struct ApiWatchEvent {
  const char* type;  // "ADDED", "MODIFIED", "DELETED"
  boost::json::object object;
  int64_t revision = 0;
};

class WatchFilter {
 public:
  WatchFilter(std::optional<api::LabelSelector> labels, std::optional<api::FieldSelector> fields);

  bool Matches(const boost::json::object& obj) const;
  // nullopt when the event is filtered out (or a stored value is unreadable).
  std::optional<ApiWatchEvent> Apply(const store::Event& ev) const;

 private:
  std::optional<api::LabelSelector> labels_;
  std::optional<api::FieldSelector> fields_;
};

}  // namespace kc::apiserver

#include "pkg/apiserver/watch_filter.h"

#include "pkg/apiserver/registry.h"

namespace kc::apiserver {
namespace json = boost::json;

WatchFilter::WatchFilter(std::optional<api::LabelSelector> labels,
                         std::optional<api::FieldSelector> fields)
    : labels_(std::move(labels)), fields_(std::move(fields)) {}

bool WatchFilter::Matches(const json::object& obj) const {
  if (labels_ && !labels_->Empty()) {
    const json::object* lbl = nullptr;
    if (auto m = obj.find("metadata"); m != obj.end() && m->value().is_object()) {
      if (auto l = m->value().get_object().find("labels");
          l != m->value().get_object().end() && l->value().is_object()) {
        lbl = &l->value().get_object();
      }
    }
    if (!labels_->Matches(lbl)) return false;
  }
  if (fields_ && !fields_->Matches(obj)) return false;
  return true;
}

std::optional<ApiWatchEvent> WatchFilter::Apply(const store::Event& ev) const {
  auto cur = Registry::Decode(ev.kv);
  if (!cur.ok()) return std::nullopt;
  bool filtering = (labels_ && !labels_->Empty()) || fields_;
  if (ev.type == store::EventType::kDelete) {
    if (filtering && !Matches(*cur)) return std::nullopt;
    return ApiWatchEvent{"DELETED", std::move(*cur), ev.kv.mod_revision};
  }
  bool now_matches = !filtering || Matches(*cur);
  if (ev.created || ev.prev_kv.value.empty()) {
    if (!now_matches) return std::nullopt;
    return ApiWatchEvent{"ADDED", std::move(*cur), ev.kv.mod_revision};
  }
  bool was_matching = true;
  if (filtering) {
    auto prev = Registry::Decode(ev.prev_kv);
    was_matching = prev.ok() && Matches(*prev);
  }
  if (now_matches && was_matching) {
    return ApiWatchEvent{"MODIFIED", std::move(*cur), ev.kv.mod_revision};
  }
  if (now_matches) return ApiWatchEvent{"ADDED", std::move(*cur), ev.kv.mod_revision};
  if (was_matching) return ApiWatchEvent{"DELETED", std::move(*cur), ev.kv.mod_revision};
  return std::nullopt;
}

}  // namespace kc::apiserver

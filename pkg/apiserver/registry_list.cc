// Registry: list, watch and delete-collection.
#include <boost/json/object.hpp>

#include "pkg/apiserver/keys.h"
#include "pkg/apiserver/label_scan.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/strategy.h"
#include "pkg/apiserver/watch_filter.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

struct Selectors {
  std::optional<api::LabelSelector> labels;
  std::optional<api::FieldSelector> fields;
  bool any() const { return (labels && !labels->Empty()) || fields; }
};

// Renames the labels of `f` to the paths they read in the stored object (FieldSelectorPath:
// e.g. events.k8s.io/v1's regarding.name reads the stored core/v1 involvedObject.name).
api::Status UseStoredPaths(const api::ResourceInfo& ri, api::FieldSelector* f) {
  bool renamed = false;
  for (const api::FieldRequirement& r : f->requirements()) {
    renamed = renamed || FieldSelectorPath(ri, r.field) != r.field;
  }
  if (!renamed) return api::Status::Ok();
  std::string rebuilt;
  for (const api::FieldRequirement& r : f->requirements()) {
    if (!rebuilt.empty()) rebuilt += ',';
    rebuilt.append(FieldSelectorPath(ri, r.field)).append(r.equals ? "=" : "!=");
    for (char c : r.value) {  // escaped as FieldSelector::Parse expects
      if (c == '\\' || c == ',' || c == '=') rebuilt += '\\';
      rebuilt += c;
    }
  }
  auto parsed = api::FieldSelector::Parse(rebuilt);
  if (!parsed.ok()) return parsed.status();
  *f = std::move(*parsed);
  return api::Status::Ok();
}

api::Result<Selectors> ParseSelectors(const api::ResourceInfo& ri, const ListOptions& opts) {
  Selectors sel;
  if (!opts.label_selector.empty()) {
    auto l = api::LabelSelector::Parse(opts.label_selector);
    if (!l.ok()) return l.status();
    sel.labels = std::move(*l);
  }
  if (!opts.field_selector.empty()) {
    auto f = api::FieldSelector::Parse(opts.field_selector);
    if (!f.ok()) return f.status();
    for (const auto& field : f->Fields()) {
      if (!SupportsFieldSelector(ri, field)) {
        return api::Status::BadRequest("field label not supported: " + field);
      }
    }
    if (auto s = UseStoredPaths(ri, &*f); !s.ok()) return s;
    sel.fields = std::move(*f);
  }
  return sel;
}

api::Result<int64_t> ParseRevision(const std::string& rv) {
  if (rv.empty()) return int64_t{0};
  try {
    size_t used = 0;
    int64_t v = std::stoll(rv, &used);
    if (used != rv.size() || v < 0) throw std::invalid_argument(rv);
    return v;
  } catch (...) {
    return api::Status::BadRequest("invalid resource version: " + rv);
  }
}

}  // namespace

api::Result<ListResult> Registry::List(const api::ResourceInfo& ri, const std::string& ns,
                                       const ListOptions& opts) {
  auto sel = ParseSelectors(ri, opts);
  if (!sel.ok()) return sel.status();
  if (!opts.resource_version_match.empty() && opts.resource_version.empty()) {
    return api::Status::BadRequest(
        "resourceVersionMatch is forbidden unless resourceVersion is provided");
  }
  if (opts.limit < 0) return api::Status::BadRequest("limit must be non-negative");

  const std::string prefix = ListPrefix(ri, ns);
  int64_t revision = 0;
  std::string start_after;
  if (!opts.continue_token.empty()) {
    if (auto s = DecodeContinue(opts.continue_token, &revision, &start_after); !s.ok()) return s;
    if (start_after.rfind(prefix, 0) != 0) {
      return api::Status::BadRequest("continue key is not valid for this list");
    }
  } else if (opts.resource_version_match == "Exact") {
    auto r = ParseRevision(opts.resource_version);
    if (!r.ok()) return r.status();
    revision = *r;
  } else {
    auto r = ParseRevision(opts.resource_version);
    if (!r.ok()) return r.status();
    // "0" = any, "N" = not older than N: the latest state satisfies both.
    if (*r > backend_.CurrentRevision()) {
      return api::Status(api::Reason::kTimeout,
                         "Too large resource version: " + std::to_string(*r) +
                             ", current: " + std::to_string(backend_.CurrentRevision()));
    }
  }

  ListResult out;
  const int64_t want = opts.limit;
  for (;;) {
    int64_t batch = want > 0 ? std::max<int64_t>(want - static_cast<int64_t>(out.items.size()), 1)
                             : 0;
    if (sel->any() && batch > 0) batch = std::max<int64_t>(batch, 64);
    auto page = backend_.List(prefix, start_after, batch, revision);
    if (!page.ok()) {
      if (page.status().reason() == api::Reason::kExpired && !opts.continue_token.empty()) {
        return api::Status::Expired(
            "The provided continue parameter is too old to display a consistent list result. "
            "You can start a new list without the continue parameter, or use the continue token "
            "in this response to retrieve the remainder of the results. Continuing with the "
            "provided token results in an inconsistent list - objects that were created, "
            "modified, or deleted between the time the first chunk was returned and now may "
            "show up in the list.");
      }
      return page.status();
    }
    revision = page->revision;
    size_t consumed = 0;
    WatchFilter filter(sel->labels, sel->fields);
    json::object scanned;
    for (auto& kv : page->items) {
      ++consumed;
      start_after = kv.key;
      // Label selectors are checked on the stored bytes first; only matches are decoded.
      if (sel->labels && !sel->labels->Empty() && ScanLabels(kv.value, &scanned) &&
          !sel->labels->Matches(&scanned)) {
        continue;
      }
      auto obj = Decode(kv);
      if (!obj.ok()) return obj.status();
      if (sel->any() && !filter.Matches(*obj)) continue;
      out.items.push_back(std::move(*obj));
      if (want > 0 && static_cast<int64_t>(out.items.size()) >= want) break;
    }
    bool more = page->more || consumed < page->items.size();
    if (want > 0 && static_cast<int64_t>(out.items.size()) >= want) {
      if (more) {
        out.continue_token = EncodeContinue(revision, start_after);
        if (!sel->any()) {
          out.remaining = page->remaining + static_cast<int64_t>(page->items.size() - consumed);
        }
      }
      break;
    }
    if (!more) break;
  }
  out.revision = revision;
  return out;
}

api::Result<WatchHandle> Registry::Watch(const api::ResourceInfo& ri, const std::string& ns,
                                         const ListOptions& opts) {
  auto sel = ParseSelectors(ri, opts);
  if (!sel.ok()) return sel.status();
  auto rv = ParseRevision(opts.resource_version);
  if (!rv.ok()) return rv.status();
  WatchHandle h;
  h.filter = std::make_unique<WatchFilter>(sel->labels, sel->fields);
  int64_t after = *rv;
  if (opts.resource_version.empty() || *rv == 0) {
    ListOptions lo;
    lo.label_selector = opts.label_selector;
    lo.field_selector = opts.field_selector;
    auto list = List(ri, ns, lo);
    if (!list.ok()) return list.status();
    h.initial = std::move(list->items);
    after = list->revision;
  } else if (after < backend_.CompactedRevision()) {
    return api::Status::Expired("too old resource version: " + std::to_string(after) + " (" +
                                std::to_string(backend_.CompactedRevision()) + ")");
  }
  auto w = backend_.WatchPrefix(ListPrefix(ri, ns), after == 0 ? backend_.CurrentRevision() : after);
  if (!w.ok()) {
    if (w.status().reason() == api::Reason::kExpired || w.status().reason() == api::Reason::kGone) {
      return api::Status::Expired("too old resource version: " + std::to_string(after) + " (" +
                                  std::to_string(backend_.CompactedRevision()) + ")");
    }
    return w.status();
  }
  h.watch = std::move(*w);
  h.start_revision = after;
  return h;
}

api::Result<std::vector<json::object>> Registry::DeleteCollection(const api::ResourceInfo& ri,
                                                                  const std::string& ns,
                                                                  const ListOptions& list,
                                                                  const DeleteOptions& opts,
                                                                  RequestContext& ctx) {
  auto items = List(ri, ns, list);
  if (!items.ok()) return items.status();
  std::vector<json::object> out;
  for (auto& obj : items->items) {
    const auto& meta = obj["metadata"].get_object();
    std::string name(meta.at("name").get_string());
    std::string ons;
    if (auto it = meta.find("namespace"); it != meta.end() && it->value().is_string()) {
      ons = std::string(it->value().get_string());
    }
    auto r = Delete(ri, ons, name, opts, ctx);
    if (!r.ok()) {
      if (r.status().reason() == api::Reason::kNotFound) continue;
      return r.status();
    }
    out.push_back(std::move(r->object));
  }
  return out;
}

}  // namespace kc::apiserver

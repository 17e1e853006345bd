#include "pkg/controllers/namespace_controller.h"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kNamespaces{"", "v1", "namespaces"};

// A resource that cannot be listed or deleted at all is skipped, as upstream skips resources
// without the verbs.
bool Unsupported(const api::Status& st) {
  return st.reason() == api::Reason::kMethodNotAllowed || st.reason() == api::Reason::kNotFound;
}

std::vector<std::string> SpecFinalizers(const client::Object& ns) {
  std::vector<std::string> out;
  const boost::json::value* f = api::Lookup(ns, "spec.finalizers");
  if (!f || !f->is_array()) return out;
  for (const boost::json::value& v : f->get_array()) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

// Upstream names resources in NamespaceContentRemaining as "<resource>.<group>" ("pods.").
std::string RemainingName(const client::ResourceRef& res) { return res.resource + "." + res.group; }

}  // namespace

NamespaceController::NamespaceController(client::Client& client,
                                         client::SharedInformerFactory& factory,
                                         NamespaceControllerOptions opts)
    : client_(client),
      queue_(QueueOptionsFrom(opts)),
      loop_(kName, queue_, [this](const std::string& name) { return Sync(name); }) {
  informer_ = factory.ForResource(kNamespaces);
  auto enqueue = [this](const client::ObjectPtr& obj) {
    if (IsDeleting(*obj)) queue_.Add(client::ObjectMetaString(*obj, "name"));
  };
  client::EventHandler h;
  h.on_add = enqueue;
  h.on_update = [enqueue](const client::ObjectPtr&, const client::ObjectPtr& obj) { enqueue(obj); };
  handler_id_ = informer_->AddEventHandler(std::move(h));
  handler_registered_ = true;
}

NamespaceController::~NamespaceController() { Stop(); }

void NamespaceController::Start(int workers) { loop_.Start({informer_}, workers); }

void NamespaceController::Stop() {
  if (handler_registered_) {
    informer_->RemoveEventHandler(handler_id_);
    handler_registered_ = false;
  }
  loop_.Stop();
}

api::Status NamespaceController::Sync(const std::string& name) {
  api::Result<client::Object> got = client_.Get(kNamespaces, "", name);
  if (!got.ok()) return IsNotFound(got.status()) ? api::Status::Ok() : got.status();
  client::Object ns = std::move(*got);
  if (!IsDeleting(ns)) return api::Status::Ok();
  std::vector<std::string> spec_fin = SpecFinalizers(ns);
  if (!HasFinalizer(spec_fin, kFinalizer)) return api::Status::Ok();

  NamespaceContentReport report = DeleteContent(name);
  if (MergeConditions(ns, DeletionConditions(report),
                      api::FormatTime(std::chrono::system_clock::now()))) {
    client::WriteOptions w;
    w.subresource = "status";
    api::Result<client::Object> updated = client_.Update(kNamespaces, "", ns, w);
    if (!updated.ok()) {
      // Conflict: someone else wrote the namespace; the requeued pass starts from a fresh read.
      return IsNotFound(updated.status()) ? api::Status::Ok() : updated.status();
    }
    ns = std::move(*updated);
  }
  if (!report.errors.empty()) {
    return api::Status::Internal("namespace " + name + ": " + report.errors.front());
  }
  if (!report.remaining.empty()) {
    std::string what;
    for (const auto& [res, n] : report.remaining) {
      what += (what.empty() ? "" : ", ") + res + " " + std::to_string(n);
    }
    return api::Status::Unavailable("namespace " + name + ": content remaining: " + what);
  }

  boost::json::array kept;
  for (const std::string& f : spec_fin) {
    if (f != kFinalizer) kept.emplace_back(f);
  }
  api::EnsureObject(ns, "spec")["finalizers"] = std::move(kept);
  client::WriteOptions w;
  w.subresource = "finalize";
  api::Result<client::Object> fin = client_.Update(kNamespaces, "", ns, w);
  if (!fin.ok()) return IsNotFound(fin.status()) ? api::Status::Ok() : fin.status();
  spdlog::info("namespace controller: namespace {} finalized", name);
  return api::Status::Ok();
}

NamespaceContentReport NamespaceController::DeleteContent(const std::string& ns) {
  NamespaceContentReport report;
  // Pods first, so their graceful termination starts before anything they depend on goes.
  std::vector<const api::ResourceInfo*> resources = UniqueResources(/*namespaced_only=*/true);
  std::stable_partition(resources.begin(), resources.end(), [](const api::ResourceInfo* r) {
    return r->group.empty() && r->plural == "pods";
  });
  for (const api::ResourceInfo* info : resources) {
    client::ResourceRef res = RefFor(*info);
    api::Result<client::ObjectList> list = client_.List(res, ns, client::ListOptions{});
    if (!list.ok()) {
      if (!Unsupported(list.status())) {
        report.errors.push_back("failed to list " + QualifiedName(res) + ": " +
                                list.status().message());
      }
      continue;
    }
    if (list->items.empty()) continue;
    for (const client::Object& item : list->items) {
      if (IsDeleting(item)) continue;
      client::DeleteOptions opts;
      opts.propagation_policy = "Background";
      std::string item_name = client::ObjectMetaString(item, "name");
      api::Result<client::Object> del = client_.Delete(res, ns, item_name, opts);
      if (!del.ok() && !IsNotFound(del.status()) && !Unsupported(del.status())) {
        report.errors.push_back("failed to delete " + QualifiedName(res) + " " + item_name + ": " +
                                del.status().message());
      }
    }
    api::Result<client::ObjectList> after = client_.List(res, ns, client::ListOptions{});
    if (!after.ok()) {
      report.errors.push_back("failed to list " + QualifiedName(res) + ": " +
                              after.status().message());
      continue;
    }
    if (after->items.empty()) continue;
    report.remaining[RemainingName(res)] += static_cast<int>(after->items.size());
    for (const client::Object& item : after->items) {
      for (const std::string& f : Finalizers(item)) report.finalizers[f]++;
    }
  }
  return report;
}

}  // namespace kc::controllers

// DeletionFakeClient (tests only): a client::Client over client::FakeClient that adds the parts of
// the API server's deletion semantics the plain fake lacks, so controller tests see what
// kcluster's registry does (pkg/apiserver/registry_delete.cc):
//  - DELETE with propagationPolicy Orphan / Foreground adds the `orphan` / `foregroundDeletion`
//    finalizer before deleting, so the object stays with a deletionTimestamp;
//  - DELETE of a Namespace whose spec.finalizers is not empty keeps it (status.phase
//    Terminating) until PUT namespaces/<name>/finalize empties spec.finalizers.
// The fake keeps an object with a deletionTimestamp only while metadata.finalizers is non-empty,
// so a terminating Namespace carries the extra finalizer kSpecFinalizersPending, dropped when
// spec.finalizers becomes empty.
//
// Thread-safety: as FakeClient (the read-modify-write steps retry on Conflict).
#pragma once

#include <atomic>
#include <boost/json/array.hpp>
#include <string>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers::testing {

class DeletionFakeClient : public client::Client {
 public:
  static constexpr const char kSpecFinalizersPending[] = "kcluster.test/spec-finalizers";

  client::FakeClient& fake() { return fake_; }
  // How many PUT namespaces/<name>/finalize calls arrived.
  int finalize_calls() const { return finalize_calls_.load(); }

  api::Result<client::Object> Get(const client::ResourceRef& res, const std::string& ns,
                                  const std::string& name,
                                  const std::string& subresource = "") override {
    return fake_.Get(res, ns, name, subresource);
  }
  api::Result<client::ObjectList> List(const client::ResourceRef& res, const std::string& ns,
                                       const client::ListOptions& opts) override {
    return fake_.List(res, ns, opts);
  }
  api::Result<std::unique_ptr<client::WatchStream>> Watch(
      const client::ResourceRef& res, const std::string& ns,
      const client::ListOptions& opts) override {
    return fake_.Watch(res, ns, opts);
  }
  api::Result<client::Object> Create(const client::ResourceRef& res, const std::string& ns,
                                     const client::Object& obj,
                                     const client::WriteOptions& opts = {}) override {
    return fake_.Create(res, ns, obj, opts);
  }
  api::Result<client::Object> Patch(const client::ResourceRef& res, const std::string& ns,
                                    const std::string& name, client::PatchType type,
                                    const std::string& patch,
                                    const client::PatchOptions& opts = {}) override {
    return fake_.Patch(res, ns, name, type, patch, opts);
  }

  api::Result<client::Object> Update(const client::ResourceRef& res, const std::string& ns,
                                     const client::Object& obj,
                                     const client::WriteOptions& opts = {}) override {
    if (!IsNamespaces(res) || opts.subresource != "finalize")
      return fake_.Update(res, ns, obj, opts);
    finalize_calls_++;
    std::string name = client::ObjectMetaString(obj, "name");
    api::Result<client::Object> cur = fake_.Get(res, "", name);
    if (!cur.ok()) return cur;
    std::string rv = client::ObjectMetaString(obj, "resourceVersion");
    if (!rv.empty() && rv != client::ObjectMetaString(*cur, "resourceVersion")) {
      return api::Status::ConflictFor("namespaces", name, "the object has been modified");
    }
    client::Object next = *cur;
    boost::json::array fin;
    if (const boost::json::value* f = api::Lookup(obj, "spec.finalizers"); f && f->is_array()) {
      fin = f->get_array();
    }
    bool empty = fin.empty();
    api::EnsureObject(next, "spec")["finalizers"] = std::move(fin);
    if (empty) DropFinalizer(next, kSpecFinalizersPending);
    return fake_.Update(res, "", next);
  }

  api::Result<client::Object> Delete(const client::ResourceRef& res, const std::string& ns,
                                     const std::string& name,
                                     const client::DeleteOptions& opts = {}) override {
    for (int attempt = 0; attempt < 10; ++attempt) {
      api::Result<client::Object> cur = fake_.Get(res, ns, name);
      if (!cur.ok()) return cur;
      if (!opts.precondition_uid.empty() &&
          opts.precondition_uid != client::ObjectMetaString(*cur, "uid")) {
        break;  // the fake reports the precondition failure
      }
      client::Object next = *cur;
      bool changed = false;
      if (opts.propagation_policy == "Orphan") {
        changed |= AddFinalizer(next, kOrphanFinalizer);
        changed |= DropFinalizer(next, kForegroundFinalizer);
      } else if (opts.propagation_policy == "Foreground") {
        changed |= AddFinalizer(next, kForegroundFinalizer);
        changed |= DropFinalizer(next, kOrphanFinalizer);
      }
      const boost::json::value* spec_fin = api::Lookup(next, "spec.finalizers");
      if (IsNamespaces(res) && spec_fin && spec_fin->is_array() && !spec_fin->get_array().empty()) {
        changed |= AddFinalizer(next, kSpecFinalizersPending);
        api::EnsureObject(next, "status")["phase"] = "Terminating";
        client::WriteOptions w;
        w.subresource = "status";
        api::Result<client::Object> st = fake_.Update(res, ns, next, w);
        if (!st.ok()) continue;
        boost::json::object& meta = api::EnsureObject(next, "metadata");
        meta["resourceVersion"] = client::ObjectMetaString(*st, "resourceVersion");
      }
      if (changed) {
        api::Result<client::Object> up = fake_.Update(res, ns, next);
        if (!up.ok()) {
          if (up.status().reason() == api::Reason::kConflict) continue;
          return up;
        }
      }
      break;
    }
    return fake_.Delete(res, ns, name, opts);
  }

 private:
  static bool IsNamespaces(const client::ResourceRef& res) {
    return res.group.empty() && res.resource == "namespaces";
  }
  static bool AddFinalizer(client::Object& obj, const char* f) {
    boost::json::value& v = api::EnsureObject(obj, "metadata")["finalizers"];
    if (!v.is_array()) v = boost::json::array();
    for (const boost::json::value& x : v.get_array()) {
      if (x.is_string() && x.get_string() == f) return false;
    }
    v.get_array().emplace_back(f);
    return true;
  }
  static bool DropFinalizer(client::Object& obj, const char* f) {
    boost::json::object& meta = api::EnsureObject(obj, "metadata");
    boost::json::value* v = meta.if_contains("finalizers");
    if (!v || !v->is_array()) return false;
    boost::json::array& arr = v->get_array();
    for (auto it = arr.begin(); it != arr.end(); ++it) {
      if (it->is_string() && it->get_string() == f) {
        arr.erase(it);
        return true;
      }
    }
    return false;
  }

  client::FakeClient fake_;
  std::atomic<int> finalize_calls_{0};
};

}  // namespace kc::controllers::testing

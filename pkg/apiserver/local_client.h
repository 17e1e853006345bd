// LocalClient: the in-process client::Client of `kcluster server`. Scheduler, controllers,
// kubelet and proxy threads call the Registry directly — same defaulting, validation,
// admission and resourceVersion checks as HTTPS clients, without HTTP, TLS or JSON text.
//
// Thread-safety: safe to call concurrently from any thread.
#pragma once

#include <string>

#include "pkg/apiserver/discovery.h"
#include "pkg/apiserver/registry.h"
#include "pkg/client/client.h"

namespace kc::apiserver {

class LocalClient : public client::Client {
 public:
  // `user` is recorded as the requester (for managedFields' default manager).
  LocalClient(Registry& registry, const ApiSurface& surface, std::string user);

  api::Result<client::Object> Get(const client::ResourceRef& res, const std::string& ns,
                                  const std::string& name,
                                  const std::string& subresource) override;
  api::Result<client::ObjectList> List(const client::ResourceRef& res, const std::string& ns,
                                       const client::ListOptions& opts) override;
  api::Result<std::unique_ptr<client::WatchStream>> Watch(const client::ResourceRef& res,
                                                          const std::string& ns,
                                                          const client::ListOptions& opts) override;
  api::Result<client::Object> Create(const client::ResourceRef& res, const std::string& ns,
                                     const client::Object& obj,
                                     const client::WriteOptions& opts) override;
  api::Result<client::Object> Update(const client::ResourceRef& res, const std::string& ns,
                                     const client::Object& obj,
                                     const client::WriteOptions& opts) override;
  api::Result<client::Object> Patch(const client::ResourceRef& res, const std::string& ns,
                                    const std::string& name, client::PatchType type,
                                    const std::string& patch,
                                    const client::PatchOptions& opts) override;
  api::Result<client::Object> Delete(const client::ResourceRef& res, const std::string& ns,
                                     const std::string& name,
                                     const client::DeleteOptions& opts) override;

 private:
  api::Result<const api::ResourceInfo*> Resolve(const client::ResourceRef& res) const;
  RequestContext Context(const std::string& manager, bool dry_run) const;

  Registry& registry_;
  const ApiSurface& surface_;
  std::string user_;
};

}  // namespace kc::apiserver

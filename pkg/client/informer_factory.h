// SharedInformerFactory: hands out one SharedInformer per (resource, namespace), shared by every
// controller in the process, and starts/stops them together.
//
// Informers made after Start() are started at once. The factory owns the informers; pointers
// it returns stay valid until the factory is destroyed.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "pkg/client/informer.h"

namespace kc::client {

class SharedInformerFactory {
 public:
  // `defaults` supplies page size, timeouts and backoff for every informer the factory makes.
  explicit SharedInformerFactory(Client& client, InformerOptions defaults = {});
  ~SharedInformerFactory();

  SharedInformerFactory(const SharedInformerFactory&) = delete;
  SharedInformerFactory& operator=(const SharedInformerFactory&) = delete;

  // The informer for `res` in `ns` ("" = all namespaces), made on first use.
  SharedInformer* ForResource(const ResourceRef& res, const std::string& ns = "");

  void Start();
  void Stop();
  // True when every informer made so far synced within `timeout`.
  bool WaitForCacheSync(std::chrono::milliseconds timeout);

 private:
  Client& client_;
  const InformerOptions defaults_;

  std::mutex mu_;
  // Guarded by mu_. Key: "group/version/resource|ns".
  std::map<std::string, std::unique_ptr<SharedInformer>> informers_;
  bool started_ = false;
};

}  // namespace kc::client

#include "pkg/client/informer_factory.h"

#include <vector>

namespace kc::client {

SharedInformerFactory::SharedInformerFactory(Client& client, InformerOptions defaults)
    : client_(client), defaults_(std::move(defaults)) {}

SharedInformerFactory::~SharedInformerFactory() { Stop(); }

SharedInformer* SharedInformerFactory::ForResource(const ResourceRef& res, const std::string& ns) {
  std::string key = res.group + "/" + res.version + "/" + res.resource + "|" + ns;
  std::lock_guard<std::mutex> l(mu_);
  auto it = informers_.find(key);
  if (it != informers_.end()) return it->second.get();
  InformerOptions opts = defaults_;
  opts.resource = res;
  opts.ns = ns;
  opts.label_selector.clear();
  opts.field_selector.clear();
  auto informer = std::make_unique<SharedInformer>(client_, std::move(opts));
  SharedInformer* ptr = informer.get();
  informers_[key] = std::move(informer);
  if (started_) ptr->Start();
  return ptr;
}

void SharedInformerFactory::Start() {
  std::lock_guard<std::mutex> l(mu_);
  started_ = true;
  for (auto& [key, informer] : informers_) informer->Start();
}

void SharedInformerFactory::Stop() {
  std::vector<SharedInformer*> all;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [key, informer] : informers_) all.push_back(informer.get());
  }
  for (SharedInformer* informer : all) informer->Stop();
}

bool SharedInformerFactory::WaitForCacheSync(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<SharedInformer*> all;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [key, informer] : informers_) all.push_back(informer.get());
  }
  for (SharedInformer* informer : all) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!informer->WaitForSync(std::max(left, std::chrono::milliseconds(0)))) return false;
  }
  return true;
}

}  // namespace kc::client

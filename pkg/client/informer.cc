#include "pkg/client/informer.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <unordered_set>

namespace kc::client {
namespace {

std::string ResourceName(const ResourceRef& r) {
  return r.group.empty() ? r.resource : r.resource + "." + r.group;
}

bool Changed(const Object& old_obj, const Object& new_obj) {
  std::string a = ObjectMetaString(old_obj, "resourceVersion");
  std::string b = ObjectMetaString(new_obj, "resourceVersion");
  if (!a.empty() || !b.empty()) return a != b;
  return old_obj != new_obj;
}

}  // namespace

SharedInformer::SharedInformer(Client& client, InformerOptions opts)
    : client_(client), opts_(std::move(opts)), backoff_(opts_.initial_backoff),
      rng_(std::random_device{}()) {
  indexer_.AddIndex(kNamespaceIndex, &NamespaceIndexFunc);
}

SharedInformer::~SharedInformer() { Stop(); }

void SharedInformer::AddIndex(const std::string& name, IndexFunc fn) {
  indexer_.AddIndex(name, std::move(fn));
}

int SharedInformer::AddEventHandler(EventHandler handler) {
  std::lock_guard<std::mutex> l(dispatch_mu_);
  if (handler.on_add) {
    for (const ObjectPtr& obj : indexer_.List()) handler.on_add(obj);
  }
  int id = next_handler_id_++;
  handlers_[id] = std::move(handler);
  return id;
}

void SharedInformer::RemoveEventHandler(int id) {
  std::lock_guard<std::mutex> l(dispatch_mu_);
  handlers_.erase(id);
}

void SharedInformer::Start() {
  std::lock_guard<std::mutex> l(mu_);
  if (started_ || stop_) return;
  started_ = true;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "informer");  // for top -H and perf
    Run();
  });
}

void SharedInformer::Stop() {
  stop_ = true;
  std::thread t;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (current_stream_) current_stream_->Stop();
    cv_.notify_all();
    t = std::move(thread_);
  }
  if (t.joinable()) t.join();
}

bool SharedInformer::HasSynced() const {
  std::lock_guard<std::mutex> l(mu_);
  return synced_;
}

bool SharedInformer::WaitForSync(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> l(mu_);
  return cv_.wait_for(l, timeout, [this] { return synced_; });
}

std::string SharedInformer::LastSyncResourceVersion() const {
  std::lock_guard<std::mutex> l(mu_);
  return synced_rv_;
}

int SharedInformer::ListCount() const {
  std::lock_guard<std::mutex> l(mu_);
  return list_count_;
}

void SharedInformer::Backoff() {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait_for(l, backoff_, [this] { return stop_.load(); });
  backoff_ = std::min(backoff_ * 2, opts_.max_backoff);
}

void SharedInformer::Run() {
  if (running_.exchange(true)) return;
  bool need_list = true;
  while (!stopping()) {
    if (need_list) {
      api::Status st = ListAndReplace();
      if (stopping()) break;
      if (!st.ok()) {
        spdlog::warn("informer {}: list failed: {}", ResourceName(opts_.resource), st.ToString());
        Backoff();
        continue;
      }
      need_list = false;
      backoff_ = opts_.initial_backoff;
    }
    auto started = std::chrono::steady_clock::now();
    bool had_events = false;
    api::Status st = WatchOnce(&had_events);
    if (stopping()) break;
    if (st.ok()) {
      if (had_events) backoff_ = opts_.initial_backoff;
      if (!had_events && std::chrono::steady_clock::now() - started < opts_.min_watch_duration) {
        Backoff();  // very short watch: do not spin
      }
      continue;  // resume from last_rv_
    }
    need_list = true;
    if (st.reason() == api::Reason::kExpired || st.reason() == api::Reason::kGone) continue;
    spdlog::warn("informer {}: watch failed: {}", ResourceName(opts_.resource), st.ToString());
    Backoff();
  }
  running_ = false;
}

api::Status SharedInformer::ListAndReplace() {
  ListOptions o;
  o.label_selector = opts_.label_selector;
  o.field_selector = opts_.field_selector;
  o.limit = opts_.page_size;
  std::vector<Object> items;
  std::string rv;
  for (;;) {
    api::Result<ObjectList> r = client_.List(opts_.resource, opts_.ns, o);
    if (!r.ok()) {
      if (r.status().reason() == api::Reason::kExpired && !o.continue_token.empty()) {
        // The continue token expired mid-way: take the whole list in one go.
        items.clear();
        o.limit = 0;
        o.continue_token.clear();
        continue;
      }
      return r.status();
    }
    for (Object& item : r->items) items.push_back(std::move(item));
    rv = r->resource_version;
    if (r->continue_token.empty() || stopping()) break;
    o.continue_token = r->continue_token;
  }
  if (stopping()) return api::Status::Ok();
  Replace(std::move(items));
  last_rv_ = rv;
  std::lock_guard<std::mutex> l(mu_);
  synced_ = true;
  synced_rv_ = rv;
  list_count_++;
  cv_.notify_all();
  return api::Status::Ok();
}

api::Status SharedInformer::WatchOnce(bool* had_events) {
  ListOptions o;
  o.label_selector = opts_.label_selector;
  o.field_selector = opts_.field_selector;
  o.resource_version = last_rv_;
  o.allow_bookmarks = true;
  int lo = std::max(0, opts_.min_watch_timeout_seconds);
  int hi = std::max(lo, opts_.max_watch_timeout_seconds);
  o.timeout_seconds = std::uniform_int_distribution<int>(lo, hi)(rng_);
  api::Result<std::unique_ptr<WatchStream>> r = client_.Watch(opts_.resource, opts_.ns, o);
  if (!r.ok()) return r.status();
  std::unique_ptr<WatchStream> stream = std::move(*r);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return api::Status::Ok();
    current_stream_ = stream.get();
  }
  for (;;) {
    WatchEvent ev;
    if (!stream->Next(&ev, 1000)) {
      if (stream->ended() || stopping()) break;
      continue;
    }
    if (ev.type == WatchEventType::kError) continue;  // the stream ends with its Status
    std::string rv = ObjectMetaString(ev.object, "resourceVersion");
    if (!rv.empty()) last_rv_ = rv;
    if (ev.type == WatchEventType::kBookmark) continue;
    *had_events = true;
    Apply(ev.type, std::move(ev.object));
  }
  api::Status st = stream->status();
  {
    std::lock_guard<std::mutex> l(mu_);
    current_stream_ = nullptr;
  }
  return st;
}

void SharedInformer::Replace(std::vector<Object> items) {
  std::lock_guard<std::mutex> l(dispatch_mu_);
  std::map<std::string, ObjectPtr> old = indexer_.Snapshot();
  std::unordered_set<std::string> seen;
  for (Object& item : items) {
    auto obj = std::make_shared<const Object>(std::move(item));
    std::string key = ObjectKey(*obj);
    seen.insert(key);
    auto it = old.find(key);
    if (it == old.end()) {
      indexer_.Upsert(key, obj);
      DispatchAdd(obj);
    } else if (Changed(*it->second, *obj)) {
      indexer_.Upsert(key, obj);
      DispatchUpdate(it->second, obj);
    }
  }
  for (const auto& [key, obj] : old) {
    if (seen.count(key)) continue;
    indexer_.Remove(key);
    DispatchDelete(obj);
  }
}

void SharedInformer::Apply(WatchEventType type, Object obj) {
  auto ptr = std::make_shared<const Object>(std::move(obj));
  std::string key = ObjectKey(*ptr);
  std::lock_guard<std::mutex> l(dispatch_mu_);
  if (type == WatchEventType::kDeleted) {
    if (indexer_.Remove(key)) DispatchDelete(ptr);
    return;
  }
  ObjectPtr old = indexer_.Upsert(key, ptr);
  if (old) {
    DispatchUpdate(old, ptr);
  } else {
    DispatchAdd(ptr);
  }
}

void SharedInformer::DispatchAdd(const ObjectPtr& obj) {
  for (auto& [id, h] : handlers_) {
    if (h.on_add) h.on_add(obj);
  }
}

void SharedInformer::DispatchUpdate(const ObjectPtr& old_obj, const ObjectPtr& new_obj) {
  for (auto& [id, h] : handlers_) {
    if (h.on_update) h.on_update(old_obj, new_obj);
  }
}

void SharedInformer::DispatchDelete(const ObjectPtr& obj) {
  for (auto& [id, h] : handlers_) {
    if (h.on_delete) h.on_delete(obj);
  }
}

}  // namespace kc::client

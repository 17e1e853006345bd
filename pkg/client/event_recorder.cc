#include "pkg/client/event_recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <list>
#include <set>
#include <unordered_map>
#include <utility>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"

namespace kc::client {
namespace {

const ResourceRef kEvents{"", "v1", "events"};

// A string-keyed least-recently-used cache (client-go's correlator caches are LRUs too).
template <typename V>
class Lru {
 public:
  explicit Lru(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

  V* Get(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    items_.splice(items_.begin(), items_, it->second);
    return &it->second->second;
  }
  void Put(const std::string& key, V value) {
    if (V* v = Get(key)) {
      *v = std::move(value);
      return;
    }
    items_.emplace_front(key, std::move(value));
    index_[key] = items_.begin();
    if (items_.size() > capacity_) {
      index_.erase(items_.back().first);
      items_.pop_back();
    }
  }

 private:
  const size_t capacity_;
  std::list<std::pair<std::string, V>> items_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

std::string Str(const Object& o, const char* key) { return api::GetString(o, key); }

std::string Join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& p : parts) {
    out += p;
    out += '\x1f';  // a separator no field contains, so different splits never collide
  }
  return out;
}

int64_t UnixNanos(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::string Hex(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

ObjectReference ObjectReference::Of(const Object& obj, const std::string& kind,
                                    const std::string& api_version) {
  ObjectReference r;
  r.api_version = api_version.empty() ? Str(obj, "apiVersion") : api_version;
  r.kind = kind.empty() ? Str(obj, "kind") : kind;
  r.ns = ObjectMetaString(obj, "namespace");
  r.name = ObjectMetaString(obj, "name");
  r.uid = ObjectMetaString(obj, "uid");
  r.resource_version = ObjectMetaString(obj, "resourceVersion");
  return r;
}

// The EventCorrelator: aggregation of similar events, the observation log behind count/patch
// deduplication, and the per-object spam filter. Used only by the writer thread.
class EventRecorder::Correlator {
 public:
  struct Result {
    bool skip = false;
    bool patch = false;  // `event` names an Event written before: PATCH it
    std::string key;     // the observation-log key for UpdateState
  };

  explicit Correlator(const EventRecorderOptions& opts)
      : opts_(opts),
        aggregates_(opts.cache_size),
        observed_(opts.cache_size),
        spam_(opts.cache_size) {}

  // Rewrites `event` in place (aggregate message, existing name, count, firstTimestamp).
  Result Correlate(Object& event, Clock::TimePoint mono) {
    Result res;
    const Object* inv = api::GetObject(event, "involvedObject");
    const Object* src = api::GetObject(event, "source");
    if (!inv || !src) return res;
    const std::string object_key =
        Join({Str(*src, "component"), Str(*src, "host"), Str(*inv, "kind"), Str(*inv, "namespace"),
              Str(*inv, "name"), Str(*inv, "uid"), Str(*inv, "apiVersion")});
    const std::string field_path = Str(*inv, "fieldPath");
    const std::string type = Str(event, "type");
    const std::string reason = Str(event, "reason");
    const std::string message = Str(event, "message");

    // Aggregation by type + reason; the message is the local key.
    const std::string aggregate_key =
        object_key +
        Join({type, reason, Str(event, "reportingComponent"), Str(event, "reportingInstance")});
    Aggregate* rec = aggregates_.Get(aggregate_key);
    if (!rec || mono - rec->last > opts_.aggregate_interval) {
      aggregates_.Put(aggregate_key, Aggregate{});
      rec = aggregates_.Get(aggregate_key);
    }
    rec->messages.insert(message);
    rec->last = mono;
    if (rec->messages.size() >= opts_.max_similar_events) {
      // Keep the set from growing past the limit (upstream drops an arbitrary one).
      rec->messages.erase(rec->messages.begin());
      event["message"] = "(combined from similar events): " + message;
      res.key = aggregate_key;
    } else {
      res.key = object_key + Join({field_path, type, reason, message});
    }

    // Observation: a repeat becomes a patch of the Event written before.
    if (Observation* seen = observed_.Get(res.key); seen && seen->count > 0) {
      Object& meta = event["metadata"].as_object();
      meta["name"] = seen->name;
      event["firstTimestamp"] = seen->first_timestamp;
      event["count"] = seen->count + 1;
      res.patch = true;
    }
    observed_.Put(res.key,
                  Observation{api::GetInt64(event, "count", 1), Str(event, "firstTimestamp"),
                              ObjectMetaString(event, "name")});

    // Spam filter per source + object.
    Bucket* b = spam_.Get(object_key);
    if (!b) {
      spam_.Put(object_key, Bucket{static_cast<double>(opts_.spam_burst), mono});
      b = spam_.Get(object_key);
    }
    double refill = std::chrono::duration<double>(mono - b->at).count() /
                    std::chrono::duration<double>(opts_.spam_refill_interval).count();
    if (refill > 0) {
      b->tokens = std::min<double>(opts_.spam_burst, b->tokens + refill);
      b->at = mono;
    }
    if (b->tokens < 1) {
      res.skip = true;
    } else {
      b->tokens -= 1;
    }
    return res;
  }

  // Records what the server returned for `key` (name, count, first timestamp).
  void UpdateState(const std::string& key, const Object& written) {
    observed_.Put(key,
                  Observation{api::GetInt64(written, "count", 1), Str(written, "firstTimestamp"),
                              ObjectMetaString(written, "name")});
  }

 private:
  struct Aggregate {
    std::set<std::string> messages;
    Clock::TimePoint last{};
  };
  struct Observation {
    int64_t count = 0;
    std::string first_timestamp;
    std::string name;
  };
  struct Bucket {
    double tokens = 0;
    Clock::TimePoint at{};
  };

  const EventRecorderOptions opts_;
  Lru<Aggregate> aggregates_;
  Lru<Observation> observed_;
  Lru<Bucket> spam_;
};

EventRecorder::EventRecorder(Client& client, std::string component, std::string host, Clock* clock,
                             EventRecorderOptions opts)
    : client_(client),
      component_(std::move(component)),
      host_(std::move(host)),
      clock_(clock),
      opts_(opts),
      wall_start_(std::chrono::system_clock::now()),
      clock_start_(clock ? clock->Now() : Clock::TimePoint{}),
      correlator_(std::make_unique<Correlator>(opts_)) {
  thread_ = std::thread([this] { Run(); });
}

EventRecorder::~EventRecorder() { Stop(); }

std::chrono::system_clock::time_point EventRecorder::WallNow() const {
  if (!clock_) return std::chrono::system_clock::now();
  return wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                           clock_->Now() - clock_start_);
}

void EventRecorder::Event(const Object& involved, const std::string& type,
                          const std::string& reason, const std::string& message) {
  Event(ObjectReference::Of(involved), type, reason, message);
}

void EventRecorder::Event(const ObjectReference& ref, const std::string& type,
                          const std::string& reason, const std::string& message) {
  if (type != kEventTypeNormal && type != kEventTypeWarning) {
    spdlog::error("{}: unsupported event type \"{}\" for {} {}/{}", component_, type, ref.kind,
                  ref.ns, ref.name);
    return;
  }
  Pending p{ref,     type,      reason,
            message, WallNow(), clock_ ? clock_->Now() : std::chrono::steady_clock::now(),
            0};
  std::lock_guard<std::mutex> l(mu_);
  if (stopping_ || queue_.size() >= opts_.queue_size) {
    ++dropped_;
    // One line per hundred drops: a flood of drops must not become a flood of logs.
    if (dropped_ % 100 == 1) {
      spdlog::warn("{}: event queue full, dropping event {} for {} {}/{} ({} dropped so far)",
                   component_, reason, ref.kind, ref.ns, ref.name, dropped_);
    }
    return;
  }
  p.name_nanos = std::max(UnixNanos(p.wall), last_name_nanos_ + 1);
  last_name_nanos_ = p.name_nanos;
  queue_.push_back(std::move(p));
  cv_.notify_one();
}

void EventRecorder::Flush() {
  std::unique_lock<std::mutex> l(mu_);
  idle_cv_.wait(l, [this] { return (queue_.empty() && !busy_) || done_; });
}

void EventRecorder::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  std::lock_guard<std::mutex> j(join_mu_);
  if (thread_.joinable()) thread_.join();
}

uint64_t EventRecorder::Dropped() const {
  std::lock_guard<std::mutex> l(mu_);
  return dropped_;
}

void EventRecorder::Run() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping and drained
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    l.unlock();
    Write(std::move(p));
    l.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
  done_ = true;
  idle_cv_.notify_all();
}

void EventRecorder::Write(Pending p) {
  const std::string ns = p.ref.ns.empty() ? "default" : p.ref.ns;
  const std::string ts = api::FormatTime(p.wall);

  Object involved;
  auto put = [](Object& o, const char* k, const std::string& v) {
    if (!v.empty()) o[k] = v;
  };
  put(involved, "kind", p.ref.kind);
  put(involved, "namespace", p.ref.ns);
  put(involved, "name", p.ref.name);
  put(involved, "uid", p.ref.uid);
  put(involved, "apiVersion", p.ref.api_version);
  put(involved, "resourceVersion", p.ref.resource_version);
  put(involved, "fieldPath", p.ref.field_path);
  Object source{{"component", component_}};
  put(source, "host", host_);

  Object ev;
  ev["apiVersion"] = "v1";
  ev["kind"] = "Event";
  ev["metadata"] = Object{{"name", p.ref.name + "." + Hex(p.name_nanos)}, {"namespace", ns}};
  ev["involvedObject"] = std::move(involved);
  ev["reason"] = p.reason;
  ev["message"] = p.message;
  ev["source"] = std::move(source);
  ev["firstTimestamp"] = ts;
  ev["lastTimestamp"] = ts;
  ev["count"] = 1;
  ev["type"] = p.type;
  ev["reportingComponent"] = component_;
  ev["reportingInstance"] = host_;

  Correlator::Result c = correlator_->Correlate(ev, p.mono);
  if (c.skip) {
    spdlog::debug("{}: event {} for {} {}/{} filtered by the spam filter", component_, p.reason,
                  p.ref.kind, ns, p.ref.name);
    return;
  }
  const std::string name = ObjectMetaString(ev, "name");
  api::Result<Object> r = api::Status::NotFound("");
  if (c.patch) {
    Object patch{{"count", ev["count"]}, {"lastTimestamp", ts}, {"message", ev["message"]}};
    r = client_.Patch(kEvents, ns, name, PatchType::kStrategicMerge, boost::json::serialize(patch));
  }
  // A patched Event may have expired (TTL) or never been written: create it then.
  if (!c.patch || (!r.ok() && r.status().reason() == api::Reason::kNotFound)) {
    r = client_.Create(kEvents, ns, ev);
  }
  if (r.ok()) {
    correlator_->UpdateState(c.key, *r);
    return;
  }
  if (r.status().reason() == api::Reason::kAlreadyExists) {
    spdlog::debug("{}: event {} already exists", component_, name);
  } else {
    spdlog::warn("{}: writing event {} ({} for {} {}/{}): {}", component_, name, p.reason,
                 p.ref.kind, ns, p.ref.name, r.status().ToString());
  }
}

}  // namespace kc::client

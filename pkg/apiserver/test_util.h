// Test helpers for the apiserver unit tests: a Registry over a real SqliteBackend in a fresh
// temp directory (bootstrapped with the standard namespaces), JSON parsing and path lookup, and
// small object builders. For tests only.
//
// Thread-safety: a TestRegistry is created and destroyed on one thread; the Registry it holds
// follows the Registry's own rules.
#pragma once

#include <unistd.h>

#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "pkg/api/resource_info.h"
#include "pkg/apiserver/http_types.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/request_context.h"
#include "pkg/store/sqlite_backend.h"

namespace kc::apiserver::testing {

// A fresh directory, removed with its contents on destruction. It lives in /dev/shm when the
// machine has it (no fsync cost: each test opens a store, so this keeps the binary fast), else
// under the system temp dir.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::error_code ec;
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    path_ = base /
            ("kc-apiserver-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Parses JSON text that a test wrote itself; a typo in a test is a broken invariant.
inline boost::json::object Obj(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw std::runtime_error("bad test JSON: " + std::string(text));
  return std::move(v.get_object());
}

// The value at a dotted path ("metadata.labels.app"), nullptr if absent. Array elements are
// addressed by index ("spec.containers.0.image").
inline const boost::json::value* At(const boost::json::value& root, std::string_view path) {
  const boost::json::value* cur = &root;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (cur->is_object()) {
      cur = cur->get_object().if_contains(part);
    } else if (cur->is_array()) {
      size_t idx = std::stoul(std::string(part));
      const auto& arr = cur->get_array();
      cur = idx < arr.size() ? &arr[idx] : nullptr;
    } else {
      return nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}
inline const boost::json::value* At(const boost::json::object& root, std::string_view path) {
  size_t dot = path.find('.');
  const boost::json::value* first = root.if_contains(path.substr(0, dot));
  if (!first || dot == std::string_view::npos) return first;
  return At(*first, path.substr(dot + 1));
}

// The string at `path`, "" if absent or not a string.
inline std::string Str(const boost::json::object& root, std::string_view path) {
  const boost::json::value* v = At(root, path);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}
// The integer at `path`, -1 if absent or not an integer.
inline int64_t Int(const boost::json::object& root, std::string_view path) {
  const boost::json::value* v = At(root, path);
  return v && v->is_int64() ? v->get_int64() : -1;
}
inline bool Has(const boost::json::object& root, std::string_view path) {
  return At(root, path) != nullptr;
}

inline const api::ResourceInfo& Res(std::string_view group, std::string_view plural) {
  const api::ResourceInfo* ri = api::FindResource(group, "v1", plural);
  if (!ri) throw std::runtime_error("unknown resource in test: " + std::string(plural));
  return *ri;
}

// A request as the HTTP server hands it to the handler: path and query split and decoded, sent
// over TLS with the admin client certificate.
inline HttpRequest AdminRequest(const std::string& method, const std::string& path_and_query,
                                std::map<std::string, std::string> headers = {}) {
  HttpRequest req;
  req.method = method;
  size_t q = path_and_query.find('?');
  req.path = path_and_query.substr(0, q);
  if (q != std::string::npos) req.query = ParseQuery(path_and_query.substr(q + 1));
  req.headers = std::move(headers);
  req.tls = true;
  req.peer_user = "admin";
  req.peer_groups = {"system:masters"};
  return req;
}

inline RequestContext Ctx(const std::string& manager = "test") {
  RequestContext ctx;
  ctx.user = "tester";
  ctx.field_manager = manager;
  return ctx;
}

// A Registry over a SqliteBackend in a temp dir, with the standard namespaces created.
class TestRegistry {
 public:
  TestRegistry() {
    store::SqliteBackend::Options opts;
    opts.path = dir_.File("state.db");
    opts.sync_full = false;
    opts.compaction_interval = std::chrono::hours(1);  // no background compaction in tests
    auto b = store::SqliteBackend::Open(opts);
    if (!b.ok()) throw std::runtime_error("open backend: " + b.status().ToString());
    backend_ = std::move(*b);
    registry_ = std::make_unique<Registry>(*backend_);
    api::Status s = registry_->Bootstrap();
    if (!s.ok()) throw std::runtime_error("bootstrap: " + s.ToString());
  }
  ~TestRegistry() {
    registry_.reset();
    backend_->Close();
  }

  Registry& reg() { return *registry_; }
  store::SqliteBackend& backend() { return *backend_; }

  // Creates `obj` (JSON text) and returns the stored object; fails the test invariant if the
  // create is refused.
  boost::json::object MustCreate(const api::ResourceInfo& ri, const std::string& ns,
                                 std::string_view obj) {
    RequestContext ctx = Ctx();
    auto r = registry_->Create(ri, ns, Obj(obj), ctx);
    if (!r.ok()) throw std::runtime_error("create: " + r.status().ToString());
    return std::move(*r);
  }

 private:
  TempDir dir_;
  std::unique_ptr<store::SqliteBackend> backend_;
  std::unique_ptr<Registry> registry_;
};

// Minimal valid objects.
inline std::string ConfigMapJson(const std::string& name, const std::string& labels = "{}") {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name +
         R"(","labels":)" + labels + R"(},"data":{"k":"v"}})";
}

inline std::string DeploymentJson(const std::string& name, int replicas = 1,
                                  const std::string& image = "nginx:1.25") {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":")" + name +
         R"("},"spec":{"replicas":)" + std::to_string(replicas) +
         R"(,"selector":{"matchLabels":{"app":")" + name +
         R"("}},"template":{"metadata":{"labels":{"app":")" + name +
         R"("}},"spec":{"containers":[{"name":"c","image":")" + image + R"("}]}}}})";
}

inline std::string PodJson(const std::string& name, const std::string& node_name = "") {
  std::string node = node_name.empty() ? "" : R"("nodeName":")" + node_name + R"(",)";
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"("},"spec":{)" +
         node + R"("containers":[{"name":"c","image":"busybox"}]}})";
}

// Pulls from a (watch) response stream until `needle` shows up or two seconds passed (bounded
// polling); returns what was read.
inline std::string PullUntil(ResponseStream& stream, const std::string& needle) {
  std::string got;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (!stream.Pull(&got)) break;
    if (got.find(needle) == std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return got;
}

}  // namespace kc::apiserver::testing

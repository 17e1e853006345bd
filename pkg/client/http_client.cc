#include "pkg/client/http_client.h"

#include <curl/curl.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>

#include "pkg/client/http_watch_stream.h"
#include "pkg/client/request_path.h"
#include "pkg/client/status_json.h"

namespace kc::client {
namespace {

std::string MetaString(const Object& obj, const char* field) {
  const boost::json::value* m = obj.if_contains("metadata");
  if (!m || !m->is_object()) return "";
  const boost::json::value* v = m->get_object().if_contains(field);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

void SetBlob(CURL* h, CURLoption opt, const std::string& pem) {
  curl_blob blob;
  blob.data = const_cast<char*>(pem.data());
  blob.len = pem.size();
  blob.flags = CURL_BLOB_COPY;
  curl_easy_setopt(h, opt, &blob);
}

api::Status EmptyName() { return api::Status::BadRequest("resource name may not be empty"); }

api::Result<Object> ParseObject(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) {
    return api::Status::Internal("the server returned a body that is not a JSON object: " +
                                 body.substr(0, 200));
  }
  return std::move(v.get_object());
}

}  // namespace

HttpClient::HttpClient(HttpClientConfig config) : config_(std::move(config)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  base_url_ = config_.server;
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

HttpClient::~HttpClient() {
  for (CURL* h : idle_) curl_easy_cleanup(h);
}

CURL* HttpClient::Acquire() {
  {
    std::lock_guard<std::mutex> l(pool_mu_);
    if (!idle_.empty()) {
      CURL* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void HttpClient::Release(CURL* h) {
  curl_easy_reset(h);  // keeps the handle's live connections for the next request
  std::lock_guard<std::mutex> l(pool_mu_);
  if (idle_.size() < config_.max_idle_handles) {
    idle_.push_back(h);
    return;
  }
  curl_easy_cleanup(h);
}

curl_slist* HttpClient::Configure(CURL* h, const std::string& path_and_query,
                                  const std::string& content_type) const {
  std::string url = base_url_ + path_and_query;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_USERAGENT, config_.user_agent.c_str());
  if (!config_.ca_pem.empty()) {
    SetBlob(h, CURLOPT_CAINFO_BLOB, config_.ca_pem);
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
  } else if (!config_.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
  }
  if (!config_.cert_pem.empty()) {
    SetBlob(h, CURLOPT_SSLCERT_BLOB, config_.cert_pem);
    curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
  } else if (!config_.cert_file.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLCERT, config_.cert_file.c_str());
    curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!config_.key_pem.empty()) {
    SetBlob(h, CURLOPT_SSLKEY_BLOB, config_.key_pem);
    curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
  } else if (!config_.key_file.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLKEY, config_.key_file.c_str());
    curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (config_.insecure_skip_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");
  if (!content_type.empty()) {
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  }
  if (!config_.bearer_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + config_.bearer_token).c_str());
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  return headers;
}

api::Result<std::string> HttpClient::Request(const std::string& method,
                                             const std::string& path_and_query,
                                             const std::string& body,
                                             const std::string& content_type, int* http_code) {
  CURL* h = Acquire();
  if (!h) return api::Status::Internal("curl_easy_init failed");
  std::string ct = content_type;
  if (ct.empty() && !body.empty()) ct = "application/json";
  curl_slist* headers = Configure(h, path_and_query, ct);
  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    }
  }
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  std::string response;
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  CURLcode rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(headers);
  Release(h);
  if (rc != CURLE_OK) {
    std::string what = method + " " + base_url_ + path_and_query + ": " + curl_easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT) return api::Status(api::Reason::kTimeout, what);
    return api::Status::Unavailable(what);
  }
  if (http_code) *http_code = static_cast<int>(code);
  return response;
}

api::Result<Object> HttpClient::DoObject(const std::string& method,
                                         const std::string& path_and_query,
                                         const std::string& body,
                                         const std::string& content_type) {
  int code = 0;
  api::Result<std::string> r = Request(method, path_and_query, body, content_type, &code);
  if (!r.ok()) return r.status();
  if (code < 200 || code >= 300) return StatusFromBody(*r, code);
  return ParseObject(*r);
}

api::Result<Object> HttpClient::Get(const ResourceRef& res, const std::string& ns,
                                    const std::string& name, const std::string& subresource) {
  if (name.empty()) return EmptyName();
  return DoObject("GET", ResourcePath(res, ns, name, subresource), "", "");
}

api::Result<ObjectList> HttpClient::List(const ResourceRef& res, const std::string& ns,
                                         const ListOptions& opts) {
  api::Result<Object> r = DoObject("GET", ResourcePath(res, ns, "") + ListQuery(opts, false), "", "");
  if (!r.ok()) return r.status();
  Object& list = *r;
  ObjectList out;
  out.resource_version = MetaString(list, "resourceVersion");
  out.continue_token = MetaString(list, "continue");
  // Items of a JSON list carry no kind/apiVersion; fill them in from the list's.
  std::string kind;
  if (const boost::json::value* k = list.if_contains("kind"); k && k->is_string()) {
    kind = std::string(k->get_string());
    if (kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0) {
      kind.resize(kind.size() - 4);
    } else {
      kind.clear();
    }
  }
  boost::json::value api_version = list.contains("apiVersion") ? list["apiVersion"] : nullptr;
  if (boost::json::value* items = list.if_contains("items"); items && items->is_array()) {
    for (boost::json::value& item : items->get_array()) {
      if (!item.is_object()) return api::Status::Internal("list item is not an object");
      Object& o = item.get_object();
      if (!kind.empty() && !o.contains("kind")) o["kind"] = kind;
      if (api_version.is_string() && !o.contains("apiVersion")) o["apiVersion"] = api_version;
      out.items.push_back(std::move(o));
    }
  }
  return out;
}

api::Result<std::unique_ptr<WatchStream>> HttpClient::Watch(const ResourceRef& res,
                                                            const std::string& ns,
                                                            const ListOptions& opts) {
  CURL* h = curl_easy_init();
  if (!h) return api::Status::Internal("curl_easy_init failed");
  curl_slist* headers = Configure(h, ResourcePath(res, ns, "") + ListQuery(opts, true), "");
  curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  if (opts.timeout_seconds > 0) {
    // The server ends the watch after timeoutSeconds; give up ourselves if it does not.
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(opts.timeout_seconds + 60) * 1000L);
  }
  auto stream = std::make_unique<HttpWatchStream>(h, headers);
  stream->Start();
  int wait_ms = static_cast<int>((config_.connect_timeout + config_.timeout).count());
  int code = stream->WaitForResponse(wait_ms);
  if (code >= 200 && code < 300) return std::unique_ptr<WatchStream>(std::move(stream));
  if (!stream->finished()) {
    return api::Status(api::Reason::kTimeout, "watch: no response from " + base_url_);
  }
  api::Status st = stream->status();
  if (st.ok()) st = api::Status::Internal("watch: HTTP " + std::to_string(code));
  return st;
}

api::Result<Object> HttpClient::Create(const ResourceRef& res, const std::string& ns,
                                       const Object& obj, const WriteOptions& opts) {
  std::string target_ns = ns.empty() ? MetaString(obj, "namespace") : ns;
  std::string name;
  if (!opts.subresource.empty()) {
    name = MetaString(obj, "name");
    if (name.empty()) return EmptyName();
  }
  std::string path = ResourcePath(res, target_ns, name, opts.subresource) +
                     WriteQuery(opts.field_manager, opts.dry_run);
  return DoObject("POST", path, boost::json::serialize(obj), "application/json");
}

api::Result<Object> HttpClient::Update(const ResourceRef& res, const std::string& ns,
                                       const Object& obj, const WriteOptions& opts) {
  std::string target_ns = ns.empty() ? MetaString(obj, "namespace") : ns;
  std::string name = MetaString(obj, "name");
  if (name.empty()) return EmptyName();
  std::string path = ResourcePath(res, target_ns, name, opts.subresource) +
                     WriteQuery(opts.field_manager, opts.dry_run);
  return DoObject("PUT", path, boost::json::serialize(obj), "application/json");
}

api::Result<Object> HttpClient::Patch(const ResourceRef& res, const std::string& ns,
                                      const std::string& name, PatchType type,
                                      const std::string& patch, const PatchOptions& opts) {
  if (name.empty()) return EmptyName();
  std::string path = ResourcePath(res, ns, name, opts.subresource) + PatchQuery(type, opts);
  return DoObject("PATCH", path, patch, PatchContentType(type));
}

api::Result<Object> HttpClient::Delete(const ResourceRef& res, const std::string& ns,
                                       const std::string& name, const DeleteOptions& opts) {
  if (name.empty()) return EmptyName();
  std::string body = DeleteOptionsJson(opts);
  return DoObject("DELETE", ResourcePath(res, ns, name), body,
                  body.empty() ? "" : "application/json");
}

std::string DeleteOptionsJson(const DeleteOptions& opts) {
  boost::json::object o;
  if (opts.grace_period_seconds) o["gracePeriodSeconds"] = *opts.grace_period_seconds;
  if (!opts.precondition_uid.empty() || !opts.precondition_resource_version.empty()) {
    boost::json::object pre;
    if (!opts.precondition_uid.empty()) pre["uid"] = opts.precondition_uid;
    if (!opts.precondition_resource_version.empty()) {
      pre["resourceVersion"] = opts.precondition_resource_version;
    }
    o["preconditions"] = std::move(pre);
  }
  if (!opts.propagation_policy.empty()) o["propagationPolicy"] = opts.propagation_policy;
  if (opts.dry_run) o["dryRun"] = boost::json::array{"All"};
  if (o.empty()) return "";
  return boost::json::serialize(o);
}

}  // namespace kc::client

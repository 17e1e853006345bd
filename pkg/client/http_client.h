// HttpClient: the Client that talks to a Kubernetes API server over HTTP(S) with JSON bodies,
// through libcurl. Used by agents (kubelet, proxy) and tools; in-process components use
// apiserver::LocalClient instead.
//
// Requests reuse connections: each call borrows a curl easy handle (and with it the handle's
// kept-alive connections) from a small mutex-protected pool and returns it afterwards. A watch
// gets its own handle and a thread that reads the streaming response (see http_watch_stream.h).
//
// Errors: transport failures become ServiceUnavailable (Timeout for a timed-out request); a
// non-2xx response becomes the api::Status decoded from its `kind: Status` body.
//
// Thread-safety: safe to call concurrently from any number of threads.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/client/client.h"

typedef void CURL;
struct curl_slist;

namespace kc::client {

struct HttpClientConfig {
  std::string server;  // "https://127.0.0.1:6443" (a path prefix is allowed)
  // Trust: a CA bundle file or PEM text (the PEM wins when both are set).
  std::string ca_file;
  std::string ca_pem;
  // Client certificate: files or PEM text (PEM wins).
  std::string cert_file;
  std::string cert_pem;
  std::string key_file;
  std::string key_pem;
  std::string bearer_token;
  bool insecure_skip_verify = false;
  std::chrono::milliseconds timeout{30000};  // whole request, not applied to watches
  std::chrono::milliseconds connect_timeout{10000};
  std::string user_agent = "kcluster";
  // The current context's namespace from a kubeconfig ("" when it names none).
  std::string default_namespace;
  size_t max_idle_handles = 32;
};

class HttpClient : public Client {
 public:
  explicit HttpClient(HttpClientConfig config);
  ~HttpClient() override;

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Reads a kubeconfig file: the cluster and user of `context` (default: current-context).
  // `*-data` fields are base64 PEM kept in memory; file paths are resolved against the
  // kubeconfig's directory; `tokenFile` is read.
  static api::Result<HttpClientConfig> LoadKubeconfig(const std::string& path,
                                                      const std::string& context = "");
  // The same from YAML text; relative paths resolve against `base_dir`.
  static api::Result<HttpClientConfig> ParseKubeconfig(const std::string& yaml,
                                                       const std::string& base_dir,
                                                       const std::string& context = "");

  api::Result<Object> Get(const ResourceRef& res, const std::string& ns, const std::string& name,
                          const std::string& subresource = "") override;
  api::Result<ObjectList> List(const ResourceRef& res, const std::string& ns,
                               const ListOptions& opts) override;
  api::Result<std::unique_ptr<WatchStream>> Watch(const ResourceRef& res, const std::string& ns,
                                                  const ListOptions& opts) override;
  api::Result<Object> Create(const ResourceRef& res, const std::string& ns, const Object& obj,
                             const WriteOptions& opts = {}) override;
  api::Result<Object> Update(const ResourceRef& res, const std::string& ns, const Object& obj,
                             const WriteOptions& opts = {}) override;
  api::Result<Object> Patch(const ResourceRef& res, const std::string& ns,
                            const std::string& name, PatchType type, const std::string& patch,
                            const PatchOptions& opts = {}) override;
  api::Result<Object> Delete(const ResourceRef& res, const std::string& ns,
                             const std::string& name, const DeleteOptions& opts = {}) override;

  // One raw request: `path_and_query` is appended to the server URL. Returns the response body
  // whatever the HTTP code (stored in *http_code when given); an error only when no response
  // arrived. `content_type` is sent when `body` is non-empty or `content_type` is set.
  api::Result<std::string> Request(const std::string& method, const std::string& path_and_query,
                                   const std::string& body = "",
                                   const std::string& content_type = "",
                                   int* http_code = nullptr);

  const HttpClientConfig& config() const { return config_; }

 private:
  // Sets URL, TLS, auth and common headers on a fresh or reset handle. The returned header list
  // must outlive the transfer.
  curl_slist* Configure(CURL* h, const std::string& path_and_query,
                               const std::string& content_type) const;
  // Request + status decoding + JSON object parsing.
  api::Result<Object> DoObject(const std::string& method, const std::string& path_and_query,
                               const std::string& body, const std::string& content_type);

  CURL* Acquire();
  void Release(CURL* h);

  const HttpClientConfig config_;
  std::string base_url_;  // server without a trailing '/'

  std::mutex pool_mu_;
  std::vector<CURL*> idle_;  // guarded by pool_mu_
};

// Serializes DeleteOptions as the request body of a DELETE ("" when every field is default).
std::string DeleteOptionsJson(const DeleteOptions& opts);

}  // namespace kc::client

#include "pkg/kubelet/service_env.h"

#include <algorithm>
#include <map>

#include "pkg/api/json_path.h"

namespace kc::kubelet {
namespace {

std::string EnvName(const std::string& s) {
  std::string out;
  for (char c : s) {
    out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void AddService(const client::Object& svc, std::map<std::string, std::string>* env) {
  const boost::json::value* ip_v = api::Lookup(svc, "spec.clusterIP");
  if (!ip_v || !ip_v->is_string()) return;
  std::string ip(ip_v->get_string());
  if (ip.empty() || ip == "None") return;
  const boost::json::value* ports = api::Lookup(svc, "spec.ports");
  if (!ports || !ports->is_array() || ports->get_array().empty()) return;
  const std::string prefix = EnvName(client::ObjectMetaString(svc, "name"));
  (*env)[prefix + "_SERVICE_HOST"] = ip;
  bool first = true;
  for (const boost::json::value& pv : ports->get_array()) {
    if (!pv.is_object()) continue;
    const boost::json::object& p = pv.get_object();
    std::string port = std::to_string(api::GetInt64(p, "port"));
    std::string proto = api::GetString(p, "protocol");
    if (proto.empty()) proto = "TCP";
    std::string name = api::GetString(p, "name");
    std::string url = Lower(proto) + "://" + ip + ":" + port;
    if (first) {
      (*env)[prefix + "_SERVICE_PORT"] = port;
      (*env)[prefix + "_PORT"] = url;
      first = false;
    }
    if (!name.empty()) (*env)[prefix + "_SERVICE_PORT_" + EnvName(name)] = port;
    std::string base = prefix + "_PORT_" + port + "_" + proto;
    (*env)[base] = url;
    (*env)[base + "_PROTO"] = Lower(proto);
    (*env)[base + "_PORT"] = port;
    (*env)[base + "_ADDR"] = ip;
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ServiceEnvVars(
    const std::vector<client::ObjectPtr>& services, const std::string& pod_namespace,
    bool enable_service_links) {
  std::map<std::string, std::string> env;
  // The API server's own Service first, so a same-named Service of the pod's namespace wins.
  for (const client::ObjectPtr& s : services) {
    if (client::ObjectMetaString(*s, "namespace") == "default" &&
        client::ObjectMetaString(*s, "name") == "kubernetes") {
      AddService(*s, &env);
    }
  }
  if (enable_service_links) {
    for (const client::ObjectPtr& s : services) {
      if (client::ObjectMetaString(*s, "namespace") != pod_namespace) continue;
      if (pod_namespace == "default" && client::ObjectMetaString(*s, "name") == "kubernetes") {
        continue;
      }
      AddService(*s, &env);
    }
  }
  return {env.begin(), env.end()};
}

}  // namespace kc::kubelet

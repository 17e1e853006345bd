#include "pkg/apiserver/version.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace kc::apiserver {

std::string VersionJson() {
  boost::json::object o;
  o["major"] = "1";
  o["minor"] = kKubernetesMinor;
  o["gitVersion"] = kGitVersion;
  o["gitCommit"] = "kcluster";
  o["gitTreeState"] = "clean";
  o["buildDate"] = __DATE__ " " __TIME__;
  o["goVersion"] = "n/a (C++20)";
  o["compiler"] = "g++";
  o["platform"] = "linux/amd64";
  return boost::json::serialize(o);
}

}  // namespace kc::apiserver

#include "pkg/api/name_validation.h"

#include <doctest/doctest.h>

#include "pkg/api/validation_test_util.h"

namespace kc::api {
namespace {

using Msgs = std::vector<std::string>;

const char kSubdomainMsg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char kLabelMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char kDNS1035Msg[] =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const char kQualifiedNameMsg[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char kLabelValueMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

TEST_CASE("DNS-1123 subdomains and labels") {
  struct Case {
    const char* value;
    Msgs subdomain;
    Msgs label;
  };
  const std::string long_label(64, 'a');
  const std::string long_subdomain(254, 'a');
  const Case cases[] = {
      {"web", {}, {}},
      {"a-1.example.com", {}, {"must not contain dots"}},
      {"Bad_Name", {kSubdomainMsg}, {kLabelMsg}},
      {"-start", {kSubdomainMsg}, {kLabelMsg}},
      {"end-", {kSubdomainMsg}, {kLabelMsg}},
      {"", {kSubdomainMsg}, {kLabelMsg}},
      {"a..b", {kSubdomainMsg}, {kLabelMsg}},
      {long_label.c_str(), {}, {"must be no more than 63 characters"}},
      {long_subdomain.c_str(),
       {"must be no more than 253 characters"},
       {"must be no more than 63 characters", "must not contain dots"}},
  };
  for (const auto& c : cases) {
    SUBCASE(c.value) {
      CHECK(IsDNS1123Subdomain(c.value) == c.subdomain);
      if (std::string(c.value) != long_subdomain) CHECK(IsDNS1123Label(c.value) == c.label);
    }
  }
}

TEST_CASE("DNS-1035 labels") {
  CHECK(IsDNS1035Label("my-svc").empty());
  CHECK(IsDNS1035Label("1svc") == Msgs{kDNS1035Msg});
  CHECK(IsDNS1035Label("svc.a") == Msgs{kDNS1035Msg});
}

TEST_CASE("qualified names (label keys)") {
  struct Case {
    const char* value;
    Msgs want;
  };
  const std::string long_name(64, 'a');
  const std::string long_key = "example.com/" + long_name;
  const Case cases[] = {
      {"app", {}},
      {"app.kubernetes.io/name", {}},
      {"Example_Key.1", {}},
      {"", {"name part must be non-empty", kQualifiedNameMsg}},
      {"/name", {"prefix part must be non-empty"}},
      {"Example.com/name", {std::string("prefix part ") + kSubdomainMsg}},
      {"-bad", {kQualifiedNameMsg}},
      {long_key.c_str(), {"name part must be no more than 63 characters"}},
      {"a/b/c",
       {"a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}},
  };
  for (const auto& c : cases) {
    SUBCASE(c.value) { CHECK(IsQualifiedName(c.value) == c.want); }
  }
}

TEST_CASE("label values") {
  CHECK(IsValidLabelValue("").empty());
  CHECK(IsValidLabelValue("v1.2_3-x").empty());
  CHECK(IsValidLabelValue("bad value!") == Msgs{kLabelValueMsg});
  CHECK(IsValidLabelValue(std::string(64, 'a')) == Msgs{"must be no more than 63 characters"});
}

TEST_CASE("config keys, port names, path segments, env names, percents") {
  CHECK(IsConfigMapKey("app.properties").empty());
  CHECK(IsConfigMapKey("..data") == Msgs{"must not start with '..'"});
  CHECK(IsConfigMapKey("..") == Msgs{"must not be '..'"});
  CHECK(IsConfigMapKey("a b") ==
        Msgs{"a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
             "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
             "'[-._a-zA-Z0-9]+')"});

  CHECK(IsValidPortName("http").empty());
  CHECK(IsValidPortName("123") == Msgs{"must contain at least one letter (a-z)"});
  CHECK(IsValidPortName("a--b") == Msgs{"must not contain consecutive hyphens"});
  CHECK(IsValidPortName("-http") == Msgs{"must not begin or end with a hyphen"});
  CHECK(IsValidPortName("Http") ==
        Msgs{"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"});
  CHECK(IsValidPortName("abcdefghijklmnop") == Msgs{"must be no more than 15 characters"});
  CHECK(IsValidPortNum(0) == Msgs{"must be between 1 and 65535, inclusive"});
  CHECK(IsValidPortNum(65535).empty());

  CHECK(IsValidPathSegmentName("..") == Msgs{"may not be '..'"});
  CHECK(IsValidPathSegmentName("a/b%c") == Msgs{"may not contain '/'", "may not contain '%'"});
  CHECK(IsRelaxedEnvVarName("MY VAR.1").empty());
  CHECK(IsRelaxedEnvVarName("A=B") == Msgs{"a valid environment variable name must consist only of "
                                           "printable ASCII characters other than '='"});
  CHECK(IsValidPercent("25%").empty());
  CHECK_FALSE(IsValidPercent("25").empty());
  CHECK(IsValidIP("10.0.0.1"));
  CHECK(IsValidIP("fd00::1"));
  CHECK_FALSE(IsValidIP("10.0.0.256"));
  CHECK(IsIPv6("fd00::1"));
}

TEST_CASE("object name rule per kind") {
  using testing::RI;
  struct Case {
    const char* group;
    const char* kind;
    const char* name;
    Msgs want;
  };
  const Case cases[] = {
      {"apps", "Deployment", "web.v1", {}},
      {"apps", "Deployment", "Web", {kSubdomainMsg}},
      {"", "Namespace", "team.a", {"must not contain dots"}},
      {"apps", "StatefulSet", "db.0", {"must not contain dots"}},
      {"", "Service", "1svc", {kDNS1035Msg}},
      {"", "Service", "svc", {}},
      {"rbac.authorization.k8s.io", "ClusterRole", "system:controller:x", {}},
      {"rbac.authorization.k8s.io", "Role", "a/b", {"may not contain '/'"}},
      {"", "Event", "web.17a2b3c4d5e6f7", {}},
      {"", "ConfigMap", "kube-root-ca.crt", {}},
  };
  for (const auto& c : cases) {
    SUBCASE((std::string(c.kind) + " " + c.name).c_str()) {
      CHECK(ValidateObjectName(RI(c.group, c.kind), c.name) == c.want);
    }
  }
  // generateName tolerates the trailing dash.
  CHECK(ValidateObjectNamePrefix(RI("", "Pod"), "web-").empty());
  CHECK(ValidateObjectNamePrefix(RI("", "Pod"), "Web-") == Msgs{kSubdomainMsg});
}

}  // namespace
}  // namespace kc::api

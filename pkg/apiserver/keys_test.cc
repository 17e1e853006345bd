#include "pkg/apiserver/keys.h"

#include <doctest/doctest.h>

#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

using testing::Res;

TEST_CASE("ObjectKey and ListPrefix name objects under /registry") {
  struct Case {
    const char* group;
    const char* plural;
    const char* ns;
    const char* name;
    const char* key;
    const char* list_prefix;
  };
  const Case cases[] = {
      {"", "pods", "default", "web", "/registry/core/pods/default/web",
       "/registry/core/pods/default/"},
      {"apps", "deployments", "prod", "api", "/registry/apps/deployments/prod/api",
       "/registry/apps/deployments/prod/"},
      // Cluster-scoped: the namespace is ignored for both.
      {"", "namespaces", "", "kube-system", "/registry/core/namespaces/kube-system",
       "/registry/core/namespaces/"},
      {"", "nodes", "ignored", "n1", "/registry/core/nodes/n1", "/registry/core/nodes/"},
  };
  for (const Case& c : cases) {
    SUBCASE((std::string(c.plural) + "/" + c.name).c_str()) {
      const api::ResourceInfo& ri = Res(c.group, c.plural);
      CHECK(ObjectKey(ri, c.ns, c.name) == c.key);
      CHECK(ListPrefix(ri, c.ns) == c.list_prefix);
    }
  }
}

TEST_CASE("ListPrefix without a namespace covers every namespace") {
  const api::ResourceInfo& pods = Res("", "pods");
  CHECK(ListPrefix(pods, "") == "/registry/core/pods/");
  CHECK(ResourcePrefix(pods) == "/registry/core/pods/");
  // A namespace's prefix must not also select a namespace whose name extends it.
  CHECK(ObjectKey(pods, "default2", "x").rfind(ListPrefix(pods, "default"), 0) != 0);
}

void CheckRoundTrip(int64_t revision, const std::string& last_key) {
  std::string token = EncodeContinue(revision, last_key);
  CHECK(token.find('/') == std::string::npos);  // opaque, not the raw key
  int64_t rev = 0;
  std::string key;
  api::Status s = DecodeContinue(token, &rev, &key);
  CHECK_MESSAGE(s.ok(), token, " → ", s.message());
  CHECK(rev == revision);
  CHECK(key == last_key);
}

// Raw token text ("<rev>:<key>") whose length is a multiple of 3: base64 without '=' padding.
TEST_CASE("continue tokens round-trip") {
  const struct {
    int64_t revision;
    const char* key;
  } cases[] = {
      {12, "/registry/core/pods/default/ab"},
      {7, "/registry/core/namespaces/kube-system"},
      {1234567890, "/registry/apps/deployments/ns/with:colon"},
  };
  for (const auto& c : cases) {
    SUBCASE(c.key) { CheckRoundTrip(c.revision, c.key); }
  }
}

// Regression: tokens whose base64 form ends in '=' padding once failed to decode.
TEST_CASE("continue tokens with base64 padding round-trip") {
  const struct {
    int64_t revision;
    const char* key;
  } cases[] = {
      {1, "/registry/core/pods/default/a"},       // "==" padding
      {1, "/registry/core/pods/default/ab"},      // "=" padding
      {123456789012, "/registry/apps/deployments/ns/with:colon"},  // "=" padding
  };
  for (const auto& c : cases) {
    SUBCASE(c.key) { CheckRoundTrip(c.revision, c.key); }
  }
}

TEST_CASE("garbage continue tokens are rejected with BadRequest") {
  const char* cases[] = {
      "",                                  // empty
      "!!!not-base64!!!",                  // not base64
      "aGVsbG8=",                          // "hello": no colon
      "OjEyMw==",                          // ":123": no revision
      "YWJjOi9yZWdpc3RyeS94",              // "abc:/registry/x": revision not a number
      "MTI6L2V0Yy9wYXNzd2Q=",              // "12:/etc/passwd": not a registry key
  };
  for (const char* token : cases) {
    SUBCASE(token) {
      int64_t rev = -1;
      std::string key = "unchanged";
      api::Status s = DecodeContinue(token, &rev, &key);
      CHECK_FALSE(s.ok());
      CHECK(s.reason() == api::Reason::kBadRequest);
      CHECK(s.message().find("continue key is not valid") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace kc::apiserver

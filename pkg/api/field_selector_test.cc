#include "pkg/api/field_selector.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::api {
namespace {

namespace json = boost::json;

json::object Pod() {
  return json::parse(R"({"metadata":{"name":"web-1","namespace":"default"},
      "spec":{"nodeName":"node1","hostNetwork":true,"priority":5},
      "status":{"phase":"Running"},
      "involvedObject":{"kind":"Pod","name":"a,b=c"}})")
      .as_object();
}

}  // namespace

TEST_CASE("field selectors parse and match") {
  json::object pod = Pod();
  struct Case {
    const char* selector;
    bool matches;
  };
  const Case cases[] = {
      {"", true},
      {"metadata.name=web-1", true},
      {"metadata.name==web-1", true},
      {"metadata.name!=web-1", false},
      {"metadata.name=web-2", false},
      {"spec.nodeName=node1,status.phase=Running", true},
      {"spec.nodeName=node1,status.phase!=Running", false},
      {"spec.nodeName=", false},
      {"spec.schedulerName=", true},  // missing reads as ""
      {"spec.hostNetwork=true", true},
      {"spec.priority=5", true},
      {"involvedObject.name=a\\,b\\=c", true},
      {"involvedObject.kind=Pod,", true},
  };
  for (const Case& c : cases) {
    SUBCASE(c.selector) {
      auto sel = FieldSelector::Parse(c.selector);
      REQUIRE_MESSAGE(sel.ok(), sel.status().ToString());
      CHECK(sel->Matches(pod) == c.matches);
    }
  }
}

TEST_CASE("field selector accessors") {
  auto sel = FieldSelector::Parse("status.phase!=Failed,spec.nodeName=n1");
  REQUIRE(sel.ok());
  // Terms are sorted as upstream sorts them.
  CHECK(sel->Fields() == std::vector<std::string>{"spec.nodeName", "status.phase"});
  std::string node;
  CHECK(sel->RequiresExactMatch("spec.nodeName", &node));
  CHECK(node == "n1");
  CHECK_FALSE(sel->RequiresExactMatch("status.phase", &node));
  CHECK(sel->ToString() == "spec.nodeName=n1,status.phase!=Failed");
  auto escaped = FieldSelector::Parse("a=x\\,y");
  REQUIRE(escaped.ok());
  CHECK(escaped->requirements()[0].value == "x,y");
  CHECK(escaped->ToString() == "a=x\\,y");
  CHECK(FieldSelector::Parse("")->Empty());
}

TEST_CASE("malformed field selectors") {
  struct Case {
    const char* selector;
    const char* message;
  };
  const Case cases[] = {
      {"metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"},
      {"a=b\\x", "invalid field selector: invalid escape sequence: \\x"},
      {"a=b\\", "invalid field selector: invalid escape sequence: \\"},
      {"a=b=c", "invalid field selector: unescaped character in value: 61"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.selector) {
      auto sel = FieldSelector::Parse(c.selector);
      REQUIRE_FALSE(sel.ok());
      CHECK(sel.status().reason() == Reason::kBadRequest);
      CHECK(sel.status().message() == c.message);
    }
  }
}

}  // namespace kc::api

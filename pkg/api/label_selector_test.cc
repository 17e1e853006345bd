#include "pkg/api/label_selector.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace kc::api {
namespace {

namespace json = boost::json;

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

}  // namespace

TEST_CASE("label selector string syntax parses to its canonical form") {
  struct Case {
    const char* in;
    const char* canonical;
  };
  const Case cases[] = {
      {"", ""},
      {"a=b", "a=b"},
      {"a==b", "a==b"},
      {"a!=b", "a!=b"},
      {"a", "a"},
      {"!a", "!a"},
      {" x = y , a in ( c , b ) ", "a in (b,c),x=y"},
      {"a notin (x)", "a notin (x)"},
      {"a in (x,x,y)", "a in (x,y)"},
      {"a in ()", "a in ()"},
      {"a=", "a="},
      {"a>5,b<10", "a>5,b<10"},
      {"in=x", "in=x"},
      {"example.com/app=web,tier", "example.com/app=web,tier"},
      {"b=1,a=2", "a=2,b=1"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.in) {
      auto sel = LabelSelector::Parse(c.in);
      REQUIRE_MESSAGE(sel.ok(), sel.status().ToString());
      CHECK(sel->ToString() == c.canonical);
      CHECK(sel->Empty() == (std::string(c.canonical).empty()));
    }
  }
}

TEST_CASE("malformed label selectors give upstream's BadRequest messages") {
  struct Case {
    const char* in;
    const char* message;
  };
  const Case cases[] = {
      {"a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"},
      {"a=b c", "found 'c', expected: ',' or 'end of string'"},
      {"a in (x", "unable to parse requirement: found '', expected: ',' or ')'"},
      {"a in x", "unable to parse requirement: found 'x' expected: '('"},
      {",a", "found ',', expected: !, identifier, or 'end of string'"},
      {"a,", "found '', expected: identifier after ','"},
      {"!a=b", "found '=', expected: ',' or 'end of string'"},
      {"a>x",
       "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, "
       "the value must be an integer"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.in) {
      auto sel = LabelSelector::Parse(c.in);
      REQUIRE_FALSE(sel.ok());
      CHECK(sel.status().reason() == Reason::kBadRequest);
      CHECK(sel.status().message() == c.message);
    }
  }
  SUBCASE("invalid key") {
    auto sel = LabelSelector::Parse("Foo@bar=x");
    REQUIRE_FALSE(sel.ok());
    CHECK(sel.status().message().rfind(
              "unable to parse requirement: <nil>: Invalid value: \"Foo@bar\": name part must "
              "consist of alphanumeric characters",
              0) == 0);
  }
  SUBCASE("invalid value") {
    auto sel = LabelSelector::Parse("a=b@c");
    REQUIRE_FALSE(sel.ok());
    CHECK(sel.status().message().rfind(
              "unable to parse requirement: values[0][a]: Invalid value: \"b@c\": a valid label "
              "must be an empty string",
              0) == 0);
  }
}

TEST_CASE("label selectors match labels") {
  json::object labels = Obj(R"({"app":"web","tier":"fe","n":"5"})");
  struct Case {
    const char* selector;
    bool with_labels;
    bool without_labels;
  };
  const Case cases[] = {
      {"", true, true},
      {"app=web", true, false},
      {"app==web", true, false},
      {"app=db", false, false},
      {"app!=db", true, true},
      {"app!=web", false, true},
      {"app in (web,db)", true, false},
      {"app notin (web)", false, true},
      {"missing notin (x)", true, true},
      {"app", true, false},
      {"!app", false, true},
      {"n>3", true, false},
      {"n<3", false, false},
      {"app>3", false, false},
      {"app=web,tier=be", false, false},
      {"app=web,tier in (fe,be),!canary", true, false},
  };
  for (const Case& c : cases) {
    SUBCASE(c.selector) {
      auto sel = LabelSelector::Parse(c.selector);
      REQUIRE(sel.ok());
      CHECK(sel->Matches(&labels) == c.with_labels);
      CHECK(sel->Matches(nullptr) == c.without_labels);
    }
  }
}

TEST_CASE("metav1.LabelSelector objects") {
  SUBCASE("matchLabels and matchExpressions") {
    auto sel = LabelSelector::FromJson(Obj(R"({"matchLabels":{"app":"web"},
        "matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},
                            {"key":"canary","operator":"DoesNotExist"},
                            {"key":"zone","operator":"Exists"}]})"));
    REQUIRE(sel.ok());
    CHECK(sel->ToString() == "app=web,!canary,tier in (a,b),zone");
    json::object ok = Obj(R"({"app":"web","tier":"a","zone":"z1"})");
    json::object canary = Obj(R"({"app":"web","tier":"a","zone":"z1","canary":"1"})");
    CHECK(sel->Matches(&ok));
    CHECK_FALSE(sel->Matches(&canary));
  }
  SUBCASE("empty selector matches everything, Nothing matches nothing") {
    auto sel = LabelSelector::FromJson(json::object());
    REQUIRE(sel.ok());
    CHECK(sel->Empty());
    CHECK(sel->Matches(nullptr));
    LabelSelector none = LabelSelector::Nothing();
    CHECK_FALSE(none.Empty());
    CHECK_FALSE(none.Matches(nullptr));
  }
  struct Bad {
    const char* name;
    const char* json;
    const char* message_part;
  };
  const Bad bad[] = {
      {"bad operator", R"({"matchExpressions":[{"key":"a","operator":"Foo"}]})",
       "\"Foo\" is not a valid label selector operator"},
      {"In without values", R"({"matchExpressions":[{"key":"a","operator":"In"}]})",
       "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be "
       "empty"},
      {"Exists with values",
       R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})",
       "values: Invalid value: []string{\"x\"}: values set must be empty"},
      {"bad key", R"({"matchLabels":{"a b":"x"}})", "key: Invalid value: \"a b\": name part"},
      {"bad value", R"({"matchLabels":{"a":"-x"}})", "values[0][a]: Invalid value: \"-x\""},
      {"non-string value", R"({"matchLabels":{"a":1}})", "must be a string"},
  };
  for (const Bad& b : bad) {
    SUBCASE(b.name) {
      auto sel = LabelSelector::FromJson(Obj(b.json));
      REQUIRE_FALSE(sel.ok());
      CHECK(sel.status().reason() == Reason::kInvalid);
      CHECK_MESSAGE(sel.status().message().find(b.message_part) != std::string::npos,
                    sel.status().message());
    }
  }
}

TEST_CASE("plain map selectors") {
  json::object labels = Obj(R"({"app":"web","tier":"fe"})");
  CHECK(LabelsMatch(&labels, Obj(R"({"app":"web"})")));
  CHECK(LabelsMatch(&labels, json::object()));
  CHECK_FALSE(LabelsMatch(&labels, Obj(R"({"app":"db"})")));
  CHECK_FALSE(LabelsMatch(nullptr, Obj(R"({"app":"web"})")));
  CHECK(LabelsMatch(nullptr, json::object()));
}

}  // namespace kc::api

#include "pkg/api/label_selector.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cstdint>

#include "pkg/api/name_validation.h"

namespace kc::api {
namespace json = boost::json;

namespace {

// ---- field.Error formatting ----

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// Go's %#v of a []string, as field.Invalid prints a bad value list.
std::string GoStringSlice(const std::vector<std::string>* vals) {
  if (!vals) return "[]string(nil)";
  std::vector<std::string> quoted;
  for (const auto& v : *vals) quoted.push_back(Quote(v));
  return "[]string{" + Join(quoted, ", ") + "}";
}

std::string Invalid(std::string_view path, std::string_view rendered_value, std::string_view why) {
  return std::string(path) + ": Invalid value: " + std::string(rendered_value) + ": " +
         std::string(why);
}

// errors.Aggregate's message: one error as is, several as "[a, b]".
std::string Aggregate(const std::vector<std::string>& errs) {
  return errs.size() == 1 ? errs[0] : "[" + Join(errs, ", ") + "]";
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// labels.NewRequirement: validates and normalizes one requirement. `values` may be null (a
// missing list, reported as []string(nil)). Returns the error messages, empty when valid.
std::vector<std::string> MakeRequirement(std::string key, SelectorOp op,
                                         const std::vector<std::string>* values,
                                         LabelRequirement* out) {
  std::vector<std::string> errs;
  std::vector<std::string> vals = values ? *values : std::vector<std::string>();
  if (auto e = IsQualifiedName(key); !e.empty()) {
    errs.push_back(Invalid("key", Quote(key), Join(e, "; ")));
  }
  switch (op) {
    case SelectorOp::kIn:
    case SelectorOp::kNotIn:
      if (vals.empty()) {
        errs.push_back(Invalid("values", GoStringSlice(values),
                               "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case SelectorOp::kEquals:
    case SelectorOp::kDoubleEquals:
    case SelectorOp::kNotEquals:
      if (vals.size() != 1) {
        errs.push_back(Invalid("values", GoStringSlice(values),
                               "exact-match compatibility requires one single value"));
      }
      break;
    case SelectorOp::kExists:
    case SelectorOp::kDoesNotExist:
      if (!vals.empty()) {
        errs.push_back(Invalid("values", GoStringSlice(values),
                               "values set must be empty for exists and does not exist"));
      }
      break;
    case SelectorOp::kGreaterThan:
    case SelectorOp::kLessThan:
      if (vals.size() != 1) {
        errs.push_back(Invalid("values", GoStringSlice(values),
                               "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      for (size_t i = 0; i < vals.size(); ++i) {
        int64_t unused = 0;
        if (!ParseInt64(vals[i], &unused)) {
          errs.push_back(Invalid("values[" + std::to_string(i) + "]", Quote(vals[i]),
                                 "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
      break;
  }
  for (size_t i = 0; i < vals.size(); ++i) {
    if (auto e = IsValidLabelValue(vals[i]); !e.empty()) {
      errs.push_back(
          Invalid("values[" + std::to_string(i) + "][" + key + "]", Quote(vals[i]), Join(e, "; ")));
    }
  }
  std::sort(vals.begin(), vals.end());
  vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
  *out = LabelRequirement{std::move(key), op, std::move(vals)};
  return errs;
}

// ---- the string syntax: lexer and recursive-descent parser (labels/selector.go) ----

enum class Tok {
  kError,
  kEnd,
  kClosePar,
  kComma,
  kDoesNotExist,
  kDoubleEquals,
  kEquals,
  kGreaterThan,
  kIdentifier,
  kIn,
  kLessThan,
  kNotEquals,
  kNotIn,
  kOpenPar,
};

struct Token {
  Tok tok;
  std::string lit;
};

bool IsSpecial(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool SpecialToken(std::string_view s, Tok* tok) {
  static const std::pair<std::string_view, Tok> kTable[] = {
      {")", Tok::kClosePar},      {",", Tok::kComma},      {"!", Tok::kDoesNotExist},
      {"==", Tok::kDoubleEquals}, {"=", Tok::kEquals},     {">", Tok::kGreaterThan},
      {"<", Tok::kLessThan},      {"!=", Tok::kNotEquals}, {"(", Tok::kOpenPar}};
  for (const auto& [text, t] : kTable) {
    if (s == text) {
      *tok = t;
      return true;
    }
  }
  return false;
}

std::vector<Token> Lex(std::string_view in) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < in.size() && IsSpace(in[i])) ++i;
    if (i >= in.size() || in[i] == '\0') {
      out.push_back({Tok::kEnd, ""});
      return out;
    }
    if (IsSpecial(in[i])) {
      // Longest run of special characters that still names a token.
      std::string buf;
      Token last{Tok::kError, ""};
      bool matched = false;
      while (i < in.size() && IsSpecial(in[i])) {
        buf += in[i];
        Tok t;
        if (SpecialToken(buf, &t)) {
          last = {t, buf};
          matched = true;
        } else if (matched) {
          break;
        }
        ++i;
      }
      out.push_back(matched ? last
                            : Token{Tok::kError, "error expected: keyword found '" + buf + "'"});
      continue;
    }
    size_t start = i;
    while (i < in.size() && !IsSpace(in[i]) && !IsSpecial(in[i]) && in[i] != '\0') ++i;
    std::string word(in.substr(start, i - start));
    Tok t = word == "in" ? Tok::kIn : word == "notin" ? Tok::kNotIn : Tok::kIdentifier;
    out.push_back({t, std::move(word)});
  }
}

class Parser {
 public:
  explicit Parser(std::string_view in) : toks_(Lex(in)) {}

  // Returns "" on success, else the error message.
  std::string Parse(std::vector<LabelRequirement>* reqs) {
    while (true) {
      Token t = Peek(true);
      if (t.tok == Tok::kEnd) return "";
      if (t.tok != Tok::kIdentifier && t.tok != Tok::kDoesNotExist) {
        return "found '" + t.lit + "', expected: !, identifier, or 'end of string'";
      }
      LabelRequirement r;
      if (std::string err = ParseRequirement(&r); !err.empty()) {
        return "unable to parse requirement: " + err;
      }
      reqs->push_back(std::move(r));
      Token next = Consume(true);
      if (next.tok == Tok::kEnd) return "";
      if (next.tok != Tok::kComma) {
        return "found '" + next.lit + "', expected: ',' or 'end of string'";
      }
      Token after = Peek(true);
      if (after.tok != Tok::kIdentifier && after.tok != Tok::kDoesNotExist) {
        return "found '" + after.lit + "', expected: identifier after ','";
      }
    }
  }

 private:
  // In a value position "in" and "notin" are plain identifiers.
  Token Normalize(Token t, bool values) const {
    if (values && (t.tok == Tok::kIn || t.tok == Tok::kNotIn)) t.tok = Tok::kIdentifier;
    return t;
  }
  Token Peek(bool values) const { return Normalize(toks_[pos_], values); }
  Token Consume(bool values) {
    Token t = Normalize(toks_[pos_], values);
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }

  std::string ParseRequirement(LabelRequirement* out) {
    Token t = Consume(true);
    bool negated = false;
    if (t.tok == Tok::kDoesNotExist) {
      negated = true;
      t = Consume(true);
    }
    if (t.tok != Tok::kIdentifier) return "found '" + t.lit + "', expected: identifier";
    if (auto e = IsQualifiedName(t.lit); !e.empty()) {
      return Invalid("<nil>", Quote(t.lit), Join(e, "; "));
    }
    std::string key = t.lit;
    Tok after = Peek(true).tok;
    bool bare = after == Tok::kEnd || after == Tok::kComma;
    if (negated || bare) {
      return Aggregate0(MakeRequirement(
          key, negated ? SelectorOp::kDoesNotExist : SelectorOp::kExists, nullptr, out));
    }
    Token op_tok = Consume(false);
    SelectorOp op;
    switch (op_tok.tok) {
      case Tok::kIn:
        op = SelectorOp::kIn;
        break;
      case Tok::kNotIn:
        op = SelectorOp::kNotIn;
        break;
      case Tok::kEquals:
        op = SelectorOp::kEquals;
        break;
      case Tok::kDoubleEquals:
        op = SelectorOp::kDoubleEquals;
        break;
      case Tok::kNotEquals:
        op = SelectorOp::kNotEquals;
        break;
      case Tok::kGreaterThan:
        op = SelectorOp::kGreaterThan;
        break;
      case Tok::kLessThan:
        op = SelectorOp::kLessThan;
        break;
      default:
        return "found '" + op_tok.lit + "', expected: in, notin, =, ==, !=, gt, lt";
    }
    std::vector<std::string> values;
    std::string err = (op == SelectorOp::kIn || op == SelectorOp::kNotIn)
                          ? ParseValueSet(&values)
                          : ParseExactValue(&values);
    if (!err.empty()) return err;
    return Aggregate0(MakeRequirement(key, op, &values, out));
  }

  static std::string Aggregate0(const std::vector<std::string>& errs) {
    return errs.empty() ? "" : Aggregate(errs);
  }

  std::string ParseValueSet(std::vector<std::string>* values) {
    Token open = Consume(true);
    if (open.tok != Tok::kOpenPar) return "found '" + open.lit + "' expected: '('";
    Token first = Peek(true);
    if (first.tok == Tok::kClosePar) {  // "()" is the set {""}
      Consume(true);
      values->push_back("");
      return "";
    }
    if (first.tok != Tok::kIdentifier && first.tok != Tok::kComma) {
      return "found '" + first.lit + "', expected: ',', ')' or identifier";
    }
    if (std::string err = ParseIdentifierList(values); !err.empty()) return err;
    if (Consume(true).tok != Tok::kClosePar) return "found '" + first.lit + "', expected: ')'";
    return "";
  }

  // A comma separated list where empty slots (",,", "(,", ",)") mean the empty value.
  std::string ParseIdentifierList(std::vector<std::string>* values) {
    while (true) {
      Token t = Consume(true);
      if (t.tok == Tok::kIdentifier) {
        values->push_back(t.lit);
        Token next = Peek(true);
        if (next.tok == Tok::kComma) continue;
        if (next.tok == Tok::kClosePar) return "";
        return "found '" + next.lit + "', expected: ',' or ')'";
      }
      if (t.tok == Tok::kComma) {
        if (values->empty()) values->push_back("");
        Tok next = Peek(true).tok;
        if (next == Tok::kClosePar) {
          values->push_back("");
          return "";
        }
        if (next == Tok::kComma) {
          Consume(true);
          values->push_back("");
        }
        continue;
      }
      return "found '" + t.lit + "', expected: ',', or identifier";
    }
  }

  std::string ParseExactValue(std::vector<std::string>* values) {
    Tok next = Peek(true).tok;
    if (next == Tok::kEnd || next == Tok::kComma) {
      values->push_back("");
      return "";
    }
    Token t = Consume(true);
    if (t.tok != Tok::kIdentifier) return "found '" + t.lit + "', expected: identifier";
    values->push_back(t.lit);
    return "";
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
};

void SortByKey(std::vector<LabelRequirement>* reqs) {
  std::stable_sort(
      reqs->begin(), reqs->end(),
      [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
}

const char* OpString(SelectorOp op) {
  switch (op) {
    case SelectorOp::kEquals:
      return "=";
    case SelectorOp::kDoubleEquals:
      return "==";
    case SelectorOp::kNotEquals:
      return "!=";
    case SelectorOp::kIn:
      return " in ";
    case SelectorOp::kNotIn:
      return " notin ";
    case SelectorOp::kGreaterThan:
      return ">";
    case SelectorOp::kLessThan:
      return "<";
    case SelectorOp::kExists:
    case SelectorOp::kDoesNotExist:
      return "";
  }
  return "";
}

}  // namespace

bool LabelRequirement::Matches(const json::object* labels) const {
  const json::value* v = labels ? labels->if_contains(key) : nullptr;
  const json::string* s = v ? v->if_string() : nullptr;
  auto contains = [&] { return std::binary_search(values.begin(), values.end(), std::string(*s)); };
  switch (op) {
    case SelectorOp::kIn:
    case SelectorOp::kEquals:
    case SelectorOp::kDoubleEquals:
      return s && contains();
    case SelectorOp::kNotIn:
    case SelectorOp::kNotEquals:
      return !s || !contains();
    case SelectorOp::kExists:
      return s != nullptr;
    case SelectorOp::kDoesNotExist:
      return s == nullptr;
    case SelectorOp::kGreaterThan:
    case SelectorOp::kLessThan: {
      int64_t have = 0, want = 0;
      if (!s || values.size() != 1 || !ParseInt64(*s, &have) || !ParseInt64(values[0], &want)) {
        return false;
      }
      return op == SelectorOp::kGreaterThan ? have > want : have < want;
    }
  }
  return false;
}

std::string LabelRequirement::ToString() const {
  if (op == SelectorOp::kDoesNotExist) return "!" + key;
  if (op == SelectorOp::kExists) return key;
  std::string out = key + OpString(op);
  if (op == SelectorOp::kIn || op == SelectorOp::kNotIn) return out + "(" + Join(values, ",") + ")";
  return out + (values.empty() ? "" : values[0]);
}

Result<LabelSelector> LabelSelector::Parse(std::string_view selector) {
  LabelSelector sel;
  Parser parser(selector);
  if (std::string err = parser.Parse(&sel.requirements_); !err.empty()) {
    return Status::BadRequest(err);
  }
  SortByKey(&sel.requirements_);
  return sel;
}

Result<LabelSelector> LabelSelector::FromJson(const json::object& ls) {
  LabelSelector sel;
  if (const json::value* ml = ls.if_contains("matchLabels"); ml && !ml->is_null()) {
    if (!ml->is_object()) return Status::Invalid("matchLabels: must be a map of strings");
    for (const auto& kv : ml->get_object()) {
      if (!kv.value().is_string()) {
        return Status::Invalid("matchLabels[" + std::string(kv.key()) + "]: must be a string");
      }
      std::vector<std::string> vals{std::string(kv.value().get_string())};
      LabelRequirement r;
      auto e = MakeRequirement(std::string(kv.key()), SelectorOp::kEquals, &vals, &r);
      if (!e.empty()) return Status::Invalid(Aggregate(e));
      sel.requirements_.push_back(std::move(r));
    }
  }
  if (const json::value* me = ls.if_contains("matchExpressions"); me && !me->is_null()) {
    if (!me->is_array()) return Status::Invalid("matchExpressions: must be a list");
    for (const json::value& ev : me->get_array()) {
      if (!ev.is_object()) return Status::Invalid("matchExpressions: entries must be objects");
      const json::object& e = ev.get_object();
      const json::value* key = e.if_contains("key");
      const json::value* oper = e.if_contains("operator");
      std::string op_name = oper && oper->is_string() ? std::string(oper->get_string()) : "";
      SelectorOp op;
      if (op_name == "In")
        op = SelectorOp::kIn;
      else if (op_name == "NotIn")
        op = SelectorOp::kNotIn;
      else if (op_name == "Exists")
        op = SelectorOp::kExists;
      else if (op_name == "DoesNotExist")
        op = SelectorOp::kDoesNotExist;
      else
        return Status::Invalid(Quote(op_name) + " is not a valid label selector operator");
      std::vector<std::string> vals;
      const json::value* values = e.if_contains("values");
      bool has_values = values && !values->is_null();
      if (has_values) {
        if (!values->is_array()) return Status::Invalid("matchExpressions.values: must be a list");
        for (const json::value& v : values->get_array()) {
          if (!v.is_string()) return Status::Invalid("matchExpressions.values: must be strings");
          vals.emplace_back(v.get_string());
        }
      }
      LabelRequirement r;
      std::string k = key && key->is_string() ? std::string(key->get_string()) : "";
      auto errs_one = MakeRequirement(std::move(k), op, has_values ? &vals : nullptr, &r);
      if (!errs_one.empty()) return Status::Invalid(Aggregate(errs_one));
      sel.requirements_.push_back(std::move(r));
    }
  }
  SortByKey(&sel.requirements_);
  return sel;
}

LabelSelector LabelSelector::Nothing() {
  LabelSelector sel;
  sel.nothing_ = true;
  return sel;
}

bool LabelSelector::Matches(const json::object* labels) const {
  if (nothing_) return false;
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const LabelRequirement& r) { return r.Matches(labels); });
}

std::string LabelSelector::ToString() const {
  std::vector<std::string> parts;
  for (const auto& r : requirements_) parts.push_back(r.ToString());
  return Join(parts, ",");
}

bool LabelsMatch(const json::object* labels, const json::object& match_labels) {
  for (const auto& kv : match_labels) {
    const json::value* have = labels ? labels->if_contains(kv.key()) : nullptr;
    if (!have || !have->is_string() || !kv.value().is_string() ||
        have->get_string() != kv.value().get_string()) {
      return false;
    }
  }
  return true;
}

}  // namespace kc::api

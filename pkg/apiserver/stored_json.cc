#include "pkg/apiserver/stored_json.h"

namespace kc::apiserver {
namespace {

// A cursor over JSON text that only finds value boundaries; it never allocates.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  void Advance() { ++pos_; }

  void SkipSpace() {
    while (!AtEnd() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' ||
                        s_[pos_] == '\t')) {
      ++pos_;
    }
  }

  // At '"': moves past the closing quote; the raw (still escaped) content goes to `*raw`.
  bool String(std::string_view* raw) {
    if (Peek() != '"') return false;
    size_t start = ++pos_;
    while (!AtEnd()) {
      char c = s_[pos_];
      if (c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == '"') {
        if (raw) *raw = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      ++pos_;
    }
    return false;
  }

  // Moves past one value of any type.
  bool SkipValue() {
    char c = Peek();
    if (c == '"') return String(nullptr);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (!AtEnd()) {
        char d = s_[pos_];
        if (d == '"') {
          if (!String(nullptr)) return false;
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) {
            ++pos_;
            return true;
          }
        }
        ++pos_;
      }
      return false;
    }
    // number, true, false, null
    size_t start = pos_;
    while (!AtEnd() && s_[pos_] != ',' && s_[pos_] != '}' && s_[pos_] != ']' &&
           s_[pos_] != ' ' && s_[pos_] != '\n' && s_[pos_] != '\r' && s_[pos_] != '\t') {
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> WithResourceVersion(std::string_view stored, int64_t rv) {
  Scanner sc(stored);
  sc.SkipSpace();
  if (sc.Peek() != '{') return std::nullopt;
  sc.Advance();
  for (;;) {
    sc.SkipSpace();
    if (sc.Peek() != '"') return std::nullopt;  // '}' (no metadata) or malformed
    std::string_view key;
    if (!sc.String(&key)) return std::nullopt;
    sc.SkipSpace();
    if (sc.Peek() != ':') return std::nullopt;
    sc.Advance();
    sc.SkipSpace();
    if (key == "metadata") {
      if (sc.Peek() != '{') return std::nullopt;
      size_t open = sc.pos() + 1;
      sc.Advance();
      sc.SkipSpace();
      const bool empty = sc.Peek() == '}';
      std::string field = "\"resourceVersion\":\"" + std::to_string(rv) + "\"";
      std::string out;
      out.reserve(stored.size() + field.size() + 1);
      out.append(stored.substr(0, open));
      out.append(field);
      if (!empty) out.push_back(',');
      out.append(stored.substr(open));
      return out;
    }
    if (!sc.SkipValue()) return std::nullopt;
    sc.SkipSpace();
    if (sc.Peek() != ',') return std::nullopt;
    sc.Advance();
  }
}

}  // namespace kc::apiserver

#include "coodie/migrate/cql_script.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>

#include <openssl/evp.h>

#include "coodie/error.hpp"

namespace coodie::migrate {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

/// The words of a statement outside its literals and quoted identifiers, in upper case.
std::vector<std::string> words(std::string_view st) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < st.size();) {
    const char c = st[i];
    if (c == '\'' || c == '"') {
      // A doubled quote inside continues the literal; an unterminated one ends the text.
      for (++i; i < st.size(); ++i) {
        if (st[i] == c && (i + 1 >= st.size() || st[i + 1] != c)) {
          break;
        }
        if (st[i] == c) {
          ++i;
        }
      }
      ++i;
    } else if (st.substr(i, 2) == "$$") {
      const std::size_t end = st.find("$$", i + 2);
      i = end == std::string_view::npos ? st.size() : end + 2;
    } else if (is_word_char(c)) {
      std::string w;
      for (; i < st.size() && is_word_char(st[i]); ++i) {
        w += static_cast<char>(std::toupper(static_cast<unsigned char>(st[i])));
      }
      out.push_back(std::move(w));
    } else {
      ++i;
    }
  }
  return out;
}

/// True while a statement begun with BEGIN ... BATCH has not reached APPLY BATCH: its inner
/// semicolons separate the batch's own statements.
bool inside_batch(std::string_view st) {
  std::vector<std::string> w = words(st);
  if (w.empty() || w.front() != "BEGIN") {
    return false;
  }
  return w.size() < 2 || w[w.size() - 2] != "APPLY" || w.back() != "BATCH";
}

enum class section : std::uint8_t { none, up, down };

class splitter {
 public:
  splitter(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  script run(bool markers_allowed) {
    while (i_ < text_.size()) {
      step(markers_allowed);
    }
    finish_statement();
    script out;
    if (!seen_up_ && !seen_down_) {
      out.up = std::move(preamble_);
      return out;
    }
    if (!preamble_.empty()) {
      fail("statements before the first section marker (-- coodie:up or -- coodie:down)",
           first_line_);
    }
    out.up = std::move(up_);
    if (seen_down_) {
      out.down = std::move(down_);
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what, int line) const {
    throw migration_error(migration_error::reason::refused,
                          std::string(source_) + ":" + std::to_string(line) + ": " + what,
                          std::string(source_));
  }

  void step(bool markers_allowed) {
    const char c = text_[i_];
    const std::string_view two = text_.substr(i_, 2);
    if (c == '\'' || c == '"') {
      quoted(c);
    } else if (two == "$$") {
      dollar_quoted();
    } else if (two == "--" || two == "//") {
      line_comment(markers_allowed);
    } else if (two == "/*") {
      block_comment();
    } else if (c == ';' && !inside_batch(current_)) {
      ++i_;
      finish_statement();
    } else {
      append(c);
      ++i_;
    }
  }

  void append(char c) {
    if (c == '\n') {
      ++line_;
    }
    if (trim(current_).empty() && std::isspace(static_cast<unsigned char>(c)) == 0) {
      start_line_ = line_;
    }
    current_ += c;
  }

  void quoted(char q) {
    const int start = line_;
    append(q);
    for (++i_; i_ < text_.size(); ++i_) {
      append(text_[i_]);
      if (text_[i_] == q) {
        if (i_ + 1 < text_.size() && text_[i_ + 1] == q) {
          append(q);
          ++i_;
          continue;
        }
        ++i_;
        return;
      }
    }
    fail(q == '\'' ? "unterminated string literal" : "unterminated quoted identifier", start);
  }

  void dollar_quoted() {
    const int start = line_;
    const std::size_t end = text_.find("$$", i_ + 2);
    if (end == std::string_view::npos) {
      fail("unterminated $$ string literal", start);
    }
    for (; i_ < end + 2; ++i_) {
      append(text_[i_]);
    }
  }

  void line_comment(bool markers_allowed) {
    const std::size_t end = std::min(text_.find('\n', i_), text_.size());
    const std::string_view body = trim(text_.substr(i_ + 2, end - i_ - 2));
    i_ = end;  // the newline itself is appended as text
    const bool up = iequals(body, "coodie:up");
    if (!markers_allowed || (!up && !iequals(body, "coodie:down"))) {
      return;
    }
    if (!trim(current_).empty()) {
      fail("section marker inside a statement (a ';' missing before it?)", line_);
    }
    if ((up && seen_up_) || (!up && seen_down_)) {
      fail(std::string("a second ") + (up ? "up" : "down") + " section marker", line_);
    }
    (up ? seen_up_ : seen_down_) = true;
    section_ = up ? section::up : section::down;
  }

  void block_comment() {
    const int start = line_;
    const std::size_t end = text_.find("*/", i_ + 2);
    if (end == std::string_view::npos) {
      fail("unterminated /* comment", start);
    }
    line_ += static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(i_),
                                         text_.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    i_ = end + 2;
    current_ += ' ';
  }

  void finish_statement() {
    const std::string_view st = trim(current_);
    if (!st.empty()) {
      std::vector<std::string>& into =
          section_ == section::up ? up_ : (section_ == section::down ? down_ : preamble_);
      if (into.empty() && section_ == section::none) {
        first_line_ = start_line_;
      }
      into.emplace_back(st);
    }
    current_.clear();
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t i_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  int first_line_ = 1;
  std::string current_;
  section section_ = section::none;
  bool seen_up_ = false;
  bool seen_down_ = false;
  std::vector<std::string> preamble_;
  std::vector<std::string> up_;
  std::vector<std::string> down_;
};

}  // namespace

script parse_script(std::string_view text, std::string_view source) {
  return splitter(text, source).run(true);
}

std::vector<std::string> split_statements(std::string_view text, std::string_view source) {
  return splitter(text, source).run(false).up;
}

bool is_destructive(std::string_view statement) {
  const std::vector<std::string> w = words(statement);
  if (w.empty()) {
    return false;
  }
  const std::string& first = w.front();
  if (first == "DROP" || first == "TRUNCATE" || first == "DELETE") {
    return true;
  }
  if (first == "ALTER") {
    return std::find(w.begin(), w.end(), "DROP") != w.end();
  }
  if (first == "BEGIN") {  // a batch deleting rows
    return std::find(w.begin(), w.end(), "DELETE") != w.end();
  }
  return false;
}

bool is_schema_change(std::string_view statement) {
  const std::vector<std::string> w = words(statement);
  return !w.empty() && (w.front() == "CREATE" || w.front() == "ALTER" || w.front() == "DROP");
}

std::string checksum(std::string_view text) {
  std::string normal;
  normal.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    }
    normal += text[i];
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(normal.data(), normal.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw error("SHA-256 is not available from OpenSSL");
  }
  static constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4U];
    out += hex[md[i] & 0xFU];
  }
  return out;
}

}  // namespace coodie::migrate

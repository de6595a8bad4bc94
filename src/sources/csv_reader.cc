#include "jumpsync/sources/csv_reader.h"

#include "jumpsync/core/errors.h"

namespace jumpsync {
namespace {

class CsvParser {
 public:
  CsvParser(const std::string& text, const std::string& context, const std::string& todo)
      : text_(text), context_(context), todo_(todo) {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  }

  std::vector<CsvRecord> records() {
    std::vector<CsvRecord> out;
    while (pos_ < text_.size()) {
      CsvRecord record{line_, read_record()};
      if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // empty line
      out.push_back(std::move(record));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { fail_at(what, line_, pos_ - line_start_ + 1); }
  [[noreturn]] void fail_at(const std::string& what, size_t line, size_t column) const {
    throw source_error(context_ + ": " + what + " at line " + std::to_string(line) + ", column " +
                       std::to_string(column) + "; " + todo_);
  }

  // Consumes a line break at pos_ (LF or CRLF); false when there is none.
  bool line_break() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    if (text_[pos_] != '\n' && text_[pos_] != '\r') return false;
    ++pos_;
    ++line_;
    line_start_ = pos_;
    return true;
  }

  std::string quoted_field() {
    std::string field;
    const size_t start_line = line_, start_column = pos_ - line_start_ + 1;
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= text_.size()) fail_at("unterminated quoted field", start_line, start_column);
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
          fail("unexpected character after a closing quote");
        }
        return field;
      }
      if (c == '\n') {
        field += c;
        ++pos_;
        ++line_;
        line_start_ = pos_;
        continue;
      }
      field += c;
      ++pos_;
    }
  }

  std::vector<std::string> read_record() {
    std::vector<std::string> fields;
    for (;;) {
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field = quoted_field();
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
          if (text_[pos_] == '"') fail("a quote inside an unquoted field (quote the whole field)");
          field += text_[pos_++];
        }
      }
      fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return fields;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      line_break();
      return fields;
    }
  }

  const std::string& text_;
  const std::string& context_;
  const std::string& todo_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::vector<CsvRecord> read_csv(const std::string& text, const std::string& context, const std::string& todo) {
  return CsvParser(text, context, todo).records();
}

}  // namespace jumpsync

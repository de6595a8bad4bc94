// A small RFC 4180 CSV reader: quoted fields may hold commas, doubled
// quotes and newlines; records end with LF or CRLF; a UTF-8 BOM is skipped;
// empty lines are skipped. Errors throw Error(source, "<context>: ... at
// line L, column C; <todo>").
#pragma once

#include <string>
#include <vector>

namespace jumpsync {

struct CsvRecord {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

std::vector<CsvRecord> read_csv(const std::string& text, const std::string& context, const std::string& todo);

}  // namespace jumpsync

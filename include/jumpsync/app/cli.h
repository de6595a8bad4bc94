// Command-line parsing for `jumpsync`: global options, then a command of
// one or two words, then its positional arguments and options. Unknown
// options and missing values are usage errors (exit 2) naming the command.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace jumpsync {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // --name VALUE (or --name=VALUE)
  std::set<std::string> flags;                // --name

  bool has(const std::string& name) const { return values.count(name) || flags.count(name); }
  std::optional<std::string> value(const std::string& name) const;
  std::string value_or(const std::string& name, const std::string& fallback) const;
  // Parses a non-negative integer option; usage error naming it otherwise.
  std::optional<int64_t> integer(const std::string& name) const;
};

struct OptionSpec {
  std::set<std::string> with_value;  // names without the leading "--"
  std::set<std::string> flags;
};

// Parses args (after the command words). `command` names the command in
// errors ("unknown option --x for `jumpsync team create`").
ParsedArgs parse_args(const std::vector<std::string>& args, const OptionSpec& spec,
                      const std::string& command);

}  // namespace jumpsync

#include "jumpsync/app/cli.h"

#include <charconv>

#include "jumpsync/core/errors.h"

namespace jumpsync {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string ParsedArgs::value_or(const std::string& name, const std::string& fallback) const {
  return value(name).value_or(fallback);
}

std::optional<int64_t> ParsedArgs::integer(const std::string& name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < 0)
    throw usage_error("--" + name + " needs a non-negative whole number, got '" + *v + "'");
  return out;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const OptionSpec& spec,
                      const std::string& command) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), inline_value;
    bool has_inline = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline = true;
    }
    if (spec.flags.count(name)) {
      if (has_inline) throw usage_error("--" + name + " takes no value (`jumpsync " + command + "`)");
      out.flags.insert(name);
    } else if (spec.with_value.count(name)) {
      if (has_inline) {
        out.values[name] = inline_value;
      } else if (i + 1 < args.size()) {
        out.values[name] = args[++i];
      } else {
        throw usage_error("--" + name + " needs a value (`jumpsync " + command + " --help`)");
      }
    } else {
      throw usage_error("unknown option --" + name + " for `jumpsync " + command +
                        "` (see `jumpsync " + command + " --help`)");
    }
  }
  return out;
}

}  // namespace jumpsync

// A secret string (IdP token, client secret, SCIM token). It has no stream
// operator and no implicit conversion, so it cannot reach a log or a
// message by accident: code that needs the value calls reveal().
#pragma once

#include <string>
#include <utility>

namespace jumpsync {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace jumpsync

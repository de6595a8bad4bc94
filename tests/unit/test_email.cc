#include <catch2/catch.hpp>

#include <string>

#include "jumpsync/core/email.h"

using jumpsync::normalize_email;

TEST_CASE("normalize_email accepts and canonicalises valid addresses", "[unit][email]") {
  struct Row { const char* raw; const char* want; };
  const Row rows[] = {
      {"Ann@Acme.Example", "ann@acme.example"},
      {"  ann@acme.example \t\n", "ann@acme.example"},
      {"ANN+Jump@ACME.example", "ann+jump@acme.example"},
      {"ann@bücher.example", "ann@xn--bcher-kva.example"},
      {"ann@BÜCHER.example", "ann@xn--bcher-kva.example"},
      {"ann@xn--bcher-kva.example", "ann@xn--bcher-kva.example"},
      {"o'neil.x-y_z@sub.acme.example", "o'neil.x-y_z@sub.acme.example"},
  };
  for (const Row& r : rows) {
    INFO(r.raw);
    auto n = normalize_email(r.raw);
    CHECK(n.ok);
    CHECK(n.error.empty());
    CHECK(n.email == r.want);
  }
}

TEST_CASE("normalize_email rejects invalid addresses with a reason", "[unit][email]") {
  struct Row { std::string raw; const char* reason_part; };
  const Row rows[] = {
      {"", "missing"},
      {"   ", "missing"},
      {"ann.acme.example", "no '@'"},
      {"ann@x@acme.example", "more than one '@'"},
      {"@acme.example", "empty local part"},
      {"ann@", "empty domain"},
      {"ann@localhost", "no dot"},
      {"ann@acme..example", "empty label"},
      {"ann@acme.example.", "empty label"},
      {"ann smith@acme.example", "space"},
      {"ann@acme\x01.example", "control"},
      {"ann@ac_me.example", "invalid character"},
      {std::string(65, 'a') + "@acme.example", "64"},
      {"ann@" + std::string(60, 'b') + "." + std::string(60, 'c') + "." + std::string(60, 'd') +
           "." + std::string(60, 'e') + ".example", "254"},
      {"ann@" + std::string(64, 'b') + ".example", "63"},
      {"ann@\xff\xfe.example", "international"},
  };
  for (const Row& r : rows) {
    INFO(r.raw);
    auto n = normalize_email(r.raw);
    CHECK_FALSE(n.ok);
    CHECK(n.email.empty());
    CHECK(n.error.find(r.reason_part) != std::string::npos);
  }
}

TEST_CASE("normalize_email survives very long input", "[unit][email]") {
  std::string huge(100000, 'x');
  auto n = normalize_email(huge + "@" + huge + ".example");
  CHECK_FALSE(n.ok);
  CHECK_FALSE(n.error.empty());
  CHECK(normalize_email(std::string(64, 'a') + "@acme.example").ok);
}

TEST_CASE("email_domain returns the part after '@'", "[unit][email]") {
  CHECK(jumpsync::email_domain("ann@acme.example") == "acme.example");
  CHECK(jumpsync::email_domain("no-at-sign").empty());
}

TEST_CASE("is_normalized_email agrees with normalize_email", "[unit][email]") {
  const std::string cases[] = {
      "ann@acme.example", "Ann@acme.example", "ann@Acme.example", " ann@acme.example", "ann@acme.example ",
      "ann@@acme.example", "@acme.example", "ann@", "ann", "", "ann@localhost", "ann@acme..example",
      "ann@.acme.example", "ann@acme.example.", "ann@bücher.example", "ann@xn--bcher-kva.example",
      "jürgen@acme.example", "o'neil.x-y_z@sub.acme.example", "ann+jump@acme.example", "a\tb@acme.example",
      "a\x7f@acme.example", "ann@acme_x.example", "ann@-acme.example", std::string(64, 'a') + "@a.example",
      std::string(65, 'a') + "@a.example", "a@" + std::string(63, 'b') + ".example",
      "a@" + std::string(64, 'b') + ".example", "a@" + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
      std::string(60, 'd') + "." + std::string(60, 'e') + ".ex", "a@b.c", "a@1.2", "ann@acme.example\n"};
  for (const std::string& raw : cases) {
    INFO(raw);
    auto n = jumpsync::normalize_email(raw);
    bool unchanged = n.ok && n.email == raw;
    CHECK(jumpsync::is_normalized_email(raw) == unchanged);
  }
}

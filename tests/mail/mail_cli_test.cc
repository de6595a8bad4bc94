// The real jumpsync binary: `mail send`, `mail status`, `user verify-token`.
#include <catch2/catch.hpp>

#include "e2e/cli.h"
#include "mail_fixture.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

Cli make_cli(const MailFixture& f, uint16_t port) {
  std::string tag = f.db.backend() + std::to_string(getpid()) + "_" + std::to_string(port);
  Cli cli(f.db.url(), std::filesystem::temp_directory_path() / ("jumpsync_mail_cli_" + tag));
  cli.set_env("JUMPSYNC_SMTP_HOST", "127.0.0.1");
  cli.set_env("JUMPSYNC_SMTP_PORT", std::to_string(port));
  cli.set_env("JUMPSYNC_SMTP_FROM", "jumpsync@jump.example");
  cli.set_env("JUMPSYNC_PUBLIC_URL", "https://jump.example");
  return cli;
}

}  // namespace

TEST_CASE("cli: mail send delivers, the link's token verifies the account once", "[mail][cli][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example"});
  Cli cli = make_cli(f, f.server.port());
  cli.set_env("JUMPSYNC_SMTP_USER", "mailer");
  cli.set_env("JUMPSYNC_SMTP_PASSWORD", "cli-pa55word-secret");
  auto r = cli.run({"mail", "send", "--limit", "10"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("1 sent") != std::string::npos);
  auto got = f.server.received();
  REQUIRE(got.size() == 1);
  CHECK(got[0].auth_password == "cli-pa55word-secret");
  std::string token = token_in(got[0]);
  REQUIRE_FALSE(token.empty());
  CHECK((r.out + r.err).find(token) == std::string::npos);
  CHECK((r.out + r.err).find("cli-pa55word-secret") == std::string::npos);

  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  auto bad = cli.run({"user", "verify-token", tampered});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("invalid or has expired") != std::string::npos);
  CHECK_FALSE(f.store->find_account("ana@acme.example")->state.verified);

  auto ok = cli.run({"user", "verify-token", token});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(f.store->find_account("ana@acme.example")->state.verified);
  CHECK(cli.run({"user", "verify-token", token}).out.find("already verified") != std::string::npos);

  auto status = cli.run({"mail", "status", "--format", "json"});
  CHECK(status.exit_code == 0);
  CHECK(status.out.find("\"status\":\"sent\"") != std::string::npos);
  CHECK(status.out.find("\"attempts\":1") != std::string::npos);
}

TEST_CASE("cli: 550 parks the message and mail status shows the error", "[mail][cli][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ghost@acme.example", "ana@acme.example"});
  f.server.set_fault(SmtpFault::rcpt_550);
  Cli cli = make_cli(f, f.server.port());
  auto r = cli.run({"mail", "send"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);  // every message was dealt with
  CHECK(r.out.find("2 parked") != std::string::npos);
  auto text = cli.run({"mail", "status"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("0 pending, 0 sent, 2 parked") != std::string::npos);
  CHECK(text.out.find("ghost@acme.example") != std::string::npos);
  CHECK(text.out.find("550") != std::string::npos);
  auto json = cli.run({"mail", "status", "--format", "json", "--status", "parked"});
  CHECK(json.out.find("\"status\":\"parked\"") != std::string::npos);
  CHECK(json.out.find("550 5.1.1") != std::string::npos);
}

TEST_CASE("cli: an unreachable SMTP server exits 4 naming host:port and marks nothing", "[mail][cli][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example"});
  uint16_t port = closed_port();
  Cli cli = make_cli(f, port);
  auto r = cli.run({"mail", "send"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  CHECK(r.err.find("smtp.host") != std::string::npos);
  auto p = f.mail("pending");
  REQUIRE(p.size() == 1);
  CHECK(p[0].attempts == 0);
}

TEST_CASE("cli: bad smtp settings are usage errors", "[mail][cli]") {
  MailFixture f("sqlite", {});
  Cli cli = make_cli(f, f.server.port());
  cli.set_env("JUMPSYNC_SMTP_PORT", "smtp");
  CHECK(cli.run({"mail", "send"}).exit_code == 2);
  cli.set_env("JUMPSYNC_SMTP_PORT", std::to_string(f.server.port()));
  cli.set_env("JUMPSYNC_SMTP_USER", "mailer");  // no password anywhere
  auto r = cli.run({"mail", "send"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("JUMPSYNC_SMTP_PASSWORD") != std::string::npos);
}

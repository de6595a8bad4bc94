// Delivery from the outbox through real SMTP to the test server, on SQLite
// and PostgreSQL: acceptance before 'sent', backoff and retry after a
// dropped connection, parking on 5xx and after 8 attempts, no secrets in logs.
#include <catch2/catch.hpp>

#include "mail_fixture.h"

using namespace jumpsync;
using namespace jumpsync::testing;

TEST_CASE("delivered verification mail has the recipient, subject and a link that verifies", "[mail][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example", "bo@other.example"});
  REQUIRE(f.mail("pending").size() == 2);

  auto sum = f.send(1000);
  CHECK(sum.sent == 2);
  CHECK_FALSE(sum.unreachable);
  auto got = f.server.received();
  REQUIRE(got.size() == 2);
  CHECK(f.mail("sent").size() == 2);
  CHECK(f.mail("pending").empty());
  CHECK(f.server.connections() == 1);  // one session for the batch

  for (const auto& m : got) {
    REQUIRE(m.rcpt.size() == 1);
    auto account = f.store->find_account(m.rcpt[0]);
    REQUIRE(account);
    CHECK(m.from == "<jumpsync@jump.example>");
    CHECK(m.header("To") == m.rcpt[0]);
    CHECK(m.header("From") == "jumpsync@jump.example");
    CHECK(m.header("Subject") == "Verify your email address for Jump");
    CHECK(m.body().find("https://jump.example/verify?token=") != std::string::npos);
    std::string token = token_in(m);
    LinkClaims claims;
    REQUIRE(verify_link_token(f.opts.signing_key, token, 1000, claims));
    CHECK(claims.account_id == account->id);
    CHECK(claims.email == m.rcpt[0]);
    CHECK(claims.expires_at == 1000 + 7 * 24 * 3600);
    CHECK(verify_link_token(f.opts.signing_key, token, 1000 + 7 * 24 * 3600 - 1, claims));
    CHECK_FALSE(verify_link_token(f.opts.signing_key, token, 1000 + 7 * 24 * 3600, claims));  // expired
    std::string tampered = token;
    tampered[0] = tampered[0] == '9' ? '8' : '9';
    CHECK_FALSE(verify_link_token(f.opts.signing_key, tampered, 1000, claims));
  }
  CHECK(got[0].rcpt[0] == "ana@acme.example");
  CHECK(got[1].rcpt[0] == "bo@other.example");

  // Nothing is due any more.
  CHECK(f.send(5000).sent == 0);
  CHECK(f.server.received().size() == 2);
}

TEST_CASE("a connection dropped mid-DATA leaves the mail pending, retried after backoff and sent once",
          "[mail][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example"});
  f.server.set_fault(SmtpFault::drop_mid_data);
  auto first = f.send(1000);
  CHECK(first.sent == 0);
  CHECK(first.rescheduled == 1);
  CHECK_FALSE(first.unreachable);
  CHECK(f.server.received().empty());
  auto pending = f.mail("pending");
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].attempts == 1);
  CHECK_FALSE(pending[0].last_error.empty());
  CHECK(f.mail("sent").empty());

  f.server.set_fault(SmtpFault::none);
  // Within the first backoff (60 s): not due yet, nothing sent.
  CHECK(f.send(1059).sent == 0);
  CHECK(f.server.received().empty());
  // After it: delivered, exactly once.
  auto second = f.send(1060);
  CHECK(second.sent == 1);
  CHECK(f.server.received().size() == 1);
  auto sent = f.mail("sent");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].attempts == 2);
  CHECK(sent[0].last_error.empty());
  CHECK(f.send(100000).sent == 0);
  CHECK(f.server.received().size() == 1);
}

TEST_CASE("550 to RCPT parks the message at once with the server's reply", "[mail][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ghost@acme.example"});
  f.server.set_fault(SmtpFault::rcpt_550);
  auto sum = f.send(1000);
  CHECK(sum.parked == 1);
  auto parked = f.mail("parked");
  REQUIRE(parked.size() == 1);
  CHECK(parked[0].attempts == 1);
  CHECK(parked[0].last_error.find("550") != std::string::npos);
  CHECK(parked[0].last_error.find("RCPT TO") != std::string::npos);
  f.server.set_fault(SmtpFault::none);
  CHECK(f.send(1000000).sent == 0);  // parked mail is not retried
}

TEST_CASE("451 to DATA reschedules, eight failures park, one failing message does not stop the others",
          "[mail][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example"});
  f.server.set_fault(SmtpFault::data_451);
  int64_t now = 1000;
  for (int attempt = 1; attempt <= 7; ++attempt) {
    auto sum = f.send(now);
    REQUIRE(sum.rescheduled == 1);
    auto p = f.mail("pending");
    REQUIRE(p.size() == 1);
    CHECK(p[0].attempts == attempt);
    CHECK(p[0].last_error.find("451") != std::string::npos);
    CHECK(f.send(now + mail_backoff_s(attempt - 1) - 1).rescheduled == 0);  // not due before its backoff
    now += mail_backoff_s(attempt - 1);
  }
  auto last = f.send(now);
  CHECK(last.parked == 1);
  REQUIRE(f.mail("parked").size() == 1);
  CHECK(f.mail("parked")[0].attempts == 8);

  // A second batch: the first recipient is refused, the second still goes out.
  MailFixture g(backend, {"a@acme.example", "b@acme.example"});
  struct FlakyFirst : MailTransport {
    std::unique_ptr<MailTransport> real;
    int calls = 0;
    void send(const MailMessage& m) override {
      if (calls++ == 0) throw MailError(MailFailure::transient, "421 try again");
      real->send(m);
    }
  } flaky;
  flaky.real = make_smtp_transport(g.smtp);
  auto sum = send_due_mail(*g.store, flaky, g.opts, 1000, 100);
  CHECK(sum.rescheduled == 1);
  CHECK(sum.sent == 1);
  REQUIRE(g.server.received().size() == 1);
  CHECK(g.server.received()[0].rcpt[0] == "b@acme.example");
}

TEST_CASE("an unreachable server leaves every message pending with no attempt counted", "[mail][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example", "bo@acme.example"});
  f.smtp.port = closed_port();
  auto sum = f.send(1000);
  CHECK(sum.unreachable);
  CHECK(sum.untouched == 2);
  CHECK(sum.unreachable_error.find("127.0.0.1:" + std::to_string(f.smtp.port)) != std::string::npos);
  auto p = f.mail("pending");
  REQUIRE(p.size() == 2);
  CHECK(p[0].attempts == 0);
}

TEST_CASE("the SMTP password and link tokens never reach the logs", "[mail][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  MailFixture f(backend, {"ana@acme.example", "bo@acme.example", "cy@acme.example"});
  f.smtp.user = "mailer";
  f.smtp.password = Secret("pa55-W0rd-never-logged");
  LogCapture logs;
  f.server.set_fault(SmtpFault::drop_mid_data);
  f.send(1000);  // all three fail and are logged with their errors
  f.server.set_fault(SmtpFault::none);
  f.send(2000);
  auto got = f.server.received();
  REQUIRE(got.size() == 3);
  CHECK(got[0].auth_user == "mailer");
  CHECK(got[0].auth_password == "pa55-W0rd-never-logged");
  std::string text = logs.text();
  CHECK(text.find("sent") != std::string::npos);
  CHECK(text.find("retry in") != std::string::npos);
  CHECK(text.find("pa55-W0rd-never-logged") == std::string::npos);
  CHECK(text.find("cGE1NS1XMHJkLW5ldmVyLWxvZ2dlZA") == std::string::npos);  // base64 of it
  for (const auto& m : got) {
    std::string token = token_in(m);
    REQUIRE(token.size() > 20);
    CHECK(text.find(token) == std::string::npos);
    CHECK(text.find(token.substr(token.rfind('.') + 1)) == std::string::npos);  // not even the signature
  }
  for (const auto& m : f.mail(""))
    CHECK(m.last_error.find("pa55") == std::string::npos);
}

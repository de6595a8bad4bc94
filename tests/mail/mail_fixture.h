// Shared set-up of the mail tests: a real store (SQLite or PostgreSQL) with
// a team and verification-email outbox rows written by apply_plan, the
// mail-signing key derived like the jumpsync binary derives it, and SMTP
// settings pointing at the test server.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_db.h"
#include "jumpsync/app/config.h"
#include "jumpsync/app/secret_box.h"
#include "jumpsync/mail/link_token.h"
#include "jumpsync/mail/outbox_sender.h"
#include "jumpsync/mail/transport.h"
#include "jumpsync/store/store.h"
#include "smtp_test_server.h"

namespace jumpsync::testing {

inline const char* kTestSecretKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

inline std::string test_signing_key() {
  AppConfig cfg;
  cfg.secret_key_hex = Secret(kTestSecretKeyHex);
  SecretBox box(cfg);
  return box.derive_key(kMailLinkKeyPurpose, false);
}

inline Action create_action(const std::string& email, int64_t team) {
  Action a;
  a.kind = ActionKind::create;
  a.email = email;
  a.external_id = "id-" + email;
  AccountState s;
  s.email = email;
  s.verified = false;
  s.managed_by = team;
  s.external_id = a.external_id;
  s.link_epoch = 1;
  s.team_member = true;
  a.after = s;
  a.verification_email = true;
  a.reason = "new in the IdP";
  return a;
}

struct MailFixture {
  explicit MailFixture(const std::string& backend, const std::vector<std::string>& emails)
      : db(backend), store(open_store(db.url())) {
    store->migrate();
    team = store->create_team({"acme", true, true, false}, 1);
    store->set_scim_enabled(team.id, true, 1, "sha256:x", "test", 1);
    Plan plan;
    plan.team = "acme";
    plan.team_id = team.id;
    for (const auto& e : emails) plan.actions.push_back(create_action(e, team.id));
    int64_t run = store->start_run(team.id, RunTrigger::manual, RunMode::apply, "test", "w", 5);
    store->apply_plan(run, plan, "{}", "{}", 6);
    smtp.host = "127.0.0.1";
    smtp.port = server.port();
    smtp.from = "jumpsync@jump.example";
    smtp.helo_name = "client.test";
    smtp.io_timeout_s = 5;
    opts.from = smtp.from;
    opts.public_url = "https://jump.example/";
    opts.signing_key = test_signing_key();
  }

  MailSendSummary send(int64_t now, int64_t limit = 100) {
    auto transport = make_smtp_transport(smtp);
    return send_due_mail(*store, *transport, opts, now, limit);
  }
  std::vector<OutboxMessage> mail(const std::string& status) { return store->list_mail(status); }

  TestDb db;
  std::unique_ptr<Store> store;
  TeamRecord team;
  SmtpTestServer server;
  SmtpSettings smtp;
  VerificationMailOptions opts;
};

// The token in a received message's link ("" if none).
inline std::string token_in(const ReceivedMail& m) {
  std::string body = m.body();
  auto p = body.find("/verify?token=");
  if (p == std::string::npos) return "";
  p += 14;
  auto e = body.find_first_of(" \r\n", p);
  return body.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

// Captures spdlog output while alive.
struct LogCapture {
  LogCapture() {
    previous = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous); }
  std::string text() const { return out.str(); }
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> previous;
};

}  // namespace jumpsync::testing

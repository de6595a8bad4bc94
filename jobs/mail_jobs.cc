// mail send, mail status, user verify-token: verification email delivery.
#include <iostream>
#include <sstream>

#include "commands.h"
#include "jumpsync/app/secret_box.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"
#include "jumpsync/mail/link_token.h"
#include "jumpsync/mail/outbox_sender.h"

namespace jumpsync {
namespace {

// The mail-signing key: HMAC(secret key, "mail-link-v1").
std::string mail_signing_key(const AppContext& ctx, bool create) {
  SecretBox box(ctx.config());
  return box.derive_key(kMailLinkKeyPurpose, create);
}

int mail_send(AppContext& ctx, const ParsedArgs& a) {
  int64_t limit = a.integer("limit").value_or(100);
  if (limit == 0) throw usage_error("--limit must be at least 1");
  SmtpSettings smtp = load_smtp_settings(ctx.config().raw);
  VerificationMailOptions opts{smtp.from, ctx.config().public_url, mail_signing_key(ctx, true)};
  auto transport = make_smtp_transport(smtp);
  MailSendSummary sum = send_due_mail(ctx.store(), *transport, opts, ctx.now(), limit);
  std::cout << "mail: " << sum.sent << " sent, " << sum.rescheduled << " rescheduled, " << sum.parked << " parked";
  if (sum.unreachable) std::cout << ", " << sum.untouched << " left pending (server unreachable)";
  std::cout << "\n";
  if (sum.unreachable)
    throw Error(ErrorKind::source, sum.unreachable_error + ". Check smtp.host and smtp.port (JUMPSYNC_SMTP_HOST, " +
                                       "JUMPSYNC_SMTP_PORT; now " + smtp_endpoint(smtp) +
                                       "), that the mail server is running and reachable from this host, and " +
                                       "smtp.starttls / smtp.user. Nothing was marked; the next `mail send` retries.");
  return 0;
}

int mail_status(AppContext& ctx, const ParsedArgs& a) {
  std::string format = format_option(a, {"text", "json"});
  std::string status = a.value_or("status", "");
  if (!status.empty() && status != "pending" && status != "sent" && status != "parked")
    throw usage_error("--status must be pending, sent or parked");
  auto all = ctx.store().list_mail(status);
  std::ostringstream out;
  if (format == "json") {
    out << "[";
    for (size_t i = 0; i < all.size(); ++i) {
      const auto& m = all[i];
      out << (i ? "," : "") << "{\"id\":" << m.id << ",\"team\":" << json_quote(m.team)
          << ",\"account_id\":" << m.account_id << ",\"email\":" << json_quote(m.email)
          << ",\"status\":" << json_quote(m.status) << ",\"attempts\":" << m.attempts
          << ",\"last_error\":" << (m.last_error.empty() ? "null" : json_quote(m.last_error))
          << ",\"created_at\":" << m.created_at << "}";
    }
    out << "]\n";
  } else {
    int64_t pending = 0, sent = 0, parked = 0;
    for (const auto& m : all) {
      if (m.status == "pending") ++pending;
      else if (m.status == "sent") ++sent;
      else if (m.status == "parked") ++parked;
    }
    out << "mail outbox: " << pending << " pending, " << sent << " sent, " << parked << " parked\n";
    for (const auto& m : all) {
      out << "  #" << m.id << " " << m.status << " " << m.email << " (team " << m.team << ") attempts "
          << m.attempts;
      if (!m.last_error.empty()) out << " last error: " << m.last_error;
      out << "\n";
    }
  }
  std::cout << out.str();
  return 0;
}

int user_verify_token(AppContext& ctx, const ParsedArgs& a) {
  LinkClaims claims;
  if (!verify_link_token(mail_signing_key(ctx, false), a.positional[0], ctx.now(), claims))
    throw usage_error("the verification link is invalid or has expired (links are valid for 7 days)");
  auto rec = ctx.store().find_account(claims.email);
  if (!rec || rec->id != claims.account_id)
    throw usage_error("the verification link is for an account that no longer exists");
  if (rec->state.verified) {
    std::cout << "account " << claims.email << " is already verified\n";
    return 0;
  }
  ctx.store().mark_verified(rec->id, "verify-link", ctx.now());
  std::cout << "account " << claims.email << " is verified\n";
  return 0;
}

}  // namespace

std::vector<Command> mail_commands() {
  return {
      {"mail send", "mail send [--limit N]",
       "Sends due verification emails over SMTP (smtp.host, smtp.port, smtp.starttls, smtp.user, "
       "smtp.password_file, smtp.from; env JUMPSYNC_SMTP_*). A message is marked sent only after the server "
       "accepted it; failures are retried with backoff (1 min doubling, at most 6 h) and parked after 8 "
       "attempts or a permanent 5xx reply. Exit 0 when every due message went out or was rescheduled, "
       "4 when the SMTP server could not be reached.",
       {{"limit"}, {}}, 0, 0, mail_send},
      {"mail status", "mail status [--status pending|sent|parked] [--format text|json]",
       "Lists the verification-email outbox: status, attempts and last error of each message.",
       {{"format", "status"}, {}}, 0, 0, mail_status},
      {"user verify-token", "user verify-token TOKEN",
       "Checks a verification link's token (signature and 7-day expiry) and marks its account verified "
       "(what the web endpoint /verify does). Exit 2 for an invalid or expired token.",
       {}, 1, 1, user_verify_token},
  };
}

}  // namespace jumpsync

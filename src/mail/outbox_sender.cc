#include "jumpsync/mail/outbox_sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "jumpsync/mail/link_token.h"

namespace jumpsync {

int64_t mail_backoff_s(int64_t attempts) {
  constexpr int64_t kBase = 60, kCap = 6 * 3600;
  if (attempts < 0) attempts = 0;
  if (attempts >= 9) return kCap;  // 60 * 2^9 > 6 h already
  return std::min<int64_t>(kBase << attempts, kCap);
}

MailMessage build_verification_mail(const OutboxMessage& m, const VerificationMailOptions& opts, int64_t now) {
  std::string token = make_link_token(opts.signing_key, m.account_id, m.email, now + kLinkTokenLifetime);
  std::string link = verification_link(opts.public_url, token);
  MailMessage msg;
  msg.from = opts.from;
  msg.to = m.email;
  msg.subject = "Verify your email address for Jump";
  msg.body =
      "Hello,\n\n"
      "Your organisation (team " + m.team + ") has given you a Jump account for " + m.email + ".\n"
      "Please confirm that this address is yours by opening this link:\n\n" +
      link +
      "\n\n"
      "The link is valid for 7 days. If you did not expect this email, you can ignore it.\n\n"
      "-- Jump\n";
  return msg;
}

MailSendSummary send_due_mail(Store& store, MailTransport& transport, const VerificationMailOptions& opts,
                              int64_t now, int64_t limit) {
  MailSendSummary sum;
  auto due = store.due_mail(now, limit);
  for (size_t i = 0; i < due.size(); ++i) {
    const OutboxMessage& m = due[i];
    try {
      transport.send(build_verification_mail(m, opts, now));
    } catch (const MailError& e) {
      if (e.kind() == MailFailure::unreachable) {
        // Nothing was tried for this message or the rest: count no attempt.
        sum.unreachable = true;
        sum.unreachable_error = e.what();
        sum.untouched = static_cast<int64_t>(due.size() - i);
        spdlog::error("mail: {} ({} message(s) left pending)", e.what(), sum.untouched);
        return sum;
      }
      int64_t attempt = m.attempts + 1;
      bool park = e.kind() == MailFailure::permanent || attempt >= kMaxMailAttempts;
      int64_t next = park ? now : now + mail_backoff_s(m.attempts);
      store.mark_mail_failed(m.id, e.what(), next, park);
      if (park) {
        ++sum.parked;
        spdlog::warn("mail: message {} to {} parked after attempt {}: {}", m.id, m.email, attempt, e.what());
      } else {
        ++sum.rescheduled;
        spdlog::warn("mail: message {} to {} failed (attempt {}), retry in {} s: {}", m.id, m.email, attempt,
                     next - now, e.what());
      }
      continue;
    }
    // Accepted by the server ("250" after DATA): only now is it sent. If
    // this write fails the message stays pending and goes out again.
    store.mark_mail_sent(m.id, now);
    ++sum.sent;
    spdlog::info("mail: message {} to {} sent (team {})", m.id, m.email, m.team);
  }
  return sum;
}

}  // namespace jumpsync

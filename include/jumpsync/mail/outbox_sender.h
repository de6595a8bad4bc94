// Delivers due verification emails from the store's outbox.
//
// For each due message: build it (with a fresh signed link), send it, and
// only after the server accepted it mark it sent. A failure reschedules the
// message with exponential backoff (1 min * 2^attempts, at most 6 h) or
// parks it after kMaxMailAttempts or on a permanent (5xx) reply. Delivery is
// at least once: a crash between acceptance and mark_mail_sent resends.
// If the server cannot be reached at all, the remaining messages are left
// untouched (no attempt is counted) and the summary says unreachable.
#pragma once

#include <cstdint>
#include <string>

#include "jumpsync/mail/transport.h"
#include "jumpsync/store/store.h"

namespace jumpsync {

constexpr int64_t kMaxMailAttempts = 8;

// Seconds to wait after the attempt numbered `attempts` (0-based) failed.
int64_t mail_backoff_s(int64_t attempts);

struct VerificationMailOptions {
  std::string from;
  std::string public_url;
  std::string signing_key;  // the derived mail-signing key (bytes)
};

MailMessage build_verification_mail(const OutboxMessage& m, const VerificationMailOptions& opts, int64_t now);

struct MailSendSummary {
  int64_t sent = 0, rescheduled = 0, parked = 0, untouched = 0;
  bool unreachable = false;
  std::string unreachable_error;
};

MailSendSummary send_due_mail(Store& store, MailTransport& transport, const VerificationMailOptions& opts,
                              int64_t now, int64_t limit);

}  // namespace jumpsync

#include "html_sample.h"

namespace jumpsync::html_testing {
namespace {

Action action(ActionKind kind, std::string email, std::string id, std::string given, std::string family,
              std::string reason, bool verification = false) {
  Action a;
  a.kind = kind;
  a.email = std::move(email);
  a.external_id = std::move(id);
  a.given_name = std::move(given);
  a.family_name = std::move(family);
  a.reason = std::move(reason);
  a.verification_email = verification;
  return a;
}

}  // namespace

Plan hostile_plan() {
  Plan p;
  p.team = "acme";
  p.team_id = 7;
  p.scim_epoch = 2;
  p.fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  p.blocked = true;
  p.block_reason = "2 deactivations exceed 20% of the team's 5 managed active accounts";
  using K = ActionKind;
  p.actions = {
      action(K::create, "ann@acme.example", "u1", "<script>alert(1)</script>", "Lee", "new in the IdP"),
      action(K::create, "ben@acme.example", "u2",
             "<img src=x onerror=\"document.title='pwned';document.body.setAttribute('data-pwned','img')\">", "Hill",
             "new in the IdP"),
      action(K::deactivate, "cora@acme.example", "u3", "Cora", "O'Neil & Sons", "no longer assigned in the IdP"),
      action(K::deactivate, "dan@acme.example", "u4", "Dan", "Ray",
             "inactive in the IdP <script>document.body.setAttribute('data-pwned','script')</script>"),
      action(K::conflict, "\"><svg onload=document.title='pwned'>@acme.example", "u5", "Eve", "Bad",
             "invalid email"),
      action(K::update, "finn@acme.example", "u6", "Finn", "Newname", "name changes from Finn Oldname"),
      action(K::adopt_pending, "gus@partner.example", "u7", "Gus", "Pend",
             "unverified account outside a verified domain", true),
      action(K::noop, "hal@acme.example", "u8", "Hal", "Hand", "in step"),
      action(K::noop, "ivy@acme.example", "u9", "Ivy", "Ng", "in step"),
      action(K::noop, "jo@acme.example", "u10", "Jo", "Ko", "in step"),
  };
  p.unmanaged = {{42, "kim@acme.example", "team member invited by hand, not managed by SCIM"}};
  return p;
}

}  // namespace jumpsync::html_testing

// Signed, expiring verification-link tokens; the backoff schedule.
#include <catch2/catch.hpp>

#include "jumpsync/mail/link_token.h"
#include "jumpsync/mail/outbox_sender.h"
#include "mail_fixture.h"

using namespace jumpsync;
using namespace jumpsync::testing;

TEST_CASE("a link token verifies with its key until it expires", "[mail][token]") {
  std::string key = test_signing_key();
  std::string token = make_link_token(key, 42, "ana@acme.example", 1000);
  LinkClaims c;
  REQUIRE(verify_link_token(key, token, 999, c));
  CHECK(c.account_id == 42);
  CHECK(c.email == "ana@acme.example");
  CHECK(c.expires_at == 1000);
  CHECK_FALSE(verify_link_token(key, token, 1000, c));  // expired
  CHECK_FALSE(verify_link_token(key, token, 5000, c));
  CHECK_FALSE(verify_link_token(std::string(32, 'x'), token, 999, c));  // other key
  CHECK(token.find("ana@") == std::string::npos);  // the URL carries no raw address
}

TEST_CASE("tampered or malformed link tokens are refused", "[mail][token]") {
  std::string key = test_signing_key();
  std::string token = make_link_token(key, 42, "ana@acme.example", 1000);
  LinkClaims c;
  // Another account id, another email, a later expiry, a flipped signature byte.
  std::string other_id = "43" + token.substr(token.find('.'));
  CHECK_FALSE(verify_link_token(key, other_id, 0, c));
  auto parts = [](const std::string& t) {
    std::vector<std::string> out;
    size_t start = 0, dot;
    while ((dot = t.find('.', start)) != std::string::npos) {
      out.push_back(t.substr(start, dot - start));
      start = dot + 1;
    }
    out.push_back(t.substr(start));
    return out;
  };
  auto mine = parts(token), forged = parts(make_link_token(key, 42, "eve@evil.example", 1000));
  REQUIRE(mine.size() == 4);
  std::string mixed = mine[0] + "." + forged[1] + "." + mine[2] + "." + mine[3];
  CHECK_FALSE(verify_link_token(key, mixed, 0, c));
  std::string later = token;
  later.replace(later.find(".1000."), 6, ".9000.");
  CHECK_FALSE(verify_link_token(key, later, 0, c));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(verify_link_token(key, flipped, 0, c));
  // Every other spelling of the last signature character is refused, even
  // the ones that decode to the same bytes (base64url's spare low bits).
  for (char ch : std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) {
    if (ch == token.back()) continue;
    std::string t = token;
    t.back() = ch;
    CHECK_FALSE(verify_link_token(key, t, 0, c));
  }
  for (std::string bad : {"", "a.b.c", "1.2.3.4.5", "x.YQ.1000.AAAA", "1..1000.", "1.YQ.-5.AAAA"})
    CHECK_FALSE(verify_link_token(key, bad, 0, c));
}

TEST_CASE("the link is public_url/verify?token=", "[mail][token]") {
  CHECK(verification_link("https://jump.example/", "T") == "https://jump.example/verify?token=T");
  CHECK(verification_link("https://jump.example", "T") == "https://jump.example/verify?token=T");
}

TEST_CASE("mail backoff doubles from one minute and stops at six hours", "[mail]") {
  CHECK(mail_backoff_s(0) == 60);
  CHECK(mail_backoff_s(1) == 120);
  CHECK(mail_backoff_s(5) == 60 * 32);
  CHECK(mail_backoff_s(8) == 60 * 256);
  CHECK(mail_backoff_s(9) == 6 * 3600);
  CHECK(mail_backoff_s(100) == 6 * 3600);
}

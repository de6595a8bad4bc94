// Email normalisation: the single definition of "the same email" used for
// matching IdP users to Jump accounts (SPEC §3).
//
// normalize_email():
//   - trims ASCII whitespace at both ends;
//   - lower-cases ASCII letters in the local part and the domain (non-ASCII
//     bytes of the local part pass through unchanged);
//   - converts a non-ASCII (IDN) domain to ASCII punycode with libidn2
//     (IDNA2008 first, UTS#46 non-transitional processing as fallback);
//   - keeps plus-addressing ("ann+jump@x.example" is its own address);
//   - rejects, with a reason an administrator can act on: empty input,
//     missing '@', more than one '@', empty local part, empty domain, a
//     domain without a dot (intranet names such as "ann@localhost" are not
//     accepted: provisioned users need internet addresses), empty or
//     over-long domain labels, characters other than letters, digits and
//     '-' in an ASCII domain, spaces or control characters inside, a local
//     part over 64 bytes, a whole address over 254 bytes, an invalid IDN.
// Pure, thread-safe, no allocation beyond the result.
#pragma once

#include <string>
#include <string_view>

namespace jumpsync {

struct NormalizedEmail {
  bool ok = false;
  std::string email;  // normalised address when ok, else ""
  std::string error;  // why it was rejected when !ok, else ""
};

NormalizedEmail normalize_email(std::string_view raw);

// True only when normalize_email(s) is ok and returns s unchanged: a check
// without allocation, for callers normalising many addresses that are
// usually already normalised. (False may still normalise fine.)
bool is_normalized_email(std::string_view s);

// The domain part of a normalised email ("" when there is no '@').
std::string email_domain(const std::string& normalized);

}  // namespace jumpsync

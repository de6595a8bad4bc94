// IdP faults end to end: the jumpsync binary pulls from the mock IdP over
// real HTTP(S) on 127.0.0.1. A failed pull exits 4 and leaves the user
// tables byte for byte as they were (checked on PostgreSQL); recoverable
// faults recover; the token never shows in any output.
#include <catch2/catch.hpp>

#include "e2e/e2e_support.h"
#include "mock_idp.h"
#include "test_support.h"

using namespace jumpsync::testing;

namespace {

const std::string kToken = "tok-E2E-s3cr3t-7f9a";

struct Setup {
  explicit Setup(const std::string& backend)
      : db(backend),
        cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_src_" + std::to_string(getpid()) + backend)) {
    cli.set_env("JUMPSYNC_HTTP_RETRY_BUDGET_MS", "3000");
    cli.set_env("JUMPSYNC_HTTP_MAX_ATTEMPTS", "3");
    token_file = (cli.dir() / "token").string();
    write_file(token_file, kToken + "\n");
    record(cli.ok({"db", "migrate"}));
    record(cli.ok({"team", "create", "acme", "--sso", "--enterprise"}));
    record(cli.ok({"team", "enable-scim", "acme"}));
  }
  MockIdpOptions options(int users = 1200) const {
    MockIdpOptions o;
    o.users = users;
    o.token = kToken;
    o.page_size_max = 100;
    return o;
  }
  void point_at(const std::string& provider, const MockIdp& idp, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"team", "set-source", "acme", "--provider", provider, "--token-file", token_file,
                                  "--page-size", "100"};
    if (provider == "scim") args.insert(args.end(), {"--url", idp.scim_url()});
    if (provider == "okta") args.insert(args.end(), {"--url", idp.base_url(), "--app-id", "app1"});
    args.insert(args.end(), extra.begin(), extra.end());
    record(cli.ok(args));
  }
  CliResult run(const std::vector<std::string>& args) { return record(cli.run(args)); }
  CliResult record(CliResult r) {
    seen += r.out + r.err;
    return r;
  }
  TestDb db;
  Cli cli;
  std::string token_file, seen;
};

}  // namespace

TEST_CASE("source faults: exit 4, user tables unchanged; recoverable faults recover", "[e2e][pg][sources]") {
  Setup s("postgresql");
  MockIdp good(s.options());
  good.start();
  s.point_at("scim", good);
  s.record(s.cli.ok({"apply", "--team", "acme"}));
  REQUIRE(show_user(s.cli, "user1@example.com"));
  const std::string baseline = dump_user_tables(s.db);

  struct Fault {
    const char* name;
    void (*set)(MockIdpOptions&);
    int exit_code;
  };
  const Fault faults[] = {
      {"500 on page 3", [](MockIdpOptions& o) { o.fail_page = 3; }, 4},
      {"truncated JSON", [](MockIdpOptions& o) { o.truncate_page = 2; }, 4},
      {"HTML page with status 200", [](MockIdpOptions& o) { o.html_page = 2; }, 4},
      {"totalResults changes mid-pull", [](MockIdpOptions& o) { o.drift_page = 2; }, 4},
      {"next page repeats", [](MockIdpOptions& o) { o.repeat_next = true; }, 4},
      {"wrong token", [](MockIdpOptions& o) { o.token = "another-token"; }, 4},
      {"429 with Retry-After", [](MockIdpOptions& o) { o.rate_limit_page = 2; }, 0},
      {"one 503", [](MockIdpOptions& o) { o.fail_once_503 = 2; }, 0},
  };
  for (const auto& f : faults) {
    MockIdpOptions o = s.options();
    f.set(o);
    MockIdp faulty(o);
    faulty.start();
    s.point_at("scim", faulty);
    auto r = s.run({"apply", "--team", "acme"});
    INFO(f.name << "\n" << r.err);
    CHECK(r.exit_code == f.exit_code);
    if (f.exit_code == 4) CHECK(r.err.find("team 'acme'") != std::string::npos);
    CHECK(dump_user_tables(s.db) == baseline);  // recovered pulls find nothing to change either
  }
  auto runs = s.run({"runs", "--team", "acme", "--limit", "20"});
  CHECK(runs.out.find("source-failed") != std::string::npos);
  CHECK(s.seen.find(kToken) == std::string::npos);
}

TEST_CASE("okta and entra faults through the CLI", "[e2e][pg][sources]") {
  Setup s("postgresql");
  SECTION("okta: a next link that leaves the host is refused") {
    MockIdpOptions o = s.options();
    o.foreign_next = true;
    MockIdp idp(o);
    idp.start();
    s.point_at("okta", idp);
    auto r = s.run({"apply", "--team", "acme"});
    CHECK(r.exit_code == 4);
    CHECK(dump_user_tables(s.db).find("@") == std::string::npos);  // no account written
  }
  SECTION("entra: an access token expiring mid-pull is renewed") {
    MockIdpOptions o = s.options(300);
    o.expire_token_page = 2;
    MockIdp idp(o);
    idp.start();
    std::string secret = (s.cli.dir() / "secret").string();
    write_file(secret, kToken);
    s.record(s.cli.ok({"team", "set-source", "acme", "--provider", "entra", "--url", idp.graph_url(), "--auth-url",
                       idp.base_url(), "--tenant", "t1", "--client-id", "c1", "--client-secret-file", secret,
                       "--app-id", "app1"}));
    s.record(s.cli.ok({"apply", "--team", "acme"}));
    CHECK(idp.issued_tokens().size() >= 2);
    for (const auto& t : idp.issued_tokens()) CHECK(s.seen.find(t) == std::string::npos);
  }
  CHECK(s.seen.find(kToken) == std::string::npos);
}

TEST_CASE("HTTPS with a private CA: accepted with --ca-file, refused without", "[e2e][sqlite][sources]") {
  Setup s("sqlite");
  TempDir certs;
  TestCa ca = make_test_ca(certs.path());
  MockIdpOptions o = s.options(200);
  o.https = true;
  o.cert_file = ca.server_cert;
  o.key_file = ca.server_key;
  MockIdp idp(o);
  idp.start();
  s.point_at("scim", idp);
  auto refused = s.run({"apply", "--team", "acme"});
  CHECK(refused.exit_code == 4);
  CHECK_FALSE(show_user(s.cli, "user1@example.com"));
  s.point_at("scim", idp, {"--ca-file", ca.ca_cert});
  auto check = s.run({"test-connection", "--team", "acme"});
  CHECK(check.exit_code == 0);
  s.record(s.cli.ok({"apply", "--team", "acme"}));
  CHECK(show_user(s.cli, "user1@example.com"));
  CHECK(s.seen.find(kToken) == std::string::npos);
}

TEST_CASE("test-connection names the failing step", "[e2e][sqlite][sources]") {
  Setup s("sqlite");
  MockIdpOptions o = s.options(50);
  o.token = "not-the-configured-token";
  MockIdp idp(o);
  idp.start();
  s.point_at("scim", idp);
  auto r = s.run({"test-connection", "--team", "acme"});
  CHECK(r.exit_code == 4);
  CHECK(r.out.find("FAILED credentials") != std::string::npos);
  CHECK(s.seen.find(kToken) == std::string::npos);
}

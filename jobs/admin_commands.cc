// db migrate, team *, user *: the administrative commands.
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "jumpsync/app/secret_box.h"
#include "jumpsync/core/email.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"
#include "jumpsync/sources/url.h"

namespace jumpsync {
namespace {

const char* yes_no(bool b) { return b ? "yes" : "no"; }
std::string json_bool(bool b) { return b ? "true" : "false"; }

int db_migrate(AppContext& ctx, const ParsedArgs&) {
  auto applied = ctx.store_unchecked().migrate();
  if (applied.empty()) {
    std::cout << "database is up to date (" << ctx.store_unchecked().backend() << ")\n";
  } else {
    for (const auto& name : applied) std::cout << "applied migration " << name << "\n";
  }
  return 0;
}

int team_create(AppContext& ctx, const ParsedArgs& a) {
  const std::string& name = a.positional[0];
  if (ctx.store().find_team(name)) throw usage_error("team '" + name + "' already exists");
  NewTeam t{name, a.flags.count("sso") > 0, a.flags.count("enterprise") > 0, a.flags.count("domain-verification") > 0};
  auto team = ctx.store().create_team(t, ctx.now());
  std::cout << "created team " << team.name << " (id " << team.id << ")\n";
  return 0;
}

int team_verify_domain(AppContext& ctx, const ParsedArgs& a) {
  TeamRecord team = require_team(ctx.store(), a.positional[0]);
  auto probe = normalize_email("postmaster@" + a.positional[1]);
  if (!probe.ok) throw usage_error("'" + a.positional[1] + "' is not a valid domain: " + probe.error);
  std::string domain = email_domain(probe.email);
  ctx.store().add_verified_domain(team.id, domain);
  std::cout << "team " << team.name << ": domain " << domain << " verified\n";
  return 0;
}

int team_configure(AppContext& ctx, const ParsedArgs& a) {
  TeamRecord team = require_team(ctx.store(), a.positional[0]);
  if (a.flags.count("sso")) team.sso_configured = true;
  if (a.flags.count("no-sso")) team.sso_configured = false;
  if (a.flags.count("enterprise")) team.enterprise = true;
  if (a.flags.count("no-enterprise")) team.enterprise = false;
  if (a.flags.count("domain-verification")) team.domain_verification = true;
  if (a.flags.count("no-domain-verification")) team.domain_verification = false;
  if (auto v = a.integer("sync-interval")) {
    if (*v == 0) throw usage_error("--sync-interval must be at least 1 second");
    team.sync_interval_s = *v;
  }
  if (auto v = a.integer("max-deactivations")) team.guard.max_count = *v;
  if (auto v = a.integer("max-deactivation-percent")) {
    if (*v > 100) throw usage_error("--max-deactivation-percent must be between 0 and 100");
    team.guard.max_percent = static_cast<double>(*v);
  }
  if (auto v = a.integer("percent-floor")) team.guard.percent_floor = *v;
  ctx.store().set_team_settings(team);
  std::cout << "team " << team.name << " updated\n";
  return 0;
}

int team_set_source(AppContext& ctx, const ParsedArgs& a) {
  TeamRecord team = require_team(ctx.store(), a.positional[0]);
  StoredSource s;
  s.provider = a.value_or("provider", "");
  if (s.provider != "scim" && s.provider != "okta" && s.provider != "entra" && s.provider != "file")
    throw usage_error("--provider must be scim, okta, entra or file");
  s.url = a.value_or("url", "");
  if (s.url.empty() && s.provider != "entra") throw usage_error("--url is required for provider " + s.provider);
  if (s.provider == "entra" && s.url.empty()) s.url = "https://graph.microsoft.com/v1.0";
  s.auth_url = a.value_or("auth-url", "");
  s.app_id = a.value_or("app-id", "");
  s.tenant = a.value_or("tenant", "");
  s.client_id = a.value_or("client-id", "");
  s.ca_file = a.value_or("ca-file", "");
  s.page_size = a.integer("page-size").value_or(0);
  if (s.provider == "okta" && s.app_id.empty()) throw usage_error("--app-id (the Okta app id) is required for okta");
  if (s.provider == "entra" && (s.tenant.empty() || s.client_id.empty() || s.app_id.empty() || !a.has("client-secret-file")))
    throw usage_error("entra needs --tenant, --client-id, --client-secret-file and --app-id (service principal id)");
  if ((s.provider == "scim" || s.provider == "okta") && !a.has("token-file"))
    throw usage_error("--token-file is required for provider " + s.provider + " (the token is never taken on the command line)");
  if (!s.ca_file.empty() && !std::ifstream(s.ca_file)) throw usage_error("--ca-file " + s.ca_file + " cannot be read");
  // Refuse a bad URL now (exit 2), not at the first sync: https only, plain
  // http only to loopback hosts (SPEC §8).
  std::string context = "team '" + team.name + "': --url";
  if (s.provider != "file") check_url(s.url, context);
  if (!s.auth_url.empty()) check_url(s.auth_url, "team '" + team.name + "': --auth-url");
  SecretBox box(ctx.config());
  if (auto f = a.value("token-file")) s.token_enc = box.seal(read_secret_file(*f, "the IdP token"));
  if (auto f = a.value("client-secret-file")) s.secret_enc = box.seal(read_secret_file(*f, "the client secret"));
  ctx.store().set_source(team.id, s);
  std::cout << "team " << team.name << ": source set to " << s.provider << " " << s.url << "\n";
  return 0;
}

int team_enable_scim(AppContext& ctx, const ParsedArgs& a) {
  TeamRecord team = require_team(ctx.store(), a.positional[0]);
  if (!team.sso_configured || !team.enterprise) {
    std::string missing = !team.sso_configured && !team.enterprise ? "single sign-on is not configured and the team has no Enterprise plan"
                          : !team.sso_configured ? "single sign-on is not configured"
                                                 : "the team has no Enterprise plan";
    throw usage_error("cannot enable SCIM for team '" + team.name + "': " + missing +
                      " (SCIM needs both; see `jumpsync team configure --help`)");
  }
  if (team.scim_enabled) {
    std::cout << "SCIM is already enabled for team " << team.name << " (epoch " << team.scim_epoch
              << "); nothing changed. To issue a new token, disable and enable it again.\n";
    return 0;
  }
  std::string token = new_scim_token();
  ctx.store().set_scim_enabled(team.id, true, team.scim_epoch + 1, hash_scim_token(token), "cli", ctx.now());
  std::string base = ctx.config().public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::cout << "SCIM enabled for team " << team.name << " (epoch " << team.scim_epoch + 1 << ")\n"
            << "SCIM base URL: " << base << "/scim/v2/teams/" << team.id << "\n"
            << "SCIM token:    " << token << "\n"
            << "The token is shown only this once; only its hash is stored.\n";
  return 0;
}

int team_disable_scim(AppContext& ctx, const ParsedArgs& a) {
  TeamRecord team = require_team(ctx.store(), a.positional[0]);
  if (!team.scim_enabled) {
    std::cout << "SCIM is already disabled for team " << team.name << "; nothing changed\n";
    return 0;
  }
  const char* user = std::getenv("USER");
  ctx.store().set_scim_enabled(team.id, false, team.scim_epoch, "", std::string("cli:") + (user ? user : "unknown"),
                               ctx.now());
  std::cout << "SCIM disabled for team " << team.name
            << ": SCIM tokens and the stored IdP secret are revoked; accounts keep their status\n";
  return 0;
}

int team_show(AppContext& ctx, const ParsedArgs& a) {
  TeamRecord t = require_team(ctx.store(), a.positional[0]);
  std::string format = format_option(a, {"text", "json"});
  std::ostringstream out;
  if (format == "json") {
    std::string domains;
    for (const auto& d : t.verified_domains) domains += (domains.empty() ? "" : ",") + json_quote(d);
    out << "{\"name\":" << json_quote(t.name) << ",\"id\":" << t.id << ",\"sso\":" << json_bool(t.sso_configured)
        << ",\"enterprise\":" << json_bool(t.enterprise) << ",\"domain_verification\":" << json_bool(t.domain_verification)
        << ",\"verified_domains\":[" << domains << "],\"scim_enabled\":" << json_bool(t.scim_enabled)
        << ",\"scim_epoch\":" << t.scim_epoch << ",\"sync_interval_s\":" << t.sync_interval_s
        << ",\"source\":" << (t.source.provider.empty() ? "null" : json_quote(t.source.provider))
        << ",\"source_url\":" << (t.source.url.empty() ? "null" : json_quote(t.source.url))
        << ",\"source_secret_stored\":" << json_bool(!t.source.token_enc.empty() || !t.source.secret_enc.empty())
        << ",\"guard\":{\"max_count\":" << t.guard.max_count << ",\"max_percent\":" << t.guard.max_percent
        << ",\"percent_floor\":" << t.guard.percent_floor << "}"
        << ",\"last_success_at\":" << (t.last_success_at ? std::to_string(*t.last_success_at) : "null") << "}\n";
  } else {
    std::string domains;
    for (const auto& d : t.verified_domains) domains += (domains.empty() ? "" : ", ") + d;
    out << "team " << t.name << " (id " << t.id << ")\n"
        << "  single sign-on:       " << yes_no(t.sso_configured) << "\n"
        << "  enterprise plan:      " << yes_no(t.enterprise) << "\n"
        << "  domain verification:  " << yes_no(t.domain_verification) << "\n"
        << "  verified domains:     " << (domains.empty() ? "-" : domains) << "\n"
        << "  SCIM:                 " << (t.scim_enabled ? "enabled" : "disabled") << " (epoch " << t.scim_epoch << ")\n"
        << "  source:               " << (t.source.provider.empty() ? "-" : t.source.provider + " " + t.source.url) << "\n"
        << "  sync interval:        " << t.sync_interval_s << " s\n"
        << "  deactivation guard:   more than " << t.guard.max_count << ", or more than " << t.guard.max_percent
        << "% (once over " << t.guard.percent_floor << "), or all managed accounts\n";
  }
  std::cout << out.str();
  return 0;
}

std::string normalized_or_throw(const std::string& raw) {
  auto n = normalize_email(raw);
  if (!n.ok) throw usage_error("'" + raw + "' is not a valid email address: " + n.error);
  return n.email;
}

int user_add(AppContext& ctx, const ParsedArgs& a) {
  NewAccount acc;
  acc.email = normalized_or_throw(a.positional[0]);
  acc.verified = a.flags.count("verified") > 0;
  acc.given_name = a.value_or("given", "");
  acc.family_name = a.value_or("family", "");
  if (auto t = a.value("team")) acc.team_id = require_team(ctx.store(), *t).id;
  auto rec = ctx.store().add_account(acc, ctx.now());
  std::cout << "added account " << rec.state.email << " (id " << rec.id << ")\n";
  return 0;
}

int user_verify(AppContext& ctx, const ParsedArgs& a) {
  std::string email = normalized_or_throw(a.positional[0]);
  auto rec = ctx.store().find_account(email);
  if (!rec) throw usage_error("unknown user " + email);
  ctx.store().mark_verified(rec->id, "cli", ctx.now());
  std::cout << "account " << email << " is verified\n";
  return 0;
}

int user_show(AppContext& ctx, const ParsedArgs& a) {
  std::string email = normalized_or_throw(a.positional[0]);
  auto rec = ctx.store().find_account(email);
  if (!rec) throw usage_error("unknown user " + email);
  const AccountState& s = rec->state;
  std::string format = format_option(a, {"text", "json"});
  bool active = s.status == AccountStatus::active;
  if (format == "json") {
    std::string teams;
    for (const auto& t : rec->teams) teams += (teams.empty() ? "" : ",") + json_quote(t);
    std::cout << "{\"id\":" << rec->id << ",\"email\":" << json_quote(s.email) << ",\"verified\":" << json_bool(s.verified)
              << ",\"status\":\"" << (active ? "active" : "deactivated") << "\",\"managed_by\":"
              << (rec->managed_by_name.empty() ? "null" : json_quote(rec->managed_by_name))
              << ",\"given_name\":" << json_quote(s.given_name) << ",\"family_name\":" << json_quote(s.family_name)
              << ",\"external_id\":" << json_quote(s.external_id) << ",\"link_epoch\":" << s.link_epoch
              << ",\"pending_adoption\":" << json_bool(s.pending_team.has_value()) << ",\"teams\":[" << teams << "]}\n";
  } else {
    std::string teams;
    for (const auto& t : rec->teams) teams += (teams.empty() ? "" : ", ") + t;
    std::cout << "account " << s.email << " (id " << rec->id << ")\n"
              << "  name:        " << s.given_name << " " << s.family_name << "\n"
              << "  verified:    " << yes_no(s.verified) << "\n"
              << "  status:      " << (active ? "active" : "deactivated") << "\n"
              << "  managed by:  " << (rec->managed_by_name.empty() ? "-" : rec->managed_by_name + " (SCIM, IdP id " + s.external_id + ")") << "\n"
              << "  teams:       " << (teams.empty() ? "-" : teams) << "\n";
    auto audit = ctx.store().audit_for_account(rec->id);
    if (!audit.empty()) std::cout << "  history:\n";
    for (const auto& h : audit)
      std::cout << "    run " << h.run_id << " " << h.action << " (" << h.team << "): " << h.reason << "\n";
  }
  return 0;
}

}  // namespace

std::vector<Command> admin_commands() {
  return {
      {"db migrate", "db migrate", "Applies pending schema migrations in order, each in a transaction; "
       "a no-op when the database is up to date.", {}, 0, 0, db_migrate},
      {"team create", "team create NAME [--sso] [--enterprise] [--domain-verification]",
       "Creates a team. --sso: single sign-on is configured; --enterprise: Enterprise plan "
       "(both needed for SCIM); --domain-verification: users of verified domains need no verification email.",
       {{}, {"sso", "enterprise", "domain-verification"}}, 1, 1, team_create},
      {"team verify-domain", "team verify-domain NAME DOMAIN", "Marks DOMAIN as verified for the team (IDN domains accepted).",
       {}, 2, 2, team_verify_domain},
      {"team configure", "team configure NAME [--sso|--no-sso] [--enterprise|--no-enterprise] "
       "[--domain-verification|--no-domain-verification] [--sync-interval SECONDS] [--max-deactivations N] "
       "[--max-deactivation-percent P] [--percent-floor N]",
       "Changes team settings: prerequisites, sync interval for run-due, and the deactivation guard "
       "(defaults: block above 100 deactivations, or above 20% of managed accounts once more than 5, or all of them).",
       {{"sync-interval", "max-deactivations", "max-deactivation-percent", "percent-floor"},
        {"sso", "no-sso", "enterprise", "no-enterprise", "domain-verification", "no-domain-verification"}},
       1, 1, team_configure},
      {"team set-source", "team set-source NAME --provider scim|okta|entra|file --url URL [--token-file F] "
       "[--app-id ID] [--tenant ID --client-id ID --client-secret-file F] [--auth-url URL] [--ca-file F] [--page-size N]",
       "Sets where the team's users come from. Secrets are read from files (`-` = stdin), never from the "
       "command line, and stored encrypted (AES-256-GCM).",
       {{"provider", "url", "token-file", "app-id", "tenant", "client-id", "client-secret-file", "auth-url", "ca-file",
         "page-size"}, {}},
       1, 1, team_set_source},
      {"team enable-scim", "team enable-scim NAME",
       "Enables SCIM (needs SSO and the Enterprise plan): starts a new SCIM epoch and prints the SCIM base URL "
       "and a new token, once. Exit 2 when a prerequisite is missing.", {}, 1, 1, team_enable_scim},
      {"team disable-scim", "team disable-scim NAME",
       "Disables SCIM: revokes the SCIM token and destroys the stored IdP secret at once; accounts keep their "
       "status; every later run for the team exits 5.", {}, 1, 1, team_disable_scim},
      {"team show", "team show NAME [--format text|json]", "Shows a team's settings (never its secrets).",
       {{"format"}, {}}, 1, 1, team_show},
      {"user add", "user add EMAIL [--verified] [--team NAME] [--given G] [--family F]",
       "Adds a Jump account by hand (not managed by SCIM); --team makes it a member.",
       {{"team", "given", "family"}, {"verified"}}, 1, 1, user_add},
      {"user verify", "user verify EMAIL",
       "Marks an account's email as verified (what the verification link does); completes a pending adoption.",
       {}, 1, 1, user_verify},
      {"user show", "user show EMAIL [--format text|json]", "Shows an account and its history.",
       {{"format"}, {}}, 1, 1, user_show},
  };
}

}  // namespace jumpsync

// Teams: creation, settings, SCIM state, verified domains, due teams.
#include <algorithm>

#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {
namespace {

const char* kTeamColumns =
    "id, name, sso_configured, enterprise, domain_verification, scim_enabled, scim_epoch, "
    "COALESCE(scim_token_hash, ''), sync_interval_s, guard_max_count, guard_max_percent, "
    "guard_percent_floor, COALESCE(source_provider, ''), COALESCE(source_url, ''), "
    "COALESCE(source_auth_url, ''), COALESCE(source_app_id, ''), COALESCE(source_tenant, ''), "
    "COALESCE(source_client_id, ''), COALESCE(source_token_enc, ''), COALESCE(source_secret_enc, ''), "
    "COALESCE(source_ca_file, ''), source_page_size, COALESCE(last_success_at, -1), created_at";

long long ll(const soci::row& r, size_t i) {
  // SOCI reports integer columns as int or long long depending on backend.
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double: return static_cast<long long>(r.get<double>(i));
    default: return std::stoll(r.get<std::string>(i));
  }
}

double dbl(const soci::row& r, size_t i) {
  if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
  return static_cast<double>(ll(r, i));
}

TeamRecord team_from_row(const soci::row& r) {
  TeamRecord t;
  t.id = ll(r, 0);
  t.name = r.get<std::string>(1);
  t.sso_configured = ll(r, 2) != 0;
  t.enterprise = ll(r, 3) != 0;
  t.domain_verification = ll(r, 4) != 0;
  t.scim_enabled = ll(r, 5) != 0;
  t.scim_epoch = ll(r, 6);
  t.scim_token_hash = r.get<std::string>(7);
  t.sync_interval_s = ll(r, 8);
  t.guard.max_count = ll(r, 9);
  t.guard.max_percent = dbl(r, 10);
  t.guard.percent_floor = ll(r, 11);
  t.source.provider = r.get<std::string>(12);
  t.source.url = r.get<std::string>(13);
  t.source.auth_url = r.get<std::string>(14);
  t.source.app_id = r.get<std::string>(15);
  t.source.tenant = r.get<std::string>(16);
  t.source.client_id = r.get<std::string>(17);
  t.source.token_enc = r.get<std::string>(18);
  t.source.secret_enc = r.get<std::string>(19);
  t.source.ca_file = r.get<std::string>(20);
  t.source.page_size = ll(r, 21);
  long long last = ll(r, 22);
  if (last >= 0) t.last_success_at = last;
  t.created_at = ll(r, 23);
  return t;
}

}  // namespace

long long row_ll(const soci::row& r, size_t i) { return ll(r, i); }

std::optional<TeamRecord> SociStore::load_team(const std::string& where, long long id,
                                               const std::string& name) {
  return guarded("loading a team", [&]() -> std::optional<TeamRecord> {
    std::string query = std::string("SELECT ") + kTeamColumns + " FROM teams WHERE " + where;
    soci::rowset<soci::row> rs = where == "id = :id" ? (sql_.prepare << query, soci::use(id))
                                                     : (sql_.prepare << query, soci::use(name));
    auto it = rs.begin();
    if (it == rs.end()) return std::nullopt;
    TeamRecord t = team_from_row(*it);
    std::string domain;
    long long tid = t.id;
    soci::statement st = (sql_.prepare << "SELECT domain FROM team_domains WHERE team_id = :t ORDER BY domain",
                          soci::use(tid), soci::into(domain));
    st.execute();
    while (st.fetch()) t.verified_domains.push_back(domain);
    return t;
  });
}

std::optional<TeamRecord> SociStore::find_team(const std::string& name) {
  return load_team("name = :name", 0, name);
}

std::optional<TeamRecord> SociStore::find_team_by_id(int64_t id) {
  return load_team("id = :id", id, "");
}

TeamRecord SociStore::create_team(const NewTeam& team, int64_t now) {
  guarded("creating a team", [&] {
    int sso = team.sso_configured, ent = team.enterprise, dv = team.domain_verification;
    long long t = now;
    sql_ << "INSERT INTO teams (name, sso_configured, enterprise, domain_verification, created_at) "
            "VALUES (:n, :s, :e, :d, :t)",
        soci::use(team.name), soci::use(sso), soci::use(ent), soci::use(dv), soci::use(t);
  });
  auto created = find_team(team.name);
  if (!created) throw internal_error("team '" + team.name + "' vanished right after it was created");
  return *created;
}

void SociStore::add_verified_domain(int64_t team_id, const std::string& domain) {
  guarded("adding a verified domain", [&] {
    long long id = team_id;
    int exists = 0;
    sql_ << "SELECT COUNT(*) FROM team_domains WHERE team_id = :t AND domain = :d", soci::use(id),
        soci::use(domain), soci::into(exists);
    if (!exists)
      sql_ << "INSERT INTO team_domains (team_id, domain) VALUES (:t, :d)", soci::use(id), soci::use(domain);
  });
}

void SociStore::set_source(int64_t team_id, const StoredSource& s) {
  guarded("saving the team's source", [&] {
    long long id = team_id, page = s.page_size;
    sql_ << "UPDATE teams SET source_provider = :p, source_url = :u, source_auth_url = :a, "
            "source_app_id = :app, source_tenant = :ten, source_client_id = :cid, "
            "source_token_enc = :tok, source_secret_enc = :sec, source_ca_file = :ca, "
            "source_page_size = :ps WHERE id = :id",
        soci::use(s.provider), soci::use(s.url), soci::use(s.auth_url), soci::use(s.app_id),
        soci::use(s.tenant), soci::use(s.client_id), soci::use(s.token_enc), soci::use(s.secret_enc),
        soci::use(s.ca_file), soci::use(page), soci::use(id);
  });
}

void SociStore::set_scim_enabled(int64_t team_id, bool enabled, int64_t new_epoch,
                                 const std::string& token_hash, const std::string& actor, int64_t now) {
  guarded("changing the team's SCIM state", [&] {
    soci::transaction tx(sql_);
    long long id = team_id, epoch = new_epoch, t = now;
    int on = enabled;
    if (enabled) {
      sql_ << "UPDATE teams SET scim_enabled = 1, scim_epoch = :e, scim_token_hash = :h WHERE id = :id",
          soci::use(epoch), soci::use(token_hash), soci::use(id);
    } else {
      // Revoke at once: the SCIM token hash and the stored IdP secrets go.
      sql_ << "UPDATE teams SET scim_enabled = 0, scim_token_hash = NULL, source_token_enc = NULL, "
              "source_secret_enc = NULL WHERE id = :id",
          soci::use(id);
    }
    std::string action = enabled ? "scim-enable" : "scim-disable";
    std::string reason = enabled ? "SCIM enabled (epoch " + std::to_string(new_epoch) + ")"
                                 : "SCIM disabled: SCIM token and IdP secret revoked";
    std::string after = std::string("{\"scim_enabled\":") + (on ? "true" : "false") +
                        ",\"scim_epoch\":" + std::to_string(new_epoch) + "}";
    // Team-level audit rows hang off a run of their own so the audit trail
    // has one shape for everything.
    sql_ << "INSERT INTO sync_runs (team_id, trigger, mode, started_at, finished_at, outcome, worker) "
            "VALUES (:t, 'manual', 'apply', :now, :now2, 'ok', :actor)",
        soci::use(id), soci::use(t), soci::use(t), soci::use(actor);
    long long run_id = 0;
    sql_ << "SELECT MAX(id) FROM sync_runs WHERE team_id = :t", soci::use(id), soci::into(run_id);
    sql_ << "INSERT INTO applied_actions (run_id, team_id, email, action, reason, after_state, actor, "
            "applied_at) VALUES (:r, :t, '', :a, :why, :after, :actor, :now)",
        soci::use(run_id), soci::use(id), soci::use(action), soci::use(reason), soci::use(after),
        soci::use(actor), soci::use(t);
    tx.commit();
  });
}

void SociStore::set_team_settings(const TeamRecord& team) {
  guarded("saving team settings", [&] {
    long long id = team.id, interval = team.sync_interval_s, maxc = team.guard.max_count,
              floor = team.guard.percent_floor;
    double pct = team.guard.max_percent;
    int sso = team.sso_configured, ent = team.enterprise, dv = team.domain_verification;
    sql_ << "UPDATE teams SET sso_configured = :s, enterprise = :e, domain_verification = :d, "
            "sync_interval_s = :i, guard_max_count = :mc, guard_max_percent = :mp, "
            "guard_percent_floor = :pf WHERE id = :id",
        soci::use(sso), soci::use(ent), soci::use(dv), soci::use(interval), soci::use(maxc),
        soci::use(pct), soci::use(floor), soci::use(id);
  });
}

std::vector<int64_t> SociStore::due_team_ids(int64_t now) {
  return guarded("listing due teams", [&] {
    std::vector<int64_t> ids;
    long long t = now, id = 0;
    soci::statement st =
        (sql_.prepare << "SELECT id FROM teams WHERE scim_enabled = 1 AND "
                         "(last_success_at IS NULL OR last_success_at + sync_interval_s <= :now) "
                         "ORDER BY COALESCE(last_success_at, 0), id",
         soci::use(t), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    return ids;
  });
}

}  // namespace jumpsync

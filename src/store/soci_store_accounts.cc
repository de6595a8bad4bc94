// Accounts: hand-made accounts, lookups, the bulk team snapshot.
#include <algorithm>
#include <unordered_set>

#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {

long long row_ll(const soci::row& r, size_t i);

namespace {

const char* kAccountColumns =
    "a.id, a.email, a.verified, a.status, a.given_name, a.family_name, COALESCE(a.managed_by, 0), "
    "a.external_id, a.link_epoch, COALESCE(a.pending_team, 0), a.created_at, a.updated_at";

AccountState state_from_row(const soci::row& r) {
  AccountState s;
  s.email = r.get<std::string>(1);
  s.verified = row_ll(r, 2) != 0;
  s.status = r.get<std::string>(3) == "active" ? AccountStatus::active : AccountStatus::deactivated;
  s.given_name = r.get<std::string>(4);
  s.family_name = r.get<std::string>(5);
  if (long long m = row_ll(r, 6)) s.managed_by = m;
  s.external_id = r.get<std::string>(7);
  s.link_epoch = row_ll(r, 8);
  if (long long p = row_ll(r, 9)) s.pending_team = p;
  return s;
}

}  // namespace

AccountRecord SociStore::add_account(const NewAccount& a, int64_t now) {
  guarded("adding an account", [&] {
    soci::transaction tx(sql_);
    int exists = 0;
    sql_ << "SELECT COUNT(*) FROM accounts WHERE email = :e", soci::use(a.email), soci::into(exists);
    if (exists) throw usage_error("an account with email " + a.email + " already exists");
    int verified = a.verified;
    long long t = now;
    sql_ << "INSERT INTO accounts (email, verified, given_name, family_name, created_at, updated_at) "
            "VALUES (:e, :v, :g, :f, :t, :t2)",
        soci::use(a.email), soci::use(verified), soci::use(a.given_name), soci::use(a.family_name),
        soci::use(t), soci::use(t);
    if (a.team_id) {
      long long team = *a.team_id;
      sql_ << "INSERT INTO team_members (team_id, account_id) SELECT :t, id FROM accounts WHERE email = :e",
          soci::use(team), soci::use(a.email);
    }
    tx.commit();
  });
  auto found = find_account(a.email);
  if (!found) throw internal_error("account " + a.email + " vanished right after it was created");
  return *found;
}

std::optional<AccountRecord> SociStore::find_account(const std::string& email) {
  return guarded("loading an account", [&]() -> std::optional<AccountRecord> {
    soci::rowset<soci::row> rs =
        (sql_.prepare << std::string("SELECT ") + kAccountColumns + ", COALESCE(t.name, '') "
                         "FROM accounts a LEFT JOIN teams t ON t.id = a.managed_by WHERE a.email = :e",
         soci::use(email));
    auto it = rs.begin();
    if (it == rs.end()) return std::nullopt;
    AccountRecord rec;
    rec.id = row_ll(*it, 0);
    rec.state = state_from_row(*it);
    rec.created_at = row_ll(*it, 10);
    rec.updated_at = row_ll(*it, 11);
    rec.managed_by_name = it->get<std::string>(12);
    long long id = rec.id;
    std::string team;
    // Members by hand, plus the team whose SCIM manages the account.
    soci::statement st = (sql_.prepare << "SELECT t.name FROM teams t WHERE t.id IN "
                                          "(SELECT team_id FROM team_members WHERE account_id = :a1 UNION "
                                          "SELECT managed_by FROM accounts WHERE id = :a2) ORDER BY t.name",
                          soci::use(id), soci::use(id), soci::into(team));
    st.execute();
    while (st.fetch()) rec.teams.push_back(team);
    return rec;
  });
}

void SociStore::mark_verified(int64_t account_id, const std::string& actor, int64_t now) {
  guarded("verifying an account", [&] {
    soci::transaction tx(sql_);
    long long id = account_id, t = now;
    // A pending adoption completes once the email is proven (SPEC §2.3).
    sql_ << "UPDATE accounts SET verified = 1, updated_at = :t, "
            "managed_by = COALESCE(managed_by, pending_team), "
            "link_epoch = CASE WHEN managed_by IS NULL AND pending_team IS NOT NULL "
            "THEN (SELECT scim_epoch FROM teams WHERE teams.id = accounts.pending_team) ELSE link_epoch END, "
            "pending_team = NULL WHERE id = :id",
        soci::use(t), soci::use(id);
    sql_ << "INSERT INTO applied_actions (run_id, team_id, account_id, email, action, reason, actor, applied_at) "
            "SELECT r.id, r.team_id, a.id, a.email, 'verify', 'email address verified', :actor, :t "
            "FROM accounts a JOIN sync_runs r ON r.id = (SELECT MAX(o.run_id) FROM mail_outbox o "
            "WHERE o.account_id = a.id) WHERE a.id = :id",
        soci::use(actor), soci::use(t), soci::use(id);
    tx.commit();
  });
}

void SociStore::ensure_stage_tables() {
  if (stage_tables_ready_) return;
  sql_ << "CREATE TEMP TABLE IF NOT EXISTS stage_emails (email TEXT PRIMARY KEY)";
  sql_ << "CREATE TEMP TABLE IF NOT EXISTS stage_actions ("
          "account_id BIGINT, email TEXT, verified SMALLINT, status TEXT, given_name TEXT, family_name TEXT, "
          "managed_by BIGINT, external_id TEXT, link_epoch BIGINT, pending_team BIGINT, member SMALLINT)";
  stage_tables_ready_ = true;
}

void SociStore::stage_emails(const std::vector<std::string>& emails) {
  std::vector<std::string> unique(emails);
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  StageColumns cols;
  cols.names = {"email"};
  cols.values = {std::move(unique)};
  bulk_load("stage_emails", cols);
}

JumpSnapshot SociStore::load_snapshot(int64_t team_id, const std::vector<std::string>& emails) {
  return guarded("loading the team's accounts", [&] {
    ensure_stage_tables();
    soci::transaction tx(sql_);  // one consistent view on both backends
    stage_emails(emails);
    const size_t batch = 4096;
    std::vector<long long> id(batch), verified(batch), managed(batch), epoch(batch), pending(batch),
        member(batch);
    std::vector<std::string> email(batch), status(batch), given(batch), family(batch), ext(batch);
    long long team = team_id;
    soci::statement st =
        (sql_.prepare
             << "SELECT a.id, a.email, a.verified, a.status, a.given_name, a.family_name, "
                "COALESCE(a.managed_by, 0), a.external_id, a.link_epoch, COALESCE(a.pending_team, 0), "
                "CASE WHEN m.account_id IS NOT NULL OR a.managed_by = :t0 THEN 1 ELSE 0 END "
                "FROM accounts a LEFT JOIN team_members m ON m.account_id = a.id AND m.team_id = :t1 "
                "WHERE a.id IN (SELECT id FROM accounts WHERE managed_by = :t2 "
                "UNION SELECT id FROM accounts WHERE pending_team = :t3 "
                "UNION SELECT account_id FROM team_members WHERE team_id = :t4 "
                "UNION SELECT x.id FROM accounts x JOIN stage_emails s ON s.email = x.email) "
                "ORDER BY a.id",
         soci::use(team), soci::use(team), soci::use(team), soci::use(team), soci::use(team), soci::into(id),
         soci::into(email), soci::into(verified), soci::into(status), soci::into(given),
         soci::into(family), soci::into(managed), soci::into(ext), soci::into(epoch),
         soci::into(pending), soci::into(member));
    JumpSnapshot snap;
    st.execute();
    while (st.fetch()) {
      for (size_t i = 0; i < id.size(); ++i) {
        JumpAccount a;
        a.id = id[i];
        AccountState& s = a.state;
        s.email = std::move(email[i]);
        s.verified = verified[i] != 0;
        s.status = status[i] == "active" ? AccountStatus::active : AccountStatus::deactivated;
        s.given_name = std::move(given[i]);
        s.family_name = std::move(family[i]);
        if (managed[i]) s.managed_by = managed[i];
        s.external_id = std::move(ext[i]);
        s.link_epoch = epoch[i];
        if (pending[i]) s.pending_team = pending[i];
        s.team_member = member[i] != 0;
        snap.accounts.push_back(std::move(a));
      }
      for (auto* v : {&id, &verified, &managed, &epoch, &pending, &member}) v->resize(batch);
      for (auto* v : {&email, &status, &given, &family, &ext}) v->resize(batch);
    }
    tx.commit();
    return snap;
  });
}

}  // namespace jumpsync

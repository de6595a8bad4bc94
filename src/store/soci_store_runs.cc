// Run journal, audit trail queries and the verification-email outbox.
#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {

long long row_ll(const soci::row& r, size_t i);

namespace {

const char* trigger_name(RunTrigger t) {
  switch (t) {
    case RunTrigger::cron: return "cron";
    case RunTrigger::resync: return "resync";
    case RunTrigger::manual: return "manual";
    case RunTrigger::plan: return "plan";
  }
  return "manual";
}

const char* kRunColumns =
    "r.id, r.team_id, t.name, r.trigger, r.mode, r.started_at, COALESCE(r.finished_at, -1), r.outcome, "
    "r.counts, COALESCE(r.error, ''), COALESCE(r.plan_json, ''), r.source, r.worker";

RunRecord run_from_row(const soci::row& r, bool with_plan) {
  RunRecord run;
  run.id = row_ll(r, 0);
  run.team_id = row_ll(r, 1);
  run.team = r.get<std::string>(2);
  run.trigger = r.get<std::string>(3);
  run.mode = r.get<std::string>(4);
  run.started_at = row_ll(r, 5);
  if (long long f = row_ll(r, 6); f >= 0) run.finished_at = f;
  run.outcome = r.get<std::string>(7);
  run.counts_json = r.get<std::string>(8);
  run.error = r.get<std::string>(9);
  if (with_plan) run.plan_json = r.get<std::string>(10);
  run.source = r.get<std::string>(11);
  run.worker = r.get<std::string>(12);
  return run;
}

const char* kOutboxColumns =
    "o.id, o.team_id, t.name, o.account_id, o.email, o.attempts, o.status, COALESCE(o.last_error, ''), "
    "o.created_at";

OutboxMessage mail_from_row(const soci::row& r) {
  OutboxMessage m;
  m.id = row_ll(r, 0);
  m.team_id = row_ll(r, 1);
  m.team = r.get<std::string>(2);
  m.account_id = row_ll(r, 3);
  m.email = r.get<std::string>(4);
  m.attempts = row_ll(r, 5);
  m.status = r.get<std::string>(6);
  m.last_error = r.get<std::string>(7);
  m.created_at = row_ll(r, 8);
  return m;
}

}  // namespace

int64_t SociStore::start_run(int64_t team_id, RunTrigger trigger, RunMode mode, const std::string& source,
                             const std::string& worker, int64_t now) {
  return guarded("recording the start of a run", [&] {
    long long team = team_id, t = now, id = 0;
    std::string trig = trigger_name(trigger), m = mode == RunMode::apply ? "apply" : "dry-run";
    soci::transaction tx(sql_);
    sql_ << "INSERT INTO sync_runs (team_id, trigger, mode, started_at, source, worker) "
            "VALUES (:team, :trig, :mode, :t, :src, :w)",
        soci::use(team), soci::use(trig), soci::use(m), soci::use(t), soci::use(source), soci::use(worker);
    sql_ << "SELECT MAX(id) FROM sync_runs WHERE team_id = :team AND worker = :w", soci::use(team),
        soci::use(worker), soci::into(id);
    tx.commit();
    return static_cast<int64_t>(id);
  });
}

void SociStore::finish_run(int64_t run_id, const std::string& outcome, const std::string& counts_json,
                           const std::string& error, const std::string& plan_json, int64_t now) {
  guarded("recording the end of a run", [&] {
    long long id = run_id, t = now;
    sql_ << "UPDATE sync_runs SET outcome = :o, counts = :c, error = :e, plan_json = :p, finished_at = :t "
            "WHERE id = :id",
        soci::use(outcome), soci::use(counts_json), soci::use(error), soci::use(plan_json), soci::use(t),
        soci::use(id);
  });
}

void SociStore::close_interrupted_runs(int64_t team_id, int64_t now) {
  guarded("closing interrupted runs", [&] {
    long long team = team_id, t = now;
    sql_ << "UPDATE sync_runs SET outcome = 'interrupted', finished_at = :t, "
            "error = 'the process running it stopped before it finished; nothing of it was applied' "
            "WHERE team_id = :team AND outcome = 'running'",
        soci::use(t), soci::use(team);
  });
}

std::vector<RunRecord> SociStore::list_runs(int64_t team_id, int64_t limit) {
  return guarded("listing runs", [&] {
    long long team = team_id, lim = limit;
    std::vector<RunRecord> runs;
    soci::rowset<soci::row> rs =
        (sql_.prepare << std::string("SELECT ") + kRunColumns +
                             " FROM sync_runs r JOIN teams t ON t.id = r.team_id WHERE r.team_id = :t "
                             "ORDER BY r.id DESC LIMIT :l",
         soci::use(team), soci::use(lim));
    for (const auto& row : rs) runs.push_back(run_from_row(row, false));
    return runs;
  });
}

std::optional<RunRecord> SociStore::find_run(int64_t run_id) {
  return guarded("loading a run", [&]() -> std::optional<RunRecord> {
    long long id = run_id;
    soci::rowset<soci::row> rs =
        (sql_.prepare << std::string("SELECT ") + kRunColumns +
                             " FROM sync_runs r JOIN teams t ON t.id = r.team_id WHERE r.id = :id",
         soci::use(id));
    auto it = rs.begin();
    if (it == rs.end()) return std::nullopt;
    return run_from_row(*it, true);
  });
}

std::vector<AuditRecord> SociStore::audit_for_account(int64_t account_id) {
  return guarded("loading the audit trail", [&] {
    long long id = account_id;
    std::vector<AuditRecord> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT a.id, a.run_id, t.name, a.email, a.action, a.reason, "
                         "COALESCE(a.before_state, ''), COALESCE(a.after_state, ''), a.actor, a.applied_at "
                         "FROM applied_actions a JOIN teams t ON t.id = a.team_id "
                         "WHERE a.account_id = :id ORDER BY a.id",
         soci::use(id));
    for (const auto& r : rs) {
      AuditRecord a;
      a.id = row_ll(r, 0);
      a.run_id = row_ll(r, 1);
      a.team = r.get<std::string>(2);
      a.email = r.get<std::string>(3);
      a.action = r.get<std::string>(4);
      a.reason = r.get<std::string>(5);
      a.before_json = r.get<std::string>(6);
      a.after_json = r.get<std::string>(7);
      a.actor = r.get<std::string>(8);
      a.applied_at = row_ll(r, 9);
      out.push_back(std::move(a));
    }
    return out;
  });
}

std::vector<OutboxMessage> SociStore::due_mail(int64_t now, int64_t limit) {
  return guarded("loading due mail", [&] {
    long long t = now, lim = limit;
    std::vector<OutboxMessage> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << std::string("SELECT ") + kOutboxColumns +
                             " FROM mail_outbox o JOIN teams t ON t.id = o.team_id "
                             "WHERE o.status = 'pending' AND o.next_attempt_at <= :t ORDER BY o.id LIMIT :l",
         soci::use(t), soci::use(lim));
    for (const auto& r : rs) out.push_back(mail_from_row(r));
    return out;
  });
}

void SociStore::mark_mail_sent(int64_t id, int64_t now) {
  guarded("marking mail sent", [&] {
    long long i = id, t = now;
    sql_ << "UPDATE mail_outbox SET status = 'sent', sent_at = :t, attempts = attempts + 1, last_error = NULL "
            "WHERE id = :id",
        soci::use(t), soci::use(i);
  });
}

void SociStore::mark_mail_failed(int64_t id, const std::string& error, int64_t next_attempt_at, bool park) {
  guarded("recording a mail failure", [&] {
    long long i = id, next = next_attempt_at;
    std::string status = park ? "parked" : "pending";
    sql_ << "UPDATE mail_outbox SET status = :s, attempts = attempts + 1, last_error = :e, "
            "next_attempt_at = :n WHERE id = :id",
        soci::use(status), soci::use(error), soci::use(next), soci::use(i);
  });
}

std::vector<OutboxMessage> SociStore::list_mail(const std::string& status) {
  return guarded("listing mail", [&] {
    std::vector<OutboxMessage> out;
    std::string all = status.empty() ? "1" : "0";
    soci::rowset<soci::row> rs =
        (sql_.prepare << std::string("SELECT ") + kOutboxColumns +
                             " FROM mail_outbox o JOIN teams t ON t.id = o.team_id "
                             "WHERE o.status = :s OR :all = '1' ORDER BY o.id",
         soci::use(status), soci::use(all));
    for (const auto& r : rs) out.push_back(mail_from_row(r));
    return out;
  });
}

}  // namespace jumpsync

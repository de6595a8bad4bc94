-- Step 3 (PostgreSQL; kept equivalent to sql/sqlite/0003_bulk_friendly_accounts.sql).
-- Room on each page for an updated row version, so that status and name
-- changes (deactivate, reactivate, update) can be HOT updates that touch no
-- index; bulk-loaded pages were 100% full, which made every update rewrite
-- every index entry (measured: most of a 100,000-deactivation apply).
ALTER TABLE accounts SET (fillfactor = 80);
-- The outbox joins the journal tables without a per-row key check (see
-- 0002): its rows are written in the transaction that creates their account,
-- and accounts are never deleted.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_account_id_fkey;

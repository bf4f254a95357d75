-- The change-feed lock: every transaction that draws change numbers takes it first and holds it to its
-- commit, so numbers are handed out in commit order (hq/changes.ts says why). The one place its key is
-- written: hq/changes.ts, push_ops() and rollback_redemption() call this.
CREATE OR REPLACE FUNCTION lock_changes() RETURNS void LANGUAGE sql AS $fn$
  SELECT pg_advisory_xact_lock(1987016035) -- "vouc"
$fn$;

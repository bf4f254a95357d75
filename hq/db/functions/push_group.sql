-- Several tills' pushes in one transaction: hq/push/pusher.ts gathers the pushes that arrive while
-- earlier ones are in the database into one call. Each push is still exactly push_ops() (the rule is
-- not written again here); what a group saves is a transaction per push — a commit (a WAL flush), the
-- change lock, a round trip — which on 2 cores cost more than the redemptions themselves
-- (bench/RESULTS.md, "Group commit").
--
-- Locks: every till of the group, then every voucher its pushes may change (push_codes()), each set in
-- one order, before any push runs. A single push takes its till, then its vouchers by code, then rows
-- of its own (redemptions it rolls back, its code leases, tombstones of cards it issues), then the
-- change lock (changes.ts). In a group, a later push takes its own rows while holding the change lock
-- an earlier push's stamp took. Redemption rows cannot close a cycle: their vouchers are locked already
-- (the back office's rollback takes the voucher first), and leases are the till's own (its till row is
-- locked). The one cycle left needs the back office to create, at that moment, a voucher with the very
-- code a till issues a card from (a leased code); PostgreSQL breaks it and the group is retried
-- (hq/db/retry.ts). Without the up-front voucher locks, the group's second push would lock its
-- vouchers while holding the change lock, and any single push holding one of them would wait for it.
--
-- A push refused as a whole (VT409 seq gap, VT401 unknown till) is refused alone: its block is a
-- subtransaction, rolled back to nothing, and the others commit. HQ keeps a group well under the 64
-- subtransactions PostgreSQL tracks per transaction without spilling to pg_subtrans.
CREATE OR REPLACE FUNCTION push_group(p_pushes jsonb)
RETURNS TABLE (r_push int, r_op_id uuid, r_result text, r_last_seq bigint, r_checkpoint bigint, r_error text, r_message text)
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM tills t
    WHERE t.id = ANY(ARRAY(SELECT DISTINCT (x ->> 'till')::uuid FROM jsonb_array_elements(p_pushes) x))
    ORDER BY t.id FOR UPDATE;
  PERFORM 1 FROM vouchers v
    WHERE v.code = ANY(ARRAY(SELECT unnest(push_codes((x ->> 'till')::uuid, x -> 'ops', NULL)) FROM jsonb_array_elements(p_pushes) x))
    ORDER BY v.code FOR UPDATE;
  FOR i IN 0 .. jsonb_array_length(p_pushes) - 1 LOOP
    BEGIN
      RETURN QUERY SELECT i, p.r_op_id, p.r_result, p.r_last_seq, p.r_checkpoint, NULL::text, NULL::text
        FROM push_ops((p_pushes -> i ->> 'till')::uuid, p_pushes -> i -> 'ops') p;
    EXCEPTION WHEN SQLSTATE 'VT409' OR SQLSTATE 'VT401' THEN
      RETURN QUERY SELECT i, NULL::uuid, NULL::text, NULL::bigint, NULL::bigint, SQLSTATE::text, SQLERRM;
    END;
  END LOOP;
END
$fn$;

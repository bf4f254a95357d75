-- A till may roll back only its own redemptions (now hq/db/functions/rollback_refusal.sql), and a till that loses a
-- conflict must not learn the winning redemption's id (it could try to roll that back). Three parts:
--
-- 1. Who rolled a redemption back: 'admin' or the till's id (the back office may undo any till's sale;
--    that power is recorded). Rows rolled back before this migration stay NULL: unknown.
ALTER TABLE "redemptions" ADD COLUMN "rolled_back_by" text;--> statement-breakpoint
-- 2. apply_redemptions() (0001) and push_redemptions() (0002) again, changed only where a CONFLICT is
--    answered: the result names the winner's till and time ({till_id, occurred_at}); the redemptions
--    row keeps the winner's op_id for the back office (GET /v1/redemptions).
--    (Both are replaced by push_ops(), hq/db/functions/push_ops.sql, since 0008.)
SELECT 1;
--> statement-breakpoint
-- 3. Results already stored for past conflicts are sent again on every replay: drop the winner's op_id
--    from them too. Every stored conflict result starts {"outcome":"CONFLICT","reason":…,"winner":{"op_id":…
--    (push_redemptions built it, the TypeScript push path of that time stringified the same key order), so the anchored rewrite
--    leaves every other byte as it was (replays return what they returned before, minus op_id).
UPDATE "ops" SET "result" = regexp_replace("result",
    '^(\{"outcome": ?"CONFLICT", ?"reason": ?"[a-z_]+", ?"winner": ?\{)"op_id": ?(null|"[0-9a-fA-F-]*"), ?', '\1')
  WHERE "outcome" = 'CONFLICT';--> statement-breakpoint
-- Anything of another shape (none is known) is rewritten through jsonb: key order and spacing may
-- change, the content does not.
UPDATE "ops" SET "result" = (("result"::jsonb) #- '{winner,op_id}')::text
  WHERE "outcome" = 'CONFLICT' AND ("result"::jsonb -> 'winner') ? 'op_id';

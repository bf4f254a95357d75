-- Created push_redemptions() (replaced by push_ops(), hq/db/functions/push_ops.sql, in 0008) and made ops.result text.

-- ops.result becomes text: a push stores about 80 kB of results per 100 ops (each holds the voucher as
-- it was right after the op, which a replay must return exactly), and as jsonb every byte of it was
-- parsed into jsonb on the way in and printed back on a replay. The database never looks inside it.
-- Stored results lose op_id, the row's key (HQ puts it back when it answers: hq/push/pusher.ts).
ALTER TABLE "ops" ALTER COLUMN "result" SET DATA TYPE text USING ("result" - 'op_id')::text;

-- Created push_redemptions() (its body: hq/db/functions/push_redemptions.sql) and made ops.result text.

-- ops.result becomes text: a push stores about 80 kB of results per 100 ops (each holds the voucher as
-- it was right after the op, which a replay must return exactly), and as jsonb every byte of it was
-- parsed into jsonb on the way in and printed back on a replay. The database never looks inside it.
-- Stored results lose op_id, the row's key (push_redemptions and push.ts put it back).
ALTER TABLE "ops" ALTER COLUMN "result" SET DATA TYPE text USING ("result" - 'op_id')::text;

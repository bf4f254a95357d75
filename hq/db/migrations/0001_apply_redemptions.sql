-- Created voucher_json() and apply_redemptions(). Function bodies are not migrations any more: they
-- are hq/db/functions/*.sql, installed after the migrations whenever a file changes (hq/db/functions.ts).
SELECT 1;

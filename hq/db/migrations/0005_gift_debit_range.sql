-- Changed apply_redemptions() and push_redemptions(): a gift debit never takes a balance below
-- −(2^53−1) minor units (REJECTED `amount_out_of_range`). Their bodies are hq/db/functions/*.sql now,
-- installed after the migrations whenever a file changes (hq/db/functions.ts).
SELECT 1;

-- A gift card topped up by p_amount (minor units, positive) — core/voucher-effects.ts topUpRefusal()
-- and topUpVoucher(), in SQL: its amount and its balance both grow by the top-up, never past 2^53−1 (the
-- largest a till can read); a discount voucher or a cancelled card is refused. Whoever writes the card
-- back sets updated_at. Used by a push's GIFT_TOP_UP (push_ops()) and by POST /v1/vouchers/{code}/top-up
-- (hq/voucher-store.ts, topUpGiftCard()); test/hq/voucher-effects-golden.test.ts holds them equal to core.
CREATE OR REPLACE FUNCTION voucher_top_up_refusal(v vouchers, p_amount bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN v.type <> 'GIFT_VOUCHER' THEN 'not_a_gift_card'
    WHEN v.status = 'CANCELLED' THEN 'cancelled'
    WHEN v.gift_amount + p_amount > 9007199254740991 OR v.gift_balance + p_amount > 9007199254740991 THEN 'amount_out_of_range'
  END
$fn$;
--
CREATE OR REPLACE FUNCTION voucher_top_up(v vouchers, p_amount bigint) RETURNS vouchers LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  v.gift_amount := v.gift_amount + p_amount;
  v.gift_balance := v.gift_balance + p_amount;
  v.status := voucher_status(v);
  RETURN v;
END
$fn$;

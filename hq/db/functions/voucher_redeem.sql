-- A redemption of p_amount (minor units: a gift card's debit) that occurred p_at — core/voucher-effects.ts
-- redeemRefusal() and redeemVoucher(), in SQL for the push's hot path. voucher_redeem_refusal() says
-- why it would be refused (NULL: accepted); voucher_redeem() is the voucher after an accepted one.
-- Whoever writes the voucher back sets updated_at. test/hq/voucher-effects-golden.test.ts runs one
-- table of cases through these and through core and requires the same vouchers and outcomes.
CREATE OR REPLACE FUNCTION voucher_redeem_refusal(v vouchers, p_amount bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN v.status = 'CANCELLED' THEN 'cancelled'
    -- −(2^53−1): the lowest balance a till can read (GiftSchema)
    WHEN v.type = 'GIFT_VOUCHER' THEN CASE WHEN v.gift_balance - p_amount < -9007199254740991 THEN 'amount_out_of_range' END
    WHEN v.type = 'LOYALTY_CARD' THEN 'wrong_voucher_type' -- its points move by LOYALTY_EARN / LOYALTY_SPEND
    WHEN v.quantity IS NOT NULL AND v.redeemed_quantity >= v.quantity THEN 'quantity_exceeded'
  END
$fn$;
--
CREATE OR REPLACE FUNCTION voucher_redeem(v vouchers, p_amount bigint, p_at timestamptz) RETURNS vouchers LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF v.type = 'GIFT_VOUCHER' THEN
    v.gift_balance := v.gift_balance - p_amount;
  ELSE
    v.redeemed_quantity := v.redeemed_quantity + 1;
  END IF;
  v.used_at := GREATEST(COALESCE(v.used_at, p_at), p_at);
  v.status := voucher_status(v);
  RETURN v;
END
$fn$;

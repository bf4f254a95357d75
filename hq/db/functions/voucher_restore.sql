-- An accepted redemption of p_amount undone — core/voucher-effects.ts restoreVoucher(), in SQL: a
-- discount voucher gets its use back (never below zero), a gift card the amount, but never past what it
-- was issued for (what it got back is the new balance minus the old). Whoever writes the voucher back
-- sets updated_at. test/hq/voucher-effects-golden.test.ts holds it equal to core.
CREATE OR REPLACE FUNCTION voucher_restore(v vouchers, p_amount bigint) RETURNS vouchers LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF v.type = 'GIFT_VOUCHER' THEN
    v.gift_balance := v.gift_balance + GREATEST(LEAST(p_amount, v.gift_amount - v.gift_balance), 0);
  ELSIF v.type = 'LOYALTY_CARD' THEN
    RETURN v; -- never redeemed (voucher_redeem_refusal())
  ELSE
    v.redeemed_quantity := GREATEST(v.redeemed_quantity - 1, 0);
  END IF;
  v.status := voucher_status(v);
  RETURN v;
END
$fn$;

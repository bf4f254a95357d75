-- The status a voucher's counts give it — core/voucher-effects.ts voucherStatus(), in SQL. CANCELLED
-- stays; a discount voucher is REDEEMED when a quantity is set and used up, a gift card when its
-- balance is zero or less; a loyalty card never; otherwise ACTIVE. test/hq/voucher-effects-golden.test.ts holds the two equal.
CREATE OR REPLACE FUNCTION voucher_status(v vouchers) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN v.status = 'CANCELLED' THEN 'CANCELLED'
    WHEN v.type = 'GIFT_VOUCHER' THEN CASE WHEN v.gift_balance <= 0 THEN 'REDEEMED' ELSE 'ACTIVE' END
    WHEN v.type = 'LOYALTY_CARD' THEN 'ACTIVE'
    WHEN v.quantity IS NOT NULL AND v.redeemed_quantity >= v.quantity THEN 'REDEEMED'
    ELSE 'ACTIVE' END
$fn$;

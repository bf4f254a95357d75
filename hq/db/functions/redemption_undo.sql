-- What undoing an ACCEPTED redemption row does to its voucher — for a push's ROLLBACK (push_ops()) and
-- the back office's (rollback_redemption()) alike: a REDEMPTION gives its use or its money back
-- (voucher_restore(): a gift card never past its issued amount), a LOYALTY_EARN or LOYALTY_SPEND is
-- reversed (voucher_points_reverse()). Returns the voucher after it and the ledger row that records it:
-- `ledger` 'gift' (kind ROLLBACK) or 'loyalty' (EARN_REVERSAL, SPEND_REVERSAL), `amount` what the
-- balance moved by; `ledger` NULL for a discount voucher (it has no ledger). Whoever writes the voucher
-- back sets updated_at.
CREATE OR REPLACE FUNCTION redemption_undo(v vouchers, r redemptions, OUT voucher vouchers, OUT ledger text, OUT kind text, OUT amount bigint)
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF r.kind = 'REDEMPTION' THEN
    voucher := voucher_restore(v, r.amount);
    IF v.type = 'GIFT_VOUCHER' THEN
      ledger := 'gift'; kind := 'ROLLBACK'; amount := voucher.gift_balance - v.gift_balance;
    END IF;
  ELSE
    voucher := voucher_points_reverse(v, CASE r.kind WHEN 'LOYALTY_EARN' THEN 'earn' ELSE 'spend' END, r.points);
    ledger := 'loyalty'; kind := CASE r.kind WHEN 'LOYALTY_EARN' THEN 'EARN_REVERSAL' ELSE 'SPEND_REVERSAL' END;
    amount := voucher.points_balance - v.points_balance;
  END IF;
END
$fn$;

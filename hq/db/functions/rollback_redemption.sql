-- POST /v1/redemptions/{id}/rollback: undo one redemption outside a push, by the back office (p_till
-- NULL) or by a till (only its own: rollback_refusal()). What undoing does is a push's ROLLBACK
-- (push_ops()), and both take it from redemption_undo(): an accepted redemption gives its use or its
-- money back (a gift card never past its issued amount — the back office may have set the balance in
-- between — and the ledger's ROLLBACK row says what it got), a loyalty earn or spend is reversed with
-- its ledger row; a conflicted one had no effect, and is only marked.
-- Locks: the voucher, then the redemption row, then the change lock — the order a push takes them in,
-- so the two cannot deadlock. Another till's redemption locks nothing. Returns why it was refused (NULL:
-- done: not_found, not_own_redemption, already_rolled_back), the voucher's code and the change number
-- drawn (0: none).
CREATE OR REPLACE FUNCTION rollback_redemption(p_id uuid, p_till uuid)
RETURNS TABLE (r_refusal text, r_code text, r_checkpoint bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  r redemptions%ROWTYPE;
  v vouchers%ROWTYPE;
  v_undo record; -- redemption_undo()'s answer (not `u`: queries here alias `u`)
  v_reason text;
  v_cp bigint := 0;
BEGIN
  SELECT * INTO r FROM redemptions x WHERE x.id = p_id;
  IF NOT FOUND THEN RETURN QUERY SELECT 'not_found'::text, NULL::text, 0::bigint; RETURN; END IF;
  v_reason := rollback_refusal(r, p_till);
  -- A status only ever goes from ACTIVE to ROLLED_BACK: a refusal read without a lock stands.
  IF v_reason IS NOT NULL THEN RETURN QUERY SELECT v_reason, CASE WHEN v_reason = 'already_rolled_back' THEN r.code END, 0::bigint; RETURN; END IF;
  SELECT * INTO v FROM vouchers x WHERE x.code = r.code FOR UPDATE;
  UPDATE redemptions x SET status = 'ROLLED_BACK', rolled_back_at = now(), rolled_back_by = coalesce(p_till::text, 'admin')
    WHERE x.id = p_id AND x.status = 'ACTIVE';
  IF NOT FOUND THEN RETURN QUERY SELECT 'already_rolled_back'::text, r.code, 0::bigint; RETURN; END IF;
  IF r.outcome = 'ACCEPTED' AND v.code IS NOT NULL THEN
    v_undo := redemption_undo(v, r);
    v := v_undo.voucher;
    IF v_undo.ledger = 'gift' THEN
      INSERT INTO gift_ledger (code, kind, amount, redemption_id) VALUES (v.code, v_undo.kind, v_undo.amount, p_id);
    ELSIF v_undo.ledger = 'loyalty' THEN
      INSERT INTO loyalty_ledger (code, kind, points, redemption_id) VALUES (v.code, v_undo.kind, v_undo.amount, p_id);
    END IF;
    PERFORM lock_changes();
    UPDATE vouchers x SET redeemed_quantity = v.redeemed_quantity, gift_balance = v.gift_balance, status = v.status,
      points_balance = v.points_balance, points_earned = v.points_earned, points_spent = v.points_spent, updated_at = now(), change_seq = nextval('change_seq')
      WHERE x.code = v.code RETURNING x.change_seq INTO v_cp;
  END IF;
  RETURN QUERY SELECT NULL::text, r.code, v_cp;
END
$fn$;

-- Applies a run of REDEMPTION ops (a JSON array, in seq order) for one till, in that order, inside the
-- database: one round trip per run instead of one per op, and PL/pgSQL keeps its plans cached. Used by
-- the general push path (hq/push/apply-push.ts: batches with a ROLLBACK or GIFT_ISSUE); push_redemptions.sql is
-- the common case's twin (issue 13 merges them).
-- Semantics are those of the contract's "Push semantics": a conditional UPDATE consumes a use (or
-- debits a gift card, accepting and flagging an overdraft); a refused redemption is stored as CONFLICT
-- naming the redemption that won (the answer names its till and time, never its op_id: a till that
-- loses must not be able to roll the winner back); an unknown code is REJECTED. A gift debit never
-- takes a balance below −(2^53−1) minor units, the lowest a till can read (GiftSchema): past it the op
-- is REJECTED `amount_out_of_range` and the answer carries the card as HQ has it. Returns one row per
-- op, in order, with the voucher as it is right after that op.
CREATE OR REPLACE FUNCTION apply_redemptions(p_till uuid, p_ops jsonb)
RETURNS TABLE (op_id uuid, outcome text, reason text, code text, overdraft boolean, winner jsonb, voucher text)
LANGUAGE plpgsql AS $fn$
DECLARE
  e jsonb;
  v vouchers%ROWTYPE;
  w record;
  p_op uuid;
  p_code text;
  p_amount bigint;
  p_at timestamptz;
  v_reason text;
  v_winner jsonb;
BEGIN
  FOR i IN 0 .. jsonb_array_length(p_ops) - 1 LOOP
    e := p_ops -> i;
    p_op := (e ->> 'op_id')::uuid;
    p_code := e ->> 'code';
    p_amount := (e ->> 'amount')::bigint;
    p_at := (e ->> 'occurred_at')::timestamptz;
    -- The batch's vouchers are locked already (apply-push.ts lockVouchers): read, decide, write.
    SELECT * INTO v FROM vouchers WHERE vouchers.code = p_code;
    IF NOT FOUND THEN
      op_id := p_op; outcome := 'REJECTED'; reason := 'not_found'; code := p_code; overdraft := false; winner := NULL; voucher := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;
    v_reason := voucher_redeem_refusal(v, p_amount);
    IF v_reason = 'amount_out_of_range' THEN
      op_id := p_op; outcome := 'REJECTED'; reason := v_reason; code := v.code; overdraft := false; winner := NULL; voucher := voucher_json(v);
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF v_reason IS NULL THEN
      v := voucher_redeem(v, p_amount, p_at);
      UPDATE vouchers SET redeemed_quantity = v.redeemed_quantity, gift_balance = v.gift_balance, status = v.status, used_at = v.used_at, updated_at = now()
        WHERE vouchers.code = p_code RETURNING * INTO v;
      IF v.type = 'GIFT_VOUCHER' THEN
        INSERT INTO gift_ledger (code, kind, amount, redemption_id) VALUES (v.code, 'DEBIT', -p_amount, p_op);
      END IF;
      INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, overdraft, occurred_at)
        VALUES (p_op, v.code, p_till, e ->> 'ticket_id', p_amount, 'ACCEPTED', v.type = 'GIFT_VOUCHER' AND v.gift_balance < 0, p_at);
      op_id := p_op; outcome := 'ACCEPTED'; reason := NULL; code := v.code;
      overdraft := v.type = 'GIFT_VOUCHER' AND v.gift_balance < 0; winner := NULL; voucher := voucher_json(v);
      RETURN NEXT;
      CONTINUE;
    END IF;
    -- v_reason: cancelled or quantity_exceeded — a CONFLICT naming the redemption that won.
    SELECT r.id, r.till_id, r.occurred_at INTO w FROM redemptions r
      WHERE r.code = p_code AND r.outcome = 'ACCEPTED' AND r.status = 'ACTIVE'
      ORDER BY r.created_at DESC, r.occurred_at DESC LIMIT 1;
    v_winner := jsonb_build_object('op_id', w.id, 'till_id', w.till_id,
      'occurred_at', to_char(w.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
    INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, reason, winner, occurred_at)
      VALUES (p_op, p_code, p_till, e ->> 'ticket_id', p_amount, 'CONFLICT', v_reason, v_winner, p_at);
    op_id := p_op; outcome := 'CONFLICT'; reason := v_reason; code := p_code; overdraft := false; winner := v_winner - 'op_id'; voucher := voucher_json(v);
    RETURN NEXT;
  END LOOP;
END
$fn$;

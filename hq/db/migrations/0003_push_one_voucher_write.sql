-- push_redemptions() (migration 0002) with each voucher written once per push instead of twice.
-- Before, apply_redemptions updated a voucher for every op and the change stamp updated it once more;
-- both updates are non-HOT (status and change_seq are indexed), so every op cost two new row versions
-- and two sets of index entries. Now the batch's vouchers are read once under their row locks, the ops
-- are applied to those rows in memory (same rules as apply_redemptions, in seq order), and each
-- changed voucher is written once, with its change number, after the change-feed lock is taken.
-- Redemption and gift-ledger rows are still written per op, as apply_redemptions writes them, so the
-- winner a conflict names is found the same way.
CREATE OR REPLACE FUNCTION push_redemptions(p_till uuid, p_ops jsonb)
RETURNS TABLE (r_op_id uuid, r_result text, r_last_seq bigint, r_checkpoint bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  e jsonb;
  a record;
  k int;
  p_op uuid;
  p_seq bigint;
  v_first bigint;
  v_last bigint;
  v_cp bigint := 0;
  v_res text;
  s_ids uuid[];
  s_tills uuid[];
  s_results text[];
  o_ids uuid[] := '{}';
  o_results text[] := '{}';
  st_ids uuid[] := '{}';
  st_seqs bigint[] := '{}';
  st_types text[] := '{}';
  st_outcomes text[] := '{}';
  st_results text[] := '{}';
  v_apply jsonb := '[]';
  v_codes text[];
  v_rows vouchers[];
  v_dirty boolean[];
  v vouchers%ROWTYPE;
  w record;
  p_code text;
  p_amount bigint;
  p_at timestamptz;
  v_ok boolean;
  v_reason text;
  v_outcome text;
  v_winner jsonb;
BEGIN
  SELECT t.last_seq INTO v_last FROM tills t WHERE t.id = p_till FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'This till is not registered.' USING ERRCODE = 'VT401'; END IF;
  v_first := v_last;
  SELECT array_agg(o.op_id), array_agg(o.till_id), array_agg((o.result - 'op_id')::text) INTO s_ids, s_tills, s_results
    FROM ops o WHERE o.op_id = ANY(ARRAY(SELECT (x ->> 'op_id')::uuid FROM jsonb_array_elements(p_ops) x));

  FOR i IN 0 .. jsonb_array_length(p_ops) - 1 LOOP
    e := p_ops -> i;
    p_op := (e ->> 'op_id')::uuid;
    p_seq := (e ->> 'seq')::bigint;
    k := array_position(s_ids, p_op);
    IF k IS NOT NULL AND s_tills[k] = p_till THEN -- a replay, by op_id, forever
      o_ids := o_ids || p_op; o_results := o_results || s_results[k];
      CONTINUE;
    END IF;
    IF p_seq <= v_last THEN
      o_ids := o_ids || p_op;
      o_results := o_results || CASE WHEN k IS NOT NULL THEN '{"outcome":"REJECTED","reason":"op_id_reused"}' ELSE '{"outcome":"REJECTED","reason":"seq_already_used"}' END;
      CONTINUE;
    END IF;
    IF p_seq <> v_last + 1 THEN
      RAISE EXCEPTION 'Expected seq % next but got %; push the missing ops first. Nothing was applied.', v_last + 1, p_seq USING ERRCODE = 'VT409';
    END IF;
    v_last := p_seq;
    IF k IS NOT NULL THEN -- another till's op_id: refused, never stored under this till
      o_ids := o_ids || p_op; o_results := o_results || '{"outcome":"REJECTED","reason":"op_id_reused"}'::text;
    ELSIF e ? 'invalid' THEN
      v_res := concat('{"outcome":"REJECTED","reason":', to_json(e ->> 'invalid')::text, '}');
      o_ids := o_ids || p_op; o_results := o_results || v_res;
      st_ids := st_ids || p_op; st_seqs := st_seqs || p_seq; st_types := st_types || (e ->> 'type');
      st_outcomes := st_outcomes || 'REJECTED'::text; st_results := st_results || v_res;
    ELSE
      v_apply := v_apply || e;
    END IF;
  END LOOP;

  IF jsonb_array_length(v_apply) > 0 THEN
    -- Lock and read the batch's vouchers in one order (code), so concurrent pushes cannot deadlock.
    SELECT array_agg((x.vr).code), array_agg(x.vr), array_agg(false) INTO v_codes, v_rows, v_dirty FROM (
      SELECT vr FROM vouchers vr WHERE vr.code = ANY(ARRAY(SELECT DISTINCT y ->> 'code' FROM jsonb_array_elements(v_apply) y))
      ORDER BY vr.code FOR UPDATE) x;
    FOR i IN 0 .. jsonb_array_length(v_apply) - 1 LOOP
      e := v_apply -> i;
      p_op := (e ->> 'op_id')::uuid;
      p_seq := (e ->> 'seq')::bigint;
      p_code := e ->> 'code';
      p_amount := (e ->> 'amount')::bigint;
      p_at := (e ->> 'occurred_at')::timestamptz;
      k := array_position(v_codes, p_code);
      IF k IS NULL THEN
        v_outcome := 'REJECTED'; v_res := '{"outcome":"REJECTED","reason":"not_found"}';
      ELSE
        v := v_rows[k];
        v_ok := v.status <> 'CANCELLED' AND (v.type = 'GIFT_VOUCHER' OR v.quantity IS NULL OR v.redeemed_quantity < v.quantity);
        IF v_ok THEN
          IF v.type = 'DISCOUNT_VOUCHER' THEN
            v.redeemed_quantity := v.redeemed_quantity + 1;
            IF v.quantity IS NOT NULL AND v.redeemed_quantity >= v.quantity THEN v.status := 'REDEEMED'; END IF;
          ELSE
            v.gift_balance := v.gift_balance - p_amount;
            v.status := CASE WHEN v.gift_balance <= 0 THEN 'REDEEMED' ELSE 'ACTIVE' END;
            INSERT INTO gift_ledger (code, kind, amount, redemption_id) VALUES (v.code, 'DEBIT', -p_amount, p_op);
          END IF;
          v.used_at := GREATEST(COALESCE(v.used_at, p_at), p_at);
          v.updated_at := now();
          v_rows[k] := v;
          v_dirty[k] := true;
          INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, overdraft, occurred_at)
            VALUES (p_op, v.code, p_till, e ->> 'ticket_id', p_amount, 'ACCEPTED', v.type = 'GIFT_VOUCHER' AND v.gift_balance < 0, p_at);
          v_outcome := 'ACCEPTED';
          v_res := concat('{"outcome":"ACCEPTED"', CASE WHEN v.type = 'GIFT_VOUCHER' AND v.gift_balance < 0 THEN ',"overdraft":true' END, ',"voucher":', voucher_json(v), '}');
        ELSE
          v_reason := CASE WHEN v.status = 'CANCELLED' THEN 'cancelled' ELSE 'quantity_exceeded' END;
          SELECT r.id, r.till_id, r.occurred_at INTO w FROM redemptions r
            WHERE r.code = p_code AND r.outcome = 'ACCEPTED' AND r.status = 'ACTIVE'
            ORDER BY r.created_at DESC, r.occurred_at DESC LIMIT 1;
          v_winner := jsonb_build_object('op_id', w.id, 'till_id', w.till_id,
            'occurred_at', to_char(w.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
          INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, reason, winner, occurred_at)
            VALUES (p_op, p_code, p_till, e ->> 'ticket_id', p_amount, 'CONFLICT', v_reason, v_winner, p_at);
          v_outcome := 'CONFLICT';
          v_res := concat('{"outcome":"CONFLICT","reason":"', v_reason, '","winner":', v_winner::text, ',"voucher":', voucher_json(v), '}');
        END IF;
      END IF;
      o_ids := o_ids || p_op; o_results := o_results || v_res;
      st_ids := st_ids || p_op; st_seqs := st_seqs || p_seq; st_types := st_types || 'REDEMPTION'::text;
      st_outcomes := st_outcomes || v_outcome; st_results := st_results || v_res;
    END LOOP;
  END IF;

  IF cardinality(st_ids) > 0 THEN
    INSERT INTO ops (op_id, till_id, seq, type, outcome, result)
      SELECT u.id, p_till, u.seq, u.type, u.outcome, u.result::jsonb FROM unnest(st_ids, st_seqs, st_types, st_outcomes, st_results) AS u(id, seq, type, outcome, result);
  END IF;
  IF v_last <> v_first THEN UPDATE tills SET last_seq = v_last WHERE tills.id = p_till; END IF;
  -- Last of all, the change-feed lock (changes.ts), then the one write of each changed voucher with
  -- its change number: held only for this statement and the commit.
  IF true = ANY(v_dirty) THEN
    PERFORM pg_advisory_xact_lock(1987016035);
    WITH s AS (
      UPDATE vouchers SET redeemed_quantity = n.redeemed_quantity, gift_balance = n.gift_balance, status = n.status,
        used_at = n.used_at, updated_at = n.updated_at, change_seq = nextval('change_seq')
      FROM unnest(v_rows) WITH ORDINALITY AS n
      WHERE v_dirty[n.ordinality] AND vouchers.code = n.code
      RETURNING vouchers.change_seq)
    SELECT coalesce(max(s.change_seq), 0) INTO v_cp FROM s;
  END IF;
  RETURN QUERY SELECT u.id, u.result, v_last, v_cp FROM unnest(o_ids, o_results) AS u(id, result);
END
$fn$;

-- A whole push of REDEMPTION ops (plus ops HQ already found malformed) as ONE statement, so it runs in
-- an implicit transaction that commits the moment the statement ends. Why: with BEGIN … COMMIT sent
-- from Node, every lock a push takes (its till row, its vouchers, the change-feed lock) stayed held
-- across round trips to a busy Node event loop; under load pushes mostly waited on each other. Here
-- nothing waits on Node, and the change-feed lock is taken last, right before the commit.
--
-- p_ops: the batch's distinct ops in seq order, each {op_id (lower case), seq, type} plus either
-- {code (normalised), ticket_id, amount, occurred_at} or {invalid: what is wrong} (REJECTED invalid_op). Semantics are apply-push.ts's
-- (contract "Push semantics"): replays answer from ops.result; a reused seq or another till's op_id is
-- refused; a gap raises VT409 (nothing applied); an unknown till raises VT401. Returns one row per op:
-- its op_id and result JSON without op_id (as stored in ops.result), the till's new last_seq and the
-- highest change number drawn (0 if none).
--
-- How it stays cheap (each step measured with bench:hq, see bench/RESULTS-hq.md): each voucher is written
-- once per push, together with its change number; the redemption and gift-ledger rows of a push go in
-- one INSERT each at the end, per-op lists filled by index (appending with `||` copies the whole array
-- every time: quadratic in the batch); a conflict names the latest ACTIVE ACCEPTED redemption of the
-- code by (created_at, occurred_at), looked up among stored rows and this push's own accepted ones — by
-- its till and time only (a till that loses must not learn the winner's op_id and roll it back).
-- A gift debit never takes a balance below −(2^53−1) minor units, the lowest a till can read
-- (GiftSchema): two debits of 2^53−1 once took a card to about −2^54, and every till's feed then carried
-- a voucher no till could parse. Past the limit the op is REJECTED `amount_out_of_range` (nothing
-- changes, last_seq advances) and the answer carries the card as HQ has it.
CREATE OR REPLACE FUNCTION push_redemptions(p_till uuid, p_ops jsonb)
RETURNS TABLE (r_op_id uuid, r_result text, r_last_seq bigint, r_checkpoint bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  e jsonb;
  k int;
  p_op uuid;
  p_seq bigint;
  p_code text;
  p_amount bigint;
  p_at timestamptz;
  v_first bigint;
  v_last bigint;
  v_cp bigint := 0;
  v_res text;
  v_outcome text;
  v_reason text;
  v_winner jsonb;
  v vouchers%ROWTYPE;
  w_id uuid; w_till uuid; w_at timestamptz; w_created timestamptz;
  -- results of this push's distinct ops (n_o), the ones stored in ops (n_s)
  s_ids uuid[]; s_tills uuid[]; s_results text[];
  n_o int := 0; o_ids uuid[] := '{}'; o_results text[] := '{}';
  n_s int := 0; st_ids uuid[] := '{}'; st_seqs bigint[] := '{}'; st_types text[] := '{}'; st_outcomes text[] := '{}'; st_results text[] := '{}';
  -- the redemptions to apply, and the locked vouchers with what this push did to them
  n_a int := 0; v_apply int[] := '{}'; -- positions in p_ops
  v_codes text[]; v_rows vouchers[]; v_dirty boolean[]; win_op uuid[]; win_at timestamptz[];
  n_r int := 0; rd_ids uuid[] := '{}'; rd_codes text[] := '{}'; rd_tickets text[] := '{}'; rd_amounts bigint[] := '{}'; rd_outcomes text[] := '{}';
  rd_reasons text[] := '{}'; rd_winners jsonb[] := '{}'; rd_overdrafts boolean[] := '{}'; rd_ats timestamptz[] := '{}';
  n_g int := 0; g_codes text[] := '{}'; g_amounts bigint[] := '{}'; g_ids uuid[] := '{}';
BEGIN
  SELECT t.last_seq INTO v_last FROM tills t WHERE t.id = p_till FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'This till is not registered.' USING ERRCODE = 'VT401'; END IF;
  v_first := v_last;
  SELECT array_agg(o.op_id), array_agg(o.till_id), array_agg(o.result) INTO s_ids, s_tills, s_results
    FROM ops o WHERE o.op_id = ANY(ARRAY(SELECT (x ->> 'op_id')::uuid FROM jsonb_array_elements(p_ops) x));

  FOR i IN 0 .. jsonb_array_length(p_ops) - 1 LOOP
    e := p_ops -> i;
    p_op := (e ->> 'op_id')::uuid;
    p_seq := (e ->> 'seq')::bigint;
    k := array_position(s_ids, p_op);
    v_res := NULL;
    IF k IS NOT NULL AND s_tills[k] = p_till THEN -- a replay, by op_id, forever
      v_res := s_results[k];
    ELSIF p_seq <= v_last THEN
      v_res := CASE WHEN k IS NOT NULL THEN '{"outcome":"REJECTED","reason":"op_id_reused"}' ELSE '{"outcome":"REJECTED","reason":"seq_already_used"}' END;
    ELSIF p_seq <> v_last + 1 THEN
      RAISE EXCEPTION 'Expected seq % next but got %; push the missing ops first. Nothing was applied.', v_last + 1, p_seq USING ERRCODE = 'VT409';
    ELSE
      v_last := p_seq;
      IF k IS NOT NULL THEN -- another till's op_id: refused, never stored under this till
        v_res := '{"outcome":"REJECTED","reason":"op_id_reused"}';
      ELSIF e ? 'invalid' THEN
        v_res := concat('{"outcome":"REJECTED","reason":"invalid_op","detail":', to_json(e ->> 'invalid')::text, '}');
        n_s := n_s + 1; st_ids[n_s] := p_op; st_seqs[n_s] := p_seq; st_types[n_s] := e ->> 'type'; st_outcomes[n_s] := 'REJECTED'; st_results[n_s] := v_res;
      ELSE
        n_a := n_a + 1; v_apply[n_a] := i; -- answered below
      END IF;
    END IF;
    IF v_res IS NOT NULL THEN n_o := n_o + 1; o_ids[n_o] := p_op; o_results[n_o] := v_res; END IF;
  END LOOP;

  IF n_a > 0 THEN
    -- Lock and read the batch's vouchers in one order (code), so concurrent pushes cannot deadlock.
    SELECT array_agg((x.vr).code), array_agg(x.vr), array_agg(false) INTO v_codes, v_rows, v_dirty FROM (
      SELECT vr FROM vouchers vr WHERE vr.code = ANY(ARRAY(SELECT DISTINCT p_ops -> j ->> 'code' FROM unnest(v_apply) j))
      ORDER BY vr.code FOR UPDATE) x;
    win_op := array_fill(NULL::uuid, ARRAY[coalesce(cardinality(v_codes), 0)]);
    win_at := array_fill(NULL::timestamptz, ARRAY[coalesce(cardinality(v_codes), 0)]);
    FOR i IN 1 .. n_a LOOP
      e := p_ops -> v_apply[i];
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
        v_reason := voucher_redeem_refusal(v, p_amount);
        IF v_reason = 'amount_out_of_range' THEN
          v_outcome := 'REJECTED';
          v_res := concat('{"outcome":"REJECTED","reason":"amount_out_of_range","voucher":', voucher_json(v), '}');
        ELSIF v_reason IS NULL THEN
          v := voucher_redeem(v, p_amount, p_at);
          IF v.type = 'GIFT_VOUCHER' THEN
            n_g := n_g + 1; g_codes[n_g] := v.code; g_amounts[n_g] := -p_amount; g_ids[n_g] := p_op;
          END IF;
          v.updated_at := now();
          v_rows[k] := v;
          v_dirty[k] := true;
          IF win_at[k] IS NULL OR p_at >= win_at[k] THEN win_op[k] := p_op; win_at[k] := p_at; END IF;
          n_r := n_r + 1; rd_ids[n_r] := p_op; rd_codes[n_r] := v.code; rd_tickets[n_r] := e ->> 'ticket_id'; rd_amounts[n_r] := p_amount;
          rd_outcomes[n_r] := 'ACCEPTED'; rd_reasons[n_r] := NULL; rd_winners[n_r] := NULL; rd_ats[n_r] := p_at;
          rd_overdrafts[n_r] := v.type = 'GIFT_VOUCHER' AND v.gift_balance < 0;
          v_outcome := 'ACCEPTED';
          v_res := concat('{"outcome":"ACCEPTED"', CASE WHEN rd_overdrafts[n_r] THEN ',"overdraft":true' END, ',"voucher":', voucher_json(v), '}');
        ELSE
          -- v_reason: cancelled or quantity_exceeded
          SELECT r.id, r.till_id, r.occurred_at, r.created_at INTO w_id, w_till, w_at, w_created FROM redemptions r
            WHERE r.code = p_code AND r.outcome = 'ACCEPTED' AND r.status = 'ACTIVE'
            ORDER BY r.created_at DESC, r.occurred_at DESC LIMIT 1;
          IF win_op[k] IS NOT NULL AND (w_id IS NULL OR (w_created, w_at) <= (now(), win_at[k])) THEN
            w_id := win_op[k]; w_till := p_till; w_at := win_at[k];
          END IF;
          v_winner := jsonb_build_object('op_id', w_id, 'till_id', w_till,
            'occurred_at', to_char(w_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
          n_r := n_r + 1; rd_ids[n_r] := p_op; rd_codes[n_r] := p_code; rd_tickets[n_r] := e ->> 'ticket_id'; rd_amounts[n_r] := p_amount;
          rd_outcomes[n_r] := 'CONFLICT'; rd_reasons[n_r] := v_reason; rd_winners[n_r] := v_winner; rd_overdrafts[n_r] := false; rd_ats[n_r] := p_at;
          v_outcome := 'CONFLICT';
          v_res := concat('{"outcome":"CONFLICT","reason":"', v_reason, '","winner":', (v_winner - 'op_id')::text, ',"voucher":', voucher_json(v), '}');
        END IF;
      END IF;
      n_o := n_o + 1; o_ids[n_o] := p_op; o_results[n_o] := v_res;
      n_s := n_s + 1; st_ids[n_s] := p_op; st_seqs[n_s] := p_seq; st_types[n_s] := 'REDEMPTION'; st_outcomes[n_s] := v_outcome; st_results[n_s] := v_res;
    END LOOP;
  END IF;

  IF n_r > 0 THEN
    INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, reason, winner, overdraft, occurred_at)
      SELECT u.id, u.code, p_till, u.ticket, u.amount, u.outcome, u.reason, u.winner, u.overdraft, u.at
      FROM unnest(rd_ids, rd_codes, rd_tickets, rd_amounts, rd_outcomes, rd_reasons, rd_winners, rd_overdrafts, rd_ats) AS u(id, code, ticket, amount, outcome, reason, winner, overdraft, at);
  END IF;
  IF n_g > 0 THEN
    INSERT INTO gift_ledger (code, kind, amount, redemption_id) SELECT u.code, 'DEBIT', u.amount, u.id FROM unnest(g_codes, g_amounts, g_ids) WITH ORDINALITY AS u(code, amount, id, n) ORDER BY u.n;
  END IF;
  IF n_s > 0 THEN
    INSERT INTO ops (op_id, till_id, seq, type, outcome, result)
      SELECT u.id, p_till, u.seq, u.type, u.outcome, u.result FROM unnest(st_ids, st_seqs, st_types, st_outcomes, st_results) AS u(id, seq, type, outcome, result);
  END IF;
  IF v_last <> v_first THEN UPDATE tills SET last_seq = v_last WHERE tills.id = p_till; END IF;
  -- Last of all, the change-feed lock (changes.ts), then the one write of each changed voucher with
  -- its change number: held only for this statement and the commit.
  IF true = ANY(v_dirty) THEN
    PERFORM lock_changes();
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

-- A till's push (POST /v1/sync/push, contract "Push semantics") as ONE statement: every op type goes
-- through here, so what an op does never depends on what else shares its batch, and replays, seq, op_id
-- and the winner of a conflict have one rule each. One statement runs in an implicit transaction that
-- commits the moment it ends. Why: with BEGIN … COMMIT sent from Node, every lock a push takes (its till
-- row, its vouchers, the change-feed lock) stayed held across round trips to a busy Node event loop;
-- under load pushes mostly waited on each other. Here nothing waits on Node, and the change-feed lock is
-- taken last, right before the commit.
--
-- p_ops: the batch's distinct ops in seq order (hq/push/steps.ts builds them), each {op_id (lower case),
-- seq, type} and one of
--   REDEMPTION  {code (normalised), ticket_id, amount, occurred_at}
--   ROLLBACK    {redemption: the op_id of the redemption to undo, lower case}
--   GIFT_ISSUE  {code, voucher: the new card as a vouchers row}
--   GIFT_TOP_UP {code, amount, max: HQ's maximum (amount_exceeds_maximum above it, with the card)}
--   LOYALTY_EARN / LOYALTY_SPEND {code, ticket_id, points, amount (a spend's money value), occurred_at}
--   any type    {answer: the REJECTED result text HQ already decided (malformed op, card above HQ's maximum)}
-- Replays answer from ops.result; a reused seq or another till's op_id is refused; a gap raises VT409
-- (nothing applied); an unknown till raises VT401. Returns one row per op: its op_id and result JSON
-- without op_id (as stored in ops.result), the till's new last_seq and the highest change number drawn
-- (0 if none).
--
-- The push works on copies: the vouchers it may change are locked and read once, in code order
-- (push_codes()), changed in memory by the rules core/voucher-effects.ts states (voucher_redeem(),
-- voucher_restore(), voucher_top_up(), voucher_points(); test/hq/voucher-effects-golden.test.ts holds them equal), and each changed one is
-- written once at the end with its change number. This push's redemptions go into the table in one
-- INSERT at the end; per-op lists are filled by index (appending with `||` copies the whole array every
-- time: quadratic in the batch). Each step was measured with bench:hq (bench/RESULTS-hq.md).
--
-- The winner a CONFLICT names is the ACTIVE ACCEPTED redemption of its code applied last: this push's
-- own if it has one, else the stored one with the highest `applied` (drawn at insert, under the
-- voucher's lock). By till and time only: a till that loses must not learn the winner's op_id and roll
-- it back. A gift debit never takes a balance below −(2^53−1) minor units, the lowest a till can read
-- (GiftSchema): past it the op is REJECTED `amount_out_of_range` and the answer carries the card as HQ
-- has it. A ROLLBACK undoes only this till's redemptions (rollback_refusal(), shared with the back
-- office's rollback_redemption()); a GIFT_ISSUE uses a code HQ leased to this till, once; a GIFT_TOP_UP
-- raises a gift card's amount and balance (voucher_top_up(), shared with the back office's top-up).
-- LOYALTY_EARN and LOYALTY_SPEND move a loyalty card's points (voucher_points()): never refused for the
-- balance — an earn always adds, a spend that overdraws is ACCEPTED and flagged `overdraft` (the points
-- paid at an offline till) — and stored as redemptions of their kind, so a ROLLBACK reverses either
-- (redemption_undo(), shared with the back office's rollback); on a cancelled card one is a stored
-- CONFLICT, like a redemption. Every move is a row of the append-only loyalty ledger.
CREATE OR REPLACE FUNCTION push_ops(p_till uuid, p_ops jsonb)
RETURNS TABLE (r_op_id uuid, r_result text, r_last_seq bigint, r_checkpoint bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  e jsonb;
  j int;
  k int;
  p_op uuid;
  p_seq bigint;
  p_type text;
  p_code text;
  p_amount bigint;
  p_points bigint;
  p_kind text;
  p_at timestamptz;
  v_first bigint;
  v_last bigint;
  v_cp bigint := 0;
  v_res text;
  v_outcome text;
  v_reason text;
  v_winner jsonb;
  v vouchers%ROWTYPE;
  r redemptions%ROWTYPE;
  v_undo record; -- redemption_undo()'s answer (not `u`: queries here alias `u`)
  -- results of this push's distinct ops (n_o), the ones stored in ops (n_s)
  s_ids uuid[]; s_tills uuid[]; s_results text[];
  n_o int := 0; o_ids uuid[] := '{}'; o_results text[] := '{}';
  n_s int := 0; st_ids uuid[] := '{}'; st_seqs bigint[] := '{}'; st_types text[] := '{}'; st_outcomes text[] := '{}'; st_results text[] := '{}';
  -- the ops to apply (positions in p_ops), the locked vouchers with what this push did to them, and
  -- per voucher the position in rd of this push's latest ACTIVE ACCEPTED redemption
  n_a int := 0; v_apply int[] := '{}';
  v_codes text[]; v_rows vouchers[]; v_dirty boolean[]; win int[];
  -- this push's redemptions, inserted at the end; the gift ledger's rows, likewise
  n_r int := 0; rd redemptions[] := '{}'; rd_ids uuid[] := '{}';
  n_g int := 0; g_codes text[] := '{}'; g_kinds text[] := '{}'; g_amounts bigint[] := '{}'; g_ids uuid[] := '{}';
  n_l int := 0; l_codes text[] := '{}'; l_kinds text[] := '{}'; l_points bigint[] := '{}'; l_ids uuid[] := '{}';
BEGIN
  SELECT t.last_seq INTO v_last FROM tills t WHERE t.id = p_till FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'This till is not registered.' USING ERRCODE = 'VT401'; END IF;
  v_first := v_last;
  SELECT array_agg(o.op_id), array_agg(o.till_id), array_agg(o.result) INTO s_ids, s_tills, s_results
    FROM ops o WHERE o.op_id = ANY(ARRAY(SELECT (x ->> 'op_id')::uuid FROM jsonb_array_elements(p_ops) x));

  -- Order first, before touching data: replays, refusals by seq and op_id, a gap (nothing applied).
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
      ELSIF e ? 'answer' THEN
        v_res := e ->> 'answer';
        n_s := n_s + 1; st_ids[n_s] := p_op; st_seqs[n_s] := p_seq; st_types[n_s] := e ->> 'type'; st_outcomes[n_s] := 'REJECTED'; st_results[n_s] := v_res;
      ELSE
        n_a := n_a + 1; v_apply[n_a] := i; -- answered below
      END IF;
    END IF;
    IF v_res IS NOT NULL THEN n_o := n_o + 1; o_ids[n_o] := p_op; o_results[n_o] := v_res; END IF;
  END LOOP;

  IF n_a > 0 THEN
    SELECT array_agg((x.vr).code), array_agg(x.vr), array_agg(false), array_agg(NULL::int) INTO v_codes, v_rows, v_dirty, win FROM (
      SELECT vr FROM vouchers vr WHERE vr.code = ANY(push_codes(p_till, p_ops, v_apply)) ORDER BY vr.code FOR UPDATE) x;
    v_codes := coalesce(v_codes, '{}'); v_rows := coalesce(v_rows, '{}'); v_dirty := coalesce(v_dirty, '{}'); win := coalesce(win, '{}');
    FOR i IN 1 .. n_a LOOP
      e := p_ops -> v_apply[i];
      p_op := (e ->> 'op_id')::uuid;
      p_seq := (e ->> 'seq')::bigint;
      p_type := e ->> 'type';
      IF p_type = 'REDEMPTION' THEN
        p_code := e ->> 'code';
        p_amount := (e ->> 'amount')::bigint;
        p_at := (e ->> 'occurred_at')::timestamptz;
        k := array_position(v_codes, p_code);
        IF k IS NULL THEN
          v_outcome := 'REJECTED'; v_res := '{"outcome":"REJECTED","reason":"not_found"}';
        ELSE
          v := v_rows[k];
          v_reason := voucher_redeem_refusal(v, p_amount);
          r := NULL; r.id := p_op; r.kind := 'REDEMPTION'; r.code := p_code; r.till_id := p_till; r.ticket_id := e ->> 'ticket_id'; r.amount := p_amount;
          r.status := 'ACTIVE'; r.overdraft := false; r.occurred_at := p_at;
          IF v_reason IN ('amount_out_of_range', 'wrong_voucher_type') THEN -- never applicable: the till learns the voucher
            v_outcome := 'REJECTED';
            v_res := concat('{"outcome":"REJECTED","reason":"', v_reason, '","voucher":', voucher_json(v), '}');
          ELSIF v_reason IS NULL THEN
            v := voucher_redeem(v, p_amount, p_at);
            v.updated_at := now();
            v_rows[k] := v;
            v_dirty[k] := true;
            IF v.type = 'GIFT_VOUCHER' THEN
              n_g := n_g + 1; g_codes[n_g] := v.code; g_kinds[n_g] := 'DEBIT'; g_amounts[n_g] := -p_amount; g_ids[n_g] := p_op;
            END IF;
            r.outcome := 'ACCEPTED';
            r.overdraft := v.type = 'GIFT_VOUCHER' AND v.gift_balance < 0;
            n_r := n_r + 1; rd[n_r] := r; rd_ids[n_r] := p_op; win[k] := n_r;
            v_outcome := 'ACCEPTED';
            v_res := concat('{"outcome":"ACCEPTED"', CASE WHEN r.overdraft THEN ',"overdraft":true' END, ',"voucher":', voucher_json(v), '}');
          ELSE
            -- v_reason: cancelled or quantity_exceeded
            IF win[k] IS NOT NULL THEN
              v_winner := jsonb_build_object('op_id', (rd[win[k]]).id, 'till_id', p_till, 'occurred_at', to_char((rd[win[k]]).occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
            ELSE
              SELECT jsonb_build_object('op_id', w.id, 'till_id', w.till_id, 'occurred_at', to_char(w.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) INTO v_winner
                FROM redemptions w WHERE w.code = p_code AND w.outcome = 'ACCEPTED' AND w.status = 'ACTIVE' ORDER BY w.applied DESC LIMIT 1;
              -- none: every accepted one was rolled back since (a cancelled voucher), or HQ never had one
              v_winner := coalesce(v_winner, '{"op_id":null,"till_id":null,"occurred_at":null}');
            END IF;
            r.outcome := 'CONFLICT'; r.reason := v_reason; r.winner := v_winner;
            n_r := n_r + 1; rd[n_r] := r; rd_ids[n_r] := p_op;
            v_outcome := 'CONFLICT';
            v_res := concat('{"outcome":"CONFLICT","reason":"', v_reason, '","winner":', (v_winner - 'op_id')::text, ',"voucher":', voucher_json(v), '}');
          END IF;
        END IF;

      ELSIF p_type = 'ROLLBACK' THEN
        j := array_position(rd_ids, (e ->> 'redemption')::uuid); -- one of this push's?
        IF j IS NOT NULL THEN
          r := rd[j];
        ELSE
          SELECT * INTO r FROM redemptions x WHERE x.id = (e ->> 'redemption')::uuid;
          IF NOT FOUND THEN r := NULL; END IF;
        END IF;
        v_reason := CASE WHEN r.id IS NULL THEN 'not_found' ELSE rollback_refusal(r, p_till) END;
        IF v_reason IS NULL AND j IS NULL THEN
          -- Stored: marked now, so a conflict later in this push does not name it. The voucher is locked
          -- already (vouchers before redemption rows: the order rollback_redemption() takes them in).
          UPDATE redemptions x SET status = 'ROLLED_BACK', rolled_back_at = now(), rolled_back_by = p_till::text WHERE x.id = r.id AND x.status = 'ACTIVE';
          IF NOT FOUND THEN v_reason := 'already_rolled_back'; END IF;
        END IF;
        IF v_reason IS NOT NULL THEN
          v_outcome := 'REJECTED'; v_res := concat('{"outcome":"REJECTED","reason":"', v_reason, '"}');
        ELSE
          k := array_position(v_codes, r.code);
          IF j IS NOT NULL THEN
            rd[j].status := 'ROLLED_BACK'; rd[j].rolled_back_at := now(); rd[j].rolled_back_by := p_till::text;
            -- win[k] may name it now, and need not move back: undoing this push's accepted redemption
            -- gives a use back, so the next redemption of the voucher in this push is accepted and takes
            -- win[k] — no CONFLICT can come between (a voucher is cancelled only between pushes).
          END IF;
          IF r.outcome = 'ACCEPTED' AND k IS NOT NULL THEN -- a conflicted one had no effect to undo
            v_undo := redemption_undo(v_rows[k], r);
            v := v_undo.voucher;
            v.updated_at := now();
            v_rows[k] := v;
            v_dirty[k] := true;
            IF v_undo.ledger = 'gift' THEN
              n_g := n_g + 1; g_codes[n_g] := v.code; g_kinds[n_g] := v_undo.kind; g_amounts[n_g] := v_undo.amount; g_ids[n_g] := r.id;
            ELSIF v_undo.ledger = 'loyalty' THEN
              n_l := n_l + 1; l_codes[n_l] := v.code; l_kinds[n_l] := v_undo.kind; l_points[n_l] := v_undo.amount; l_ids[n_l] := r.id;
            END IF;
          END IF;
          v_outcome := 'ACCEPTED';
          v_res := concat('{"outcome":"ACCEPTED"', CASE WHEN k IS NOT NULL THEN concat(',"voucher":', voucher_json(v_rows[k])) END, '}');
        END IF;

      ELSIF p_type = 'GIFT_TOP_UP' THEN
        p_code := e ->> 'code';
        p_amount := (e ->> 'amount')::bigint;
        k := array_position(v_codes, p_code);
        v_reason := CASE WHEN k IS NULL THEN 'not_found' WHEN p_amount > (e ->> 'max')::bigint THEN 'amount_exceeds_maximum' ELSE voucher_top_up_refusal(v_rows[k], p_amount) END;
        IF v_reason IS NOT NULL THEN
          v_outcome := 'REJECTED';
          v_res := concat('{"outcome":"REJECTED","reason":"', v_reason, '"', CASE WHEN k IS NOT NULL THEN concat(',"voucher":', voucher_json(v_rows[k])) END, '}');
        ELSE
          v := voucher_top_up(v_rows[k], p_amount);
          v.updated_at := now();
          v_rows[k] := v;
          v_dirty[k] := true;
          n_g := n_g + 1; g_codes[n_g] := p_code; g_kinds[n_g] := 'TOP_UP'; g_amounts[n_g] := p_amount; g_ids[n_g] := NULL;
          v_outcome := 'ACCEPTED';
          v_res := concat('{"outcome":"ACCEPTED","voucher":', voucher_json(v), '}');
        END IF;

      ELSIF p_type IN ('LOYALTY_EARN', 'LOYALTY_SPEND') THEN
        p_code := e ->> 'code';
        p_kind := CASE p_type WHEN 'LOYALTY_EARN' THEN 'earn' ELSE 'spend' END;
        p_points := (e ->> 'points')::bigint;
        p_at := (e ->> 'occurred_at')::timestamptz;
        k := array_position(v_codes, p_code);
        v_reason := CASE WHEN k IS NULL THEN 'not_found' ELSE voucher_points_refusal(v_rows[k], p_kind, p_points) END;
        IF v_reason = 'cancelled' THEN
          -- Like a redemption of a cancelled voucher: a CONFLICT, stored (the back office sees it, and a
          -- refund's ROLLBACK of it is accepted with nothing to undo). No winner: nobody else took it.
          r := NULL; r.id := p_op; r.kind := p_type; r.code := p_code; r.till_id := p_till; r.ticket_id := e ->> 'ticket_id';
          r.amount := (e ->> 'amount')::bigint; r.points := p_points; r.outcome := 'CONFLICT'; r.reason := v_reason; r.status := 'ACTIVE';
          r.overdraft := false; r.occurred_at := p_at;
          n_r := n_r + 1; rd[n_r] := r; rd_ids[n_r] := p_op;
          v_outcome := 'CONFLICT';
          v_res := concat('{"outcome":"CONFLICT","reason":"cancelled","voucher":', voucher_json(v_rows[k]), '}');
        ELSIF v_reason IS NOT NULL THEN
          v_outcome := 'REJECTED';
          v_res := concat('{"outcome":"REJECTED","reason":"', v_reason, '"', CASE WHEN k IS NOT NULL THEN concat(',"voucher":', voucher_json(v_rows[k])) END, '}');
        ELSE
          v := voucher_points(v_rows[k], p_kind, p_points, p_at);
          v.updated_at := now();
          v_rows[k] := v;
          v_dirty[k] := true;
          r := NULL; r.id := p_op; r.kind := p_type; r.code := p_code; r.till_id := p_till; r.ticket_id := e ->> 'ticket_id';
          r.amount := (e ->> 'amount')::bigint; r.points := p_points; r.outcome := 'ACCEPTED'; r.status := 'ACTIVE';
          r.overdraft := p_kind = 'spend' AND v.points_balance < 0; r.occurred_at := p_at;
          n_r := n_r + 1; rd[n_r] := r; rd_ids[n_r] := p_op;
          n_l := n_l + 1; l_codes[n_l] := p_code; l_kinds[n_l] := upper(p_kind); l_points[n_l] := CASE p_kind WHEN 'earn' THEN p_points ELSE -p_points END; l_ids[n_l] := p_op;
          v_outcome := 'ACCEPTED';
          v_res := concat('{"outcome":"ACCEPTED"', CASE WHEN r.overdraft THEN ',"overdraft":true' END, ',"voucher":', voucher_json(v), '}');
        END IF;

      ELSE -- GIFT_ISSUE
        p_code := e ->> 'code';
        UPDATE code_leases l SET issued_at = now() WHERE l.code = p_code AND l.till_id = p_till AND l.issued_at IS NULL;
        IF NOT FOUND THEN
          v_reason := 'code_not_leased';
        ELSE
          -- change_seq 0 (voucherRow()): drawn with the others at the end. A code a voucher has is
          -- code_exists, and the lease is used all the same.
          v := jsonb_populate_record(NULL::vouchers, e -> 'voucher');
          v.updated_at := now();
          INSERT INTO vouchers SELECT v.* ON CONFLICT (code) DO NOTHING;
          v_reason := CASE WHEN FOUND THEN NULL ELSE 'code_exists' END;
        END IF;
        IF v_reason IS NOT NULL THEN
          v_outcome := 'REJECTED'; v_res := concat('{"outcome":"REJECTED","reason":"', v_reason, '"}');
        ELSE
          DELETE FROM tombstones t WHERE t.kind = 'voucher' AND t.id = p_code;
          k := cardinality(v_codes) + 1;
          v_codes[k] := p_code; v_rows[k] := v; v_dirty[k] := true; win[k] := NULL;
          n_g := n_g + 1; g_codes[n_g] := p_code; g_kinds[n_g] := 'ISSUE'; g_amounts[n_g] := v.gift_amount; g_ids[n_g] := NULL;
          v_outcome := 'ACCEPTED';
          v_res := concat('{"outcome":"ACCEPTED","voucher":', voucher_json(v), '}');
        END IF;
      END IF;
      n_o := n_o + 1; o_ids[n_o] := p_op; o_results[n_o] := v_res;
      n_s := n_s + 1; st_ids[n_s] := p_op; st_seqs[n_s] := p_seq; st_types[n_s] := p_type; st_outcomes[n_s] := v_outcome; st_results[n_s] := v_res;
    END LOOP;
  END IF;

  IF n_r > 0 THEN -- `applied` is drawn here, in this push's order
    INSERT INTO redemptions (id, kind, code, till_id, ticket_id, amount, points, outcome, reason, status, overdraft, winner, occurred_at, rolled_back_at, rolled_back_by)
      SELECT u.id, u.kind, u.code, u.till_id, u.ticket_id, u.amount, u.points, u.outcome, u.reason, u.status, u.overdraft, u.winner, u.occurred_at, u.rolled_back_at, u.rolled_back_by
      FROM unnest(rd) WITH ORDINALITY AS u ORDER BY u.ordinality;
  END IF;
  IF n_g > 0 THEN
    INSERT INTO gift_ledger (code, kind, amount, redemption_id)
      SELECT u.code, u.kind, u.amount, u.id FROM unnest(g_codes, g_kinds, g_amounts, g_ids) WITH ORDINALITY AS u(code, kind, amount, id, n) ORDER BY u.n;
  END IF;
  IF n_l > 0 THEN
    INSERT INTO loyalty_ledger (code, kind, points, redemption_id)
      SELECT u.code, u.kind, u.points, u.id FROM unnest(l_codes, l_kinds, l_points, l_ids) WITH ORDINALITY AS u(code, kind, points, id, n) ORDER BY u.n;
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
      UPDATE vouchers SET redeemed_quantity = n.redeemed_quantity, gift_amount = n.gift_amount, gift_balance = n.gift_balance, status = n.status,
        points_balance = n.points_balance, points_earned = n.points_earned, points_spent = n.points_spent, used_at = n.used_at, updated_at = n.updated_at, change_seq = nextval('change_seq')
      FROM unnest(v_rows) WITH ORDINALITY AS n
      WHERE v_dirty[n.ordinality] AND vouchers.code = n.code
      RETURNING vouchers.change_seq)
    SELECT coalesce(max(s.change_seq), 0) INTO v_cp FROM s;
  END IF;
  RETURN QUERY SELECT u.id, u.result, v_last, v_cp FROM unnest(o_ids, o_results) AS u(id, result);
END
$fn$;

-- A whole push of REDEMPTION ops (plus ops HQ already found malformed) as ONE statement, so it runs in
-- an implicit transaction that commits the moment the statement ends. Why: with BEGIN … COMMIT sent
-- from Node, every lock a push takes (its till row, its vouchers, the change-feed lock) stayed held
-- across round trips to a busy Node event loop; under load pushes mostly waited on each other. Here
-- nothing waits on Node, and the change-feed lock is taken last, right before the commit.
--
-- p_ops: the batch's distinct ops in seq order, each {op_id (lower case), seq, type} plus either
-- {code (normalised), ticket_id, amount, occurred_at} or {invalid: reason}. Semantics are push.ts's
-- (contract "Push semantics"): replays answer from ops.result; a reused seq or another till's op_id is
-- refused; a gap raises VT409 (nothing applied); an unknown till raises VT401. Returns one row per op:
-- its op_id and result JSON without op_id (as stored in ops.result), the till's new last_seq and the
-- highest change number drawn (0 if none).
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
  v_seq_of jsonb := '{}';
  v_touched text[] := '{}';
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
      v_seq_of := v_seq_of || jsonb_build_object(p_op::text, p_seq);
    END IF;
  END LOOP;

  IF jsonb_array_length(v_apply) > 0 THEN
    -- Lock the batch's vouchers in one order (code), so concurrent pushes cannot deadlock.
    PERFORM 1 FROM vouchers WHERE vouchers.code = ANY(ARRAY(SELECT x ->> 'code' FROM jsonb_array_elements(v_apply) x)) ORDER BY vouchers.code FOR UPDATE;
    FOR a IN SELECT * FROM apply_redemptions(p_till, v_apply) LOOP
      v_res := concat('{"outcome":"', a.outcome, '"',
        CASE WHEN a.reason IS NOT NULL THEN ',"reason":' || to_json(a.reason)::text END,
        CASE WHEN a.winner IS NOT NULL THEN ',"winner":' || a.winner::text END,
        CASE WHEN a.overdraft THEN ',"overdraft":true' END,
        CASE WHEN a.voucher IS NOT NULL THEN ',"voucher":' || a.voucher END, '}');
      o_ids := o_ids || a.op_id; o_results := o_results || v_res;
      st_ids := st_ids || a.op_id; st_seqs := st_seqs || (v_seq_of ->> a.op_id::text)::bigint; st_types := st_types || 'REDEMPTION'::text;
      st_outcomes := st_outcomes || a.outcome; st_results := st_results || v_res;
      IF a.outcome = 'ACCEPTED' THEN v_touched := v_touched || a.code; END IF;
    END LOOP;
  END IF;

  IF cardinality(st_ids) > 0 THEN
    INSERT INTO ops (op_id, till_id, seq, type, outcome, result)
      SELECT u.id, p_till, u.seq, u.type, u.outcome, u.result::jsonb FROM unnest(st_ids, st_seqs, st_types, st_outcomes, st_results) AS u(id, seq, type, outcome, result);
  END IF;
  IF v_last <> v_first THEN UPDATE tills SET last_seq = v_last WHERE tills.id = p_till; END IF;
  -- Last of all, the change-feed lock (changes.ts): held only for this stamp and the commit.
  IF cardinality(v_touched) > 0 THEN
    PERFORM pg_advisory_xact_lock(1987016035);
    WITH s AS (UPDATE vouchers SET change_seq = nextval('change_seq') WHERE vouchers.code = ANY(v_touched) RETURNING vouchers.change_seq)
      SELECT coalesce(max(s.change_seq), 0) INTO v_cp FROM s;
  END IF;
  RETURN QUERY SELECT u.id, u.result, v_last, v_cp FROM unnest(o_ids, o_results) AS u(id, result);
END
$fn$;

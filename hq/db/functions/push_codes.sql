-- The vouchers a push may change, so that it locks them up front in one order (code) — a single push
-- (push_ops()) and a group (push_group()) alike: the codes its ops name (REDEMPTION, GIFT_ISSUE,
-- GIFT_TOP_UP, LOYALTY_EARN, LOYALTY_SPEND: every op with a `code`), and
-- those of this till's redemptions its ROLLBACK ops undo. Another till's redemption is refused
-- (rollback_refusal()), so neither it nor its voucher is locked. p_at: the positions in p_ops to look
-- at (the ops to apply); NULL: all.
CREATE OR REPLACE FUNCTION push_codes(p_till uuid, p_ops jsonb, p_at int[]) RETURNS text[] LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN ARRAY(
    WITH o AS (SELECT p_ops -> j AS e FROM unnest(coalesce(p_at, ARRAY(SELECT generate_series(0, jsonb_array_length(p_ops) - 1)))) j)
    SELECT o.e ->> 'code' FROM o WHERE o.e ? 'code'
    UNION
    SELECT r.code FROM redemptions r
      WHERE r.id = ANY(ARRAY(SELECT (o.e ->> 'redemption')::uuid FROM o WHERE o.e ? 'redemption')) AND r.till_id = p_till);
END
$fn$;

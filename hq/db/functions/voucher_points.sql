-- A loyalty card's points earned or spent (p_op 'earn' | 'spend', p_points positive) that occurred p_at,
-- and either undone — core/voucher-effects.ts pointsRefusal(), movePoints() and reversePoints(), in SQL
-- for the push's hot path. An earn adds to earned and the balance; a spend to spent and takes from the
-- balance, below zero too (an overdraft: the points were taken at an offline till); neither past
-- ±(2^53−1). A reversal takes back what the op did, never more than was counted, never a balance past
-- 2^53−1. Whoever writes the card back sets updated_at. test/hq/voucher-effects-golden.test.ts holds
-- these equal to core.
CREATE OR REPLACE FUNCTION voucher_points_refusal(v vouchers, p_op text, p_points bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN v.type <> 'LOYALTY_CARD' THEN 'not_a_loyalty_card'
    WHEN v.status = 'CANCELLED' THEN 'cancelled'
    WHEN p_op = 'earn' AND (v.points_earned + p_points > 9007199254740991 OR v.points_balance + p_points > 9007199254740991) THEN 'amount_out_of_range'
    WHEN p_op = 'spend' AND (v.points_spent + p_points > 9007199254740991 OR v.points_balance - p_points < -9007199254740991) THEN 'amount_out_of_range'
  END
$fn$;
--
CREATE OR REPLACE FUNCTION voucher_points(v vouchers, p_op text, p_points bigint, p_at timestamptz) RETURNS vouchers LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF p_op = 'earn' THEN
    v.points_earned := v.points_earned + p_points;
    v.points_balance := v.points_balance + p_points;
  ELSE
    v.points_spent := v.points_spent + p_points;
    v.points_balance := v.points_balance - p_points;
  END IF;
  v.used_at := GREATEST(COALESCE(v.used_at, p_at), p_at);
  RETURN v;
END
$fn$;
--
CREATE OR REPLACE FUNCTION voucher_points_reverse(v vouchers, p_op text, p_points bigint) RETURNS vouchers LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  back bigint;
BEGIN
  IF v.type <> 'LOYALTY_CARD' THEN RETURN v; END IF;
  IF p_op = 'earn' THEN
    back := GREATEST(0, LEAST(p_points, v.points_earned));
    v.points_earned := v.points_earned - back;
    v.points_balance := v.points_balance - back;
  ELSE
    back := GREATEST(0, LEAST(p_points, v.points_spent, 9007199254740991 - v.points_balance));
    v.points_spent := v.points_spent - back;
    v.points_balance := v.points_balance + back;
  END IF;
  RETURN v;
END
$fn$;

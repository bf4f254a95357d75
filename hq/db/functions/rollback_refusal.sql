-- Why a redemption may not be undone (NULL: it may), by a till (p_till) or the back office (NULL). A
-- till undoes only the redemptions it made: one that lost a conflict could otherwise undo the winner's
-- and spend the single-use voucher itself, or give a gift card back money spent at another till.
-- Another till's redemption is refused whatever its status, so a till learns nothing more about it.
-- Used by a push's ROLLBACK (push_ops()) and by POST /v1/redemptions/{id}/rollback (rollback_redemption()).
CREATE OR REPLACE FUNCTION rollback_refusal(r redemptions, p_till uuid) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN p_till IS NOT NULL AND r.till_id IS DISTINCT FROM p_till THEN 'not_own_redemption'
    WHEN r.status <> 'ACTIVE' THEN 'already_rolled_back'
  END
$fn$;

// What a ROLLBACK or GIFT_ISSUE op does to the database (REDEMPTION runs are applied by the
// apply_redemptions() function, hq/db/functions/apply_redemptions.sql). Each runs inside the push
// transaction and returns the op's outcome; none throws for a business outcome (only for database
// failures).
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { GiftIssuePayload, PushResult } from '../../sync/protocol';
import { VoucherSchema, voucherDefaults } from '../../core/voucher';
import { rowsOf } from '../db/connect';
import type { Executor } from '../changes';
import { insertVoucher } from '../voucher-store';

type GiftIssue = z.infer<typeof GiftIssuePayload>;
type OpEffect = { result: PushResult; touched?: string };

/**
 * Who undoes a redemption. A till may roll back only the redemptions it made: one that lost a conflict
 * could otherwise undo the winner's and spend the single-use voucher itself, or give a gift card back
 * money spent at another till. The back office may undo any (that is its job), and it is recorded.
 */
export type RollbackActor = { kind: 'admin' } | { kind: 'till'; tillId: string };

export type RollbackOutcome = { ok: true; code: string; restored: boolean } | { ok: false; reason: 'not_found' | 'not_own_redemption' | 'already_rolled_back' };

/** Undo a redemption once: an accepted one gives its quantity or balance back; a conflicted one had no effect. */
export async function rollbackRedemption(tx: Executor, redemptionId: string, by: RollbackActor): Promise<RollbackOutcome> {
  const mine = by.kind === 'till' ? sql`till_id IS NOT DISTINCT FROM ${by.tillId}::uuid` : sql`TRUE`;
  const rows = rowsOf<{ code: string; amount: string | number; outcome: string }>(
    await tx.execute(sql`UPDATE redemptions SET status = 'ROLLED_BACK', rolled_back_at = now(), rolled_back_by = ${by.kind === 'till' ? by.tillId : 'admin'}
      WHERE id = ${redemptionId}::uuid AND status = 'ACTIVE' AND ${mine} RETURNING code, amount, outcome`),
  );
  const row = rows[0];
  if (!row) {
    // Another till's redemption is refused whatever its status: a till learns nothing more about it.
    const found = rowsOf<{ mine: boolean }>(await tx.execute(sql`SELECT ${mine} AS mine FROM redemptions WHERE id = ${redemptionId}::uuid`))[0];
    if (!found) return { ok: false, reason: 'not_found' };
    return { ok: false, reason: found.mine ? 'already_rolled_back' : 'not_own_redemption' };
  }
  if (row.outcome !== 'ACCEPTED') return { ok: true, code: row.code, restored: false };
  // What undoing does is voucher_restore() (hq/db/functions/voucher_restore.sql, core's restoreVoucher
  // in SQL): a gift card never gets back more than takes it to its issued amount — the back office may
  // have set the balance in between (PUT) — and the ledger's ROLLBACK row says what it got. Computed in
  // the database, from the locked row, in bigint: a balance may be as low as −(2^53−1), and the
  // difference is then not exact as a JavaScript number.
  await tx.execute(sql`SELECT 1 FROM vouchers WHERE code = ${row.code} FOR UPDATE`);
  await tx.execute(sql`
    WITH upd AS (
      UPDATE vouchers v SET redeemed_quantity = n.redeemed_quantity, gift_balance = n.gift_balance, status = n.status, updated_at = now()
      FROM vouchers o, LATERAL voucher_restore(o, ${row.amount}::bigint) n
      WHERE v.code = ${row.code} AND o.code = v.code
      RETURNING v.code, v.type, n.gift_balance - o.gift_balance AS restored
    )
    INSERT INTO gift_ledger (code, kind, amount, redemption_id) SELECT code, 'ROLLBACK', restored, ${redemptionId}::uuid FROM upd WHERE type = 'GIFT_VOUCHER'`);
  return { ok: true, code: row.code, restored: true };
}

/**
 * A gift card sold at a till from a code HQ leased to that till. A card above `maxAmount` (minor units,
 * HQ_MAX_GIFT_ISSUE) is refused before the lease is used, so the till can still issue that code.
 */
export async function applyGiftIssue(tx: Executor, opId: string, tillId: string, occurredAt: string, p: GiftIssue, maxAmount: number): Promise<OpEffect> {
  if (p.amount > maxAmount) return { result: { op_id: opId, outcome: 'REJECTED', reason: 'amount_exceeds_maximum' } };
  const leased = rowsOf(
    await tx.execute(sql`UPDATE code_leases SET issued_at = now() WHERE code = ${p.code} AND till_id = ${tillId}::uuid AND issued_at IS NULL RETURNING code`),
  );
  if (!leased.length) return { result: { op_id: opId, outcome: 'REJECTED', reason: 'code_not_leased' } };
  const voucher = VoucherSchema.parse({
    ...voucherDefaults(),
    code: p.code,
    type: 'GIFT_VOUCHER',
    label: 'Gift card',
    campaign: null,
    category: null,
    currency: p.currency,
    discount: null,
    gift: { amount: p.amount, balance: p.amount },
    redemption: { quantity: null, redeemed_quantity: 0 },
    metadata: { issued_by_till: tillId },
    status: 'ACTIVE',
    used_at: null,
    created_at: occurredAt,
    updated_at: new Date().toISOString(),
  });
  if (!(await insertVoucher(tx, voucher))) return { result: { op_id: opId, outcome: 'REJECTED', reason: 'code_exists' } };
  // The result's voucher is attached by apply-push.ts as stored (UTC instants), the same object GET returns.
  return { result: { op_id: opId, outcome: 'ACCEPTED' }, touched: voucher.code };
}

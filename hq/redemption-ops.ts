// What a ROLLBACK or GIFT_ISSUE op does to the database (REDEMPTION runs are applied by the
// apply_redemptions() function, migration 0001). Each runs inside the push transaction and returns the
// op's outcome; none throws for a business outcome (only for database failures).
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { GiftIssuePayload, PushResult } from '../sync/protocol';
import { VoucherSchema, voucherDefaults } from '../core/voucher';
import { rowsOf } from './db/connect';
import type { Executor } from './changes';
import { insertVoucher } from './voucher-store';

type GiftIssue = z.infer<typeof GiftIssuePayload>;
type OpEffect = { result: PushResult; touched?: string };

export type RollbackOutcome = { ok: true; code: string; restored: boolean } | { ok: false; reason: 'not_found' | 'already_rolled_back' };

/** Undo a redemption once: an accepted one gives its quantity or balance back; a conflicted one had no effect. */
export async function rollbackRedemption(tx: Executor, redemptionId: string): Promise<RollbackOutcome> {
  const rows = rowsOf<{ code: string; amount: string | number; outcome: string }>(
    await tx.execute(sql`UPDATE redemptions SET status = 'ROLLED_BACK', rolled_back_at = now() WHERE id = ${redemptionId}::uuid AND status = 'ACTIVE' RETURNING code, amount, outcome`),
  );
  const row = rows[0];
  if (!row) {
    const exists = rowsOf(await tx.execute(sql`SELECT 1 FROM redemptions WHERE id = ${redemptionId}::uuid`)).length > 0;
    return { ok: false, reason: exists ? 'already_rolled_back' : 'not_found' };
  }
  if (row.outcome !== 'ACCEPTED') return { ok: true, code: row.code, restored: false };
  const amount = Number(row.amount);
  await tx.execute(sql`
    WITH upd AS (
      UPDATE vouchers v SET
        redeemed_quantity = CASE WHEN v.type = 'DISCOUNT_VOUCHER' THEN GREATEST(v.redeemed_quantity - 1, 0) ELSE v.redeemed_quantity END,
        gift_balance = CASE WHEN v.type = 'GIFT_VOUCHER' THEN v.gift_balance + ${amount} ELSE v.gift_balance END,
        status = CASE
          WHEN v.status = 'CANCELLED' THEN 'CANCELLED'
          WHEN v.type = 'DISCOUNT_VOUCHER' THEN CASE WHEN v.quantity IS NOT NULL AND v.redeemed_quantity - 1 >= v.quantity THEN 'REDEEMED' ELSE 'ACTIVE' END
          ELSE CASE WHEN v.gift_balance + ${amount} <= 0 THEN 'REDEEMED' ELSE 'ACTIVE' END END,
        updated_at = now()
      WHERE v.code = ${row.code}
      RETURNING v.code, v.type
    )
    INSERT INTO gift_ledger (code, kind, amount, redemption_id) SELECT code, 'ROLLBACK', ${amount}::bigint, ${redemptionId}::uuid FROM upd WHERE type = 'GIFT_VOUCHER'`);
  return { ok: true, code: row.code, restored: true };
}

/** A gift card sold at a till from a code HQ leased to that till. */
export async function applyGiftIssue(tx: Executor, opId: string, tillId: string, occurredAt: string, p: GiftIssue): Promise<OpEffect> {
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
  // The result's voucher is attached by push.ts as stored (UTC instants), the same object GET returns.
  return { result: { op_id: opId, outcome: 'ACCEPTED' }, touched: voucher.code };
}

// What one op does to the database. Each function runs inside the push transaction and returns the
// op's result; none of them throws for a business outcome (only for database failures).
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { GiftIssuePayload, PushResult, RedemptionPayload } from '../sync/protocol';
import { VoucherSchema, voucherDefaults } from '../core/voucher';
import { rowsOf } from './db/connect';
import { rowToVoucher, VOUCHER_COLUMNS, type VoucherRow } from './db/rows';
import type { Executor } from './changes';
import { getVoucher, insertVoucher } from './voucher-store';

type Redemption = z.infer<typeof RedemptionPayload>;
type GiftIssue = z.infer<typeof GiftIssuePayload>;
export type OpEffect = { result: PushResult; touched?: string };

const PREFIXED = VOUCHER_COLUMNS.split(', ')
  .map((c) => `v.${c}`)
  .join(', ');

/**
 * The first redemption HQ commits wins: one conditional UPDATE both checks and consumes (row lock +
 * re-check under READ COMMITTED), so of N concurrent redemptions of a single-use voucher exactly one
 * matches. Gift debits always apply — the money was already taken — and are flagged when they overdraw.
 * The redemption row and the ledger row are written by the same statement (data-modifying CTE).
 */
export async function applyRedemption(tx: Executor, opId: string, tillId: string, occurredAt: string, p: Redemption): Promise<OpEffect> {
  const rows = rowsOf<VoucherRow & { overdraft: boolean }>(
    await tx.execute(sql`
      WITH upd AS (
        UPDATE vouchers v SET
          redeemed_quantity = CASE WHEN v.type = 'DISCOUNT_VOUCHER' THEN v.redeemed_quantity + 1 ELSE v.redeemed_quantity END,
          gift_balance = CASE WHEN v.type = 'GIFT_VOUCHER' THEN v.gift_balance - ${p.amount} ELSE v.gift_balance END,
          status = CASE
            WHEN v.type = 'DISCOUNT_VOUCHER' THEN CASE WHEN v.quantity IS NOT NULL AND v.redeemed_quantity + 1 >= v.quantity THEN 'REDEEMED' ELSE v.status END
            ELSE CASE WHEN v.gift_balance - ${p.amount} <= 0 THEN 'REDEEMED' ELSE 'ACTIVE' END END,
          used_at = GREATEST(COALESCE(v.used_at, ${occurredAt}::timestamptz), ${occurredAt}::timestamptz),
          updated_at = now()
        WHERE v.code = ${p.code} AND v.status <> 'CANCELLED'
          AND (v.type = 'GIFT_VOUCHER' OR v.quantity IS NULL OR v.redeemed_quantity < v.quantity)
        RETURNING ${sql.raw(PREFIXED)}
      ),
      ledger AS (
        INSERT INTO gift_ledger (code, kind, amount, redemption_id) SELECT code, 'DEBIT', -${p.amount}::bigint, ${opId}::uuid FROM upd WHERE type = 'GIFT_VOUCHER'
      ),
      red AS (
        INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, overdraft, occurred_at)
        SELECT ${opId}::uuid, code, ${tillId}::uuid, ${p.ticket_id}, ${p.amount}, 'ACCEPTED', (type = 'GIFT_VOUCHER' AND gift_balance < 0), ${occurredAt}::timestamptz FROM upd
      )
      SELECT *, (type = 'GIFT_VOUCHER' AND gift_balance < 0) AS overdraft FROM upd`),
  );
  const row = rows[0];
  if (row) {
    const voucher = rowToVoucher(row);
    return { result: { op_id: opId, outcome: 'ACCEPTED', voucher, ...(row.overdraft ? { overdraft: true } : {}) }, touched: voucher.code };
  }
  // Not consumed: find out why, and record the refusal for the back office.
  const voucher = await getVoucher(tx, p.code);
  if (!voucher) return { result: { op_id: opId, outcome: 'REJECTED', reason: 'not_found' } };
  const reason = voucher.status === 'CANCELLED' ? 'cancelled' : 'quantity_exceeded';
  const winners = rowsOf<{ id: string; till_id: string | null; occurred_at: Date | string }>(
    await tx.execute(sql`SELECT id, till_id, occurred_at FROM redemptions WHERE code = ${p.code} AND outcome = 'ACCEPTED' AND status = 'ACTIVE' ORDER BY created_at DESC, occurred_at DESC LIMIT 1`),
  );
  const w = winners[0];
  const winner = { op_id: w?.id ?? null, till_id: w?.till_id ?? null, occurred_at: w ? new Date(w.occurred_at).toISOString() : null };
  await tx.execute(sql`INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, reason, winner, occurred_at)
    VALUES (${opId}::uuid, ${p.code}, ${tillId}::uuid, ${p.ticket_id}, ${p.amount}, 'CONFLICT', ${reason}, ${JSON.stringify(winner)}::jsonb, ${occurredAt}::timestamptz)`);
  return { result: { op_id: opId, outcome: 'CONFLICT', reason, voucher, winner } };
}

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
  // Answer with the row as stored, not the object built above: occurred_at may carry any offset
  // (+02:00) while HQ returns instants in UTC everywhere else, and the till replaces its replica with
  // this result, so it must be the same voucher that GET and the change feed return.
  return { result: { op_id: opId, outcome: 'ACCEPTED', voucher: (await currentVoucherRow(tx, voucher.code)) ?? voucher }, touched: voucher.code };
}

/** For a ROLLBACK op's result: the voucher as it is now. */
export async function currentVoucherRow(tx: Executor, code: string) {
  const rows = rowsOf<VoucherRow>(await tx.execute(sql`SELECT ${sql.raw(VOUCHER_COLUMNS)} FROM vouchers WHERE code = ${code}`));
  return rows[0] ? rowToVoucher(rows[0]) : undefined;
}

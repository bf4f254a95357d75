// A card's ledger as the back office reads it: gift_ledger (money) or loyalty_ledger (points), with the
// running balance — the same sums the balance itself is checked against (the simulation's invariant).
import { sql } from 'drizzle-orm';
import type { Ledger } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { isoUtc } from './db/iso-sql';

const LIMIT = 1000;

export async function voucherLedger(db: Db, code: string, type: string): Promise<Ledger | null> {
  const table = type === 'GIFT_VOUCHER' ? sql.raw('gift_ledger') : type === 'LOYALTY_CARD' ? sql.raw('loyalty_ledger') : null;
  if (!table) return null;
  const change = sql.raw(type === 'GIFT_VOUCHER' ? 'amount' : 'points');
  const rows = rowsOf<{ id: string | number; at: string; kind: string; change: string | number; balance: string | number; redemption_id: string | null }>(
    await db.execute(sql`SELECT id, ${isoUtc('created_at')} AS at, kind, ${change} AS change,
        sum(${change}) OVER (ORDER BY id) AS balance, redemption_id FROM ${table} WHERE code = ${code} ORDER BY id LIMIT ${LIMIT}`),
  );
  return {
    unit: type === 'GIFT_VOUCHER' ? 'money' : 'points',
    entries: rows.map((r) => ({ id: Number(r.id), at: r.at, kind: r.kind, change: Number(r.change), balance: Number(r.balance), redemption_id: r.redemption_id })),
  };
}

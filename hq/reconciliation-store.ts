// Reconciliation items (sync/protocol/reconciliation.ts) read from where push_ops() already keeps them:
// a CONFLICT or an overdraft is a redemptions row (with its winner), a rejected op an ops row (its
// answer says why). Nothing is copied: an item is an op, and a person's "handled" mark is a row of
// reconciliation_marks keyed by the op's id. Partial indexes (migration 0011) keep the reads off the
// bulk of accepted ops.
import { sql, type SQL } from 'drizzle-orm';
import type { ReconciliationItem, ReconciliationList, ReconciliationQuery } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { HqError } from './hq-error';
import { isoUtc } from './db/iso-sql';


/** Every item, whatever the filters: redemptions in conflict or overdrawn, and rejected ops. */
const ITEMS = sql`(
  SELECT r.id AS op_id, CASE WHEN r.outcome = 'CONFLICT' THEN 'conflict' ELSE 'overdraft' END AS kind, r.kind AS op_type, r.code, r.till_id,
    r.ticket_id, r.amount, r.points, r.reason, r.occurred_at, r.created_at AS received_at, (r.winner ->> 'op_id')::uuid AS winner_id
  FROM redemptions r WHERE r.outcome = 'CONFLICT' OR r.overdraft
  UNION ALL
  SELECT o.op_id, 'rejected', o.type, o.result::jsonb -> 'voucher' ->> 'code', o.till_id, NULL, NULL, NULL, o.result::jsonb ->> 'reason', o.received_at, o.received_at, NULL
  FROM ops o WHERE o.outcome = 'REJECTED'
)`;

type Row = {
  op_id: string; kind: ReconciliationItem['kind']; op_type: string; code: string | null; ticket_id: string | null; amount: string | number | null; points: string | number | null;
  reason: string | null; occurred_at: string; received_at: string;
  till_id: string; till_name: string; till_store: string | null;
  w_id: string | null; w_till_id: string | null; w_till_name: string | null; w_till_store: string | null; w_ticket_id: string | null; w_amount: string | number | null; w_occurred_at: string | null;
  handled_at: string | null; handled_by: string | null; note: string | null;
};

const num = (x: string | number | null) => (x === null ? null : Number(x));

function item(r: Row): ReconciliationItem {
  return {
    op_id: r.op_id, kind: r.kind, op_type: r.op_type, code: r.code,
    till: { id: r.till_id, name: r.till_name, store: r.till_store },
    ticket_id: r.ticket_id, amount: num(r.amount), points: num(r.points), reason: r.reason, occurred_at: r.occurred_at, received_at: r.received_at,
    winner: r.w_id ? { op_id: r.w_id, till: { id: r.w_till_id!, name: r.w_till_name!, store: r.w_till_store }, ticket_id: r.w_ticket_id, amount: Number(r.w_amount), occurred_at: r.w_occurred_at! } : null,
    handled: r.handled_at ? { at: r.handled_at, by: r.handled_by!, note: r.note! } : null,
  };
}

const FROM = sql`${ITEMS} i JOIN tills t ON t.id = i.till_id LEFT JOIN reconciliation_marks m ON m.op_id = i.op_id`;

/** Items as the API answers them, filtered by `filter` (over i, t, m) with `rest` (order, paging) after. */
async function selectItems(db: Db, filter: SQL, rest: SQL): Promise<ReconciliationItem[]> {
  const rows = rowsOf<Row>(
    await db.execute(sql`SELECT i.op_id, i.kind, i.op_type, i.code, i.ticket_id, i.amount, i.points, i.reason, ${isoUtc('i.occurred_at')} AS occurred_at, ${isoUtc('i.received_at')} AS received_at,
        t.id AS till_id, t.name AS till_name, t.store AS till_store,
        w.id AS w_id, wt.id AS w_till_id, wt.name AS w_till_name, wt.store AS w_till_store, w.ticket_id AS w_ticket_id, w.amount AS w_amount, ${isoUtc('w.occurred_at')} AS w_occurred_at,
        ${isoUtc('m.handled_at')} AS handled_at, m.handled_by, m.note
      FROM ${FROM} LEFT JOIN redemptions w ON w.id = i.winner_id LEFT JOIN tills wt ON wt.id = w.till_id
      WHERE ${filter} ${rest}`),
  );
  return rows.map(item);
}

export async function listReconciliation(db: Db, q: ReconciliationQuery, timeZone: string): Promise<ReconciliationList> {
  const where: SQL[] = [sql`true`];
  if (q.kind) where.push(sql`i.kind = ${q.kind}`);
  if (q.handled !== 'all') where.push(q.handled === 'true' ? sql`m.op_id IS NOT NULL` : sql`m.op_id IS NULL`);
  if (q.till_id) where.push(sql`i.till_id = ${q.till_id}::uuid`);
  if (q.store) where.push(sql`t.store = ${q.store}`);
  const filter = sql.join(where, sql` AND `);
  const result = await selectItems(db, filter, sql`ORDER BY i.received_at DESC, i.op_id LIMIT ${q.limit} OFFSET ${q.offset}`);
  const days = rowsOf<{ day: string; conflict: number; overdraft: number; rejected: number }>(
    await db.execute(sql`SELECT to_char(date_trunc('day', i.received_at AT TIME ZONE ${timeZone}), 'YYYY-MM-DD') AS day,
        count(*) FILTER (WHERE i.kind = 'conflict')::int AS conflict, count(*) FILTER (WHERE i.kind = 'overdraft')::int AS overdraft, count(*) FILTER (WHERE i.kind = 'rejected')::int AS rejected
      FROM ${FROM} WHERE ${filter} GROUP BY 1 ORDER BY 1 DESC LIMIT 30`),
  );
  const total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM ${FROM} WHERE ${filter}`))[0]!.n;
  return { result, total, days };
}

export async function getReconciliationItem(db: Db, opId: string): Promise<ReconciliationItem | null> {
  return (await selectItems(db, sql`i.op_id = ${opId}::uuid`, sql``))[0] ?? null;
}

/** Mark an item handled (again: the note is replaced); the item as it is now. */
export async function markHandled(db: Db, opId: string, by: string, note: string): Promise<ReconciliationItem> {
  if (!(await getReconciliationItem(db, opId))) throw new HqError(404, 'not_found', `No reconciliation item for op ${opId}.`);
  await db.execute(sql`INSERT INTO reconciliation_marks (op_id, handled_by, note) VALUES (${opId}::uuid, ${by}, ${note})
    ON CONFLICT (op_id) DO UPDATE SET handled_by = excluded.handled_by, note = excluded.note, handled_at = now()`);
  return (await getReconciliationItem(db, opId))!;
}

/** Open an item again (its mark removed). */
export async function reopen(db: Db, opId: string): Promise<void> {
  if (!(await getReconciliationItem(db, opId))) throw new HqError(404, 'not_found', `No reconciliation item for op ${opId}.`);
  await db.execute(sql`DELETE FROM reconciliation_marks WHERE op_id = ${opId}::uuid`);
}

/** Open (unhandled) items per till. */
export async function openItemsByTill(db: Db): Promise<Map<string, number>> {
  const rows = rowsOf<{ till_id: string; n: number }>(await db.execute(sql`SELECT i.till_id, count(*)::int AS n FROM ${FROM} WHERE m.op_id IS NULL GROUP BY i.till_id`));
  return new Map(rows.map((r) => [r.till_id, r.n]));
}

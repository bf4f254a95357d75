// Redemptions as the back office reads and undoes them (GET /v1/redemptions, POST …/rollback). A push
// writes them (hq/push/, push_ops.sql); undoing one outside a push is the database function
// rollback_redemption() (hq/db/functions/rollback_redemption.sql), which shares its rule with a push's
// ROLLBACK.
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Redemption, RedemptionListQuerySchema } from '../sync/protocol';
import { normaliseCode } from '../core/code';
import { rowsOf, type Db } from './db/connect';
import { toIso } from './db/rows';

type RedemptionListQuery = z.infer<typeof RedemptionListQuerySchema>;

type RedemptionRow = {
  id: string; code: string; till_id: string | null; ticket_id: string | null; kind: Redemption['kind']; amount: string | number; points: string | number | null; outcome: Redemption['outcome'];
  reason: string | null; status: Redemption['status']; overdraft: boolean; winner: Redemption['winner']; occurred_at: Date | string; created_at: Date | string;
  rolled_back_at: Date | string | null; rolled_back_by: string | null;
};

/** A page of redemptions, newest first, and how many match. */
export async function listRedemptions(db: Db, q: RedemptionListQuery): Promise<{ result: Redemption[]; total: number }> {
  const where = sql.join(
    [
      sql`TRUE`,
      ...(q.code !== undefined ? [sql`code = ${normaliseCode(q.code)}`] : []),
      ...(q.till_id !== undefined ? [sql`till_id::text = ${q.till_id}`] : []),
      ...(q.outcome !== undefined ? [sql`outcome = ${q.outcome}`] : []),
      ...(q.kind !== undefined ? [sql`kind = ${q.kind}`] : []),
    ],
    sql` AND `,
  );
  const rows = rowsOf<RedemptionRow>(
    await db.execute(sql`SELECT id, code, till_id, ticket_id, kind, amount, points, outcome, reason, status, overdraft, winner, occurred_at, created_at, rolled_back_at, rolled_back_by
      FROM redemptions WHERE ${where} ORDER BY created_at DESC, id LIMIT ${q.limit} OFFSET ${q.offset}`),
  );
  const total = rowsOf<{ n: string | number }>(await db.execute(sql`SELECT count(*) AS n FROM redemptions WHERE ${where}`));
  return {
    result: rows.map((r) => ({ ...r, amount: Number(r.amount), points: r.points === null ? null : Number(r.points), occurred_at: toIso(r.occurred_at), created_at: toIso(r.created_at), rolled_back_at: r.rolled_back_at === null ? null : toIso(r.rolled_back_at) })),
    total: Number(total[0]?.n ?? 0),
  };
}

/**
 * Who undoes a redemption. A till may roll back only the redemptions it made (rollback_refusal.sql says
 * why); the back office may undo any (that is its job), and it is recorded.
 */
export type RollbackActor = { kind: 'admin' } | { kind: 'till'; tillId: string };

export type RollbackOutcome = { ok: true; code: string } | { ok: false; reason: 'not_found' | 'not_own_redemption' | 'already_rolled_back' };

/** Undo one redemption outside a push; returns the outcome and the change number drawn (0: none). */
export async function rollbackOne(db: Db, redemptionId: string, by: RollbackActor): Promise<{ outcome: RollbackOutcome; cp: number }> {
  const row = rowsOf<{ r_refusal: Exclude<RollbackOutcome, { ok: true }>['reason'] | null; r_code: string | null; r_checkpoint: string | number }>(
    await db.execute(sql`SELECT * FROM rollback_redemption(${redemptionId}::uuid, ${by.kind === 'till' ? by.tillId : null}::uuid)`),
  )[0]!;
  const outcome: RollbackOutcome = row.r_refusal ? { ok: false, reason: row.r_refusal } : { ok: true, code: row.r_code! };
  return { outcome, cp: Number(row.r_checkpoint) };
}

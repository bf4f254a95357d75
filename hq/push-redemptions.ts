// The push of a batch of REDEMPTION ops (the common case) as one database statement: the function
// push_redemptions() (migration 0002) does what push.ts's transaction does, in an implicit
// transaction, so no lock is held while the database waits for Node. The answer comes back as JSON
// text per op and is sent as is: the vouchers in it are never parsed or re-serialised by HQ.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db/connect';
import { HqError } from './hq-error';
import type { RawOp, Step } from './push-steps';

/** The database error behind a driver error (drizzle wraps it), if any. */
function dbError(error: unknown): { code: string; message: string } | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return { code, message: String(message) };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `sent` is the request's ops as sent (their op_id spelling is echoed); `steps` are the batch's
 * distinct ops (op_id in lower case) in seq order, parsed. Returns the response as JSON text.
 */
export async function pushRedemptions(db: Db, tillId: string, sent: RawOp[], steps: Step[]): Promise<{ json: string; checkpoint: number }> {
  const payload = steps.map((s) =>
    s.kind === 'redemption'
      ? { op_id: s.op.op_id, seq: s.op.seq, type: s.op.type, code: s.op.payload.code, ticket_id: s.op.payload.ticket_id, amount: s.op.payload.amount, occurred_at: s.op.occurred_at }
      : s.kind === 'done'
        ? { op_id: s.op_id, seq: s.seq, type: s.type, invalid: s.result.reason }
        : undefined,
  );
  if (payload.includes(undefined)) throw new Error('pushRedemptions takes REDEMPTION and malformed ops only');
  let rows: { r_op_id: string; r_result: string; r_last_seq: string | number; r_checkpoint: string | number }[];
  try {
    rows = rowsOf(await db.execute(sql`SELECT * FROM push_redemptions(${tillId}::uuid, ${JSON.stringify(payload)}::jsonb)`));
  } catch (error) {
    const e = dbError(error);
    if (e?.code === 'VT409') throw new HqError(409, 'seq_gap', e.message);
    if (e?.code === 'VT401') throw new HqError(401, 'unknown_till', e.message);
    throw error;
  }
  const byId = new Map(rows.map((r) => [r.r_op_id, r.r_result]));
  // Each stored result is an object without op_id: the op_id as the till spelled it goes first.
  const results = sent.map((op) => `{"op_id":${JSON.stringify(op.op_id)},${byId.get(op.op_id.toLowerCase())!.slice(1)}`);
  return { json: `{"last_seq":${Number(rows[0]!.r_last_seq)},"results":[${results.join(',')}]}`, checkpoint: Number(rows[0]!.r_checkpoint) };
}

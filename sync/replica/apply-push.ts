// Apply HQ's answer to a push in one transaction: each op's outcome onto its redemption row,
// conflicts kept for the UI, answered ops removed from the outbox, and HQ's voucher state (rebased on
// what is still pending) written to the replica. If the till crashes before this commits, the outbox
// still holds the ops and the next push gets the same answers from HQ (replays by op_id).
import type { Op, PushResponse } from '../protocol';
import type { ReplicaDb } from './db';
import { readMeta, writeMeta } from './meta';
import { pendingEffects } from './pending';
import { rebase } from './rebase';
import { pushFloor } from './apply-pull';
import type { ConflictRow, UnreflectedRow } from './rows';

/**
 * Call before sending `ops` to HQ (the oldest of the outbox, in seq order): from now on HQ may have
 * applied them whether or not an answer comes, so a stream page must not be rebased on them
 * (apply-pull.ts; sent_seq in meta.ts). Returns the mark as it was: the ops above it go out for the first time
 * (applyPushResults' `firstSentAbove`). Durability: the replica's transactions are strict, and a
 * stream page is only taken while the stream is open, which it is after a cycle that pushed the
 * whole outbox and had it answered.
 */
export async function markSending(db: ReplicaDb, ops: readonly Op[]): Promise<number> {
  return db.transaction('rw', db.meta, async () => {
    const before = (await readMeta(db, 'sent_seq')) ?? Number.MAX_SAFE_INTEGER;
    const last = ops.at(-1)?.seq;
    if (last !== undefined && (before === Number.MAX_SAFE_INTEGER || last > before)) await writeMeta(db, 'sent_seq', last);
    return before;
  });
}

export type PushApplied = { accepted: number; conflicts: number; rejected: number };

/**
 * `firstSentAbove` (markSending's answer): ops above it were sent once, so their answers are HQ's
 * first — a REDEMPTION or ROLLBACK accepted so goes to the unreflected table, which lets a stream page
 * that predates it be rebased on it (apply-pull.ts). Every other answered op raises the push floor.
 * Without it (a caller that did not mark), every op does.
 */
export async function applyPushResults(db: ReplicaDb, sent: readonly Op[], response: PushResponse, now: number, firstSentAbove = Number.MAX_SAFE_INTEGER): Promise<PushApplied> {
  const at = new Date(now).toISOString();
  return db.transaction('rw', [db.outbox, db.unreflected, db.redemptions, db.conflicts, db.vouchers, db.meta], async () => {
    const byId = new Map(sent.map((op) => [op.op_id, op]));
    const counts: PushApplied = { accepted: 0, conflicts: 0, rejected: 0 };
    const pulledSeq = (await readMeta(db, 'pulled_last_seq')) ?? 0;
    const latest = new Map<string, NonNullable<PushResponse['results'][number]['voucher']>>();
    const outcomes = new Map<string, PushResponse['results'][number]>();
    const conflicts: ConflictRow[] = [];
    const answered: number[] = [];
    const unreflected: UnreflectedRow[] = [];
    let raisesFloor = false;
    for (const result of response.results) {
      const op = byId.get(result.op_id);
      if (!op) continue; // not ours to apply (cannot happen with one sender; ignore rather than guess)
      counts[result.outcome === 'ACCEPTED' ? 'accepted' : result.outcome === 'CONFLICT' ? 'conflicts' : 'rejected'] += 1;
      const saleOp = op.type === 'REDEMPTION' || op.type === 'LOYALTY_EARN' || op.type === 'LOYALTY_SPEND'; // has a redemption row
      if (saleOp) outcomes.set(op.op_id, result);
      // A refused sale, card, store credit or points are the cashier's to see (money or points given or
      // taken that HQ did not book).
      if (result.outcome !== 'ACCEPTED' && op.type !== 'ROLLBACK') {
        conflicts.push({
          op_id: op.op_id,
          code: op.payload.code,
          ticket_id: 'ticket_id' in op.payload ? (op.payload.ticket_id ?? '') : '',
          amount: op.type === 'LOYALTY_EARN' ? 0 : op.payload.amount,
          ...(op.type === 'LOYALTY_EARN' || op.type === 'LOYALTY_SPEND' ? { points: op.payload.points } : {}),
          reason: result.reason ?? result.outcome.toLowerCase(),
          winner: result.winner ?? null,
          detected_at: at,
          acknowledged: 0,
        });
      }
      // Only a refused op leaves the replica wrong: the sale applied its effect locally and HQ did not.
      // An accepted op's effect is already in the replica; what else HQ's copy differs in (other
      // tills' changes) comes with the next pull or stream page (which must reach the push floor set
      // below), so writing it here too only doubled the voucher writes of a drain.
      // A replayed op's result is the one HQ stored when it first applied the op, voucher included.
      // If a pull has since brought a page that already reflected this op (its last_seq >= op.seq),
      // the replica holds a newer state of that voucher (other tills' changes included) and the old
      // one must not overwrite it: the next pull would not bring the voucher again, as the
      // checkpoint is past its change. Without such a pull the checkpoint is before the op's change,
      // so the next pull, or stream page (it reaches the push floor, past the op's change, and starts
      // at or before the checkpoint), brings the voucher again and corrects a stale result anyway.
      if (result.voucher && result.outcome !== 'ACCEPTED' && op.seq > pulledSeq) latest.set(result.voucher.code, result.voucher);
      answered.push(op.seq);
      // A GIFT_ISSUE creates a voucher: not an effect a page could be rebased on.
      const effectOnly = result.outcome === 'ACCEPTED' && op.type !== 'GIFT_ISSUE';
      if (effectOnly && op.seq > firstSentAbove && response.checkpoint !== undefined) unreflected.push({ seq: op.seq, op, checkpoint: Number(response.checkpoint) });
      else raisesFloor = true;
    }
    // Written in bulk: one IndexedDB request per row was most of a drain's time. The batch's
    // redemption rows are one range of seq, read with one request.
    if (outcomes.size) {
      const seqs = sent.map((op) => op.seq);
      const rows = await db.redemptions.where('seq').between(Math.min(...seqs), Math.max(...seqs), true, true).toArray();
      const updated = rows.flatMap((row) => {
        const result = outcomes.get(row.op_id);
        return result ? [{ ...row, status: result.outcome, ...(result.reason ? { reason: result.reason } : {}) }] : [];
      });
      await db.redemptions.bulkPut(updated);
    }
    if (conflicts.length) await db.conflicts.bulkPut(conflicts);
    await deleteAnswered(db, answered);
    // A stream page is this till's own data only from the checkpoint HQ names, or rebased on the
    // unreflected ops until it is (apply-pull.ts).
    if (unreflected.length) await db.unreflected.bulkPut(unreflected);
    if (raisesFloor) {
      const floor = response.checkpoint === undefined ? Number.MAX_SAFE_INTEGER : Number(response.checkpoint);
      if (floor > (await pushFloor(db))) await writeMeta(db, 'push_floor', floor);
    }
    if (latest.size) {
      const pending = await pendingEffects(db, response.last_seq);
      await db.vouchers.bulkPut([...latest.values()].map((voucher) => rebase(voucher, pending.get(voucher.code) ?? [])));
    }
    return counts;
  });
}

/** Answered ops leave the outbox; a batch is the oldest ops, so usually one range delete does it. */
async function deleteAnswered(db: ReplicaDb, seqs: number[]): Promise<void> {
  if (!seqs.length) return;
  const [low, high] = [Math.min(...seqs), Math.max(...seqs)];
  const range = db.outbox.where('seq').between(low, high, true, true);
  if ((await range.count()) === seqs.length) await range.delete();
  else await db.outbox.bulkDelete(seqs);
}

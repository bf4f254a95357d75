// Apply HQ's answer to a push in one transaction: each op's outcome onto its redemption row,
// conflicts kept for the UI, answered ops removed from the outbox, and HQ's voucher state (rebased on
// what is still pending) written to the replica. If the till crashes before this commits, the outbox
// still holds the ops and the next push gets the same answers from HQ (replays by op_id).
import type { Op, PushResponse } from '../protocol';
import type { ReplicaDb } from './db';
import { pendingEffects } from './pending';
import { rebase } from './rebase';
import type { ConflictRow } from './rows';

export type PushApplied = { accepted: number; conflicts: number; rejected: number };

export async function applyPushResults(db: ReplicaDb, sent: readonly Op[], response: PushResponse, now: number): Promise<PushApplied> {
  const at = new Date(now).toISOString();
  return db.transaction('rw', [db.outbox, db.redemptions, db.conflicts, db.vouchers, db.meta], async () => {
    const byId = new Map(sent.map((op) => [op.op_id, op]));
    const counts: PushApplied = { accepted: 0, conflicts: 0, rejected: 0 };
    const pulledSeq = Number((await db.meta.get('pulled_last_seq'))?.value ?? 0);
    const latest = new Map<string, NonNullable<PushResponse['results'][number]['voucher']>>();
    // Collected first and written in bulk: one IndexedDB request per row was most of a drain's time.
    const redemptionUpdates: { key: string; changes: { status: typeof response.results[number]['outcome']; reason?: string } }[] = [];
    const conflicts: ConflictRow[] = [];
    const answered: number[] = [];
    for (const result of response.results) {
      const op = byId.get(result.op_id);
      if (!op) continue; // not ours to apply (cannot happen with one sender; ignore rather than guess)
      counts[result.outcome === 'ACCEPTED' ? 'accepted' : result.outcome === 'CONFLICT' ? 'conflicts' : 'rejected'] += 1;
      if (op.type === 'REDEMPTION') {
        redemptionUpdates.push({ key: op.op_id, changes: { status: result.outcome, ...(result.reason ? { reason: result.reason } : {}) } });
      }
      if (result.outcome !== 'ACCEPTED' && (op.type === 'REDEMPTION' || op.type === 'GIFT_ISSUE')) {
        conflicts.push({
          op_id: op.op_id,
          code: op.payload.code,
          ticket_id: op.type === 'REDEMPTION' ? op.payload.ticket_id : '',
          amount: op.payload.amount,
          reason: result.reason ?? result.outcome.toLowerCase(),
          winner: result.winner ?? null,
          detected_at: at,
          acknowledged: 0,
        });
      }
      // A replayed op's result is the one HQ stored when it first applied the op, voucher included.
      // If a pull has since brought a page that already reflected this op (its last_seq >= op.seq),
      // the replica holds a newer state of that voucher (other tills' changes included) and the old
      // one must not overwrite it: the next pull would not bring the voucher again, as the
      // checkpoint is past its change. Without such a pull the checkpoint is before the op's change,
      // so the pull that follows every push corrects a stale result anyway.
      if (result.voucher && op.seq > pulledSeq) latest.set(result.voucher.code, result.voucher);
      answered.push(op.seq);
    }
    if (redemptionUpdates.length) await db.redemptions.bulkUpdate(redemptionUpdates);
    if (conflicts.length) await db.conflicts.bulkPut(conflicts);
    await db.outbox.bulkDelete(answered);
    await db.meta.put({ key: 'acked_seq', value: response.last_seq });
    if (latest.size) {
      const pending = await pendingEffects(db, response.last_seq);
      await db.vouchers.bulkPut([...latest.values()].map((voucher) => rebase(voucher, pending.get(voucher.code) ?? [])));
    }
    return counts;
  });
}

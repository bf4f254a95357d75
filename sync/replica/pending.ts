// The effects of this till's ops that the data being written does not hold yet, grouped by voucher
// code: ops HQ has not applied (the outbox above a page's last_seq), and for a stream page, accepted
// ops whose changes come after it (the unreflected table).
import type { Op } from '../protocol';
import type { ReplicaDb } from './db';
import { effectsOf, type PendingEffect } from './rebase';

export async function pendingEffects(db: ReplicaDb, afterSeq: number): Promise<Map<string, PendingEffect[]>> {
  return effectsByCode(db, await db.outbox.where('seq').above(afterSeq).toArray());
}

/**
 * The effects of accepted ops whose changes are numbered after `checkpoint`, then `pending`'s: in seq
 * order (accepted ops are older than any in the outbox), since a discount's count stops at 0.
 */
export async function withUnreflected(db: ReplicaDb, pending: Map<string, PendingEffect[]>, checkpoint: number): Promise<Map<string, PendingEffect[]>> {
  const rows = await db.unreflected.where('checkpoint').above(checkpoint).sortBy('seq');
  if (!rows.length) return pending;
  const merged = await effectsByCode(db, rows.map((r) => r.op));
  for (const [code, effects] of pending) merged.set(code, [...(merged.get(code) ?? []), ...effects]);
  return merged;
}

async function effectsByCode(db: ReplicaDb, ops: readonly Op[]): Promise<Map<string, PendingEffect[]>> {
  const rollbackTargets = ops.flatMap((op) => (op.type === 'ROLLBACK' ? [op.payload.redemption_op_id] : []));
  const targets = new Map((await db.redemptions.bulkGet(rollbackTargets)).flatMap((r) => (r ? [[r.op_id, r] as const] : [])));
  const effects = effectsOf(ops, (opId) => {
    const r = targets.get(opId);
    // Undoing a redemption HQ refused restores nothing.
    return r && r.status !== 'CONFLICT' && r.status !== 'REJECTED' ? r : undefined;
  });
  const byCode = new Map<string, PendingEffect[]>();
  for (const e of effects) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
  return byCode;
}

// The effects of this till's ops that HQ has not applied yet, grouped by voucher code.
import type { ReplicaDb } from './db';
import { effectsOf, type PendingEffect } from './rebase';

export async function pendingEffects(db: ReplicaDb, afterSeq: number): Promise<Map<string, PendingEffect[]>> {
  const ops = await db.outbox.where('seq').above(afterSeq).toArray();
  const rollbackTargets = ops.flatMap((op) => (op.type === 'ROLLBACK' ? [op.payload.redemption_op_id] : []));
  const targets = new Map((await db.redemptions.bulkGet(rollbackTargets)).flatMap((r) => (r ? [[r.op_id, r] as const] : [])));
  const effects = effectsOf(ops, (opId) => {
    const r = targets.get(opId);
    // Undoing a redemption HQ refused restores nothing.
    return r && r.status !== 'CONFLICT' && r.status !== 'REJECTED' ? { code: r.code, amount: r.amount } : undefined;
  });
  const byCode = new Map<string, PendingEffect[]>();
  for (const e of effects) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
  return byCode;
}

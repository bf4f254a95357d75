// The replica's voucher = HQ's latest state + the effects of this till's ops HQ has not applied yet.
// Pulls and push results bring HQ's state; applying pending local effects on top keeps a redemption
// the cashier just made from being "undone" by a pull that was computed before HQ saw it.
import type { Voucher } from '../../core/voucher';
import { movePoints, redeemVoucher, restoreVoucher, reversePoints, topUpVoucher, type PointsOp } from '../../core/voucher-effects';
import type { Op } from '../protocol';
import type { RedemptionRow } from './rows';

export type PendingEffect =
  | { kind: 'redeem'; code: string; amount: number; at: string }
  | { kind: 'restore'; code: string; amount: number }
  | { kind: 'top_up'; code: string; amount: number }
  | { kind: 'points'; op: PointsOp; code: string; points: number; at: string }
  | { kind: 'unpoints'; op: PointsOp; code: string; points: number };

/** A sale's op as a ROLLBACK undoes it (the redemption rows a refund names). */
export type Undoable = Pick<RedemptionRow, 'code' | 'kind' | 'amount' | 'points'>;

/** What undoing a sale's op does: a redemption gives its amount back, a loyalty op reverses its points. */
export function undoEffect(r: Undoable): PendingEffect {
  if (r.kind === 'POINTS_EARNED' || r.kind === 'POINTS_SPENT') return { kind: 'unpoints', code: r.code, op: r.kind === 'POINTS_EARNED' ? 'earn' : 'spend', points: r.points ?? 0 };
  return { kind: 'restore', code: r.code, amount: r.amount };
}

/** Effects of outbox ops on vouchers; `redemptionOf` finds what a ROLLBACK op undoes. */
export function effectsOf(ops: readonly Op[], redemptionOf: (opId: string) => Undoable | undefined): PendingEffect[] {
  const effects: PendingEffect[] = [];
  for (const op of ops) {
    if (op.type === 'REDEMPTION') effects.push({ kind: 'redeem', code: op.payload.code, amount: op.payload.amount, at: op.occurred_at });
    if (op.type === 'GIFT_TOP_UP') effects.push({ kind: 'top_up', code: op.payload.code, amount: op.payload.amount });
    if (op.type === 'LOYALTY_EARN' || op.type === 'LOYALTY_SPEND') {
      effects.push({ kind: 'points', op: op.type === 'LOYALTY_EARN' ? 'earn' : 'spend', code: op.payload.code, points: op.payload.points, at: op.occurred_at });
    }
    if (op.type === 'ROLLBACK') {
      const r = redemptionOf(op.payload.redemption_op_id);
      if (r) effects.push(undoEffect(r));
    }
  }
  return effects;
}

/**
 * One pending effect on HQ's voucher, by the rule HQ applies (core/voucher-effects.ts). A redemption
 * or top-up HQ will refuse (the voucher is used up or cancelled there) changes nothing: the replica
 * shows the voucher as HQ will keep it, not a count past its quantity.
 */
export function applyEffect(v: Voucher, effect: PendingEffect): Voucher {
  if (effect.code !== v.code) return v;
  if (effect.kind === 'restore') return restoreVoucher(v, effect.amount).voucher;
  if (effect.kind === 'top_up') {
    const topped = topUpVoucher(v, effect.amount);
    return topped.ok ? topped.voucher : v;
  }
  if (effect.kind === 'points') {
    const moved = movePoints(v, effect.op, effect.points, effect.at);
    return moved.ok ? moved.voucher : v;
  }
  if (effect.kind === 'unpoints') return reversePoints(v, effect.op, effect.points).voucher;
  const redeemed = redeemVoucher(v, effect.amount, effect.at);
  return redeemed.ok ? redeemed.voucher : v;
}

export function rebase(server: Voucher, pending: readonly PendingEffect[]): Voucher {
  return pending.reduce(applyEffect, server);
}

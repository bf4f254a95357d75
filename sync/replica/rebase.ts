// The replica's voucher = HQ's latest state + the effects of this till's ops HQ has not applied yet.
// Pulls and push results bring HQ's state; applying pending local effects on top keeps a redemption
// the cashier just made from being "undone" by a pull that was computed before HQ saw it.
import type { Voucher } from '../../core/voucher';
import type { Op } from '../protocol';

export type PendingEffect =
  | { kind: 'redeem'; code: string; amount: number }
  | { kind: 'restore'; code: string; amount: number };

/** Effects of outbox ops on vouchers; `redemptionOf` finds what a ROLLBACK op undoes. */
export function effectsOf(ops: readonly Op[], redemptionOf: (opId: string) => { code: string; amount: number } | undefined): PendingEffect[] {
  const effects: PendingEffect[] = [];
  for (const op of ops) {
    if (op.type === 'REDEMPTION') effects.push({ kind: 'redeem', code: op.payload.code, amount: op.payload.amount });
    if (op.type === 'ROLLBACK') {
      const r = redemptionOf(op.payload.redemption_op_id);
      if (r) effects.push({ kind: 'restore', code: r.code, amount: r.amount });
    }
  }
  return effects;
}

export function applyEffect(v: Voucher, effect: PendingEffect): Voucher {
  if (effect.code !== v.code) return v;
  const sign = effect.kind === 'redeem' ? 1 : -1;
  if (v.type === 'GIFT_VOUCHER') {
    const balance = v.gift.balance - sign * effect.amount;
    return { ...v, gift: { ...v.gift, balance }, status: v.status === 'CANCELLED' ? 'CANCELLED' : balance <= 0 ? 'REDEEMED' : 'ACTIVE' };
  }
  const redeemed = Math.max(0, v.redemption.redeemed_quantity + sign);
  const usedUp = v.redemption.quantity !== null && redeemed >= v.redemption.quantity;
  return { ...v, redemption: { ...v.redemption, redeemed_quantity: redeemed }, status: v.status === 'CANCELLED' ? 'CANCELLED' : usedUp ? 'REDEEMED' : 'ACTIVE' };
}

export function rebase(server: Voucher, pending: readonly PendingEffect[]): Voucher {
  return pending.reduce(applyEffect, server);
}

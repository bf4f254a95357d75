// The replica's voucher = HQ's latest state + the effects of this till's ops HQ has not applied yet.
// Pulls and push results bring HQ's state; applying pending local effects on top keeps a redemption
// the cashier just made from being "undone" by a pull that was computed before HQ saw it.
import type { Voucher } from '../../core/voucher';
import { redeemVoucher, restoreVoucher, topUpVoucher } from '../../core/voucher-effects';
import type { Op } from '../protocol';

export type PendingEffect =
  | { kind: 'redeem'; code: string; amount: number; at: string }
  | { kind: 'restore'; code: string; amount: number }
  | { kind: 'top_up'; code: string; amount: number };

/** Effects of outbox ops on vouchers; `redemptionOf` finds what a ROLLBACK op undoes. */
export function effectsOf(ops: readonly Op[], redemptionOf: (opId: string) => { code: string; amount: number } | undefined): PendingEffect[] {
  const effects: PendingEffect[] = [];
  for (const op of ops) {
    if (op.type === 'REDEMPTION') effects.push({ kind: 'redeem', code: op.payload.code, amount: op.payload.amount, at: op.occurred_at });
    if (op.type === 'GIFT_TOP_UP') effects.push({ kind: 'top_up', code: op.payload.code, amount: op.payload.amount });
    if (op.type === 'ROLLBACK') {
      const r = redemptionOf(op.payload.redemption_op_id);
      if (r) effects.push({ kind: 'restore', code: r.code, amount: r.amount });
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
  const redeemed = redeemVoucher(v, effect.amount, effect.at);
  return redeemed.ok ? redeemed.voucher : v;
}

export function rebase(server: Voucher, pending: readonly PendingEffect[]): Voucher {
  return pending.reduce(applyEffect, server);
}

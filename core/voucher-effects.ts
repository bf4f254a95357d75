// What a redemption and its undoing do to a voucher — the one statement of that rule in TypeScript.
// The till uses it for a sale, a refund and for rebasing HQ's state on its own unsent ops
// (sync/replica); HQ's TypeScript for a voucher's status after an edit. HQ's database has the rule once
// more, in SQL, for the push's hot path (hq/db/functions/voucher_redeem.sql, voucher_restore.sql,
// voucher_status.sql); test/hq/voucher-effects-golden.test.ts runs one table of cases through both and
// requires the same vouchers and outcomes.
//
// - A discount voucher counts uses: a redemption takes one (refused when none is left), undoing it
//   gives one back (never below zero).
// - A gift card holds money: a redemption debits any amount, even past zero — money already taken
//   offline is accepted and flagged `overdraft` — but never below −(2^53−1), the lowest balance a till
//   can read (GiftSchema); undoing it gives the amount back, never past what the card was issued for.
//   Gift cards count no uses.
// - A gift card may be topped up (store credit, a refund onto it): its amount and its balance both grow
//   by the top-up, never past 2^53−1; a discount voucher or a cancelled card is refused.
// - Status follows from the counts: CANCELLED stays; a discount voucher is REDEEMED when a quantity is
//   set and used up, a gift card when its balance is zero or less; otherwise ACTIVE.
import type { Voucher } from './voucher';

/** The lowest balance a gift card may reach (GiftSchema): −(2^53−1) minor units. */
export const MIN_GIFT_BALANCE = -Number.MAX_SAFE_INTEGER;

export type RedeemRefusal = 'cancelled' | 'quantity_exceeded' | 'amount_out_of_range';

export type RedeemOutcome = { ok: true; voucher: Voucher; overdraft: boolean } | { ok: false; reason: RedeemRefusal };

/** The status a voucher's counts give it. */
export function voucherStatus(v: Voucher): Voucher['status'] {
  if (v.status === 'CANCELLED') return 'CANCELLED';
  if (v.type === 'GIFT_VOUCHER') return v.gift.balance <= 0 ? 'REDEEMED' : 'ACTIVE';
  const { quantity, redeemed_quantity } = v.redemption;
  return quantity !== null && redeemed_quantity >= quantity ? 'REDEEMED' : 'ACTIVE';
}

/** Whether a redemption of `amount` (minor units; a gift card's debit) would be accepted, and if not, why. */
export function redeemRefusal(v: Voucher, amount: number): RedeemRefusal | null {
  if (v.status === 'CANCELLED') return 'cancelled';
  if (v.type === 'GIFT_VOUCHER') return v.gift.balance - amount < MIN_GIFT_BALANCE ? 'amount_out_of_range' : null;
  const { quantity, redeemed_quantity } = v.redemption;
  return quantity !== null && redeemed_quantity >= quantity ? 'quantity_exceeded' : null;
}

/** A redemption of `amount` that occurred `at` (ISO instant): the voucher after it, or why it is refused. */
export function redeemVoucher(v: Voucher, amount: number, at: string): RedeemOutcome {
  const refusal = redeemRefusal(v, amount);
  if (refusal) return { ok: false, reason: refusal };
  const used_at = v.used_at !== null && Date.parse(v.used_at) >= Date.parse(at) ? v.used_at : at;
  if (v.type === 'GIFT_VOUCHER') {
    const balance = v.gift.balance - amount;
    return { ok: true, voucher: withStatus({ ...v, gift: { ...v.gift, balance }, used_at }), overdraft: balance < 0 };
  }
  return { ok: true, voucher: withStatus({ ...v, redemption: { ...v.redemption, redeemed_quantity: v.redemption.redeemed_quantity + 1 }, used_at }), overdraft: false };
}

/**
 * An accepted redemption of `amount` undone: the voucher after it and what a gift card got back (0
 * for a discount voucher) — the whole amount unless that would take the card past its issued amount.
 */
export function restoreVoucher(v: Voucher, amount: number): { voucher: Voucher; restored: number } {
  if (v.type === 'GIFT_VOUCHER') {
    const restored = Math.max(0, Math.min(amount, v.gift.amount - v.gift.balance));
    return { voucher: withStatus({ ...v, gift: { ...v.gift, balance: v.gift.balance + restored } }), restored };
  }
  return { voucher: withStatus({ ...v, redemption: { ...v.redemption, redeemed_quantity: Math.max(0, v.redemption.redeemed_quantity - 1) } }), restored: 0 };
}

export type TopUpRefusal = 'not_a_gift_card' | 'cancelled' | 'amount_out_of_range';

/** Whether a top-up of `amount` (minor units, positive) would be accepted, and if not, why. */
export function topUpRefusal(v: Voucher, amount: number): TopUpRefusal | null {
  if (v.type !== 'GIFT_VOUCHER') return 'not_a_gift_card';
  if (v.status === 'CANCELLED') return 'cancelled';
  return v.gift.amount + amount > Number.MAX_SAFE_INTEGER || v.gift.balance + amount > Number.MAX_SAFE_INTEGER ? 'amount_out_of_range' : null;
}

/** A gift card topped up by `amount`: the card after it, or why it is refused. */
export function topUpVoucher(v: Voucher, amount: number): { ok: true; voucher: Voucher } | { ok: false; reason: TopUpRefusal } {
  const refusal = topUpRefusal(v, amount);
  if (refusal || v.type !== 'GIFT_VOUCHER') return { ok: false, reason: refusal ?? 'not_a_gift_card' };
  return { ok: true, voucher: withStatus({ ...v, gift: { amount: v.gift.amount + amount, balance: v.gift.balance + amount } }) };
}

function withStatus<V extends Voucher>(v: V): V {
  return { ...v, status: voucherStatus(v) };
}

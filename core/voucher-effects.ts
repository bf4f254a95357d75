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
// - A loyalty card counts points (core/loyalty.ts says how many): an earn adds to `earned` and the
//   balance, a spend to `spent` and takes from the balance — past zero too, like a gift card's debit, and
//   flagged `overdraft` — neither past ±(2^53−1). Reversing one (a refund) takes back what it did, never
//   below zero counted and never past the largest balance. A REDEMPTION of a loyalty card is refused
//   (`wrong_voucher_type`): its points move by their own ops; points ops on other vouchers are refused
//   (`not_a_loyalty_card`), and a cancelled card takes none.
// - Status follows from the counts: CANCELLED stays; a discount voucher is REDEEMED when a quantity is
//   set and used up, a gift card when its balance is zero or less; a loyalty card never; otherwise ACTIVE.
import type { LoyaltyCard, Voucher } from './voucher';

/** The lowest balance a gift card may reach (GiftSchema): −(2^53−1) minor units. */
export const MIN_GIFT_BALANCE = -Number.MAX_SAFE_INTEGER;

export type RedeemRefusal = 'cancelled' | 'quantity_exceeded' | 'amount_out_of_range' | 'wrong_voucher_type';

export type RedeemOutcome = { ok: true; voucher: Voucher; overdraft: boolean } | { ok: false; reason: RedeemRefusal };

/** The status a voucher's counts give it. */
export function voucherStatus(v: Voucher): Voucher['status'] {
  if (v.status === 'CANCELLED') return 'CANCELLED';
  if (v.type === 'GIFT_VOUCHER') return v.gift.balance <= 0 ? 'REDEEMED' : 'ACTIVE';
  if (v.type === 'LOYALTY_CARD') return 'ACTIVE';
  const { quantity, redeemed_quantity } = v.redemption;
  return quantity !== null && redeemed_quantity >= quantity ? 'REDEEMED' : 'ACTIVE';
}

/** Whether a redemption of `amount` (minor units; a gift card's debit) would be accepted, and if not, why. */
export function redeemRefusal(v: Voucher, amount: number): RedeemRefusal | null {
  if (v.status === 'CANCELLED') return 'cancelled';
  if (v.type === 'GIFT_VOUCHER') return v.gift.balance - amount < MIN_GIFT_BALANCE ? 'amount_out_of_range' : null;
  if (v.type === 'LOYALTY_CARD') return 'wrong_voucher_type';
  const { quantity, redeemed_quantity } = v.redemption;
  return quantity !== null && redeemed_quantity >= quantity ? 'quantity_exceeded' : null;
}

/** A redemption of `amount` that occurred `at` (ISO instant): the voucher after it, or why it is refused. */
export function redeemVoucher(v: Voucher, amount: number, at: string): RedeemOutcome {
  const refusal = redeemRefusal(v, amount);
  if (refusal || v.type === 'LOYALTY_CARD') return { ok: false, reason: refusal ?? 'wrong_voucher_type' };
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
  if (v.type === 'LOYALTY_CARD') return { voucher: v, restored: 0 }; // never redeemed (redeemRefusal)
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

// ---- loyalty points ---------------------------------------------------------------------------------

export type PointsOp = 'earn' | 'spend';
export type PointsRefusal = 'not_a_loyalty_card' | 'cancelled' | 'amount_out_of_range';
export type PointsOutcome = { ok: true; voucher: LoyaltyCard; overdraft: boolean } | { ok: false; reason: PointsRefusal };

/** Whether earning or spending `points` (positive) would be accepted, and if not, why. */
export function pointsRefusal(v: Voucher, op: PointsOp, points: number): PointsRefusal | null {
  if (v.type !== 'LOYALTY_CARD') return 'not_a_loyalty_card';
  if (v.status === 'CANCELLED') return 'cancelled';
  const { balance, earned, spent } = v.loyalty;
  const MAX = Number.MAX_SAFE_INTEGER;
  if (op === 'earn') return earned + points > MAX || balance + points > MAX ? 'amount_out_of_range' : null;
  return spent + points > MAX || balance - points < -MAX ? 'amount_out_of_range' : null;
}

/** Points earned or spent that occurred `at`: the card after it (a spend below zero is an overdraft), or why it is refused. */
export function movePoints(v: Voucher, op: PointsOp, points: number, at: string): PointsOutcome {
  const refusal = pointsRefusal(v, op, points);
  if (refusal || v.type !== 'LOYALTY_CARD') return { ok: false, reason: refusal ?? 'not_a_loyalty_card' };
  const { balance, earned, spent } = v.loyalty;
  const used_at = v.used_at !== null && Date.parse(v.used_at) >= Date.parse(at) ? v.used_at : at;
  const loyalty = op === 'earn' ? { balance: balance + points, earned: earned + points, spent } : { balance: balance - points, earned, spent: spent + points };
  return { ok: true, voucher: { ...v, loyalty, used_at }, overdraft: op === 'spend' && loyalty.balance < 0 };
}

/**
 * An accepted earn or spend of `points` undone: an earn's points are taken back (the balance may go
 * below zero: they may be spent already), a spend's given back. Never more than the op counted, nor a
 * balance past 2^53−1; `moved` is what the balance changed by. Other vouchers are left as they are.
 */
export function reversePoints(v: Voucher, op: PointsOp, points: number): { voucher: Voucher; moved: number } {
  if (v.type !== 'LOYALTY_CARD') return { voucher: v, moved: 0 };
  const { balance, earned, spent } = v.loyalty;
  if (op === 'earn') {
    const back = Math.max(0, Math.min(points, earned));
    return { voucher: { ...v, loyalty: { balance: balance - back, earned: earned - back, spent } }, moved: -back };
  }
  const back = Math.max(0, Math.min(points, spent, Number.MAX_SAFE_INTEGER - balance));
  return { voucher: { ...v, loyalty: { balance: balance + back, earned, spent: spent - back } }, moved: back };
}

function withStatus<V extends Voucher>(v: V): V {
  return { ...v, status: voucherStatus(v) };
}

// One table of voucher effects (core/voucher-effects.ts), with what each must give. The core test runs
// it through TypeScript; test/hq/voucher-effects-golden.test.ts through HQ's SQL functions on both
// backends — so the two statements of the rule cannot drift apart unseen.
import type { Voucher } from '../../core/voucher';
import { discountVoucher, giftVoucher, loyaltyCard } from '../../testkit/fixtures';

const MAX = Number.MAX_SAFE_INTEGER;
const AT = '2026-03-04T10:11:12.345Z';
const EARLIER = '2026-02-01T00:00:00.000Z';
const LATER = '2026-05-01T00:00:00.000Z';
const five = { type: 'AMOUNT' as const, amount_off: 500 };

type Want = Partial<{
  status: Voucher['status']; redeemed_quantity: number; balance: number; amount: number; used_at: string | null; overdraft: boolean; restored: number;
  points: number; earned: number; spent: number; moved: number;
}>;

export type EffectCase = { name: string; voucher: Voucher } & (
  | { effect: 'redeem'; amount: number; at: string; want: ({ ok: true } & Want) | { ok: false; reason: 'cancelled' | 'quantity_exceeded' | 'amount_out_of_range' } }
  | { effect: 'restore'; amount: number; want: Want }
  | { effect: 'top_up'; amount: number; want: ({ ok: true } & Want & { amount?: number }) | { ok: false; reason: 'not_a_gift_card' | 'cancelled' | 'amount_out_of_range' } }
  | { effect: 'earn' | 'spend'; points: number; at: string; want: ({ ok: true } & Want) | { ok: false; reason: 'not_a_loyalty_card' | 'cancelled' | 'amount_out_of_range' } }
  | { effect: 'unearn' | 'unspend'; points: number; want: Want }
);

const discount = (quantity: number | null, redeemed: number, extra: Partial<Voucher> = {}) =>
  discountVoucher(five, { redemption: { quantity, redeemed_quantity: redeemed }, status: quantity !== null && redeemed >= quantity ? 'REDEEMED' : 'ACTIVE', ...extra });
const gift = (amount: number, balance: number, extra: Partial<Voucher> = {}) => giftVoucher(amount, balance, { status: balance <= 0 ? 'REDEEMED' : 'ACTIVE', ...extra });

export const EFFECT_CASES: EffectCase[] = [
  { name: 'single use, unused: taken, used up', voucher: discount(1, 0), effect: 'redeem', amount: 500, at: AT, want: { ok: true, redeemed_quantity: 1, status: 'REDEEMED', used_at: AT, overdraft: false } },
  { name: 'single use, used: refused', voucher: discount(1, 1), effect: 'redeem', amount: 500, at: AT, want: { ok: false, reason: 'quantity_exceeded' } },
  { name: 'three uses, one taken: a second', voucher: discount(3, 1), effect: 'redeem', amount: 0, at: AT, want: { ok: true, redeemed_quantity: 2, status: 'ACTIVE' } },
  { name: 'unlimited: counts on', voucher: discount(null, 5), effect: 'redeem', amount: 500, at: AT, want: { ok: true, redeemed_quantity: 6, status: 'ACTIVE' } },
  { name: 'cancelled discount: refused', voucher: discount(3, 0, { status: 'CANCELLED' }), effect: 'redeem', amount: 500, at: AT, want: { ok: false, reason: 'cancelled' } },
  { name: 'used later before: used_at stays the later', voucher: discount(null, 1, { used_at: LATER }), effect: 'redeem', amount: 0, at: AT, want: { ok: true, used_at: LATER } },
  { name: 'used earlier before: used_at moves on', voucher: discount(null, 1, { used_at: EARLIER }), effect: 'redeem', amount: 0, at: AT, want: { ok: true, used_at: AT } },
  { name: 'single use undone: usable again', voucher: discount(1, 1), effect: 'restore', amount: 500, want: { redeemed_quantity: 0, status: 'ACTIVE', restored: 0 } },
  { name: 'undone at zero uses: stays zero', voucher: discount(2, 0), effect: 'restore', amount: 500, want: { redeemed_quantity: 0, status: 'ACTIVE' } },
  { name: 'undone on a cancelled voucher: the use comes back, it stays cancelled', voucher: discount(1, 1, { status: 'CANCELLED' }), effect: 'restore', amount: 500, want: { redeemed_quantity: 0, status: 'CANCELLED' } },
  { name: 'gift debit', voucher: gift(5000, 5000), effect: 'redeem', amount: 2000, at: AT, want: { ok: true, balance: 3000, status: 'ACTIVE', used_at: AT, overdraft: false } },
  { name: 'gift debit of all of it: used up', voucher: gift(5000, 1500), effect: 'redeem', amount: 1500, at: AT, want: { ok: true, balance: 0, status: 'REDEEMED', overdraft: false } },
  { name: 'gift overdraft: accepted and flagged', voucher: gift(5000, 1000), effect: 'redeem', amount: 3000, at: AT, want: { ok: true, balance: -2000, status: 'REDEEMED', overdraft: true } },
  { name: 'gift overdrawn down to the lowest readable balance', voucher: gift(5000, -(MAX - 10)), effect: 'redeem', amount: 10, at: AT, want: { ok: true, balance: -MAX, overdraft: true } },
  { name: 'gift debit past the lowest readable balance: refused', voucher: gift(5000, -(MAX - 10)), effect: 'redeem', amount: 11, at: AT, want: { ok: false, reason: 'amount_out_of_range' } },
  { name: 'the largest debit of a full card', voucher: gift(MAX, MAX), effect: 'redeem', amount: MAX, at: AT, want: { ok: true, balance: 0, status: 'REDEEMED' } },
  { name: 'a gift card counts no uses (a quantity on it refuses nothing)', voucher: gift(5000, 5000, { redemption: { quantity: 1, redeemed_quantity: 1 } }), effect: 'redeem', amount: 100, at: AT, want: { ok: true, balance: 4900, redeemed_quantity: 1 } },
  { name: 'cancelled gift card: refused', voucher: gift(5000, 5000, { status: 'CANCELLED' }), effect: 'redeem', amount: 100, at: AT, want: { ok: false, reason: 'cancelled' } },
  { name: 'gift debit undone', voucher: gift(5000, 3000), effect: 'restore', amount: 2000, want: { balance: 5000, status: 'ACTIVE', restored: 2000 } },
  { name: 'gift debit undone after a top-up: filled to its amount only', voucher: gift(5000, 4000), effect: 'restore', amount: 2000, want: { balance: 5000, restored: 1000 } },
  { name: 'gift debit undone on a full card: nothing back', voucher: gift(5000, 5000), effect: 'restore', amount: 100, want: { balance: 5000, restored: 0 } },
  { name: 'overdraft undone: usable again', voucher: gift(5000, -2000), effect: 'restore', amount: 3000, want: { balance: 1000, status: 'ACTIVE', restored: 3000 } },
  { name: 'the deepest overdraft undone', voucher: gift(MAX, -MAX), effect: 'restore', amount: MAX, want: { balance: 0, status: 'REDEEMED', restored: MAX } },
  { name: 'undone on a cancelled gift card: the money comes back, it stays cancelled', voucher: gift(5000, 0, { status: 'CANCELLED' }), effect: 'restore', amount: 700, want: { balance: 700, status: 'CANCELLED', restored: 700 } },
  { name: 'top-up: amount and balance both grow', voucher: gift(5000, 1200), effect: 'top_up', amount: 3000, want: { ok: true, balance: 4200, amount: 8000, status: 'ACTIVE' } },
  { name: 'top-up of a used-up card: usable again', voucher: gift(2000, 0), effect: 'top_up', amount: 500, want: { ok: true, balance: 500, amount: 2500, status: 'ACTIVE' } },
  { name: 'top-up of an overdrawn card: the debt is paid first', voucher: gift(2000, -700), effect: 'top_up', amount: 500, want: { ok: true, balance: -200, amount: 2500, status: 'REDEEMED' } },
  { name: 'top-up to the largest readable amount', voucher: gift(MAX - 100, 50), effect: 'top_up', amount: 100, want: { ok: true, balance: 150, amount: MAX } },
  { name: 'top-up past the largest readable amount: refused', voucher: gift(MAX - 100, 50), effect: 'top_up', amount: 101, want: { ok: false, reason: 'amount_out_of_range' } },
  { name: 'top-up of a cancelled card: refused', voucher: gift(5000, 5000, { status: 'CANCELLED' }), effect: 'top_up', amount: 100, want: { ok: false, reason: 'cancelled' } },
  { name: 'top-up of a discount voucher: refused', voucher: discount(1, 0), effect: 'top_up', amount: 100, want: { ok: false, reason: 'not_a_gift_card' } },
  { name: 'top-up of a loyalty card: refused', voucher: loyaltyCard({ balance: 10 }), effect: 'top_up', amount: 100, want: { ok: false, reason: 'not_a_gift_card' } },
  { name: 'a loyalty card is not redeemed: its points move by their own ops', voucher: loyaltyCard({ balance: 500 }), effect: 'redeem', amount: 100, at: AT, want: { ok: false, reason: 'wrong_voucher_type' } },
  { name: 'points earned', voucher: loyaltyCard({ balance: 120, earned: 20 }), effect: 'earn', points: 35, at: AT, want: { ok: true, points: 155, earned: 55, spent: 0, status: 'ACTIVE', used_at: AT, overdraft: false } },
  { name: 'points earned on an overdrawn card: the debt first', voucher: loyaltyCard({ balance: -50, spent: 50 }), effect: 'earn', points: 30, at: AT, want: { ok: true, points: -20, earned: 30, spent: 50 } },
  { name: 'points earned up to the largest balance', voucher: loyaltyCard({ balance: MAX - 5 }), effect: 'earn', points: 5, at: AT, want: { ok: true, points: MAX } },
  { name: 'points earned past the largest balance: refused', voucher: loyaltyCard({ balance: MAX - 5 }), effect: 'earn', points: 6, at: AT, want: { ok: false, reason: 'amount_out_of_range' } },
  { name: 'points earned on a cancelled card: refused', voucher: loyaltyCard({ balance: 5 }, { status: 'CANCELLED' }), effect: 'earn', points: 6, at: AT, want: { ok: false, reason: 'cancelled' } },
  { name: 'points earned on a gift card: refused', voucher: gift(5000, 5000), effect: 'earn', points: 6, at: AT, want: { ok: false, reason: 'not_a_loyalty_card' } },
  { name: 'points spent', voucher: loyaltyCard({ balance: 300, earned: 300 }), effect: 'spend', points: 200, at: AT, want: { ok: true, points: 100, earned: 300, spent: 200, status: 'ACTIVE', overdraft: false } },
  { name: 'points spent to zero: still active', voucher: loyaltyCard({ balance: 200 }), effect: 'spend', points: 200, at: AT, want: { ok: true, points: 0, status: 'ACTIVE', overdraft: false } },
  { name: 'points overdrawn: accepted and flagged', voucher: loyaltyCard({ balance: 100 }), effect: 'spend', points: 250, at: AT, want: { ok: true, points: -150, spent: 250, status: 'ACTIVE', overdraft: true } },
  { name: 'points spent earlier than the last use: used_at stays', voucher: loyaltyCard({ balance: 100 }, { used_at: LATER }), effect: 'spend', points: 10, at: AT, want: { ok: true, used_at: LATER } },
  { name: 'points spent past the lowest balance: refused', voucher: loyaltyCard({ balance: -(MAX - 10), spent: MAX - 10 }), effect: 'spend', points: 11, at: AT, want: { ok: false, reason: 'amount_out_of_range' } },
  { name: 'points spent on a cancelled card: refused', voucher: loyaltyCard({ balance: 500 }, { status: 'CANCELLED' }), effect: 'spend', points: 1, at: AT, want: { ok: false, reason: 'cancelled' } },
  { name: 'points spent from a discount voucher: refused', voucher: discount(1, 0), effect: 'spend', points: 1, at: AT, want: { ok: false, reason: 'not_a_loyalty_card' } },
  { name: 'an earn reversed: the points taken back', voucher: loyaltyCard({ balance: 155, earned: 55 }), effect: 'unearn', points: 35, want: { points: 120, earned: 20, spent: 0, moved: -35 } },
  { name: 'an earn reversed after the points were spent: below zero', voucher: loyaltyCard({ balance: 0, earned: 40, spent: 40 }), effect: 'unearn', points: 40, want: { points: -40, earned: 0, spent: 40, moved: -40 } },
  { name: 'an earn reversed: never more than was earned', voucher: loyaltyCard({ balance: 510, earned: 10 }), effect: 'unearn', points: 35, want: { points: 500, earned: 0, moved: -10 } },
  { name: 'a spend reversed: the points given back', voucher: loyaltyCard({ balance: 100, earned: 300, spent: 200 }), effect: 'unspend', points: 200, want: { points: 300, earned: 300, spent: 0, moved: 200 } },
  { name: 'a spend reversed: never more than was spent', voucher: loyaltyCard({ balance: 100, spent: 50 }), effect: 'unspend', points: 80, want: { points: 150, spent: 0, moved: 50 } },
  { name: 'a spend reversed: never past the largest balance', voucher: loyaltyCard({ balance: MAX - 3, spent: 10 }), effect: 'unspend', points: 10, want: { points: MAX, spent: 7, moved: 3 } },
  { name: 'a spend reversed on a cancelled card: the points come back, it stays cancelled', voucher: loyaltyCard({ balance: 0, spent: 70 }, { status: 'CANCELLED' }), effect: 'unspend', points: 70, want: { points: 70, status: 'CANCELLED' } },
  { name: 'points reversed on a gift card: nothing moves', voucher: gift(5000, 100), effect: 'unspend', points: 70, want: { balance: 100, moved: 0 } },
].map((c, i) => ({ ...c, voucher: { ...c.voucher, code: `EFFECT${String(i).padStart(3, '0')}` } }) as EffectCase);

export type EffectResult = { voucher: Voucher; overdraft?: boolean; restored?: number; moved?: number };

/** The fields a case's `want` names (`ok` aside). */
export function wanted(c: EffectCase): Record<string, unknown> {
  const { ok: _ok, ...want } = c.want as Record<string, unknown>;
  return want;
}

/** Those same fields, read off a result. */
export function seenBy(c: EffectCase, got: EffectResult): Record<string, unknown> {
  const v = got.voucher;
  const seen: Record<string, unknown> = {
    status: v.status,
    redeemed_quantity: v.redemption.redeemed_quantity,
    balance: v.type === 'GIFT_VOUCHER' ? v.gift.balance : undefined,
    amount: v.type === 'GIFT_VOUCHER' ? v.gift.amount : undefined,
    used_at: v.used_at,
    overdraft: got.overdraft,
    restored: got.restored,
    points: v.type === 'LOYALTY_CARD' ? v.loyalty.balance : undefined,
    earned: v.type === 'LOYALTY_CARD' ? v.loyalty.earned : undefined,
    spent: v.type === 'LOYALTY_CARD' ? v.loyalty.spent : undefined,
    moved: got.moved,
  };
  return Object.fromEntries(Object.keys(wanted(c)).map((k) => [k, seen[k]]));
}

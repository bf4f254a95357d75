// core/loyalty.ts (points maths) and loyalty cards on a ticket (core/evaluate-ticket.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pointsEarned, pointsFor, pointsSpend, pointsValue } from '../../core/loyalty';
import { evaluateTicket, type VoucherEntry } from '../../core/evaluate-ticket';
import { validateVoucher } from '../../core/validate';
import type { ValidationContext } from '../../core/validation-context';
import { context, discountVoucher, giftVoucher, loyaltyCard, loyaltyProgram, ticket } from '../../testkit/fixtures';

const MAX = Number.MAX_SAFE_INTEGER;
const AT = '2026-03-04T10:00:00Z';

describe('points maths', () => {
  const club = loyaltyProgram(); // 1 point per full 1.00; 100 points buy 1.00

  it('earns per full amount paid, rounded down', () => {
    expect(pointsEarned(club, 999)).toBe(9);
    expect(pointsEarned(club, 1000)).toBe(10);
    expect(pointsEarned(club, 99)).toBe(0);
    expect(pointsEarned(club, 0)).toBe(0);
    expect(pointsEarned(loyaltyProgram({ earn: { points: 5, per_amount: 250 } }), 1249)).toBe(20);
  });

  it('values points rounded down, and asks the fewest whole points for an amount', () => {
    const dear = loyaltyProgram({ redeem: { points: 3, amount: 10 } }); // a point is worth 3⅓ cents
    expect(pointsValue(dear, 3)).toBe(10);
    expect(pointsValue(dear, 4)).toBe(13);
    expect(pointsFor(dear, 10)).toBe(3);
    expect(pointsFor(dear, 11)).toBe(4);
    expect(pointsFor(dear, 0)).toBe(0);
  });

  it('a spend pays at most what is due, what the cap allows and what the points are worth', () => {
    expect(pointsSpend(club, 1_000, 250, null)).toEqual({ amount: 250, points: 250 });
    expect(pointsSpend(club, 100, 250, null)).toEqual({ amount: 100, points: 100 });
    expect(pointsSpend(club, 1_000, 250, 200)).toEqual({ amount: 200, points: 200 });
    expect(pointsSpend(club, -40, 250, null)).toEqual({ amount: 0, points: 0 });
    // Ten points buy a cent: nine buy nothing, and are not taken.
    expect(pointsSpend(loyaltyProgram({ redeem: { points: 10, amount: 1 } }), 9, 250, null)).toEqual({ amount: 0, points: 0 });
  });

  it('clamps at the largest safe integer instead of losing precision', () => {
    expect(pointsEarned(loyaltyProgram({ earn: { points: 1_000_000, per_amount: 1 } }), MAX)).toBe(MAX);
    expect(pointsValue(loyaltyProgram({ redeem: { points: 1, amount: MAX } }), 2)).toBe(MAX);
  });

  it('property: a spend never takes more points than the card has, nor pays more than they are worth, due or cap', () => {
    const program = fc.record({ points: fc.integer({ min: 1, max: 1_000_000_000 }), amount: fc.integer({ min: 1, max: 1_000_000_000 }) });
    fc.assert(
      fc.property(program, fc.integer({ min: -1e6, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), fc.option(fc.integer({ min: 0, max: 1e9 })), (redeem, balance, due, cap) => {
        const p = loyaltyProgram({ redeem });
        const { amount, points } = pointsSpend(p, balance, due, cap);
        expect(amount).toBeLessThanOrEqual(Math.min(due, cap ?? MAX));
        expect(points).toBeLessThanOrEqual(Math.max(0, balance));
        expect(amount).toBeLessThanOrEqual(pointsValue(p, points));
        // The fewest points: one fewer would not cover the amount.
        if (points > 0) expect(pointsValue(p, points - 1)).toBeLessThan(amount);
        // Nothing left unspent that could still pay a cent of what is due.
        if (amount < Math.min(due, cap ?? MAX)) expect(pointsValue(p, balance)).toBe(amount);
      }),
    );
  });
});

describe('a loyalty card on a ticket', () => {
  const club = loyaltyProgram();
  const programs = new Map([[club.id, club]]);
  const ctx = (extra: Partial<ValidationContext> = {}) => context(AT, { loyaltyPrograms: programs, ...extra });
  const coffee = ticket([{ product_id: 'coffee', name: 'Coffee', quantity: 1, unit_price: 2_550, tax_rate: 19 }]);
  const card = loyaltyCard({ balance: 800, earned: 800 });

  it('earns on what is paid after discounts, and pays nothing unless asked to spend', () => {
    const off = discountVoucher({ type: 'AMOUNT', amount_off: 500 });
    const e = evaluateTicket(coffee, [{ code: off.code, voucher: off }, { code: card.code, voucher: card }], ctx());
    expect(e.results[1]).toEqual({ code: card.code, valid: true, type: 'LOYALTY_CARD', discount_amount: 0, gift_amount: 0, points_spent: 0, points_earned: 20, limited_by_offline_cap: false });
    expect(e.amount_due).toBe(2_050);
  });

  it('spends as tender, and earns only on what points did not pay', () => {
    const e = evaluateTicket(coffee, [{ code: card.code, voucher: card, spend_points: true }], ctx());
    expect(e.results[0]).toMatchObject({ valid: true, gift_amount: 800, points_spent: 800, points_earned: 17 });
    expect(e.gift_total).toBe(800);
    expect(e.amount_due).toBe(1_750);
  });

  it('pays in scan order with gift cards', () => {
    const gift = giftVoucher(2_000, 2_000);
    const first = evaluateTicket(coffee, [{ code: gift.code, voucher: gift }, { code: card.code, voucher: card, spend_points: true }], ctx());
    expect(first.results.map((r) => r.gift_amount)).toEqual([2_000, 550]);
    expect(first.results[1]).toMatchObject({ points_spent: 550, points_earned: 20 });
    const second = evaluateTicket(coffee, [{ code: card.code, voucher: card, spend_points: true }, { code: gift.code, voucher: gift }], ctx());
    expect(second.results.map((r) => r.gift_amount)).toEqual([800, 1_750]);
    expect(second.amount_due).toBe(0);
  });

  it('offline, points pay at most the policy’s cap, and the result says it was limited', () => {
    const offline = ctx({ online: false, replicaAgeMs: 0, offlinePolicy: { maxGiftAmountPerTicket: null, maxReplicaAgeMs: null, maxPointsAmountPerTicket: 300 } });
    const e = evaluateTicket(coffee, [{ code: card.code, voucher: card, spend_points: true }], offline);
    expect(e.results[0]).toMatchObject({ valid: true, gift_amount: 300, points_spent: 300, limited_by_offline_cap: true });
    // The points cap is its own: a gift card's cap is untouched by it.
    const gift = giftVoucher(5_000, 5_000);
    const both = evaluateTicket(coffee, [{ code: card.code, voucher: card, spend_points: true }, { code: gift.code, voucher: gift }], { ...offline, offlinePolicy: { ...offline.offlinePolicy!, maxGiftAmountPerTicket: 2_000 } });
    expect(both.results.map((r) => r.gift_amount)).toEqual([300, 2_000]);
  });

  it('an offline card not redeemable offline still earns, but may not spend', () => {
    const online = loyaltyCard({ balance: 800 }, { offline_redeemable: false });
    const offline = ctx({ online: false, replicaAgeMs: 0 });
    expect(evaluateTicket(coffee, [{ code: online.code, voucher: online }], offline).results[0]).toMatchObject({ valid: true, points_earned: 25 });
    expect(evaluateTicket(coffee, [{ code: online.code, voucher: online, spend_points: true }], offline).results[0]).toMatchObject({ valid: false, reason: 'offline_not_allowed' });
  });

  it('one loyalty card per ticket; its program must be known and in the ticket’s currency', () => {
    const other = loyaltyCard({ balance: 5 }, { code: 'LOYAL0002' });
    const two: VoucherEntry[] = [{ code: card.code, voucher: card }, { code: other.code, voucher: other }];
    expect(evaluateTicket(coffee, two, ctx()).results[1]).toMatchObject({ valid: false, reason: 'stacking_limit' });
    expect(evaluateTicket(coffee, [{ code: card.code, voucher: card }], context(AT)).results[0]).toMatchObject({ valid: false, reason: 'loyalty_program_unknown' });
    const dollars = new Map([[club.id, { ...club, currency: 'USD' }]]);
    expect(evaluateTicket(coffee, [{ code: card.code, voucher: card }], ctx({ loyaltyPrograms: dollars })).results[0]).toMatchObject({ valid: false, reason: 'currency_mismatch' });
  });

  it('a customer’s card needs no customer on the ticket (it names them), only not another customer', () => {
    const bens = loyaltyCard({ balance: 100 }, { customer_id: 'C-BEN' });
    expect(evaluateTicket(coffee, [{ code: bens.code, voucher: bens }], ctx()).results[0]).toMatchObject({ valid: true });
    const annas = ticket(coffee.lines, { customer_id: 'C-ANNA' });
    expect(evaluateTicket(annas, [{ code: bens.code, voucher: bens }], ctx()).results[0]).toMatchObject({ valid: false, reason: 'customer_mismatch' });
  });

  it('an overdrawn card still earns, and spends nothing', () => {
    const owing = loyaltyCard({ balance: -200, spent: 200 });
    expect(evaluateTicket(coffee, [{ code: owing.code, voucher: owing, spend_points: true }], ctx()).results[0]).toMatchObject({ valid: true, gift_amount: 0, points_spent: 0, points_earned: 25 });
  });

  it('validation is the evaluation’s last step for a loyalty card too', () => {
    const v = validateVoucher({ code: card.code, voucher: card }, coffee, [], ctx());
    expect(v.valid && v.effect).toMatchObject({ type: 'LOYALTY_CARD', points_earned: 25 });
  });
});

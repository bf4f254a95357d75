import { describe, expect, it } from 'vitest';
import { validateVoucher } from '../../core/validate';
import { evaluateTicket } from '../../core/evaluate-ticket';
import { VALIDATION_REASONS, type ValidationReason } from '../../core/reasons';
import type { Voucher } from '../../core/voucher';
import type { ValidationContext } from '../../core/validation-context';
import { context, discountVoucher, giftVoucher, loyaltyCard, ticket } from '../../testkit/fixtures';

const NOW = '2026-11-21T10:00:00Z'; // Saturday, 11:00 in Berlin
const basket = ticket(
  [
    { product_id: 'BREAD', name: 'Bread', quantity: 2, unit_price: 250, tax_rate: 7 },
    { product_id: 'WINE', name: 'Wine', quantity: 1, unit_price: 1000, tax_rate: 19 },
  ],
  { customer_id: 'C1' },
); // 15.00
const tenOff = discountVoucher({ type: 'AMOUNT', amount_off: 1000 }, { code: 'TENOFF' });

function reasonOf(voucher: Voucher | undefined, opts: { code?: string; applied?: Voucher[]; ctx?: Partial<ValidationContext>; t?: typeof basket } = {}): ValidationReason | 'valid' {
  const result = validateVoucher({ code: opts.code ?? voucher?.code ?? 'NOPE1234', voucher }, opts.t ?? basket, opts.applied ?? [], context(NOW, opts.ctx));
  return result.valid ? 'valid' : result.reason;
}

describe('validateVoucher: every reason in the contract', () => {
  const cases: [ValidationReason, () => ValidationReason | 'valid'][] = [
    ['invalid_code_format', () => reasonOf(undefined, { code: 'A!' })],
    ['not_found', () => reasonOf(undefined, { code: 'UNKNOWN1' })],
    ['disabled', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { active: false }))],
    ['cancelled', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { status: 'CANCELLED' }))],
    ['not_active_yet', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { start_date: '2026-11-22' }))],
    ['expired', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { expiration_date: '2026-11-20' }))],
    ['not_active_now', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { validity_day_of_week: [1, 2, 3] }))],
    ['quantity_exceeded', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { redemption: { quantity: 1, redeemed_quantity: 1 } }))],
    ['gift_balance_exhausted', () => reasonOf(giftVoucher(5000, 0))],
    ['missing_customer', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { customer_id: 'C1' }), { t: ticket(basket.lines) })],
    ['customer_mismatch', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { customer_id: 'C2' }))],
    ['product_not_in_ticket', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { product_id: 'CHEESE' }))],
    ['min_order_not_met', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { min_order_amount: 1501 }))],
    ['currency_mismatch', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { currency: 'USD' }))],
    ['already_applied', () => reasonOf(tenOff, { applied: [tenOff] })],
    [
      'stacking_limit',
      () =>
        reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { code: 'SECOND' }), {
          applied: [tenOff],
          ctx: { stacking: { maxDiscountVouchers: 1, maxGiftCards: 1 } },
        }),
    ],
    ['offline_not_allowed', () => reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { offline_redeemable: false }), { ctx: { online: false } })],
    [
      'offline_limit_exceeded',
      () =>
        reasonOf(giftVoucher(5000, 5000, { code: 'GIFT0002' }), {
          applied: [giftVoucher(5000, 5000)],
          ctx: { online: false, offlinePolicy: { maxGiftAmountPerTicket: 500, maxReplicaAgeMs: null } },
        }),
    ],
    ['loyalty_program_unknown', () => reasonOf(loyaltyCard({ balance: 10 }), { ctx: { loyaltyPrograms: new Map() } })],
  ];

  it('covers the contract list exactly', () => {
    expect(cases.map(([reason]) => reason).sort()).toEqual([...VALIDATION_REASONS].sort());
  });

  it.each(cases)('%s is reachable', (reason, run) => {
    expect(run()).toBe(reason);
  });

  it('the same vouchers are valid when nothing is wrong', () => {
    expect(reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { customer_id: 'C1', product_id: 'WINE', min_order_amount: 1500 }))).toBe('valid');
    expect(reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { offline_redeemable: false }))).toBe('valid'); // online
    expect(reasonOf(giftVoucher(5000, 1), { ctx: { online: false } })).toBe('valid');
  });

  it('REDEEMED status on a discount voucher means its quantity is used up', () => {
    expect(reasonOf(discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { status: 'REDEEMED', redemption: { quantity: 1, redeemed_quantity: 1 } }))).toBe('quantity_exceeded');
  });

  it('normalises the scanned code (AIM prefix, case) before comparing', () => {
    const result = validateVoucher({ code: ']Q3tenoff', voucher: undefined }, basket, [tenOff], context(NOW));
    expect(result).toEqual({ valid: false, code: 'TENOFF', reason: 'not_found' });
    const again = validateVoucher({ code: ' tenoff ', voucher: tenOff }, basket, [tenOff], context(NOW));
    expect(again).toMatchObject({ valid: false, reason: 'already_applied' });
  });

  it('single-use codes are refused offline once the replica is older than the policy allows', () => {
    const single = discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { redemption: { quantity: 1, redeemed_quantity: 0 } });
    const policy = { maxGiftAmountPerTicket: null, maxReplicaAgeMs: 3_600_000 };
    expect(reasonOf(single, { ctx: { online: false, offlinePolicy: policy, replicaAgeMs: 3_600_001 } })).toBe('offline_not_allowed');
    expect(reasonOf(single, { ctx: { online: false, offlinePolicy: policy, replicaAgeMs: 3_600_000 } })).toBe('valid');
    expect(reasonOf(single, { ctx: { online: true, offlinePolicy: policy, replicaAgeMs: 9e9 } })).toBe('valid');
    const multi = discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { redemption: { quantity: 10, redeemed_quantity: 0 } });
    expect(reasonOf(multi, { ctx: { online: false, offlinePolicy: policy, replicaAgeMs: 9e9 } })).toBe('valid');
  });
});

describe('discount kinds', () => {
  const evaluate = (v: Voucher, t = basket) => evaluateTicket(t, [{ code: v.code, voucher: v }], context(NOW));

  it('AMOUNT takes its amount off, split over the lines by what they cost', () => {
    const e = evaluate(discountVoucher({ type: 'AMOUNT', amount_off: 300 }));
    expect(e.total_discount).toBe(300);
    expect(e.line_discounts).toEqual([100, 200]);
    expect(e.amount_due).toBe(1200);
  });

  it('AMOUNT larger than the ticket brings it to zero, never below', () => {
    const e = evaluate(discountVoucher({ type: 'AMOUNT', amount_off: 99_999 }));
    expect(e.total_discount).toBe(1500);
    expect(e.amount_due).toBe(0);
  });

  it('PERCENT rounds once, half up, and respects amount_limit', () => {
    expect(evaluate(discountVoucher({ type: 'PERCENT', percent_off: 10 })).total_discount).toBe(150);
    expect(evaluate(discountVoucher({ type: 'PERCENT', percent_off: 12.5 })).total_discount).toBe(188); // 187.5 → 188
    expect(evaluate(discountVoucher({ type: 'PERCENT', percent_off: 50, amount_limit: 200 })).total_discount).toBe(200);
  });

  it('FIXED makes the eligible total the fixed amount, and never raises it', () => {
    expect(evaluate(discountVoucher({ type: 'FIXED', fixed_amount: 999 })).amount_due).toBe(999);
    expect(evaluate(discountVoucher({ type: 'FIXED', fixed_amount: 5000 })).total_discount).toBe(0);
  });

  it('UNIT gives units of the product free, at most as many as are on the ticket', () => {
    expect(evaluate(discountVoucher({ type: 'UNIT', unit_off: 1, product_id: 'BREAD' })).line_discounts).toEqual([250, 0]);
    expect(evaluate(discountVoucher({ type: 'UNIT', unit_off: 5, product_id: 'BREAD' })).line_discounts).toEqual([500, 0]);
    expect(reasonOf(discountVoucher({ type: 'UNIT', unit_off: 1, product_id: 'CHEESE' }))).toBe('product_not_in_ticket');
  });

  it('UNIT_MULTIPLE gives several products’ units free at once, each like a UNIT; one of its products must be on the ticket', () => {
    const both = discountVoucher({ type: 'UNIT_MULTIPLE', units: [{ unit_off: 1, product_id: 'BREAD' }, { unit_off: 1, product_id: 'WINE' }] });
    expect(evaluate(both).line_discounts).toEqual([250, 1000]);
    const breadOnly = discountVoucher({ type: 'UNIT_MULTIPLE', units: [{ unit_off: 3, product_id: 'BREAD' }, { unit_off: 1, product_id: 'CHEESE' }] });
    expect(evaluate(breadOnly).line_discounts).toEqual([500, 0]);
    expect(reasonOf(discountVoucher({ type: 'UNIT_MULTIPLE', units: [{ unit_off: 1, product_id: 'CHEESE' }, { unit_off: 1, product_id: 'HAM' }] }))).toBe('product_not_in_ticket');
    // Free items first, with UNIT: a percentage after it counts only what is still paid.
    const tenPercent = discountVoucher({ type: 'PERCENT', percent_off: 10 }, { code: 'TENPC' });
    const e = evaluateTicket(basket, [{ code: tenPercent.code, voucher: tenPercent }, { code: both.code, voucher: both }], context(NOW));
    expect(e.results.map((r) => r.discount_amount)).toEqual([25, 1250]);
  });

  it('a product restriction limits the discount to that product’s lines', () => {
    const e = evaluate(discountVoucher({ type: 'PERCENT', percent_off: 50 }, { product_id: 'WINE' }));
    expect(e.line_discounts).toEqual([0, 500]);
  });

  it('tax is backed out per rate after discounts', () => {
    const e = evaluate(discountVoucher({ type: 'AMOUNT', amount_off: 300 }));
    // bread 500 − 100 = 400 at 7 %: net 374, tax 26; wine 1000 − 200 = 800 at 19 %: net 672, tax 128
    expect(e.tax).toEqual([
      { rate: 7, gross: 400, net: 374, tax: 26 },
      { rate: 19, gross: 800, net: 672, tax: 128 },
    ]);
  });
});

describe('several vouchers on one ticket', () => {
  it('applies UNIT, PERCENT, AMOUNT, FIXED in that order whatever the scan order, gift cards last', () => {
    const fixed = discountVoucher({ type: 'FIXED', fixed_amount: 700 }, { code: 'FIXED1' });
    const amount = discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { code: 'AMOUNT1' });
    const percent = discountVoucher({ type: 'PERCENT', percent_off: 10 }, { code: 'PERCENT1' });
    const unit = discountVoucher({ type: 'UNIT', unit_off: 1, product_id: 'BREAD' }, { code: 'UNIT1' });
    const gift = giftVoucher(5000, 300);
    const scanned = [gift, fixed, amount, percent, unit];
    const e = evaluateTicket(basket, scanned.map((v) => ({ code: v.code, voucher: v })), context(NOW));
    // 1500 → UNIT −250 = 1250 → 10 % −125 = 1125 → −100 = 1025 → FIXED 700: −325 → gift pays 300 → due 400
    expect(e.results.map((r) => r.discount_amount)).toEqual([0, 325, 100, 125, 250]);
    expect(e.total_discount).toBe(800);
    expect(e.gift_total).toBe(300);
    expect(e.amount_due).toBe(400);
  });

  it('a gift card pays min(balance, amount due); a second card pays the rest', () => {
    const a = giftVoucher(1000, 1000, { code: 'GIFTA' });
    const b = giftVoucher(5000, 5000, { code: 'GIFTB' });
    const e = evaluateTicket(basket, [a, b].map((v) => ({ code: v.code, voucher: v })), context(NOW));
    expect(e.results.map((r) => r.gift_amount)).toEqual([1000, 500]);
    expect(e.amount_due).toBe(0);
  });

  it('the offline gift cap clamps a card and refuses the next', () => {
    const ctx = context(NOW, { online: false, offlinePolicy: { maxGiftAmountPerTicket: 1200, maxReplicaAgeMs: null } });
    const a = giftVoucher(1000, 1000, { code: 'GIFTA' });
    const b = giftVoucher(5000, 5000, { code: 'GIFTB' });
    const c = giftVoucher(5000, 5000, { code: 'GIFTC' });
    const e = evaluateTicket(basket, [a, b, c].map((v) => ({ code: v.code, voucher: v })), ctx);
    expect(e.results[0]).toMatchObject({ valid: true, gift_amount: 1000, limited_by_offline_cap: false });
    expect(e.results[1]).toMatchObject({ valid: true, gift_amount: 200, limited_by_offline_cap: true });
    expect(e.results[2]).toMatchObject({ valid: false, reason: 'offline_limit_exceeded' });
    expect(e.amount_due).toBe(300);
  });

  it('validation returns the new voucher’s effect in the context of the ones already applied', () => {
    const percent = discountVoucher({ type: 'PERCENT', percent_off: 10 }, { code: 'PERCENT1' });
    const result = validateVoucher({ code: 'TENOFF', voucher: tenOff }, basket, [percent], context(NOW));
    expect(result.valid && result.effect.discount_amount).toBe(1000); // after 10 %: 1350 left, 10.00 off
    expect(result.valid && result.evaluation.amount_due).toBe(350);
  });
});

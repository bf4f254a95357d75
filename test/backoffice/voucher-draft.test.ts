// The voucher form's model (backoffice/voucher-draft.ts): what it sends HQ, what it refuses to send,
// and the preview core/words describes — checked against core's own input schema.
import { describe, expect, it } from 'vitest';
import { VoucherCreateInputSchema, VoucherUpdateInputSchema, VoucherSchema, type Voucher } from '../../core/voucher';
import { conditionLines, effectText } from '../../core/words/voucher-text';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING } from '../../core/validation-context';
import { draftOf, draftToBody, emptyDraft, previewVoucher, type VoucherDraft } from '../../backoffice/voucher-draft';

const NOW = '2026-12-02T10:00:00.000Z';
const d = { locale: 'en-GB', currency: 'EUR', timeZone: 'Europe/Berlin', offlinePolicy: DEFAULT_OFFLINE_POLICY, stacking: DEFAULT_STACKING };
const draft = (over: Partial<VoucherDraft>): VoucherDraft => ({ ...emptyDraft(), ...over });

describe('voucher form drafts', () => {
  it('a discount with every validity rule becomes a body HQ accepts, and the preview says the rules in words', () => {
    const happyHour = draft({
      code: 'happy-hour', label: 'Happy hour', campaign: 'EVENINGS', discountKind: 'PERCENT', percent: '12,5', amount: '20,00', quantity: '',
      startDate: '2026-12-01', expirationDate: '2027-01-31T23:59', days: [5, 1, 2, 3, 4],
      hours: [{ days: [1, 2, 3, 4, 5], start: '17:00', end: '19:00' }], minOrder: '10', metadata: '{"source": "flyer"}',
    });
    const { body, errors } = draftToBody(happyHour, 'create');
    expect(errors).toEqual([]);
    expect(body).toEqual({
      type: 'DISCOUNT_VOUCHER', code: 'happy-hour', label: 'Happy hour', campaign: 'EVENINGS', currency: 'EUR', active: true, offline_redeemable: true,
      start_date: '2026-12-01', expiration_date: '2027-01-31T23:59', validity_day_of_week: [1, 2, 3, 4, 5],
      validity_hours: { daily: [{ start_time: '17:00', expiration_time: '19:00', days_of_week: [1, 2, 3, 4, 5] }] },
      min_order_amount: 1000, metadata: { source: 'flyer' }, redemption: { quantity: null }, discount: { type: 'PERCENT', percent_off: 12.5, amount_limit: 2000 },
    });
    expect(VoucherCreateInputSchema.safeParse(body).success).toBe(true);
    const preview = previewVoucher(happyHour, NOW)!;
    expect(VoucherSchema.safeParse({ ...preview, code: 'HAPPY-HOUR' }).success).toBe(true);
    expect(effectText(preview, d)).toBe('12.5 % off (at most €20.00)');
    const lines = conditionLines(preview, d);
    expect(lines).toContain('Unlimited uses');
    expect(lines.some((l) => l.includes('17:00–19:00'))).toBe(true);
    expect(lines).toContain('Minimum ticket €10.00');
  });

  it('gift cards, loyalty cards and unit discounts', () => {
    const gift = draftToBody(draft({ type: 'GIFT_VOUCHER', giftAmount: '25', quantity: '' }), 'create');
    expect(gift.body).toMatchObject({ type: 'GIFT_VOUCHER', gift: { amount: 2500 }, redemption: { quantity: null } });
    expect(VoucherCreateInputSchema.safeParse(gift.body).success).toBe(true);
    const card = draftToBody(draft({ type: 'LOYALTY_CARD', campaign: 'COFFEE-CLUB', loyaltyBalance: '120' }), 'create');
    expect(card.body).toMatchObject({ type: 'LOYALTY_CARD', campaign: 'COFFEE-CLUB', loyalty: { balance: 120 } });
    expect(card.body).not.toHaveProperty('redemption');
    expect(VoucherCreateInputSchema.safeParse(card.body).success).toBe(true);
    const multi = draftToBody(draft({ discountKind: 'UNIT_MULTIPLE', unitLines: '2 croissant\n1 × espresso' }), 'create');
    expect(multi.body.discount).toEqual({ type: 'UNIT_MULTIPLE', units: [{ unit_off: 2, product_id: 'croissant' }, { unit_off: 1, product_id: 'espresso' }] });
    expect(VoucherCreateInputSchema.safeParse(multi.body).success).toBe(true);
  });

  it('refuses to send what it cannot read, naming the field', () => {
    expect(draftToBody(draft({ amount: 'five' }), 'create').errors).toEqual([{ field: 'amount', message: '"five" is not an amount of money' }]);
    expect(draftToBody(draft({ amount: '' }), 'create').errors).toEqual([{ field: 'amount', message: 'enter an amount' }]);
    expect(draftToBody(draft({ amount: '5', metadata: '{oops' }), 'create').errors.map((e) => e.field)).toEqual(['metadata']);
    expect(draftToBody(draft({ amount: '5', quantity: '1.5' }), 'create').errors.map((e) => e.field)).toEqual(['quantity']);
    expect(draftToBody(draft({ discountKind: 'UNIT_MULTIPLE', unitLines: 'croissant' }), 'create').errors.map((e) => e.field)).toEqual(['unitLines', 'unitLines']);
    expect(previewVoucher(draft({ amount: '5', startDate: 'tomorrow' }), NOW)).toBeNull();
  });

  it('an existing voucher round-trips: its draft sends back what it holds, and clears what was emptied', () => {
    const v: Voucher = VoucherSchema.parse({
      code: 'EVENING-5', type: 'DISCOUNT_VOUCHER', label: 'Evening', campaign: 'EVENINGS', category: null, currency: 'EUR', redemption: { quantity: 3, redeemed_quantity: 1 },
      active: true, start_date: '2026-12-01', expiration_date: null, validity_day_of_week: [6, 0], validity_hours: null, validity_timeframe: { interval: 'P7D', duration: 'PT2H' },
      customer_id: null, product_id: 'wine', min_order_amount: 1250, offline_redeemable: false, metadata: { a: 1 }, status: 'ACTIVE', used_at: null,
      created_at: NOW, updated_at: NOW, discount: { type: 'AMOUNT', amount_off: 500 }, gift: null,
    });
    const back = draftToBody(draftOf(v), 'update');
    expect(back.errors).toEqual([]);
    expect(back.body).toEqual({
      label: 'Evening', campaign: 'EVENINGS', category: null, currency: 'EUR', active: true, offline_redeemable: false, start_date: '2026-12-01', expiration_date: null,
      validity_day_of_week: [0, 6], validity_hours: null, validity_timeframe: { interval: 'P7D', duration: 'PT2H' }, customer_id: null, product_id: 'wine', min_order_amount: 1250,
      metadata: { a: 1 }, redemption: { quantity: 3 }, discount: { type: 'AMOUNT', amount_off: 500 },
    });
    expect(VoucherUpdateInputSchema.safeParse(back.body).success).toBe(true);
    const cleared = draftToBody({ ...draftOf(v), productId: '', minOrder: '', metadata: '' }, 'update').body;
    expect(cleared).toMatchObject({ product_id: null, min_order_amount: null, metadata: {} });
  });
});

// core/voucher-effects.ts: the table every statement of the rule answers to (test/core/voucher-effect-cases.ts).
import { describe, expect, it } from 'vitest';
import { VoucherSchema } from '../../core/voucher';
import { movePoints, redeemVoucher, restoreVoucher, reversePoints, topUpVoucher, voucherStatus } from '../../core/voucher-effects';
import { evaluateTicket } from '../../core/evaluate-ticket';
import { EFFECT_CASES, seenBy, wanted, type EffectCase, type EffectResult } from './voucher-effect-cases';
import { context, giftVoucher, ticket } from '../../testkit/fixtures';

function expectWant(c: EffectCase, got: EffectResult) {
  expect(seenBy(c, got), c.name).toEqual(wanted(c));
}

describe('voucher effects (core)', () => {
  it.each(EFFECT_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (c.effect === 'redeem') {
      const out = redeemVoucher(c.voucher, c.amount, c.at);
      expect(out.ok, c.name).toBe(c.want.ok);
      if (out.ok) expectWant(c, out);
      else expect(out).toEqual(c.want);
      // What comes out is a voucher the model accepts, or nothing changed.
      if (out.ok) expect(VoucherSchema.safeParse(out.voucher).success).toBe(true);
    } else if (c.effect === 'top_up') {
      const out = topUpVoucher(c.voucher, c.amount);
      expect(out.ok, c.name).toBe(c.want.ok);
      if (out.ok) {
        expectWant(c, out);
        expect(VoucherSchema.safeParse(out.voucher).success).toBe(true);
      } else expect(out).toEqual(c.want);
    } else if (c.effect === 'earn' || c.effect === 'spend') {
      const out = movePoints(c.voucher, c.effect, c.points, c.at);
      expect(out.ok, c.name).toBe(c.want.ok);
      if (out.ok) {
        expectWant(c, out);
        expect(VoucherSchema.safeParse(out.voucher).success).toBe(true);
      } else expect(out).toEqual(c.want);
    } else if (c.effect === 'unearn' || c.effect === 'unspend') {
      const out = reversePoints(c.voucher, c.effect === 'unearn' ? 'earn' : 'spend', c.points);
      expectWant(c, out);
      expect(VoucherSchema.safeParse(out.voucher).success).toBe(true);
    } else if (c.effect === 'restore') {
      const out = restoreVoucher(c.voucher, c.amount);
      expectWant(c, out);
      expect(VoucherSchema.safeParse(out.voucher).success).toBe(true);
    }
  });

  it('status is the counts’, whatever the stored one says', () => {
    expect(voucherStatus(giftVoucher(5000, 100, { status: 'REDEEMED' }))).toBe('ACTIVE');
    expect(voucherStatus(giftVoucher(5000, 0))).toBe('REDEEMED');
    expect(voucherStatus(giftVoucher(5000, 0, { status: 'CANCELLED' }))).toBe('CANCELLED');
  });

  it('a gift card with a quantity on it is not refused for it at the till either (HQ counts no uses on one)', () => {
    const card = giftVoucher(5000, 5000, { redemption: { quantity: 1, redeemed_quantity: 1 } });
    const evaluation = evaluateTicket(ticket([{ product_id: 'p', name: 'P', quantity: 1, unit_price: 1000, tax_rate: 0 }]), [{ code: card.code, voucher: card }], context('2026-03-04T10:00:00Z'));
    expect(evaluation.results[0]).toMatchObject({ valid: true, gift_amount: 1000 });
  });
});

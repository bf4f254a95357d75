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
    // Effects that may be refused: the table's outcome; undoings always apply.
    const outcome = (out: (EffectResult & { ok: true }) | { ok: false; reason: string }) => {
      expect(out.ok, c.name).toBe((c.want as { ok?: boolean }).ok);
      if (out.ok) applied(out);
      else expect(out).toEqual(c.want);
    };
    // What comes out is a voucher the model accepts, with what the table wants.
    const applied = (out: EffectResult) => {
      expectWant(c, out);
      expect(VoucherSchema.safeParse(out.voucher).success).toBe(true);
    };
    if (c.effect === 'redeem') outcome(redeemVoucher(c.voucher, c.amount, c.at));
    else if (c.effect === 'top_up') outcome(topUpVoucher(c.voucher, c.amount));
    else if (c.effect === 'earn' || c.effect === 'spend') outcome(movePoints(c.voucher, c.effect, c.points, c.at));
    else if (c.effect === 'unearn' || c.effect === 'unspend') applied(reversePoints(c.voucher, c.effect === 'unearn' ? 'earn' : 'spend', c.points));
    else if (c.effect === 'restore') applied(restoreVoucher(c.voucher, c.amount));
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

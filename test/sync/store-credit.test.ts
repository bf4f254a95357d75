// Store credit on a refund (issue 14, part 2): what was paid in cash or by card goes onto a new gift card
// from the till's leased codes (GIFT_ISSUE) or onto an existing card (GIFT_TOP_UP) — in the refund's own
// transaction, offline too — and HQ books it when the till syncs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketSchema } from '../../core/ticket';
import type { Voucher } from '../../core/voucher';
import { giftVoucher } from '../../testkit/fixtures';
import { adminCreate, newTill, startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { effectsOf, rebase } from '../../sync/replica/rebase';
import { getVoucher } from '../../sync/replica/voucher-store';

const coffee = TicketSchema.parse({ currency: 'EUR', lines: [{ product_id: 'COFFEE', quantity: 1, unit_price: 1299, tax_rate: 7 }] });

describe('store credit on a refund, against a real HQ (PGlite, loopback HTTP)', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
    await hq.admin({ method: 'PUT', url: '/v1/products/COFFEE', payload: { name: 'Coffee', barcode: '4006381333931', unit_price: 1299, tax_rate: 7, currency: 'EUR' } });
  }, 60_000);
  afterAll(async () => hq?.close());

  const heldAtHq = async (code: string): Promise<Voucher> => (await hq.admin({ method: 'GET', url: `/v1/vouchers/${code}` })).json();

  it('onto a new gift card: what was paid beyond the voucher, from a leased code; the voucher comes back; HQ books both', async () => {
    const five = await adminCreate(hq, { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 300 } });
    const till = await newTill(hq);
    await till.initialLoad();
    const sale = await till.completeTicket({ ticket: coffee, codes: [five.code], payments: [{ method: 'CASH', tendered: 1000, change: 1 }] });
    await till.syncNow();
    const before = await till.db.outbox.count();
    const { ticket, credited } = await till.refundTicket(sale.id, { to: 'new' });
    expect(credited).toMatchObject({ type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 999, balance: 999 } });
    expect(ticket.credit).toEqual({ to: 'new', code: credited!.code });
    expect(ticket.evaluation.amount_due).toBe(999);
    expect((await till.db.outbox.toArray()).slice(before).map((op) => op.type)).toEqual(['ROLLBACK', 'GIFT_ISSUE']);
    expect(await getVoucher(till.db, credited!.code)).toEqual(credited);
    expect((await till.findTicket(sale.id))?.credit).toEqual(ticket.credit);

    expect(await till.syncNow()).toMatchObject({ pendingOps: 0, lastError: null });
    expect((await heldAtHq(credited!.code)).gift).toEqual({ amount: 999, balance: 999 });
    expect((await heldAtHq(five.code)).redemption.redeemed_quantity).toBe(0);
    expect(await till.db.conflicts.count()).toBe(0);
    await till.close();
  });

  it('onto an existing gift card, offline: the card grows at once; HQ raises its amount and balance on sync', async () => {
    const card = await adminCreate(hq, { type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 1000 } });
    const till = await newTill(hq);
    await till.initialLoad();
    const sale = await till.completeTicket({ ticket: coffee, codes: [], payments: [{ method: 'CARD', amount: 1299 }] });
    const { credited, ticket } = await till.refundTicket(sale.id, { to: 'card', code: card.code.toLowerCase() });
    expect(credited).toMatchObject({ code: card.code, gift: { amount: 2299, balance: 2299 } });
    expect(ticket.credit).toEqual({ to: 'card', code: card.code });
    expect(ticket.evaluation.amount_due).toBe(1299);
    expect((await till.db.outbox.toArray()).map((op) => [op.type, op.payload])).toEqual([
      ['GIFT_TOP_UP', { code: card.code, amount: 1299, ticket_id: sale.id }],
    ]);
    expect(await till.syncNow()).toMatchObject({ pendingOps: 0, lastError: null });
    expect((await heldAtHq(card.code)).gift).toEqual({ amount: 2299, balance: 2299 });
    expect((await getVoucher(till.db, card.code))?.gift).toEqual({ amount: 2299, balance: 2299 });
    await till.close();
  });

  it('refused at the till, with nothing written: a discount voucher, an unknown card, a card in another currency, a ticket paid wholly by gift card', async () => {
    const five = await adminCreate(hq, { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 300 } });
    const big = await adminCreate(hq, { type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 5000 } });
    const dollars = await adminCreate(hq, { type: 'GIFT_VOUCHER', currency: 'USD', gift: { amount: 5000 } });
    const till = await newTill(hq);
    await till.initialLoad();
    const cash = await till.completeTicket({ ticket: coffee, codes: [], payments: [{ method: 'CASH', tendered: 1299, change: 0 }] });
    const byCard = await till.completeTicket({ ticket: coffee, codes: [big.code], payments: [] });
    const outbox = await till.db.outbox.count();
    await expect(till.refundTicket(cash.id, { to: 'card', code: five.code })).rejects.toMatchObject({ reason: 'card_refused', details: { code: five.code, reason: 'not_a_gift_card' } });
    await expect(till.refundTicket(cash.id, { to: 'card', code: 'NO-SUCH-CARD' })).rejects.toMatchObject({ reason: 'unknown_card' });
    await expect(till.refundTicket(cash.id, { to: 'card', code: dollars.code })).rejects.toMatchObject({ reason: 'card_currency', details: { code: dollars.code } });
    await expect(till.refundTicket(byCard.id, { to: 'new' })).rejects.toMatchObject({ reason: 'nothing_to_credit' });
    expect(await till.db.outbox.count()).toBe(outbox);
    expect((await till.findTicket(cash.id))?.refunded_at).toBeUndefined();
    expect((await getVoucher(till.db, big.code))?.gift?.balance).toBe(5000 - 1299);
    // Above the till's gift-card limit, onto a new card or an existing one alike.
    const strict = await newTill(hq, { settings: { timeZone: 'Europe/Berlin', currency: 'EUR', maxGiftCardAmount: 1000 } });
    await strict.initialLoad();
    const dear = await strict.completeTicket({ ticket: coffee, codes: [], payments: [{ method: 'CASH', tendered: 1299, change: 0 }] });
    for (const credit of [{ to: 'new' as const }, { to: 'card' as const, code: big.code }]) {
      await expect(strict.refundTicket(dear.id, credit)).rejects.toMatchObject({ reason: 'credit_too_high', details: { limit: 1000 } });
    }
    expect(await strict.db.outbox.count()).toBe(0); // a sale without vouchers sends nothing, and the refunds wrote nothing
    expect((await strict.findTicket(dear.id))?.refunded_at).toBeUndefined();
    expect((await getVoucher(strict.db, big.code))?.gift).toEqual({ amount: 5000, balance: 5000 });
    await strict.close();
    // Refunded without store credit, the gift card gets its money back as before.
    await till.refundTicket(byCard.id);
    expect((await getVoucher(till.db, big.code))?.gift?.balance).toBe(5000);
    await till.close();
  });

  it('a card cancelled at HQ before the top-up arrives: REJECTED, kept as a conflict for the cashier, the replica corrected', async () => {
    const card = await adminCreate(hq, { type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 1000 } });
    const till = await newTill(hq);
    await till.initialLoad();
    const sale = await till.completeTicket({ ticket: coffee, codes: [], payments: [{ method: 'CASH', tendered: 1299, change: 0 }] });
    await till.syncNow();
    expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${card.code}/cancel` })).statusCode).toBe(200);
    await till.refundTicket(sale.id, { to: 'card', code: card.code }); // the till has not heard yet
    await till.syncNow();
    expect(await till.db.conflicts.toArray()).toMatchObject([{ code: card.code, ticket_id: sale.id, amount: 1299, reason: 'cancelled' }]);
    expect(await getVoucher(till.db, card.code)).toMatchObject({ status: 'CANCELLED', gift: { amount: 1000, balance: 1000 } });
    expect((await heldAtHq(card.code)).gift).toEqual({ amount: 1000, balance: 1000 });
    await till.close();
  });
});

describe('a top-up not yet sent survives HQ state arriving (rebase)', () => {
  it('HQ’s newer card, with the pending top-up on top; one HQ will refuse changes nothing', () => {
    const atHq = giftVoucher(5000, 3000); // another till spent 20.00 meanwhile
    const ops = [{ op_id: crypto.randomUUID(), seq: 7, type: 'GIFT_TOP_UP' as const, occurred_at: '2026-12-02T10:00:00.000Z', payload: { code: atHq.code, amount: 1299 } }];
    const pending = effectsOf(ops, () => undefined);
    expect(pending).toEqual([{ kind: 'top_up', code: atHq.code, amount: 1299 }]);
    expect(rebase(atHq, pending).gift).toEqual({ amount: 6299, balance: 4299 });
    const cancelled = { ...atHq, status: 'CANCELLED' as const };
    expect(rebase(cancelled, pending)).toEqual(cancelled);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketSchema } from '../../core/ticket';
import { adminCreate, newTill, startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { getVoucher } from '../../sync/replica/voucher-store';

const ticketOf = (lines: { product_id: string; quantity: number; unit_price: number }[], customer_id?: string) =>
  TicketSchema.parse({ currency: 'EUR', lines: lines.map((l) => ({ ...l, tax_rate: 19 })), ...(customer_id ? { customer_id } : {}) });

describe('till against a real HQ (PGlite, loopback HTTP)', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
    await hq.admin({ method: 'PUT', url: '/v1/products/COFFEE', payload: { name: 'Coffee', barcode: '4006381333931', unit_price: 1299, tax_rate: 7, currency: 'EUR' } });
    await hq.admin({ method: 'PUT', url: '/v1/customers/C-1', payload: { name: 'Ada', card_code: 'CARD-ADA-1' } });
  }, 60_000);
  afterAll(async () => hq?.close());

  it('loads the replica with progress, then looks up products, vouchers and customer cards locally', async () => {
    await adminCreate(hq, { code: 'LOAD-PCT', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 10 } });
    const till = await newTill(hq, { pullPageSize: 2 });
    expect(await till.isLoaded()).toBe(false);
    const progress: number[] = [];
    const result = await till.initialLoad((p) => progress.push(p.fraction ?? -1));
    expect(await till.isLoaded()).toBe(true);
    expect(result.pages).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await till.lookup('4006381333931')).toMatchObject({ kind: 'product', product: { id: 'COFFEE' } });
    expect(await till.lookup(']C0load-pct\r')).toMatchObject({ kind: 'voucher', code: 'LOAD-PCT', voucher: { code: 'LOAD-PCT' } });
    expect(await till.lookup('CARD-ADA-1')).toMatchObject({ kind: 'customer', customer: { id: 'C-1' } });
    expect(await till.lookup('4006381333932')).toMatchObject({ kind: 'unknown', reason: 'bad_check_digit' });
    expect(await till.lookup('5901234123457')).toMatchObject({ kind: 'unknown', reason: 'unknown_product' });
    expect(await till.codeLeaseCount()).toBeGreaterThanOrEqual(20);
    await till.close();
  });

  it('sells with a single-use voucher offline-first: committed locally at once, accepted by HQ on sync', async () => {
    const v = await adminCreate(hq, { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 300 } });
    const till = await newTill(hq);
    await till.initialLoad();
    const ticket = ticketOf([{ product_id: 'COFFEE', quantity: 1, unit_price: 1299 }]);
    const check = await till.validate(v.code.toLowerCase(), ticket, []);
    expect(check.valid && check.effect.discount_amount).toBe(300);
    const row = await till.completeTicket({ ticket, codes: [v.code], payments: [{ method: 'CASH', tendered: 1000, change: 1 }] });
    expect(row.evaluation.amount_due).toBe(999);
    expect((await getVoucher(till.db, v.code))?.status).toBe('REDEEMED');
    expect(await till.db.outbox.count()).toBe(1);
    // A second use at this till is refused locally, before any network.
    expect(await till.validate(v.code, ticket, [])).toMatchObject({ valid: false, reason: 'quantity_exceeded' });

    const status = await till.syncNow();
    expect(status).toMatchObject({ online: true, pendingOps: 0, lastError: null });
    expect((await till.db.redemptions.where('ticket_id').equals(row.id).first())?.status).toBe('ACCEPTED');
    expect((await hq.admin({ method: 'GET', url: `/v1/vouchers/${v.code}` })).json().redemption.redeemed_quantity).toBe(1);
    await till.close();
  });

  it('two tills offline redeem the same single-use voucher: one wins, the other keeps a conflict with the winner', async () => {
    const v = await adminCreate(hq, { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 500 } });
    const a = await newTill(hq, { name: 'Till A' });
    const b = await newTill(hq, { name: 'Till B' });
    await Promise.all([a.initialLoad(), b.initialLoad()]);
    const ticket = ticketOf([{ product_id: 'COFFEE', quantity: 1, unit_price: 1299 }]);
    const saleA = await a.completeTicket({ ticket, codes: [v.code], payments: [{ method: 'CARD', amount: 799 }] });
    const saleB = await b.completeTicket({ ticket, codes: [v.code], payments: [{ method: 'CARD', amount: 799 }] });
    await a.syncNow();
    await b.syncNow();
    expect(await a.conflicts()).toEqual([]);
    const conflicts = await b.conflicts();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ code: v.code, ticket_id: saleB.id, reason: 'quantity_exceeded', winner: { till_id: a.tillId }, acknowledged: 0 });
    expect(b.status().unacknowledgedConflicts).toBe(1);
    await b.acknowledgeConflict(conflicts[0]!.op_id);
    expect(b.status().unacknowledgedConflicts).toBe(0);
    expect((await a.db.redemptions.where('ticket_id').equals(saleA.id).first())?.status).toBe('ACCEPTED');
    await Promise.all([a.close(), b.close()]);
  });

  it('gift cards: partial redemption, sale of a new card offline from leased codes, refund restores', async () => {
    await adminCreate(hq, { code: 'GIFT-TEST-1', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 1000 } });
    const till = await newTill(hq);
    await till.initialLoad();
    const ticket = ticketOf([{ product_id: 'COFFEE', quantity: 1, unit_price: 1299 }]);
    const sale = await till.completeTicket({ ticket, codes: ['GIFT-TEST-1'], payments: [{ method: 'CASH', tendered: 299, change: 0 }] });
    expect(sale.evaluation.gift_total).toBe(1000);
    const card = await till.issueGiftCard(2500);
    expect(card).toMatchObject({ type: 'GIFT_VOUCHER', gift: { amount: 2500, balance: 2500 } });
    await till.refundTicket(sale.id);
    await expect(till.refundTicket(sale.id)).rejects.toMatchObject({ reason: 'already_refunded' });
    expect((await getVoucher(till.db, 'GIFT-TEST-1'))?.gift?.balance).toBe(1000);
    await till.syncNow();
    expect(await till.db.outbox.count()).toBe(0);
    expect((await hq.admin({ method: 'GET', url: '/v1/vouchers/GIFT-TEST-1' })).json().gift).toEqual({ amount: 1000, balance: 1000 });
    expect((await hq.admin({ method: 'GET', url: `/v1/vouchers/${card.code}` })).json().gift).toEqual({ amount: 2500, balance: 2500 });
    await till.close();
  });
});

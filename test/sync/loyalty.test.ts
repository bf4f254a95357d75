// Loyalty cards at the till (issue 14, part 1): points earned and spent offline, in the sale's own
// transaction; HQ books them when the till syncs; a refund reverses both.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../hq/db/connect';
import { TicketSchema } from '../../core/ticket';
import type { Voucher } from '../../core/voucher';
import { adminCreate, newTill, startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { getVoucher } from '../../sync/replica/voucher-store';
import { DEFAULT_TILL_SETTINGS } from '../../sync/till';

// 25.50: earns 25 points at 1 point per full 1.00; 100 points buy 1.00.
const coffee = TicketSchema.parse({ currency: 'EUR', lines: [{ product_id: 'COFFEE', quantity: 1, unit_price: 2550, tax_rate: 7 }] });
const loyaltyOf = (v: Voucher | undefined) => (v?.type === 'LOYALTY_CARD' ? v.loyalty : undefined);

describe('loyalty cards at the till, against a real HQ (PGlite, loopback HTTP)', () => {
  let hq: LiveHq;
  let program: string;
  beforeAll(async () => {
    hq = await startLiveHq();
    const res = await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: { id: 'CLUB', name: 'Club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 } } });
    expect(res.statusCode, res.body).toBe(201);
    program = 'CLUB';
  }, 60_000);
  afterAll(async () => hq?.close());

  /** A till whose network can be pulled: after `down()` and a failed sync it knows it is offline. */
  const offlineTill = async (options: Parameters<typeof newTill>[1] = {}) => {
    let up = true;
    const till = await newTill(hq, { ...options, fetch: (input, init) => (up ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: the network is down'))) });
    await till.initialLoad(); // the program comes with the change feed
    up = false;
    await till.syncNow();
    expect(till.status().online).toBe(false);
    return Object.assign(till, { up: () => void (up = true) });
  };
  const newCard = (balance: number) => adminCreate(hq, { type: 'LOYALTY_CARD', currency: 'EUR', campaign: program, loyalty: { balance } });
  const heldAtHq = async (code: string): Promise<Voucher> => (await hq.admin({ method: 'GET', url: `/v1/vouchers/${code}` })).json();
  const ledgerSum = async (code: string) => {
    const rows = rowsOf<{ s: string }>(await hq.database.db.execute(sql`SELECT coalesce(sum(points), 0)::text AS s FROM loyalty_ledger WHERE code = ${code}`));
    return Number(rows[0]!.s);
  };

  it('earns and spends offline in the sale’s transaction; HQ books both on sync, and its ledger sums to the balance', async () => {
    const card = await newCard(800);
    const till = await offlineTill();
    const check = await till.validate(card.code, coffee, []);
    expect(check.valid && check.effect).toMatchObject({ type: 'LOYALTY_CARD', points_earned: 25, points_spent: 0 });
    const sale = await till.completeTicket({ ticket: coffee, codes: [card.code], spendPoints: true, payments: [{ method: 'CARD', amount: 1750 }] });
    expect(sale.evaluation.results[0]).toMatchObject({ gift_amount: 800, points_spent: 800, points_earned: 17 });
    expect(sale.evaluation.amount_due).toBe(1750);
    expect((await till.db.outbox.toArray()).map((op) => [op.type, op.payload])).toEqual([
      ['LOYALTY_SPEND', { code: card.code, ticket_id: sale.id, points: 800, amount: 800 }],
      ['LOYALTY_EARN', { code: card.code, ticket_id: sale.id, points: 17 }],
    ]);
    expect(loyaltyOf(await getVoucher(till.db, card.code))).toEqual({ balance: 17, earned: 17, spent: 800 });

    till.up();
    expect(await till.syncNow()).toMatchObject({ pendingOps: 0, lastError: null });
    expect(loyaltyOf(await heldAtHq(card.code))).toEqual({ balance: 17, earned: 17, spent: 800 });
    expect(await ledgerSum(card.code)).toBe(17);
    expect((await till.db.redemptions.where('ticket_id').equals(sale.id).sortBy('seq')).map((r) => [r.kind, r.status, r.points])).toEqual([
      ['POINTS_SPENT', 'ACCEPTED', 800],
      ['POINTS_EARNED', 'ACCEPTED', 17],
    ]);
    expect(await till.db.conflicts.count()).toBe(0);
    await till.close();
  });

  it('offline, points pay at most the till’s cap; online they pay what they are worth', async () => {
    const card = await newCard(5_000);
    const till = await offlineTill({ settings: { offlinePolicy: { ...DEFAULT_TILL_SETTINGS.offlinePolicy, maxPointsAmountPerTicket: 300 } } });
    const sale = await till.completeTicket({ ticket: coffee, codes: [card.code], spendPoints: true, payments: [{ method: 'CASH', tendered: 2250, change: 0 }] });
    expect(sale.evaluation.results[0]).toMatchObject({ gift_amount: 300, points_spent: 300, limited_by_offline_cap: true });
    till.up();
    await till.syncNow();
    expect(till.status().online).toBe(true);
    const online = await till.completeTicket({ ticket: coffee, codes: [card.code], spendPoints: true, payments: [] });
    expect(online.evaluation.results[0]).toMatchObject({ gift_amount: 2550, points_spent: 2550, limited_by_offline_cap: false });
    await till.close();
  });

  it('a refund takes the earned points back and returns the spent ones, at the till at once and at HQ on sync', async () => {
    const card = await newCard(1_000);
    const till = await newTill(hq);
    await till.initialLoad();
    const sale = await till.completeTicket({ ticket: coffee, codes: [card.code], spendPoints: true, payments: [{ method: 'CARD', amount: 1550 }] });
    await till.syncNow();
    expect(loyaltyOf(await heldAtHq(card.code))).toEqual({ balance: 15, earned: 15, spent: 1_000 });
    const { rolledBack } = await till.refundTicket(sale.id);
    expect(rolledBack.map((r) => r.kind).sort()).toEqual(['POINTS_EARNED', 'POINTS_SPENT']);
    expect(loyaltyOf(await getVoucher(till.db, card.code))).toEqual({ balance: 1_000, earned: 0, spent: 0 });
    expect(await till.syncNow()).toMatchObject({ pendingOps: 0, lastError: null });
    expect(loyaltyOf(await heldAtHq(card.code))).toEqual({ balance: 1_000, earned: 0, spent: 0 });
    expect(await ledgerSum(card.code)).toBe(1_000);
    await till.close();
  });

  it('two offline tills spend the same points: HQ accepts both and flags the overdraw; both replicas end with HQ’s balance', async () => {
    const card = await newCard(1_000);
    const [a, b] = await Promise.all([offlineTill({ name: 'A' }), offlineTill({ name: 'B' })]);
    await a.completeTicket({ ticket: coffee, codes: [card.code], spendPoints: true, payments: [{ method: 'CARD', amount: 1550 }] });
    await b.completeTicket({ ticket: coffee, codes: [card.code], spendPoints: true, payments: [{ method: 'CARD', amount: 1550 }] });
    a.up();
    b.up();
    await a.syncNow();
    await b.syncNow();
    await a.syncNow();
    const atHq = loyaltyOf(await heldAtHq(card.code));
    expect(atHq).toEqual({ balance: -970, earned: 30, spent: 2_000 });
    const rows = rowsOf<{ n: number }>(await hq.database.db.execute(sql`SELECT count(*)::int AS n FROM redemptions WHERE code = ${card.code} AND overdraft`));
    expect(rows[0]!.n).toBe(1);
    // Money already taken: not a conflict for either cashier.
    expect([await a.db.conflicts.count(), await b.db.conflicts.count()]).toEqual([0, 0]);
    expect(loyaltyOf(await getVoucher(a.db, card.code))).toEqual(atHq);
    expect(loyaltyOf(await getVoucher(b.db, card.code))).toEqual(atHq);
    // An overdrawn card still earns, and its points pay nothing.
    const next = await a.validate(card.code, coffee, []);
    expect(next.valid && next.effect).toMatchObject({ points_earned: 25, points_spent: 0 });
    await Promise.all([a.close(), b.close()]);
  });

  it('points on a card HQ cancelled meanwhile: refused at HQ, a conflict the cashier sees, and the replica takes HQ’s card', async () => {
    const card = await newCard(500);
    const till = await newTill(hq);
    await till.initialLoad();
    const sale = await till.completeTicket({ ticket: coffee, codes: [card.code], payments: [{ method: 'CARD', amount: 2550 }] });
    expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${card.code}/cancel` })).statusCode).toBe(200);
    await till.syncNow();
    expect(await till.conflicts()).toMatchObject([{ code: card.code, ticket_id: sale.id, amount: 0, points: 25, reason: 'cancelled' }]);
    expect(await getVoucher(till.db, card.code)).toMatchObject({ status: 'CANCELLED', loyalty: { balance: 500, earned: 0 } });
    await till.close();
  });
});

// Loyalty programs and cards at HQ (contract v1 additions, "Loyalty cards and more discount kinds"):
// the admin API, the change feed, and LOYALTY_EARN / LOYALTY_SPEND / ROLLBACK through push_ops().
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Voucher } from '../../core/voucher';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { withoutAssets } from '../../testkit/fixtures';
import { createVoucher, expectProblem, getVoucher, giftBody, loyaltyCardBody, pointsLedgerOf, programBody, query, settleImport, TestTill, uniqueCode } from './helpers';

describe.each(BACKENDS)('loyalty at HQ on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const newProgram = async (overrides: Record<string, unknown> = {}) => {
    const res = await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody({ id: `P-${randomUUID()}`, ...overrides }) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; currency: string };
  };
  const newCard = async (balance = 0, program?: string) => {
    const p = program ?? (await newProgram()).id;
    return createVoucher(hq, loyaltyCardBody(p, { code: uniqueCode('L'), loyalty: { balance } }));
  };
  /** The card's balance must be its ledger's sum — everywhere, always. */
  const expectLedgerSum = async (code: string) => {
    const card = (await getVoucher(hq, code))!;
    const ledger = await pointsLedgerOf(hq, code);
    expect(card.type === 'LOYALTY_CARD' && card.loyalty.balance).toBe(ledger.reduce((sum, r) => sum + r.points, 0));
  };

  describe('programs', () => {
    it('are created, listed, read and changed by the admin; a till may not', async () => {
      const created = await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody({ id: 'CLUB-A', currency: 'eur' }) });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ id: 'CLUB-A', name: 'Club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 } });
      expectProblem(await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody({ id: 'CLUB-A' }) }), 409, { code: 'program_exists' });
      const generated = await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody() });
      expect(generated.statusCode).toBe(201);
      expect(generated.json().id).toMatch(/^[0-9a-f-]{36}$/);
      const list = (await hq.admin({ method: 'GET', url: '/v1/loyalty-programs' })).json() as { result: { id: string }[] };
      expect(list.result.map((p) => p.id)).toContain('CLUB-A');
      const put = await hq.admin({ method: 'PUT', url: '/v1/loyalty-programs/CLUB-A', payload: programBody({ name: 'Club A', earn: { points: 2, per_amount: 100 } }) });
      expect(put.statusCode, put.body).toBe(200);
      expect((await hq.admin({ method: 'GET', url: '/v1/loyalty-programs/CLUB-A' })).json()).toMatchObject({ name: 'Club A', earn: { points: 2 } });
      expectProblem(await hq.admin({ method: 'GET', url: '/v1/loyalty-programs/NOPE' }), 404, { code: 'not_found' });
      for (const bad of [{ earn: { points: 0, per_amount: 100 } }, { redeem: { points: 1, amount: 0 } }, { currency: 'EURO' }, { extra: 1 }]) {
        expectProblem(await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody(bad) }), 400, { what: JSON.stringify(bad) });
      }
      const t = await TestTill.create(hq);
      expect((await hq.as(t.token, { method: 'GET', url: '/v1/loyalty-programs' })).statusCode).toBe(403);
    });

    it("reach tills in the change feed, and a program's currency cannot change under its cards", async () => {
      const t = await TestTill.create(hq);
      const before = Number((await t.pull(0)).checkpoint);
      const program = await newProgram();
      const page = await t.pull(before);
      expect(page.loyalty_programs?.map((p) => p.id)).toEqual([program.id]);
      await newCard(0, program.id);
      expectProblem(await hq.admin({ method: 'PUT', url: `/v1/loyalty-programs/${program.id}`, payload: programBody({ currency: 'USD' }) }), 409, { code: 'program_in_use' });
      const renamed = await hq.admin({ method: 'PUT', url: `/v1/loyalty-programs/${program.id}`, payload: programBody({ name: 'Renamed' }) });
      expect(renamed.statusCode).toBe(200);
      expect((await t.pull(Number(page.checkpoint))).loyalty_programs).toEqual([renamed.json()]);
    });
  });

  describe('cards', () => {
    it('are created with an opening balance (ledger OPEN) and read like any voucher', async () => {
      const program = await newProgram();
      const code = uniqueCode('L');
      const res = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: loyaltyCardBody(program.id, { code, loyalty: { balance: 250 }, customer_id: 'C-1' }) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ code, type: 'LOYALTY_CARD', campaign: program.id, discount: null, gift: null, loyalty: { balance: 250, earned: 0, spent: 0 }, redemption: { quantity: null, redeemed_quantity: 0 }, status: 'ACTIVE' });
      expect(await getVoucher(hq, code)).toEqual(withoutAssets(res.json()));
      expect(await pointsLedgerOf(hq, code)).toEqual([{ kind: 'OPEN', points: 250, redemption_id: null }]);
      const none = await newCard(0, program.id);
      expect(none.type === 'LOYALTY_CARD' && none.loyalty).toEqual({ balance: 0, earned: 0, spent: 0 });
    });

    it('are refused without their program, in another currency, with uses, earned counts or a discount', async () => {
      const program = await newProgram();
      const cases: Record<string, unknown>[] = [
        loyaltyCardBody('NO-SUCH-PROGRAM'),
        loyaltyCardBody(program.id, { currency: 'USD' }),
        loyaltyCardBody(program.id, { redemption: { quantity: 1 } }),
        loyaltyCardBody(program.id, { loyalty: { balance: 5, earned: 5 } }),
        loyaltyCardBody(program.id, { loyalty: { balance: -5 } }),
        loyaltyCardBody(program.id, { discount: { type: 'AMOUNT', amount_off: 100 } }),
        { type: 'LOYALTY_CARD', currency: 'EUR' }, // no program
      ];
      for (const body of cases) expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: body }), 400, { what: JSON.stringify(body) });
    });

    it('an import takes cards whose program exists, and names the rows whose program does not', async () => {
      const program = await newProgram();
      const good = uniqueCode('L');
      const bad = uniqueCode('L');
      const res = await hq.admin({ method: 'POST', url: '/v1/vouchers/import', payload: [loyaltyCardBody(program.id, { code: good, loyalty: { balance: 40 } }), loyaltyCardBody('NOPE', { code: bad })] });
      expect(res.statusCode).toBe(202);
      const action = await settleImport(hq, res.json().async_action_id);
      expect(action.result).toMatchObject({ imported: 1, failed: 1, errors: [{ index: 1, code: bad, detail: 'no loyalty program NOPE' }] });
      expect(await pointsLedgerOf(hq, good)).toEqual([{ kind: 'OPEN', points: 40, redemption_id: null }]);
      expect(await getVoucher(hq, bad)).toBeUndefined();
    });
  });

  describe('push', () => {
    it('LOYALTY_EARN and LOYALTY_SPEND move the points once, with ledger rows; a replay answers the same', async () => {
      const card = await newCard(100);
      const t = await TestTill.create(hq);
      const earn = t.earn(card.code, 35, 'sale-1');
      const spend = t.spend(card.code, 120, 120, 'sale-2');
      const { results } = await t.pushOk([earn, spend]);
      expect(results[0]).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: 135, earned: 35, spent: 0 } } });
      expect(results[1]).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: 15, earned: 35, spent: 120 } } });
      expect(results[1]!.overdraft).toBeUndefined();
      expect(results[1]!.voucher).toEqual(await getVoucher(hq, card.code));
      expect((await t.pushOk([earn, spend])).results).toEqual(results);
      expect(await pointsLedgerOf(hq, card.code)).toEqual([
        { kind: 'OPEN', points: 100, redemption_id: null },
        { kind: 'EARN', points: 35, redemption_id: earn.op_id },
        { kind: 'SPEND', points: -120, redemption_id: spend.op_id },
      ]);
      await expectLedgerSum(card.code);
      // The back office sees them with the till's redemptions.
      const list = (await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${card.code}` })).json() as { result: { id: string; kind: string; amount: number; points: number | null }[] };
      expect(list.result.map((r) => [r.id, r.kind, r.amount, r.points]).sort()).toEqual([[earn.op_id, 'LOYALTY_EARN', 0, 35], [spend.op_id, 'LOYALTY_SPEND', 120, 120]].sort());
      const spends = (await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${card.code}&kind=LOYALTY_SPEND` })).json() as { total: number };
      expect(spends.total).toBe(1);
    });

    it('two offline tills spending the same points: both ACCEPTED, the overdraw flagged; earning is never refused for the balance', async () => {
      const card = await newCard(500);
      const a = await TestTill.create(hq, 'A');
      const b = await TestTill.create(hq, 'B');
      expect(await a.one(a.spend(card.code, 400, 400))).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: 100 } } });
      const over = await b.one(b.spend(card.code, 300, 300));
      expect(over).toMatchObject({ outcome: 'ACCEPTED', overdraft: true, voucher: { loyalty: { balance: -200, spent: 700 } } });
      const [row] = await query<{ overdraft: boolean }>(hq, sql`SELECT overdraft FROM redemptions WHERE code = ${card.code} AND overdraft`);
      expect(row?.overdraft).toBe(true);
      expect(await b.one(b.earn(card.code, 50))).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: -150 } } });
      await expectLedgerSum(card.code);
    });

    it('ROLLBACK reverses an earn (taking the points back) and a spend (giving them back); the back office may too', async () => {
      const card = await newCard(0);
      const t = await TestTill.create(hq);
      const earn = t.earn(card.code, 80);
      const spend = t.spend(card.code, 50, 50);
      await t.pushOk([earn, spend]);
      expect(await t.one(t.rollback(earn.op_id))).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: -50, earned: 0, spent: 50 } } });
      // Reversed in the same push as it was made.
      const again = t.earn(card.code, 10);
      const { results } = await t.pushOk([again, t.rollback(again.op_id)]);
      expect(results[1]).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: -50, earned: 0 } } });
      const admin = await hq.admin({ method: 'POST', url: `/v1/redemptions/${spend.op_id}/rollback` });
      expect(admin.statusCode, admin.body).toBe(200);
      expect((await getVoucher(hq, card.code)) as Voucher).toMatchObject({ loyalty: { balance: 0, earned: 0, spent: 0 } });
      expect(await t.one(t.rollback(spend.op_id))).toMatchObject({ outcome: 'REJECTED', reason: 'already_rolled_back' });
      expect((await pointsLedgerOf(hq, card.code)).map((r) => [r.kind, r.points])).toEqual([
        ['EARN', 80], ['SPEND', -50], ['EARN_REVERSAL', -80], ['EARN', 10], ['EARN_REVERSAL', -10], ['SPEND_REVERSAL', 50],
      ]);
      await expectLedgerSum(card.code);
      // Another till may not reverse them.
      const other = await TestTill.create(hq, 'Other');
      const mine = t.earn(card.code, 5);
      await t.pushOk([mine]);
      expect(await other.one(other.rollback(mine.op_id))).toMatchObject({ outcome: 'REJECTED', reason: 'not_own_redemption' });
    });

    it('points of another voucher, a REDEMPTION of a card, an unknown card and malformed ops are REJECTED, on a cancelled card a CONFLICT; each takes its seq', async () => {
      const card = await newCard(1_000);
      const gift = await createVoucher(hq, giftBody(5_000));
      const cancelled = await newCard(1_000);
      expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${cancelled.code}/cancel` })).statusCode).toBe(200);
      const t = await TestTill.create(hq);
      const malformed = { ...t.earn(card.code, 5), payload: { code: card.code, ticket_id: 't', points: 0 } };
      const { results, last_seq } = await t.pushOk([
        t.earn(gift.code, 5), t.spend(gift.code, 5, 5), t.redeem(card.code, 100), t.spend(cancelled.code, 10, 10), t.earn(uniqueCode('NO'), 5), malformed, t.earn(card.code, Number.MAX_SAFE_INTEGER),
      ]);
      expect(results.map((r) => [r.outcome, r.reason])).toEqual([
        ['REJECTED', 'not_a_loyalty_card'],
        ['REJECTED', 'not_a_loyalty_card'],
        ['REJECTED', 'wrong_voucher_type'],
        ['CONFLICT', 'cancelled'],
        ['REJECTED', 'not_found'],
        ['REJECTED', 'invalid_op'],
        ['REJECTED', 'amount_out_of_range'],
      ]);
      expect(results[3]!.voucher).toEqual(await getVoucher(hq, cancelled.code));
      expect(results[3]!.winner).toBeUndefined();
      expect(last_seq).toBe(7);
      // A refund's ROLLBACK of the conflicted spend is accepted and gives nothing back.
      const spendOnCancelled = (await query<{ id: string }>(hq, sql`SELECT id FROM redemptions WHERE code = ${cancelled.code} AND outcome = 'CONFLICT'`))[0]!.id;
      expect(await t.one(t.rollback(spendOnCancelled))).toMatchObject({ outcome: 'ACCEPTED', voucher: { loyalty: { balance: 1_000, spent: 0 } } });
      expect(await getVoucher(hq, card.code)).toMatchObject({ loyalty: { balance: 1_000, earned: 0, spent: 0 } });
      await expectLedgerSum(card.code);
    });
  });

  it('POST /v1/validations values points as tender and names them, with the points the ticket earns', async () => {
    const program = await newProgram({ redeem: { points: 10, amount: 5 } }); // a point is half a cent
    const card = await newCard(1_000, program.id);
    const ticket = { currency: 'EUR', lines: [{ product_id: 'p', quantity: 1, unit_price: 1_250 }] };
    const earnOnly = await hq.admin({ method: 'POST', url: '/v1/validations', payload: { codes: [card.code], ticket } });
    expect(earnOnly.json()).toMatchObject({ valid: true, amount_due: 1_250, results: [{ code: card.code, valid: true, gift_amount: 0, points: 0, points_earned: 12 }] });
    const spend = await hq.admin({ method: 'POST', url: '/v1/validations', payload: { codes: [card.code], ticket, spend_points: true } });
    expect(spend.json()).toMatchObject({ valid: true, amount_due: 750, results: [{ gift_amount: 500, points: 1_000, points_earned: 7 }] });
  });
});

// A till may roll back only the redemptions it made (issue 11): a till that lost a conflict, or any
// other till, must not undo another till's sale — neither a single-use voucher's use nor a gift-card
// debit — by push op or by HTTP. The back office may undo any, and who did it is recorded.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse, PushResult, Redemption } from '../../sync/protocol';
import { VoucherCreateInputSchema } from '../../core/voucher';
import { rowsOf } from '../../hq/db/connect';
import { hashToken } from '../../hq/auth';
import { buildVoucher, insertVoucher } from '../../hq/voucher-store';
import { BACKENDS, startHq, type Backend, type Hq } from '../../testkit/hq-harness';
import { createVoucher, discountBody, getVoucher, giftBody, iso, query, redemptionOp, TestTill, uniqueCode } from './helpers';
import { databaseBefore } from './old-database';

describe.each(BACKENDS)('HQ redemption ownership on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const till = (name: string) => TestTill.create(hq, name);
  const lastSeqOf = async (tillId: string) => Number((await query<{ last_seq: string | number }>(hq, sql`SELECT last_seq FROM tills WHERE id = ${tillId}::uuid`))[0]!.last_seq);
  const redemption = async (id: string): Promise<Redemption> => {
    const res = await hq.admin({ method: 'GET', url: `/v1/redemptions?limit=500` });
    expect(res.statusCode, res.body).toBe(200);
    const found = (res.json() as { result: Redemption[] }).result.find((r) => r.id === id);
    expect(found, id).toBeDefined();
    return found!;
  };
  const ledgerOf = (code: string) =>
    query<{ kind: string; amount: string | number }>(hq, sql`SELECT kind, amount FROM gift_ledger WHERE code = ${code} ORDER BY id`).then((rows) => rows.map((r) => [r.kind, Number(r.amount)]));
  /** Everything a rollback could change about a redemption and its voucher. */
  const snapshot = async (code: string, redemptionId: string) => ({
    voucher: await getVoucher(hq, code),
    ledger: await ledgerOf(code),
    redemption: await redemption(redemptionId),
  });
  const rollbackUrl = (id: string) => `/v1/redemptions/${id}/rollback`;

  describe('push ROLLBACK of another till’s redemption', () => {
    it('discount voucher: REJECTED not_own_redemption, nothing changes, last_seq advances, the replay answers the same', async () => {
      const v = await createVoucher(hq, discountBody());
      const [winner, loser] = [await till('Winner'), await till('Loser')];
      const red = winner.redeem(v.code, 500);
      expect((await winner.one(red)).outcome).toBe('ACCEPTED');
      expect((await loser.one(loser.redeem(v.code, 500))).outcome).toBe('CONFLICT');
      const before = await snapshot(v.code, red.op_id);
      expect(before.voucher).toMatchObject({ status: 'REDEEMED', redemption: { redeemed_quantity: 1 } });

      const steal = loser.rollback(red.op_id);
      const after = loser.redeem(v.code, 500); // the same batch goes on after the refusal
      const { results, last_seq } = await loser.pushOk([steal, after]);
      expect(results[0]).toEqual({ op_id: steal.op_id, outcome: 'REJECTED', reason: 'not_own_redemption' });
      expect(results[1]).toMatchObject({ op_id: after.op_id, outcome: 'CONFLICT', reason: 'quantity_exceeded' });
      expect(last_seq).toBe(3);
      expect(await lastSeqOf(loser.till_id)).toBe(3);
      expect(await snapshot(v.code, red.op_id)).toEqual(before);
      expect(before.redemption).toMatchObject({ status: 'ACTIVE', rolled_back_by: null, rolled_back_at: null });

      // A replay returns the stored refusal, even after the redemption was rolled back by its till.
      expect((await winner.one(winner.rollback(red.op_id))).outcome).toBe('ACCEPTED');
      expect((await loser.pushOk([steal])).results[0]).toEqual(results[0]);
    });

    it('gift card: REJECTED not_own_redemption, the balance and the ledger do not change', async () => {
      const card = await createVoucher(hq, giftBody(1000));
      const [spender, other] = [await till('Spender'), await till('Other')];
      const debit = spender.redeem(card.code, 300);
      expect(await spender.one(debit)).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 700 } } });
      const before = await snapshot(card.code, debit.op_id);
      expect(before.ledger).toEqual([
        ['ISSUE', 1000],
        ['DEBIT', -300],
      ]);

      const steal = other.rollback(debit.op_id);
      expect(await other.one(steal)).toEqual({ op_id: steal.op_id, outcome: 'REJECTED', reason: 'not_own_redemption' });
      expect(await lastSeqOf(other.till_id)).toBe(1);
      expect(await snapshot(card.code, debit.op_id)).toEqual(before);
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 1000, balance: 700 });
      expect((await other.pushOk([steal])).results[0]).toEqual({ op_id: steal.op_id, outcome: 'REJECTED', reason: 'not_own_redemption' });
    });

    it('another till’s redemption already rolled back is still not_own_redemption (a till learns nothing about its state)', async () => {
      const v = await createVoucher(hq, discountBody());
      const [a, b] = [await till('A'), await till('B')];
      const red = a.redeem(v.code, 1);
      await a.one(red);
      expect((await a.one(a.rollback(red.op_id))).outcome).toBe('ACCEPTED');
      const late = b.rollback(red.op_id);
      expect(await b.one(late)).toEqual({ op_id: late.op_id, outcome: 'REJECTED', reason: 'not_own_redemption' });
      // An id that does not exist at all is not_found, for the owner of nothing as for anyone.
      const unknown = b.rollback(randomUUID());
      expect(await b.one(unknown)).toEqual({ op_id: unknown.op_id, outcome: 'REJECTED', reason: 'not_found' });
    });

    it('a till’s own rollback still works, once, and is recorded as made by that till', async () => {
      const card = await createVoucher(hq, giftBody(1000));
      const t = await till('Own');
      const debit = t.redeem(card.code, 400);
      await t.one(debit);
      expect(await t.one(t.rollback(debit.op_id))).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 1000 }, status: 'ACTIVE' } });
      expect(await t.one(t.rollback(debit.op_id))).toMatchObject({ outcome: 'REJECTED', reason: 'already_rolled_back' });
      expect(await ledgerOf(card.code)).toEqual([
        ['ISSUE', 1000],
        ['DEBIT', -400],
        ['ROLLBACK', 400],
      ]);
      const row = await redemption(debit.op_id);
      expect(row).toMatchObject({ status: 'ROLLED_BACK', rolled_back_by: t.till_id });
      expect(Date.parse(row.rolled_back_at!)).not.toBeNaN();
    });
  });

  describe('POST /v1/redemptions/{id}/rollback', () => {
    it('with another till’s token: 403 not_own_redemption (discount and gift), nothing changes; unknown → 404', async () => {
      const v = await createVoucher(hq, discountBody());
      const card = await createVoucher(hq, giftBody(1000));
      const [a, b] = [await till('A'), await till('B')];
      const red = a.redeem(v.code, 500);
      const debit = a.redeem(card.code, 250);
      await a.pushOk([red, debit]);
      for (const [code, id] of [
        [v.code, red.op_id],
        [card.code, debit.op_id],
      ] as const) {
        const before = await snapshot(code, id);
        const res = await hq.as(b.token, { method: 'POST', url: rollbackUrl(id) });
        expect(res.statusCode, res.body).toBe(403);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 403, code: 'not_own_redemption' });
        expect(await snapshot(code, id)).toEqual(before);
      }
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(1);
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 1000, balance: 750 });

      const unknown = await hq.as(b.token, { method: 'POST', url: rollbackUrl(randomUUID()) });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ status: 404, code: 'not_found' });

      // Its own: 200, recorded; then 409 for the owner, still 403 for the other till.
      const own = await hq.as(a.token, { method: 'POST', url: rollbackUrl(debit.op_id) });
      expect(own.statusCode, own.body).toBe(200);
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 1000, balance: 1000 });
      expect(await redemption(debit.op_id)).toMatchObject({ status: 'ROLLED_BACK', rolled_back_by: a.till_id });
      expect((await hq.as(a.token, { method: 'POST', url: rollbackUrl(debit.op_id) })).statusCode).toBe(409);
      const late = await hq.as(b.token, { method: 'POST', url: rollbackUrl(debit.op_id) });
      expect([late.statusCode, late.json().code]).toEqual([403, 'not_own_redemption']);
    });

    it('the admin rolls back any till’s redemption, recorded as admin; the till then finds it already rolled back', async () => {
      const v = await createVoucher(hq, discountBody());
      const card = await createVoucher(hq, giftBody(1000));
      const t = await till('Shop');
      const red = t.redeem(v.code, 500);
      const debit = t.redeem(card.code, 600);
      await t.pushOk([red, debit]);
      for (const id of [red.op_id, debit.op_id]) {
        const res = await hq.admin({ method: 'POST', url: rollbackUrl(id) });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({ id, status: 'ROLLED_BACK' });
        const row = await redemption(id);
        expect(row).toMatchObject({ status: 'ROLLED_BACK', rolled_back_by: 'admin' });
        expect(Date.parse(row.rolled_back_at!)).not.toBeNaN();
      }
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'ACTIVE', redemption: { redeemed_quantity: 0 } });
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 1000, balance: 1000 });
      expect(await t.one(t.rollback(red.op_id))).toMatchObject({ outcome: 'REJECTED', reason: 'already_rolled_back' });
      expect((await hq.as(t.token, { method: 'POST', url: rollbackUrl(debit.op_id) })).statusCode).toBe(409);
    });
  });

  describe('a conflict does not hand the loser the winner’s op_id', () => {
    it('no push result, fresh or replayed, contains the winning op_id; the back office still sees it', async () => {
      const v = await createVoucher(hq, discountBody());
      const [a, b] = [await till('A'), await till('B')];
      const won = a.redeem(v.code, 1);
      await a.one(won);
      // Both ways HQ applies a push: redemptions alone (one SQL statement) and mixed with a rollback.
      const alone = b.redeem(v.code, 1);
      const own = b.redeem(v.code, 1);
      const mixed = [b.rollback(own.op_id), b.redeem(v.code, 1)];
      const bodies: string[] = [];
      for (const batch of [[alone], [own], mixed]) {
        const res = await b.push(batch);
        expect(res.statusCode, res.body).toBe(200);
        bodies.push(res.body);
        bodies.push((await b.push(batch)).body); // the replay
      }
      const results = bodies.map((body) => JSON.parse(body) as { results: { outcome: string; winner?: unknown }[] });
      expect(results.flatMap((r) => r.results.map((x) => x.outcome))).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'ACCEPTED', 'CONFLICT', 'ACCEPTED', 'CONFLICT']);
      for (const body of bodies) expect(body).not.toContain(won.op_id);
      for (const r of results.flatMap((x) => x.results).filter((x) => x.outcome === 'CONFLICT')) expect(Object.keys(r.winner as object).sort()).toEqual(['occurred_at', 'till_id']);
      expect((await redemption(alone.op_id)).winner).toEqual({ op_id: won.op_id, till_id: a.till_id, occurred_at: won.occurred_at });
    });
  });
});

// The migration that stopped naming the winner's op_id (0004) also rewrites the results stored for
// conflicts before it: a replay must not hand out the id either. A database is migrated up to 0003,
// given conflicts as the old code stored them (both shapes: the push_redemptions() text and push.ts's
// JSON.stringify), then opened by HQ (which applies 0004) and replayed.
describe.each(BACKENDS)('HQ upgrade to redemption ownership on %s', (backend: Backend) => {
  it('stored conflict results lose the winning op_id; everything else in them is kept', async () => {
    const old = await databaseBefore(backend, '0004_redemption_ownership');
    try {
      // The old HQ: two tills, a single-use voucher, A wins it, B's two redemptions conflict.
      const [a, b] = [randomUUID(), randomUUID()];
      const tokenB = `till_upgrade_${randomUUID()}`;
      const code = uniqueCode('UP');
      const won = redemptionOp(1, code, 500);
      const lost = [redemptionOp(1, code, 500), redemptionOp(2, code, 500), redemptionOp(3, code, 500)];
      let storedBefore: string[];
      try {
        const db = old.db;
        await db.execute(sql`INSERT INTO tills (id, name, time_zone, token_hash) VALUES (${a}::uuid, 'A', 'UTC', ${hashToken(`till_a_${a}`)}), (${b}::uuid, 'B', 'UTC', ${hashToken(tokenB)})`);
        const input = VoucherCreateInputSchema.parse({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: 'Old', discount: { type: 'AMOUNT', amount_off: 500 }, code });
        expect(await insertVoucher(db, buildVoucher(input, iso()))).toBe(true);
        // What the old code stored (its function bodies are not in the migrations any more, so the rows
        // are written here as it wrote them). A won the voucher:
        const voucher = { ...buildVoucher(input, iso()), status: 'REDEEMED', redemption: { quantity: 1, redeemed_quantity: 1 }, used_at: won.occurred_at };
        const oldWinner = { op_id: won.op_id, till_id: a, occurred_at: won.occurred_at };
        await db.execute(sql`UPDATE vouchers SET redeemed_quantity = 1, status = 'REDEEMED' WHERE code = ${code}`);
        await db.execute(sql`INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, occurred_at) VALUES (${won.op_id}::uuid, ${code}, ${a}::uuid, 't-a', 500, 'ACCEPTED', ${won.occurred_at})`);
        for (const op of lost.slice(0, 2)) {
          await db.execute(sql`INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, reason, winner, occurred_at)
            VALUES (${op.op_id}::uuid, ${code}, ${b}::uuid, 't-b', 500, 'CONFLICT', 'quantity_exceeded', ${JSON.stringify(oldWinner)}::jsonb, ${op.occurred_at})`);
        }
        // B's first: as push_redemptions() stored it (the winner printed by jsonb, with its spacing).
        const jsonbWinner = `{"op_id": "${won.op_id}", "till_id": "${a}", "occurred_at": "${won.occurred_at}"}`;
        const first = `{"outcome":"CONFLICT","reason":"quantity_exceeded","winner":${jsonbWinner},"voucher":${JSON.stringify(voucher)}}`;
        // B's second: as push.ts stored a redemption applied in a batch with a rollback or gift issue.
        const result = JSON.stringify({ outcome: 'CONFLICT', reason: 'quantity_exceeded', winner: oldWinner, voucher });
        // And one of a shape no code wrote (keys in another order): rewritten through jsonb.
        const reordered = JSON.stringify({ winner: oldWinner, voucher, reason: 'quantity_exceeded', outcome: 'CONFLICT' });
        for (const [i, text] of [first, result, reordered].entries()) {
          await db.execute(sql`INSERT INTO ops (op_id, till_id, seq, type, outcome, result) VALUES (${lost[i]!.op_id}::uuid, ${b}::uuid, ${i + 1}, 'REDEMPTION', 'CONFLICT', ${text})`);
        }
        await db.execute(sql`UPDATE tills SET last_seq = 3 WHERE id = ${b}::uuid`);
        storedBefore = rowsOf<{ result: string }>(await db.execute(sql`SELECT result FROM ops WHERE till_id = ${b}::uuid ORDER BY seq`)).map((x) => x.result);
      } finally {
        await old.close();
      }
      // The old code did leak it (so this test can tell).
      expect(storedBefore).toHaveLength(3);
      for (const text of storedBefore) expect(text).toContain(won.op_id);

      const hq = await startHq(backend, old.target);
      try {
        const res = await hq.as(tokenB, { method: 'POST', url: '/v1/sync/push', payload: { ops: lost } });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.body).not.toContain(won.op_id);
        const replay = res.json() as PushResponse;
        expect(replay.last_seq).toBe(3);
        // Exactly the old results without the winner's op_id.
        const expected = storedBefore.map((text, i) => {
          const old = JSON.parse(text) as Omit<PushResult, 'op_id'> & { winner: { op_id?: string } };
          delete old.winner.op_id;
          return { op_id: lost[i]!.op_id, ...old };
        });
        expect(replay.results).toEqual(expected);
        for (const r of replay.results) expect(r.winner).toEqual({ till_id: a, occurred_at: won.occurred_at });
        // Every other byte of the stored text is kept (only the member was cut out) in the two shapes HQ wrote.
        const after = await query<{ result: string }>(hq, sql`SELECT result FROM ops WHERE till_id = ${b}::uuid ORDER BY seq`);
        expect(after.slice(0, 2).map((x) => x.result)).toEqual([storedBefore[0]!.replace(`"op_id": "${won.op_id}", `, ''), storedBefore[1]!.replace(`"op_id":"${won.op_id}",`, '')]);
        // The back office still sees which redemption won.
        const list = await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${code}&outcome=CONFLICT` });
        expect((list.json() as { result: Redemption[] }).result.map((x) => x.winner)).toEqual([
          { op_id: won.op_id, till_id: a, occurred_at: won.occurred_at },
          { op_id: won.op_id, till_id: a, occurred_at: won.occurred_at },
        ]); // (the third was never a redemption row: made up for the shape)
      } finally {
        await hq.close();
      }
    } finally {
      await old.remove();
    }
  }, 120_000);
});

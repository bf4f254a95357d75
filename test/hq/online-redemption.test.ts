// Online redemption for other channels (contract v1 additions): integration API keys with scopes, and
// POST /v1/redemptions with an Idempotency-Key, competing with tills through the same push_ops().
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { createVoucher, discountBody, expectProblem, getVoucher, giftBody, loyaltyCardBody, programBody, TestTill, uniqueCode } from './helpers';

const ticket = { currency: 'EUR', lines: [{ product_id: 'P1', quantity: 2, unit_price: 1_250 }] }; // 25.00

describe.each(BACKENDS)('online redemption on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const newKey = async (scopes: string[] = ['redeem', 'read'], name = 'Web shop') => {
    const res = await hq.admin({ method: 'POST', url: '/v1/api-keys', payload: { name, scopes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; key: string; scopes: string[] };
  };
  const redeem = (key: string, idem: string | undefined, body: Record<string, unknown>) =>
    hq.app.inject({ method: 'POST', url: '/v1/redemptions', headers: { authorization: `Bearer ${key}`, ...(idem === undefined ? {} : { 'idempotency-key': idem }) }, payload: body });

  describe('API keys', () => {
    it('are shown once, listed without their secret, refused outside their scopes and on admin or till routes, and stop when revoked', async () => {
      const created = await newKey(['redeem'], 'Kiosk');
      expect(created.key).toMatch(/^key_/);
      const list = (await hq.admin({ method: 'GET', url: '/v1/api-keys' })).json() as { result: Record<string, unknown>[] };
      const listed = list.result.find((k) => k.id === created.id);
      expect(listed).toEqual({ id: created.id, name: 'Kiosk', scopes: ['redeem'], created_at: expect.any(String) });
      expect(JSON.stringify(list)).not.toContain(created.key);
      const as = (method: 'GET' | 'POST', url: string, payload?: unknown) => hq.app.inject({ method, url, headers: { authorization: `Bearer ${created.key}` }, ...(payload ? { payload } : {}) });
      // Not an admin, not a till, and 'read' it does not have.
      expectProblem(await as('GET', '/v1/vouchers'), 403, { code: 'forbidden' });
      expectProblem(await as('POST', '/v1/api-keys', { name: 'x', scopes: ['redeem'] }), 403, { code: 'forbidden' });
      expectProblem(await as('GET', '/v1/sync/changes'), 403, { code: 'forbidden' });
      expectProblem(await as('POST', '/v1/sync/push', { ops: [{ op_id: randomUUID(), seq: 1 }] }), 403, { code: 'forbidden' });
      expectProblem(await as('GET', '/v1/vouchers/ANYCODE'), 403, { code: 'forbidden' });
      // A key with every scope is still no till and no admin.
      const full = await newKey(['redeem', 'read'], 'Full');
      for (const [method, url, payload] of [['GET', '/v1/tills/me'], ['POST', '/v1/code-blocks', { size: 1 }], ['GET', '/v1/sync/changes'], ['GET', '/v1/vouchers'], ['GET', '/v1/api-keys']] as const) {
        const res = await hq.app.inject({ method, url, headers: { authorization: `Bearer ${full.key}` }, ...(payload ? { payload } : {}) });
        expectProblem(res, 403, { code: 'forbidden', what: url });
      }
      const reader = await newKey(['read'], 'Reader');
      const voucher = await createVoucher(hq, discountBody());
      expect((await hq.app.inject({ method: 'GET', url: `/v1/vouchers/${voucher.code}`, headers: { authorization: `Bearer ${reader.key}` } })).statusCode).toBe(200);
      expectProblem(await redeem(reader.key, 'k1', { code: voucher.code, ticket }), 403, { code: 'forbidden' });
      // Revoked: refused at once, and gone from the list.
      expect((await hq.admin({ method: 'DELETE', url: `/v1/api-keys/${created.id}` })).statusCode).toBe(204);
      expectProblem(await redeem(created.key, 'k2', { code: voucher.code, ticket }), 401, { code: 'unauthorized' });
      expect(((await hq.admin({ method: 'GET', url: '/v1/api-keys' })).json() as { result: { id: string }[] }).result.map((k) => k.id)).not.toContain(created.id);
      expectProblem(await hq.admin({ method: 'DELETE', url: `/v1/api-keys/${created.id}` }), 404, { code: 'not_found' });
      for (const bad of [{ name: 'x', scopes: [] }, { name: 'x', scopes: ['admin'] }, { name: 'x', scopes: ['read', 'read'] }, { name: '', scopes: ['read'] }]) {
        expectProblem(await hq.admin({ method: 'POST', url: '/v1/api-keys', payload: bad }), 400, { what: JSON.stringify(bad) });
      }
    });
  });

  describe('POST /v1/redemptions', () => {
    it('redeems once per Idempotency-Key: the same body answers the same again, another body is refused, no key is refused', async () => {
      const { key } = await newKey();
      const voucher = await createVoucher(hq, discountBody({ discount: { type: 'AMOUNT', amount_off: 500 } }));
      const body = { code: voucher.code.toLowerCase(), ticket, channel: 'web-shop' };
      const first = await redeem(key, 'order-1001', body);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const answer = first.json();
      expect(answer).toMatchObject({ id: expect.any(String), code: voucher.code, outcome: 'ACCEPTED', discount_amount: 500, gift_amount: 0, voucher: { code: voucher.code, status: 'REDEEMED' } });
      const again = await redeem(key, 'order-1001', body);
      expect([again.statusCode, again.headers['idempotent-replayed']]).toEqual([200, 'true']);
      expect(again.json()).toEqual(answer);
      expectProblem(await redeem(key, 'order-1001', { ...body, ticket: { ...ticket, lines: [{ ...ticket.lines[0], quantity: 3 }] } }), 422, { code: 'idempotency_key_reused' });
      expectProblem(await redeem(key, undefined, body), 400, { code: 'idempotency_key_required' });
      expectProblem(await redeem(key, 'x'.repeat(256), body), 400);
      expectProblem(await redeem(key, 'tab\there', body), 400);
      // One redemption at HQ, on the key's channel, with the channel in its ticket.
      const list = (await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${voucher.code}` })).json() as { result: { id: string; ticket_id: string; outcome: string }[] };
      expect(list.result).toEqual([expect.objectContaining({ id: answer.id, outcome: 'ACCEPTED', ticket_id: `web-shop:${answer.id}` })]);
      // A second redemption of the single-use code under a new key: HQ sees at once that it is used up.
      const late = await redeem(key, 'order-1002', body);
      expect(late.json()).toMatchObject({ outcome: 'REJECTED', reason: 'quantity_exceeded', discount_amount: 0 });
      // Keys are the caller's own: another caller's 'order-1001' is another request.
      const other = await newKey(['redeem'], 'Call centre');
      expect((await redeem(other.key, 'order-1001', body)).statusCode).toBe(201);
    });

    it('a code the core refuses is REJECTED with its reason and redeems nothing (the voucher shown only to a key that may read); the admin redeems too', async () => {
      const { key } = await newKey();
      const expired = await createVoucher(hq, discountBody({ expiration_date: '2020-01-01' }));
      expect((await redeem(key, 'a', { code: expired.code, ticket })).json()).toMatchObject({ outcome: 'REJECTED', reason: 'expired', discount_amount: 0, voucher: { code: expired.code } });
      const redeemOnly = await newKey(['redeem'], 'Redeem only');
      const probe = (await redeem(redeemOnly.key, 'a', { code: expired.code, ticket })).json();
      expect(probe).toMatchObject({ outcome: 'REJECTED', reason: 'expired' });
      expect(probe).not.toHaveProperty('voucher');
      expect((await redeem(key, 'b', { code: 'NO-SUCH-CODE', ticket })).json()).toMatchObject({ outcome: 'REJECTED', reason: 'not_found' });
      expect((await redeem(key, 'c', { code: 'bad code!', ticket })).json()).toMatchObject({ outcome: 'REJECTED', reason: 'invalid_code_format' });
      expect((await getVoucher(hq, expired.code))!.redemption.redeemed_quantity).toBe(0);
      const v = await createVoucher(hq, discountBody());
      const byAdmin = await hq.admin({ method: 'POST', url: '/v1/redemptions', headers: { 'idempotency-key': 'admin-1' }, payload: { code: v.code, ticket } });
      expect(byAdmin.statusCode, byAdmin.body).toBe(201);
      expect(byAdmin.json()).toMatchObject({ outcome: 'ACCEPTED' });
    });

    it('a gift card pays what is due, a loyalty card with its points; both roll back through the existing endpoint, only by their own key', async () => {
      const { key } = await newKey();
      const gift = await createVoucher(hq, giftBody(4_000));
      const paid = (await redeem(key, 'g1', { code: gift.code, ticket })).json();
      expect(paid).toMatchObject({ outcome: 'ACCEPTED', gift_amount: 2_500, discount_amount: 0, voucher: { gift: { balance: 1_500 } } });
      const program = `P-${randomUUID()}`;
      expect((await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody({ id: program }) })).statusCode).toBe(201);
      const card = await createVoucher(hq, loyaltyCardBody(program, { code: uniqueCode('L'), loyalty: { balance: 700 } }));
      const points = (await redeem(key, 'l1', { code: card.code, ticket })).json();
      expect(points).toMatchObject({ outcome: 'ACCEPTED', gift_amount: 700, points: 700, voucher: { loyalty: { balance: 0, spent: 700 } } });
      const nothing = (await redeem(key, 'l2', { code: card.code, ticket })).json();
      expect(nothing, JSON.stringify(nothing)).toMatchObject({ outcome: 'REJECTED', reason: 'gift_balance_exhausted' });
      const other = await newKey(['redeem'], 'Other shop');
      expectProblem(await hq.app.inject({ method: 'POST', url: `/v1/redemptions/${paid.id}/rollback`, headers: { authorization: `Bearer ${other.key}` } }), 403, { code: 'not_own_redemption' });
      for (const id of [paid.id, points.id]) {
        const res = await hq.app.inject({ method: 'POST', url: `/v1/redemptions/${id}/rollback`, headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode, res.body).toBe(200);
      }
      expect((await getVoucher(hq, gift.code))!.gift).toEqual({ amount: 4_000, balance: 4_000 });
      expect((await getVoucher(hq, card.code)) as unknown).toMatchObject({ loyalty: { balance: 700, spent: 0 } });
    });

    it('one web-shop call and two offline tills on one single-use code: exactly one is ACCEPTED, whoever comes first', async () => {
      const { key } = await newKey();
      for (const webFirst of [true, false]) {
        const v = await createVoucher(hq, discountBody());
        const [a, b] = await Promise.all([TestTill.create(hq, 'A'), TestTill.create(hq, 'B')]);
        // The tills sold offline; their pushes come now, the web shop's call before or between them.
        const pushA = () => a.one(a.redeem(v.code, 300));
        const pushB = () => b.one(b.redeem(v.code, 300));
        const web = () => redeem(key, `race-${v.code}`, { code: v.code, ticket, channel: 'web-shop' }).then((r) => r.json() as { outcome: string });
        const outcomes = webFirst ? [await web(), await pushA(), await pushB()] : [await pushA(), await web(), await pushB()];
        // The tills sold offline, so theirs are CONFLICTs; the web shop asks online and is refused at once.
        expect(outcomes.map((o) => o.outcome)).toEqual(webFirst ? ['ACCEPTED', 'CONFLICT', 'CONFLICT'] : ['ACCEPTED', 'REJECTED', 'CONFLICT']);
        expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(1);
      }
      // All three at once.
      const v = await createVoucher(hq, discountBody());
      const [a, b] = await Promise.all([TestTill.create(hq, 'A'), TestTill.create(hq, 'B')]);
      const all = await Promise.all([
        redeem(key, `race-all-${v.code}`, { code: v.code, ticket }).then((r) => (r.json() as { outcome: string }).outcome),
        a.one(a.redeem(v.code, 300)).then((r) => r.outcome),
        b.one(b.redeem(v.code, 300)).then((r) => r.outcome),
      ]);
      expect(all.filter((o) => o === 'ACCEPTED')).toHaveLength(1);
      expect(all.filter((o) => o !== 'ACCEPTED')).toHaveLength(2);
    });

    it('two channels paying with one gift card or one loyalty card at once never take more than is left', async () => {
      const [a, b] = [await newKey(['redeem'], 'Shop A'), await newKey(['redeem'], 'Shop B')];
      const gift = await createVoucher(hq, giftBody(3_000)); // each ticket is 25.00
      const program = `P-${randomUUID()}`;
      expect((await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody({ id: program }) })).statusCode).toBe(201);
      const card = await createVoucher(hq, loyaltyCardBody(program, { code: uniqueCode('L'), loyalty: { balance: 3_000 } }));
      for (const code of [gift.code, card.code]) {
        const answers = await Promise.all([a, b].map((k) => redeem(k.key, `both-${code}`, { code, ticket }).then((r) => r.json() as { outcome: string; gift_amount: number; overdraft?: boolean })));
        expect(answers.map((x) => x.gift_amount).sort((x, y) => x - y)).toEqual([500, 2_500]);
        expect(answers.some((x) => x.overdraft)).toBe(false);
      }
      expect((await getVoucher(hq, gift.code))!.gift).toEqual({ amount: 3_000, balance: 0 });
      expect((await getVoucher(hq, card.code)) as unknown).toMatchObject({ loyalty: { balance: 0, spent: 3_000 } });
    });

    it('property: replayed and reused keys, in any order and at once, answer as the first request for each key did, and redeem once per key', async () => {
      const { key } = await newKey();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), body: fc.integer({ min: 0, max: 1 }), together: fc.boolean() }), { minLength: 1, maxLength: 12 }),
          async (requests) => {
            const run = randomUUID().slice(0, 8);
            const voucher = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
            const bodies = [{ code: voucher.code, ticket }, { code: voucher.code, ticket: { ...ticket, lines: [{ ...ticket.lines[0], quantity: 1 }] } }];
            const send = (r: (typeof requests)[number]) => redeem(key, `${run}-${r.key}`, bodies[r.body]!).then((res) => ({ r, status: res.statusCode, json: res.body, replayed: res.headers['idempotent-replayed'] }));
            // Neighbours marked `together` go at once (a retry racing its original).
            const answers: Awaited<ReturnType<typeof send>>[] = [];
            for (let i = 0; i < requests.length; ) {
              let j = i + 1;
              while (j < requests.length && requests[j]!.together) j++;
              answers.push(...(await Promise.all(requests.slice(i, j).map(send))));
              i = j;
            }
            const first = new Map<number, { body: number; json: string }>();
            for (const a of answers) {
              const known = first.get(a.r.key);
              if (a.status === 201) {
                expect(known, 'a key redeemed twice').toBeUndefined();
                first.set(a.r.key, { body: a.r.body, json: a.json });
              }
            }
            for (const a of answers) {
              const known = first.get(a.r.key)!;
              expect(known, 'every key has its first answer').toBeDefined();
              if (a.status === 201) continue;
              if (a.r.body === known.body) expect([a.status, a.replayed, a.json]).toEqual([200, 'true', known.json]);
              else expect([a.status, (JSON.parse(a.json) as { code: string }).code]).toEqual([422, 'idempotency_key_reused']);
            }
            // One redemption per key, no more.
            const list = (await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${voucher.code}` })).json() as { total: number };
            expect(list.total).toBe(first.size);
            expect((await getVoucher(hq, voucher.code))!.redemption.redeemed_quantity).toBe(first.size);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});

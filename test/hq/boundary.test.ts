// The boundary rule (issue 11): bad text and numbers are a clean 400 problem+json — or, in a push, a
// REJECTED op that still advances last_seq — never a 500, never a till that cannot sync again, and a
// refused request changes nothing. Codes are ASCII: a look-alike never finds or becomes a real code.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormedText } from '../../core/text';
import { MAX_INT4 } from '../../core/voucher';
import type { PushResponse } from '../../sync/protocol';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { hashToken } from '../../hq/auth';
import { createVoucher, dataHash, discountBody, expectProblem, getVoucher, iso, lastSeqOf, query, redemptionOp, TestTill, uniqueCode, type WireOp } from './helpers';

const NUL = '\u0000';
const HIGH = '\uD800'; // a high surrogate with no low one after it
const LOW = '\uDC00'; // a low surrogate with no high one before it

describe.each(BACKENDS)('HQ boundary rule on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  /** Runs requests that must all be refused, and checks that HQ's data is exactly as before (every row of every table). */
  const refusedChangeNothing = async (requests: () => Promise<void>) => {
    const before = await dataHash(hq);
    await requests();
    expect(await dataHash(hq)).toBe(before);
  };

  describe('a poisoned op between two good ones is REJECTED, advances last_seq, and never blocks the till', () => {
    const poisons: [string, (seq: number, code: string) => WireOp | string][] = [
      ['NUL in ticket_id', (seq, code) => redemptionOp(seq, code, 100, { ticket_id: `a${NUL}b` })],
      ['lone high surrogate in ticket_id', (seq, code) => redemptionOp(seq, code, 100, { ticket_id: `a${HIGH}b` })],
      ['NUL in type', (seq, code) => ({ ...redemptionOp(seq, code, 100), type: `REDEMPTION${NUL}` })],
      ['lone surrogates in type', (seq, code) => ({ ...redemptionOp(seq, code, 100), type: `${LOW}REDEMPTION${HIGH}` })],
      ['a type of 10,000 characters', (seq, code) => ({ ...redemptionOp(seq, code, 100), type: 'R'.repeat(10_000) })],
      ['lone surrogate in code', (seq, code) => redemptionOp(seq, `${code}${HIGH}`, 100)],
      ['NUL in code', (seq, code) => redemptionOp(seq, `${code}${NUL}`, 100)],
      ['look-alike code (ſ for S)', (seq, code) => redemptionOp(seq, code.toLowerCase().replaceAll('s', 'ſ').replace(/^d/, 'ſ'), 100)],
      ['an unknown payload key with a NUL', (seq, code) => ({ ...redemptionOp(seq, code, 100), payload: { code, ticket_id: 't', amount: 1, [`x${NUL}${HIGH}`]: 1 } })],
      ['amount 2^53', (seq, code) => redemptionOp(seq, code, 2 ** 53)],
      ['amount 2^63', (seq, code) => redemptionOp(seq, code, 2 ** 63)],
      // Raw JSON: 1e400 parses as Infinity, -0 and 1e-400 as zeroes, 9.5e15 beyond safe integers.
      ['amount 1e400 (raw JSON)', (seq, code) => rawOp(seq, `{"code":${JSON.stringify(code)},"ticket_id":"t","amount":1e400}`)],
      ['amount 9.5e15 (raw JSON)', (seq, code) => rawOp(seq, `{"code":${JSON.stringify(code)},"ticket_id":"t","amount":9.5e15}`)],
      ['GIFT_ISSUE of 2^53', (seq) => ({ op_id: randomUUID(), seq, type: 'GIFT_ISSUE', occurred_at: iso(), payload: { code: 'ABCD1234', amount: 2 ** 53, currency: 'EUR' } })],
      ['GIFT_ISSUE with NUL in its currency', (seq) => ({ op_id: randomUUID(), seq, type: 'GIFT_ISSUE', occurred_at: iso(), payload: { code: 'ABCD1234', amount: 100, currency: `EU${NUL}` } })],
      ['NUL in occurred_at', (seq, code) => ({ ...redemptionOp(seq, code, 100), occurred_at: `${iso()}${NUL}` })],
      // Not strings where the op wants strings: once a 400 for the whole batch, on every retry.
      ['type 7', (seq, code) => opWith(redemptionOp(seq, code, 100), { type: 7 })],
      ['type null', (seq, code) => opWith(redemptionOp(seq, code, 100), { type: null })],
      ['no type', (seq, code) => opWith(redemptionOp(seq, code, 100), { type: undefined })],
      ['occurred_at null', (seq, code) => opWith(redemptionOp(seq, code, 100), { occurred_at: null })],
      ['occurred_at 5', (seq, code) => opWith(redemptionOp(seq, code, 100), { occurred_at: 5 })],
    ];

    /** An op as JSON text with some fields replaced by values a WireOp cannot hold (undefined: left out). */
    function opWith(op: WireOp, fields: Record<string, unknown>): string {
      return JSON.stringify({ ...op, ...fields });
    }

    /** One op as raw JSON text (for numbers JSON.stringify cannot write). */
    function rawOp(seq: number, payloadJson: string): string {
      return `{"op_id":"${randomUUID()}","seq":${seq},"type":"REDEMPTION","occurred_at":"${iso()}","payload":${payloadJson}}`;
    }
    const opId = (op: WireOp | string) => (typeof op === 'string' ? (JSON.parse(op) as WireOp).op_id : op.op_id);
    const push = (t: TestTill, ops: (WireOp | string)[]) =>
      hq.as(t.token, {
        method: 'POST',
        url: '/v1/sync/push',
        headers: { 'content-type': 'application/json' },
        payload: `{"ops":[${ops.map((op) => (typeof op === 'string' ? op : JSON.stringify(op))).join(',')}]}`,
      });

    type Kind = 'REDEMPTION only' | 'with a GIFT_ISSUE' | 'with a ROLLBACK';
    const kinds: Kind[] = ['REDEMPTION only', 'with a GIFT_ISSUE', 'with a ROLLBACK'];
    const cases = kinds.flatMap((kind) => poisons.map(([name, build]) => [kind, name, build] as const));

    it.each(cases)('%s: %s', async (kind, _name, build) => {
      const first = await createVoucher(hq, discountBody());
      const target = await createVoucher(hq, discountBody({ code: uniqueCode('SS') }));
      const t = await TestTill.create(hq, 'Poisoned');
      await t.pushOk([t.redeem(uniqueCode('X'), 1)]); // start from last_seq 1
      const start = await lastSeqOf(hq, t.till_id);

      const good1 = t.redeem(first.code, 100);
      const bad = build(++t.seq, target.code);
      let good2: WireOp;
      if (kind === 'REDEMPTION only') good2 = t.redeem((await createVoucher(hq, discountBody())).code, 100);
      else if (kind === 'with a GIFT_ISSUE') good2 = t.issue((await t.leaseCodes(1))[0]!, 1000);
      else good2 = t.rollback(good1.op_id);
      const batch = [good1, bad, good2];

      const res = await push(t, batch);
      expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
      const body = res.json() as PushResponse;
      expect(body.results.map((r) => r.outcome)).toEqual(['ACCEPTED', 'REJECTED', 'ACCEPTED']);
      expect(body.results.map((r) => r.op_id)).toEqual([good1.op_id, opId(bad), good2.op_id]);
      expect(body.results[1]!.reason).toBe('invalid_op');
      const detail = body.results[1]!.detail!;
      expect(detail.length).toBeGreaterThan(0);
      expect(detail.length).toBeLessThanOrEqual(500);
      expect(isWellFormedText(detail)).toBe(true);
      expect(body.last_seq).toBe(start + 3);
      expect(await lastSeqOf(hq, t.till_id)).toBe(start + 3);
      // The poisoned op touched nothing; the good ones did what they do.
      expect((await getVoucher(hq, target.code))?.redemption.redeemed_quantity).toBe(0);
      expect((await getVoucher(hq, first.code))?.redemption.redeemed_quantity).toBe(kind === 'with a ROLLBACK' ? 0 : 1);
      // The op is stored under a type that is one of the known ones, or INVALID.
      const [stored] = await query<{ type: string; outcome: string }>(hq, sql`SELECT type, outcome FROM ops WHERE op_id = ${opId(bad)}::uuid`);
      expect(stored!.outcome).toBe('REJECTED');
      expect(['REDEMPTION', 'GIFT_ISSUE', 'INVALID']).toContain(stored!.type);

      // A retry of the same batch (the till did not hear the answer) gets the same answer, and changes nothing.
      const retry = await push(t, batch);
      expect(retry.statusCode, retry.body.slice(0, 500)).toBe(200);
      expect(retry.json()).toEqual(body);
      expect(await lastSeqOf(hq, t.till_id)).toBe(start + 3);
      // And the till goes on syncing.
      const next = await createVoucher(hq, discountBody());
      const after = await t.pushOk([t.redeem(next.code, 100)]);
      expect(after.results[0]).toMatchObject({ outcome: 'ACCEPTED' });
      expect(after.last_seq).toBe(start + 4);
    });

    it('a poisoned op alone (the first the till ever pushes) is REJECTED and takes seq 1', async () => {
      const t = await TestTill.create(hq, 'Poisoned first');
      const bad: WireOp = { ...redemptionOp(1, 'ABCD1234', 1), type: NUL };
      const body = await t.pushOk([bad]);
      expect(body).toMatchObject({ last_seq: 1, results: [{ op_id: bad.op_id, outcome: 'REJECTED' }] });
      const [stored] = await query<{ type: string }>(hq, sql`SELECT type FROM ops WHERE op_id = ${bad.op_id}::uuid`);
      expect(stored!.type).toBe('INVALID');
    });
  });

  describe('what was a 500 is a 400 problem+json, and changes nothing', () => {
    const percent = { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 10 } };

    it('(the check itself) sees a change that leaves every row count as it was', async () => {
      const put = (name: string) => hq.admin({ method: 'PUT', url: '/v1/products/SKU-HASH', payload: { name, unit_price: 1, currency: 'EUR' } });
      expect((await put('Before')).statusCode).toBe(200);
      const before = await dataHash(hq);
      expect(await dataHash(hq)).toBe(before);
      expect((await put('After')).statusCode).toBe(200);
      expect(await dataHash(hq)).not.toBe(before);
    });

    it('NUL in path parameters', async () => {
      const v = await createVoucher(hq, discountBody());
      await refusedChangeNothing(async () => {
        for (const [method, url, payload] of [
          ['GET', `/v1/vouchers/${v.code}%00`],
          ['PUT', `/v1/vouchers/${v.code}%00`, { label: 'x' }],
          ['DELETE', `/v1/vouchers/${v.code}%00`],
          ['POST', `/v1/vouchers/${v.code}%00/cancel`],
          ['POST', '/v1/offers/SPRING%00/vouchers', percent],
          ['GET', '/v1/async-actions/aa_%00'],
          ['PUT', '/v1/products/SKU%00', { name: 'x', unit_price: 1, currency: 'EUR' }],
          ['DELETE', '/v1/products/SKU%00'],
          ['PUT', '/v1/customers/C%00', { name: 'x' }],
          ['DELETE', '/v1/customers/C%00'],
        ] as const) {
          const problem = expectProblem(await hq.admin({ method, url, ...(payload ? { payload } : {}) }), 400, { what: `${method} ${url}` });
          expect(problem.errors?.[0]?.path, url).toMatch(/^params\./);
        }
      });
    });

    it('NUL in query parameters', async () => {
      await refusedChangeNothing(async () => {
        for (const url of ['/v1/vouchers?campaign=WINTER%00', '/v1/redemptions?code=ABCD%00', '/v1/redemptions?till_id=%00']) {
          const problem = expectProblem(await hq.admin({ method: 'GET', url }), 400, { what: url });
          expect(problem.errors?.[0]?.path, url).toMatch(/^querystring\./);
        }
      });
    });

    it('NUL and lone surrogates in labels, names, metadata, card codes and time zones', async () => {
      const v = await createVoucher(hq, discountBody());
      await refusedChangeNothing(async () => {
        const bodies: [string, string, unknown, string][] = [
          ['POST', '/v1/vouchers', { ...percent, label: `a${NUL}` }, 'body.label'],
          ['POST', '/v1/vouchers', { ...percent, label: `a${HIGH}` }, 'body.label'],
          ['POST', '/v1/vouchers', { ...percent, campaign: LOW }, 'body.campaign'],
          ['POST', '/v1/vouchers', { ...percent, customer_id: `c${NUL}` }, 'body.customer_id'],
          ['POST', '/v1/vouchers', { ...percent, metadata: { [`k${NUL}`]: 1 } }, 'body.metadata'],
          ['POST', '/v1/vouchers', { ...percent, metadata: { a: { b: [`x${HIGH}`] } } }, 'body.metadata.a.b.0'],
          ['POST', '/v1/vouchers', { ...percent, code: `ABCD${NUL}` }, 'body.code'],
          ['PUT', `/v1/vouchers/${v.code}`, { label: `a${NUL}` }, 'body.label'],
          ['PUT', `/v1/vouchers/${v.code}`, { metadata: { [`k${LOW}`]: 'x' } }, 'body.metadata'],
          ['POST', '/v1/offers/SPRING/vouchers', { ...percent, client_user_id: `u${NUL}` }, 'body.metadata.client_user_id'],
          ['POST', '/v1/tills', { name: `Till${NUL}` }, 'body.name'],
          ['POST', '/v1/tills', { name: 'Till', time_zone: `Europe/Berlin${NUL}` }, 'body.time_zone'],
          ['PUT', '/v1/products/SKU-B1', { name: `x${HIGH}`, unit_price: 1, currency: 'EUR' }, 'body.name'],
          ['PUT', '/v1/customers/C-B1', { name: 'x', card_code: `card${NUL}` }, 'body.card_code'],
          ['PUT', '/v1/customers/C-B1', { name: `${LOW}` }, 'body.name'],
        ];
        for (const [method, url, payload, path] of bodies) {
          const problem = expectProblem(await hq.admin({ method: method as 'POST', url, payload: payload as object }), 400, { what: `${method} ${url} ${path}` });
          // A bad metadata key is named in the path, after the field.
          expect(problem.errors?.some((e) => e.path === path || e.path.startsWith(`${path}.`)), `${method} ${url}: ${JSON.stringify(problem.errors)}`).toBe(true);
        }
      });
    });

    it('NUL and lone surrogates in the codes, ticket and time zone of a validation', async () => {
      const t = await TestTill.create(hq, 'Validator');
      const ticket = { currency: 'EUR', lines: [{ product_id: 'P1', quantity: 1, unit_price: 1000 }] };
      await refusedChangeNothing(async () => {
        for (const [payload, path] of [
          [{ codes: [`ABCD${NUL}`], ticket }, 'body.codes.0'],
          [{ codes: [`ABCD${HIGH}`], ticket }, 'body.codes.0'],
          [{ codes: ['ABCD'], ticket: { ...ticket, customer_id: `c${NUL}` } }, 'body.ticket.customer_id'],
          [{ codes: ['ABCD'], ticket: { ...ticket, lines: [{ ...ticket.lines[0], product_id: `P${LOW}` }] } }, 'body.ticket.lines.0.product_id'],
          [{ codes: ['ABCD'], ticket, time_zone: `UTC${NUL}` }, 'body.time_zone'],
        ] as const) {
          const problem = expectProblem(await hq.as(t.token, { method: 'POST', url: '/v1/validations', payload }), 400, { what: path });
          expect(problem.errors?.map((e) => e.path)).toContain(path);
        }
      });
    });

    it(`redemption.quantity above ${MAX_INT4} (the int4 column)`, async () => {
      const v = await createVoucher(hq, discountBody());
      await refusedChangeNothing(async () => {
        for (const quantity of [MAX_INT4 + 1, 2 ** 53 - 1]) {
          const created = expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, redemption: { quantity } } }), 400, { what: `create ${quantity}` });
          expect(created.errors?.map((e) => e.path)).toContain('body.redemption.quantity');
          const updated = expectProblem(await hq.admin({ method: 'PUT', url: `/v1/vouchers/${v.code}`, payload: { redemption: { quantity } } }), 400, { what: `update ${quantity}` });
          expect(updated.errors?.map((e) => e.path)).toContain('body.redemption.quantity');
        }
      });
      const largest = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, redemption: { quantity: MAX_INT4 } } });
      expect(largest.statusCode, largest.body).toBe(201);
      expect(largest.json().redemption.quantity).toBe(MAX_INT4);
    });

    it('quantity × unit_price beyond safe integers in a validation; the largest safe ticket is evaluated', async () => {
      const t = await TestTill.create(hq, 'Big ticket');
      const v = await createVoucher(hq, { ...percent, code: uniqueCode('P') });
      const line = (quantity: number, unit_price: number) => ({ product_id: 'P1', quantity, unit_price, tax_rate: 19 });
      await refusedChangeNothing(async () => {
        const perLine = expectProblem(
          await hq.as(t.token, { method: 'POST', url: '/v1/validations', payload: { codes: [v.code], ticket: { currency: 'EUR', lines: [line(3, 2 ** 52)] } } }),
          400,
          { what: 'line' },
        );
        expect(perLine.errors).toEqual([{ path: 'body.ticket.lines.0.unit_price', message: expect.stringMatching(/quantity × unit_price exceeds/) }]);
        const total = expectProblem(
          await hq.as(t.token, { method: 'POST', url: '/v1/validations', payload: { codes: [v.code], ticket: { currency: 'EUR', lines: [line(1, Number.MAX_SAFE_INTEGER), line(1, 1)] } } }),
          400,
          { what: 'total' },
        );
        expect(total.errors).toEqual([{ path: 'body.ticket.lines', message: expect.stringMatching(/total exceeds/) }]);
        expectProblem(await hq.as(t.token, { method: 'POST', url: '/v1/validations', payload: { codes: [v.code], ticket: { currency: 'EUR', lines: [{ ...line(1, 100), tax_rate: 7.777 }] } } }), 400, { what: 'tax' });
      });
      const ok = await hq.as(t.token, { method: 'POST', url: '/v1/validations', payload: { codes: [v.code], ticket: { currency: 'EUR', lines: [line(1, Number.MAX_SAFE_INTEGER)] } } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ valid: true, total_discount: 900719925474099, amount_due: Number.MAX_SAFE_INTEGER - 900719925474099 });
    });

    it('metadata nested too deep (9 and 6,000 levels), too large, or with too long a key', async () => {
      const nested = (depth: number) => {
        let value: unknown = 'x';
        for (let i = 0; i < depth; i++) value = { d: value };
        return value;
      };
      await refusedChangeNothing(async () => {
        const nine = expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, metadata: nested(9) } }), 400, { what: '9 levels' });
        expect(nine.errors?.[0]).toEqual({ path: `body.metadata${'.d'.repeat(8)}`, message: 'nested deeper than 8 levels' });
        // 4,000 levels used to be accepted and replicated to every till; 6,000 overflowed the stack.
        // Sent as text: light-my-request serialises an object payload recursively.
        for (const depth of [4000, 6000]) {
          const metadata = `${'{"d":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
          const payload = `${JSON.stringify(percent).slice(0, -1)},"metadata":${metadata}}`;
          expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', headers: { 'content-type': 'application/json' }, payload }), 400, { what: `${depth} levels` });
        }
        const big = expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, metadata: { note: 'x'.repeat(17_000) } } }), 400, { what: 'size' });
        expect(big.errors?.[0]?.message).toMatch(/more than 16384/);
        const key = expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, metadata: { ['k'.repeat(101)]: 1 } } }), 400, { what: 'key' });
        expect(key.errors?.[0]?.message).toMatch(/key longer than 100/);
      });
      const eight = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, metadata: nested(8) } });
      expect(eight.statusCode, eight.body).toBe(201);
      expect(eight.json().metadata).toEqual(nested(8));
    });

    it('a pairing code with a NUL or a look-alike is refused before it is tried', async () => {
      const t = await TestTill.create(hq, 'Pair me');
      // A pending code built to hold S, the one letter of the pairing alphabet with a look-alike that
      // Unicode upper-cases into it ("ſ" → "S"); HQ's own codes are random and may have none. It is
      // stored as HQ stores the codes it issues (a hash, an expiry).
      const code = 'SK7Q-M3XS';
      await query(hq, sql`UPDATE tills SET pairing_code_hash = ${hashToken(code.replace('-', ''))}, pairing_expires_at = now() + interval '15 minutes' WHERE id = ${t.till_id}::uuid`);
      const lookAlike = code.replaceAll('S', 'ſ');
      await refusedChangeNothing(async () => {
        for (const pairing_code of [`${code}${NUL}`, `${code.slice(0, 8)}${HIGH}`, lookAlike, code.replace(/[A-Z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))]) {
          const problem = expectProblem(await hq.app.inject({ method: 'POST', url: '/v1/pairings', payload: { pairing_code } }), 400, { what: JSON.stringify(pairing_code) });
          expect(problem.errors?.[0]?.path).toBe('body.pairing_code');
          expect(problem.detail).toContain('8 letters and digits');
        }
      });
      const paired = await hq.app.inject({ method: 'POST', url: '/v1/pairings', payload: { pairing_code: code.toLowerCase() } });
      expect(paired.statusCode, paired.body).toBe(200);
    });
  });

  describe('codes are ASCII: a look-alike never finds, becomes or redeems a real code', () => {
    // "ſ" upper-cases to "S", "ı" to "I", "ﬀ" to "FF": each would have matched the real code.
    const lookAlikes = (code: string) => [code.toLowerCase().replaceAll('s', 'ſ'), code.toLowerCase().replaceAll('i', 'ı'), code.toLowerCase().replaceAll('ff', 'ﬀ')];
    const real = () => createVoucher(hq, discountBody({ code: `SIFF-${uniqueCode('S')}` }));

    it('GET /v1/vouchers/{code} does not find it (404)', async () => {
      const v = await real();
      for (const alike of lookAlikes(v.code)) {
        const res = await hq.admin({ method: 'GET', url: `/v1/vouchers/${encodeURIComponent(alike)}` });
        expect(res.statusCode, alike).toBe(404);
        expect(res.json().code).toBe('not_found');
      }
      expect((await hq.admin({ method: 'GET', url: `/v1/vouchers/${v.code.toLowerCase()}` })).statusCode).toBe(200);
    });

    it('a voucher cannot be created under a look-alike code (400), nor cancelled, changed or deleted through one', async () => {
      const v = await real();
      await refusedChangeNothing(async () => {
        for (const alike of lookAlikes(v.code)) {
          const problem = expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: discountBody({ code: alike.replace(/-/g, 'x') }) }), 400, { what: alike });
          expect(problem.errors?.map((e) => e.path)).toContain('body.code');
          const url = `/v1/vouchers/${encodeURIComponent(alike)}`;
          expect((await hq.admin({ method: 'POST', url: `${url}/cancel` })).statusCode).toBe(404);
          expect((await hq.admin({ method: 'PUT', url, payload: { label: 'x' } })).statusCode).toBe(404);
          expect((await hq.admin({ method: 'DELETE', url })).statusCode).toBe(404);
        }
      });
    });

    it('a validation answers invalid_code_format, never the real voucher', async () => {
      const v = await real();
      const t = await TestTill.create(hq, 'Look-alikes');
      const ticket = { currency: 'EUR', lines: [{ product_id: 'P1', quantity: 1, unit_price: 1000 }] };
      const res = await hq.as(t.token, { method: 'POST', url: '/v1/validations', payload: { codes: lookAlikes(v.code), ticket } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().results.map((r: { reason: string }) => r.reason)).toEqual(['invalid_code_format', 'invalid_code_format', 'invalid_code_format']);
      expect(res.json().total_discount).toBe(0);
    });

    it('a pushed redemption with a look-alike is REJECTED and the real voucher stays unused', async () => {
      const v = await real();
      const t = await TestTill.create(hq, 'Look-alike push');
      const body = await t.pushOk(lookAlikes(v.code).map((alike) => t.redeem(alike, 100)));
      expect(body.results.map((r) => r.outcome)).toEqual(['REJECTED', 'REJECTED', 'REJECTED']);
      expect((await getVoucher(hq, v.code))?.redemption.redeemed_quantity).toBe(0);
    });

    it('the redemption list filtered by a look-alike finds nothing', async () => {
      const v = await real();
      const t = await TestTill.create(hq, 'Listed');
      await t.pushOk([t.redeem(v.code, 100)]);
      expect((await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${v.code.toLowerCase()}` })).json().total).toBe(1);
      for (const alike of lookAlikes(v.code)) {
        const res = await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${encodeURIComponent(alike)}` });
        expect(res.statusCode).toBe(200);
        expect(res.json().total, alike).toBe(0);
      }
    });
  });

  describe('the OpenAPI document states the patterns HQ enforces', () => {
    type Schema = { [key: string]: unknown };
    let doc: Schema;
    beforeAll(async () => {
      const res = await hq.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(res.statusCode).toBe(200);
      doc = res.json();
    });

    /** Resolves local $refs. */
    const resolve = (node: unknown): unknown => {
      let n = node as Schema | undefined;
      for (let i = 0; n && typeof n.$ref === 'string' && i < 10; i++) {
        n = (n.$ref as string)
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((at, key) => (at as Schema | undefined)?.[key], doc) as Schema | undefined;
      }
      return n;
    };
    /** Every schema under `root` that is the value of property `name` (through anyOf/oneOf/allOf, items, $refs). */
    const propertySchemas = (root: unknown, name: string): Schema[] => {
      const found: Schema[] = [];
      const stack: unknown[] = [root];
      const seen = new Set<unknown>();
      while (stack.length) {
        const node = resolve(stack.pop());
        if (!node || typeof node !== 'object' || seen.has(node)) continue;
        seen.add(node);
        const props = (node as Schema).properties as Schema | undefined;
        if (props && props[name]) found.push(resolve(props[name]) as Schema);
        for (const value of Object.values(node as Schema)) if (value && typeof value === 'object') stack.push(value);
      }
      return found;
    };
    const patternsOf = (schema: Schema): string[] => {
      const out: string[] = [];
      const stack: unknown[] = [schema];
      while (stack.length) {
        const node = resolve(stack.pop()) as Schema | undefined;
        if (!node || typeof node !== 'object') continue;
        if (typeof node.pattern === 'string') out.push(node.pattern);
        for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[key])) stack.push(...(node[key] as unknown[]));
      }
      return out;
    };
    const body = (path: string, method: string) => {
      const op = (doc.paths as Schema)[path] as Schema | undefined;
      const requestBody = resolve((op?.[method] as Schema | undefined)?.requestBody) as Schema | undefined;
      return ((requestBody?.content as Schema | undefined)?.['application/json'] as Schema | undefined)?.schema;
    };
    /** Each schema of `name` in the body has a pattern that accepts `good` and refuses every one of `bad`. */
    const expectPattern = (root: unknown, name: string, good: string[], bad: string[]) => {
      const schemas = propertySchemas(root, name);
      expect(schemas.length, `${name} in the document`).toBeGreaterThan(0);
      for (const schema of schemas) {
        const patterns = patternsOf(schema);
        expect(patterns.length, `${name} has a pattern: ${JSON.stringify(schema)}`).toBeGreaterThan(0);
        const accepts = (value: string) => patterns.every((p) => new RegExp(p, 'u').test(value));
        for (const value of good) expect(accepts(value), `${name} pattern accepts ${value}`).toBe(true);
        for (const value of bad) expect(accepts(value), `${name} pattern refuses ${value}`).toBe(false);
      }
    };

    it('currency, code and duration on voucher bodies; metadata key length', () => {
      const create = body('/v1/vouchers', 'post');
      expect(create).toBeDefined();
      expectPattern(create, 'currency', ['EUR', ' eur '], ['EURO', 'ſek', 'E1R']);
      expectPattern(create, 'code', ['XMAS-2026', ' xmas-2026 ', ']C1XMAS2026'], ['AB', 'ſale', 'ABC D']);
      expectPattern(create, 'interval', ['P7D', 'PT2H30M'], ['P1M', '7 days']);
      const metadata = propertySchemas(create, 'metadata');
      expect(metadata.some((m) => JSON.stringify(m).includes('"propertyNames":{"maxLength":100}'))).toBe(true);
      expectPattern(body('/v1/vouchers/{code}', 'put'), 'currency', ['EUR'], ['ſek']);
    });

    it('time zone on till and validation bodies; currency on tickets and products', () => {
      expectPattern(body('/v1/tills', 'post'), 'time_zone', ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC'], ['Europe/Berlin\u0000', 'Europe Berlin', '']);
      const validation = body('/v1/validations', 'post');
      expectPattern(validation, 'time_zone', ['Europe/Berlin'], ['x y']);
      expectPattern(validation, 'currency', ['EUR'], ['eur', 'EURO']);
      expectPattern(body('/v1/products/{id}', 'put'), 'currency', ['EUR', 'eur'], ['EURO']);
    });

    it('pairing code on POST /v1/pairings', () => {
      expectPattern(body('/v1/pairings', 'post'), 'pairing_code', ['K7QM-3XHD', 'k7qm 3xhd', 'K7QM3XHD'], ['K0QM-3XHD', 'K7QM-3XH', 'K7QM-3XHſ', 'till_abc']);
    });
  });
});

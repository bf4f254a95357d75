// POST /v1/sync/push — reconciliation of a till's outbox against HQ (contract: "Push semantics").
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesResponseSchema, PushResponseSchema, type PushResponse, type Redemption } from '../../sync/protocol';
import type { Voucher } from '../../core/voucher';
import { BACKENDS, startHq, type Backend, type Hq } from '../../testkit/hq-harness';
import { withoutAssets } from '../../testkit/fixtures';
import { createVoucher, discountBody, getVoucher, giftBody, giftIssueOp, iso, ownPostgresDatabase, query, redemptionOp, TestTill, uniqueCode, type WireOp } from './helpers';

type RedemptionList = { result: Redemption[]; total: number };

const MIGRATION_0007 = fileURLToPath(new URL('../../hq/db/migrations/0007_invalid_op_detail.sql', import.meta.url));

describe.each(BACKENDS)('HQ push on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const till = (name = 'Till') => TestTill.create(hq, name);
  const lastSeqOf = async (tillId: string) => Number((await query<{ last_seq: string | number }>(hq, sql`SELECT last_seq FROM tills WHERE id = ${tillId}::uuid`))[0]!.last_seq);
  const redemptionsOf = async (code: string): Promise<RedemptionList> => {
    const res = await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${encodeURIComponent(code)}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ledgerOf = (code: string) =>
    query<{ kind: string; amount: string | number; redemption_id: string | null }>(hq, sql`SELECT kind, amount, redemption_id FROM gift_ledger WHERE code = ${code} ORDER BY id`).then((rows) =>
      rows.map((r) => ({ kind: r.kind, amount: Number(r.amount), redemption_id: r.redemption_id })),
    );
  const counts = async (code: string) => {
    const [r] = await query<{ redemptions: string | number; ledger: string | number; ops: string | number }>(
      hq,
      sql`SELECT (SELECT count(*) FROM redemptions WHERE code = ${code}) AS redemptions, (SELECT count(*) FROM gift_ledger WHERE code = ${code}) AS ledger, (SELECT count(*) FROM ops) AS ops`,
    );
    return { redemptions: Number(r!.redemptions), ledger: Number(r!.ledger), ops: Number(r!.ops) };
  };

  describe('discount vouchers: the first redemption HQ commits wins', () => {
    it('accepts the first redemption of a single-use voucher and records a later one as CONFLICT with the winner', async () => {
      const v = await createVoucher(hq, discountBody());
      const [a, b] = [await till('A'), await till('B')];
      const first = a.redeem(v.code, 500, { occurred_at: '2026-03-01T10:00:00.000Z' });
      const r1 = await a.one(first);
      expect(r1).toMatchObject({ op_id: first.op_id, outcome: 'ACCEPTED' });
      expect(r1.reason).toBeUndefined();
      expect(r1.voucher).toMatchObject({ code: v.code, status: 'REDEEMED', redemption: { quantity: 1, redeemed_quantity: 1 }, used_at: '2026-03-01T10:00:00.000Z' });

      const second = b.redeem(v.code, 500, { occurred_at: '2026-03-01T10:05:00.000Z' });
      const res2 = await b.push([second]);
      expect(res2.statusCode, res2.body).toBe(200);
      const r2 = (res2.json() as PushResponse).results[0]!;
      expect(r2).toMatchObject({ op_id: second.op_id, outcome: 'CONFLICT', reason: 'quantity_exceeded' });
      // The losing till learns which till won and when — never the winning op's id (it could try to
      // roll that back): not in the winner, not anywhere in the answer, not on a replay either.
      expect(r2.winner).toEqual({ till_id: a.till_id, occurred_at: '2026-03-01T10:00:00.000Z' });
      expect(res2.body).not.toContain(first.op_id);
      const replay = await b.push([second]);
      expect(replay.json()).toEqual(res2.json());
      expect(replay.body).not.toContain(first.op_id);
      expect(r2.voucher).toMatchObject({ status: 'REDEEMED', redemption: { redeemed_quantity: 1 } });

      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'REDEEMED', redemption: { quantity: 1, redeemed_quantity: 1 }, used_at: '2026-03-01T10:00:00.000Z' });
      const list = await redemptionsOf(v.code.toLowerCase());
      expect(list.total).toBe(2);
      const byId = new Map(list.result.map((r) => [r.id, r]));
      expect(byId.get(first.op_id)).toMatchObject({ code: v.code, till_id: a.till_id, outcome: 'ACCEPTED', status: 'ACTIVE', amount: 500, reason: null, winner: null, ticket_id: 'ticket-1' });
      expect(byId.get(second.op_id)).toMatchObject({
        code: v.code,
        till_id: b.till_id,
        outcome: 'CONFLICT',
        reason: 'quantity_exceeded',
        winner: { op_id: first.op_id, till_id: a.till_id, occurred_at: '2026-03-01T10:00:00.000Z' },
      });
      // The back office can filter the conflicts.
      const conflicts = await hq.admin({ method: 'GET', url: `/v1/redemptions?code=${v.code}&outcome=CONFLICT` });
      expect(conflicts.json()).toMatchObject({ total: 1, result: [{ id: second.op_id }] });
    });

    it('a second redemption of the same single-use voucher in one batch conflicts with the first', async () => {
      const v = await createVoucher(hq, discountBody());
      const t = await till();
      const ops = [t.redeem(v.code, 100), t.redeem(v.code, 100)];
      const { results, last_seq } = await t.pushOk(ops);
      expect(last_seq).toBe(2);
      expect(results.map((r) => r.outcome)).toEqual(['ACCEPTED', 'CONFLICT']);
      expect(results[1]).toMatchObject({ reason: 'quantity_exceeded', winner: { till_id: t.till_id, occurred_at: ops[0]!.occurred_at } });
      expect(results[1]!.winner).not.toHaveProperty('op_id');
    });

    it('a quantity-limited voucher (3) accepts three redemptions, then conflicts', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: 3 } }));
      const [a, b] = [await till('A'), await till('B')];
      const first = await a.pushOk([a.redeem(v.code, 100), a.redeem(v.code, 100)]);
      expect(first.results.map((r) => [r.outcome, r.voucher?.status, r.voucher?.redemption.redeemed_quantity])).toEqual([
        ['ACCEPTED', 'ACTIVE', 1],
        ['ACCEPTED', 'ACTIVE', 2],
      ]);
      const third = b.redeem(v.code, 100);
      const second = await b.pushOk([third, b.redeem(v.code, 100)]);
      expect(second.results[0]).toMatchObject({ outcome: 'ACCEPTED', voucher: { status: 'REDEEMED', redemption: { quantity: 3, redeemed_quantity: 3 } } });
      expect(second.results[1]).toMatchObject({ outcome: 'CONFLICT', reason: 'quantity_exceeded', winner: { till_id: b.till_id, occurred_at: third.occurred_at } });
      expect(JSON.stringify(second.results[1])).not.toContain(third.op_id);
      expect((await getVoucher(hq, v.code))?.redemption).toEqual({ quantity: 3, redeemed_quantity: 3 });
      const list = await redemptionsOf(v.code);
      expect(list.result.filter((r) => r.outcome === 'ACCEPTED')).toHaveLength(3);
      expect(list.result.filter((r) => r.outcome === 'CONFLICT')).toHaveLength(1);
    });

    it('an unlimited voucher (quantity null) never conflicts', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const tills = [await till('A'), await till('B'), await till('C')];
      for (let round = 0; round < 4; round++) {
        for (const t of tills) {
          const { results } = await t.pushOk([t.redeem(v.code, 10)]);
          expect(results[0]!.outcome).toBe('ACCEPTED');
        }
      }
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'ACTIVE', redemption: { quantity: null, redeemed_quantity: 12 } });
    });

    it('a cancelled voucher conflicts with reason "cancelled"; an unknown code is REJECTED not_found', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${v.code}/cancel` })).statusCode).toBe(200);
      const t = await till();
      const cancelled = t.redeem(v.code, 100);
      const unknown = t.redeem(uniqueCode('NOPE'), 100);
      const { results, last_seq } = await t.pushOk([cancelled, unknown]);
      expect(last_seq).toBe(2);
      expect(results[0]).toMatchObject({ outcome: 'CONFLICT', reason: 'cancelled', voucher: { status: 'CANCELLED', redemption: { redeemed_quantity: 0 } } });
      expect(results[1]).toEqual({ op_id: unknown.op_id, outcome: 'REJECTED', reason: 'not_found' });
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'CANCELLED', redemption: { redeemed_quantity: 0 } });
      expect((await redemptionsOf(v.code)).result).toMatchObject([{ id: cancelled.op_id, outcome: 'CONFLICT', reason: 'cancelled' }]);
      expect(await query(hq, sql`SELECT 1 FROM redemptions WHERE id = ${unknown.op_id}::uuid`)).toHaveLength(0);
    });
  });

  describe('malformed ops are REJECTED and still advance last_seq', () => {
    const malformed: [string, (seq: number, code: string) => WireOp][] = [
      ['missing ticket_id', (seq, code) => ({ op_id: randomUUID(), seq, type: 'REDEMPTION', occurred_at: iso(), payload: { code, amount: 100 } })],
      ['negative amount', (seq, code) => redemptionOp(seq, code, -100)],
      ['fractional amount', (seq, code) => redemptionOp(seq, code, 1.5)],
      ['unknown type', (seq, code) => ({ op_id: randomUUID(), seq, type: 'REFUND', occurred_at: iso(), payload: { code, ticket_id: 't', amount: 1 } })],
      ['bad occurred_at', (seq, code) => ({ ...redemptionOp(seq, code, 100), occurred_at: 'yesterday at noon' })],
      ['missing occurred_at', (seq, code) => ({ op_id: randomUUID(), seq, type: 'REDEMPTION', payload: { code, ticket_id: 't', amount: 1 } })],
      ['missing payload', (seq) => ({ op_id: randomUUID(), seq, type: 'REDEMPTION', occurred_at: iso() })],
      ['unknown payload field', (seq, code) => ({ ...redemptionOp(seq, code, 100), payload: { code, ticket_id: 't', amount: 1, extra: true } })],
      ['ill-formed code', (seq) => redemptionOp(seq, "'; DROP TABLE vouchers; --", 100)],
      ['ROLLBACK without a uuid', (seq) => ({ op_id: randomUUID(), seq, type: 'ROLLBACK', occurred_at: iso(), payload: { redemption_op_id: 'x' } })],
      ['GIFT_ISSUE with amount 0', (seq) => giftIssueOp(seq, 'ABCD1234', 0)],
      ['GIFT_ISSUE with an ill-formed currency', (seq) => giftIssueOp(seq, 'ABCD1234', 100, 'euro')],
    ];

    it.each(malformed)('%s → REJECTED invalid_op, and the next op in the batch is applied', async (_name, build) => {
      const v = await createVoucher(hq, discountBody());
      const t = await till();
      await t.pushOk([t.redeem(uniqueCode('X'), 1)]); // seq 1: start from a non-zero last_seq
      const bad = build(2, v.code);
      const good = redemptionOp(3, v.code, 500);
      t.seq = 3;
      const { results, last_seq } = await t.pushOk([bad, good]);
      expect(results[0]!.op_id).toBe(bad.op_id);
      expect(results[0]!.outcome).toBe('REJECTED');
      expect(results[0]!.reason).toBe('invalid_op');
      expect(results[0]!.detail!.length).toBeGreaterThan(0);
      expect(results[0]!.detail!.length).toBeLessThanOrEqual(500);
      expect(results[1]).toMatchObject({ op_id: good.op_id, outcome: 'ACCEPTED' });
      expect(last_seq).toBe(3);
      expect(await lastSeqOf(t.till_id)).toBe(3);
      expect((await getVoucher(hq, v.code))?.redemption.redeemed_quantity).toBe(1);
      // The rejection is stored like any result: a replay gets the same answer.
      expect((await t.pushOk([bad])).results[0]).toEqual(results[0]);
    });

    // Such a code once reached PostgreSQL raw (the vouchers a batch locks were read from the raw
    // payloads) and failed the whole batch with 500 on every retry: the till never synced again.
    it.each([
      ['a NUL', 'AB\u0000CD'],
      ['a lone surrogate', 'AB\uD800CD'],
    ])('a code with %s is REJECTED invalid_op, alone or beside a rollback and a gift issue; the ops around it apply', async (_name, poisoned) => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      const red = t.redeem(v.code, 1);
      const redemptionsOnly = [red, t.redeem(poisoned, 1), t.redeem(v.code, 1)];
      const first = await t.pushOk(redemptionsOnly);
      expect(first.results.map((r) => r.outcome)).toEqual(['ACCEPTED', 'REJECTED', 'ACCEPTED']);
      expect(first.results[1]!.reason).toBe('invalid_op');

      const mixed = [t.rollback(red.op_id), t.redeem(poisoned, 1), t.issue(poisoned, 100), t.redeem(v.code, 1)];
      const second = await t.pushOk(mixed);
      expect(second.results.map((r) => r.outcome)).toEqual(['ACCEPTED', 'REJECTED', 'REJECTED', 'ACCEPTED']);
      expect(second.results[1]!.reason).toBe('invalid_op');
      expect(second.results[2]!.reason).toBe('invalid_op');
      expect(second.last_seq).toBe(7);
      expect(await lastSeqOf(t.till_id)).toBe(7);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(2); // 3 accepted, 1 rolled back
      expect(await t.pushOk(mixed)).toEqual(second); // and the replay answers the same
    });

    // Before push reasons were an enum, the detail was part of the reason ("invalid_op: …"); migration
    // 0007 rewrites results stored that way, since a replay sends them again to a till that parses reasons.
    it('a result stored with the old "invalid_op: …" reason is replayed as reason invalid_op with its detail', async () => {
      const t = await till();
      const op = { op_id: randomUUID(), seq: 1, type: 'REDEMPTION', occurred_at: iso(), payload: { ticket_id: 't' } };
      await query(hq, sql`INSERT INTO ops (op_id, till_id, seq, type, outcome, result) VALUES (${op.op_id}::uuid, ${t.till_id}::uuid, 1, 'REDEMPTION', 'REJECTED',
        ${'{"outcome":"REJECTED","reason":"invalid_op: payload.code: Invalid input: expected string, received undefined"}'})`);
      await query(hq, sql`UPDATE tills SET last_seq = 1 WHERE id = ${t.till_id}::uuid`);
      await query(hq, sql.raw(await readFile(MIGRATION_0007, 'utf8')));
      const replay = await t.pushOk([op as WireOp]);
      expect(replay.results[0]).toEqual({ op_id: op.op_id, outcome: 'REJECTED', reason: 'invalid_op', detail: 'payload.code: Invalid input: expected string, received undefined' });
      expect(PushResponseSchema.safeParse(replay).success).toBe(true);
    });

    it('refuses a malformed envelope as a whole (400) and applies nothing', async () => {
      const v = await createVoucher(hq, discountBody());
      const t = await till();
      const cases: unknown[] = [
        { ops: [] },
        { ops: [{ ...redemptionOp(1, v.code, 1), op_id: 'not-a-uuid' }] },
        { ops: [{ ...redemptionOp(1, v.code, 1), seq: 0 }] },
        { ops: [{ ...redemptionOp(1, v.code, 1), seq: '1' }] },
        { ops: [redemptionOp(1, v.code, 1)], extra: 1 },
        { ops: Array.from({ length: 1001 }, (_, i) => redemptionOp(i + 1, v.code, 1)) },
      ];
      for (const payload of cases) {
        const res = await hq.as(t.token, { method: 'POST', url: '/v1/sync/push', payload: payload as object });
        expect(res.statusCode, JSON.stringify(payload).slice(0, 200)).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect(await lastSeqOf(t.till_id)).toBe(0);
      expect((await getVoucher(hq, v.code))?.redemption.redeemed_quantity).toBe(0);
    });
  });

  describe('codes and op ids', () => {
    it('a code in a payload is case-insensitive, as everywhere on input', async () => {
      const v = await createVoucher(hq, discountBody());
      const t = await till();
      const { results } = await t.pushOk([t.redeem(` ${v.code.toLowerCase()} `, 100)]);
      expect(results[0]).toMatchObject({ outcome: 'ACCEPTED', voucher: { code: v.code, redemption: { redeemed_quantity: 1 } } });
    });

    it('an op_id another till already used is REJECTED op_id_reused, never applied, and does not block the till', async () => {
      const v = await createVoucher(hq, discountBody());
      const first = await till('First');
      const second = await till('Second');
      const original = first.redeem(uniqueCode('X'), 1);
      await first.pushOk([original]);
      const copied = { ...redemptionOp(1, v.code, 100), op_id: original.op_id };
      second.seq = 1;
      const next = second.redeem(v.code, 100);
      const { results, last_seq } = await second.pushOk([copied, next]);
      expect(results[0]).toMatchObject({ op_id: original.op_id, outcome: 'REJECTED', reason: 'op_id_reused' });
      expect(results[1]).toMatchObject({ outcome: 'ACCEPTED' });
      expect(last_seq).toBe(2);
      expect((await second.pushOk([copied])).results[0]).toMatchObject({ outcome: 'REJECTED', reason: 'op_id_reused' });
      expect((await getVoucher(hq, v.code))?.redemption.redeemed_quantity).toBe(1);
    });
  });

  describe('gift cards: an append-only ledger, overdrafts accepted', () => {
    it('debits reduce the balance; an overdraft is ACCEPTED and flagged; balance = amount − accepted debits + rollbacks', async () => {
      const card = await createVoucher(hq, giftBody(5000));
      const [a, b] = [await till('A'), await till('B')];
      const d1 = a.redeem(card.code, 1200);
      const r1 = await a.one(d1);
      expect(r1).toMatchObject({ outcome: 'ACCEPTED', voucher: { type: 'GIFT_VOUCHER', gift: { amount: 5000, balance: 3800 }, status: 'ACTIVE' } });
      expect(r1.overdraft).toBeUndefined();

      const d2 = b.redeem(card.code, 3800);
      expect(await b.one(d2)).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 0 }, status: 'REDEEMED' } });

      // Money already taken at an offline till: accepted, flagged, balance goes negative.
      const d3 = a.redeem(card.code, 700);
      const r3 = await a.one(d3);
      expect(r3).toMatchObject({ outcome: 'ACCEPTED', overdraft: true, voucher: { gift: { amount: 5000, balance: -700 }, status: 'REDEEMED' } });

      const list = await redemptionsOf(card.code);
      expect(Object.fromEntries(list.result.map((r) => [r.id, r.overdraft]))).toEqual({ [d1.op_id]: false, [d2.op_id]: false, [d3.op_id]: true });

      // Rolling back the first debit (by the till that made it) gives its money back (ledger ROLLBACK row).
      const rb = a.rollback(d1.op_id);
      expect(await a.one(rb)).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 500 }, status: 'ACTIVE' } });

      const ledger = await ledgerOf(card.code);
      expect(ledger).toEqual([
        { kind: 'ISSUE', amount: 5000, redemption_id: null },
        { kind: 'DEBIT', amount: -1200, redemption_id: d1.op_id },
        { kind: 'DEBIT', amount: -3800, redemption_id: d2.op_id },
        { kind: 'DEBIT', amount: -700, redemption_id: d3.op_id },
        { kind: 'ROLLBACK', amount: 1200, redemption_id: d1.op_id },
      ]);
      const balance = (await getVoucher(hq, card.code))!.gift!.balance;
      expect(balance).toBe(500);
      expect(ledger.reduce((s, r) => s + r.amount, 0)).toBe(balance);
      const [fromRedemptions] = await query<{ b: string | number }>(
        hq,
        sql`SELECT ${5000}::bigint - COALESCE(sum(amount) FILTER (WHERE outcome = 'ACCEPTED'), 0) + COALESCE(sum(amount) FILTER (WHERE outcome = 'ACCEPTED' AND status = 'ROLLED_BACK'), 0) AS b
            FROM redemptions WHERE code = ${card.code}`,
      );
      expect(Number(fromRedemptions!.b)).toBe(balance);
    });

    it('a cancelled gift card conflicts with reason "cancelled" and writes no ledger row', async () => {
      const card = await createVoucher(hq, giftBody(1000));
      await hq.admin({ method: 'POST', url: `/v1/vouchers/${card.code}/cancel` });
      const t = await till();
      expect(await t.one(t.redeem(card.code, 100))).toMatchObject({ outcome: 'CONFLICT', reason: 'cancelled' });
      expect(await ledgerOf(card.code)).toEqual([{ kind: 'ISSUE', amount: 1000, redemption_id: null }]);
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 1000, balance: 1000 });
    });
  });

  describe('gift cards: a balance stays within what every till can read (−(2^53−1) … amount)', () => {
    const MAX = Number.MAX_SAFE_INTEGER;

    /** Push as a till does: the answer must parse with the wire schema, or the till retries it forever. */
    const pushParsed = async (t: TestTill, ops: WireOp[]) => {
      const res = await t.push(ops);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const parsed = PushResponseSchema.safeParse(res.json());
      expect(parsed.error?.message, 'the till can read the answer').toBeUndefined();
      return parsed.data!;
    };
    /** A till's whole pull from checkpoint 0: every page must parse, or every till stops pulling. */
    const pullAll = async (t: TestTill): Promise<Map<string, Voucher>> => {
      const vouchers = new Map<string, Voucher>();
      for (let checkpoint = '0'; ; ) {
        const res = await hq.as(t.token, { method: 'GET', url: `/v1/sync/changes?checkpoint=${checkpoint}&limit=1000` });
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        const page = ChangesResponseSchema.safeParse(res.json());
        expect(page.error?.message, `the page from checkpoint ${checkpoint} parses`).toBeUndefined();
        for (const v of page.data!.vouchers) vouchers.set(v.code, v);
        if (!page.data!.has_more) return vouchers;
        checkpoint = page.data!.checkpoint;
      }
    };

    it.each([
      ['one push each', 'separate'],
      ['in one batch of redemptions', 'batch'],
      ['in one batch beside a GIFT_ISSUE', 'mixed'],
    ] as const)('two debits of 2^53−1 %s: the first is ACCEPTED (overdraft), the second REJECTED amount_out_of_range, nothing changes, every till still pulls', async (_name, mode) => {
      const card = await createVoucher(hq, giftBody(10_000));
      const t = await till();
      const issue = mode === 'mixed' ? t.issue((await t.leaseCodes(1))[0]!, 1_000) : undefined;
      const d1 = t.redeem(card.code, MAX);
      const d2 = t.redeem(card.code, MAX);
      let results: PushResponse['results'];
      if (mode === 'separate') results = [...(await pushParsed(t, [d1])).results, ...(await pushParsed(t, [d2])).results];
      else if (mode === 'batch') results = (await pushParsed(t, [d1, d2])).results;
      else {
        const all = (await pushParsed(t, [issue!, d1, d2])).results;
        expect(all[0]).toMatchObject({ outcome: 'ACCEPTED' });
        results = all.slice(1);
      }
      const low = 10_000 - MAX; // −9,007,199,254,730,991: in range
      expect(results[0]).toMatchObject({ op_id: d1.op_id, outcome: 'ACCEPTED', overdraft: true, voucher: { gift: { amount: 10_000, balance: low }, status: 'REDEEMED' } });
      expect(results[1]).toMatchObject({ op_id: d2.op_id, outcome: 'REJECTED', reason: 'amount_out_of_range', voucher: { gift: { amount: 10_000, balance: low } } });
      expect(results[1]!.overdraft).toBeUndefined();
      expect(await lastSeqOf(t.till_id)).toBe(t.seq);
      // The refused debit changed nothing: no ledger row, no redemption; the op is stored, and a replay answers the same.
      expect(await ledgerOf(card.code)).toEqual([
        { kind: 'ISSUE', amount: 10_000, redemption_id: null },
        { kind: 'DEBIT', amount: -MAX, redemption_id: d1.op_id },
      ]);
      expect((await redemptionsOf(card.code)).result.map((r) => r.id)).toEqual([d1.op_id]);
      const [stored] = await query<{ type: string; outcome: string }>(hq, sql`SELECT type, outcome FROM ops WHERE op_id = ${d2.op_id}::uuid`);
      expect(stored).toEqual({ type: 'REDEMPTION', outcome: 'REJECTED' });
      expect((await pushParsed(t, [d2])).results[0]).toEqual(results[1]);

      // Down to exactly −(2^53−1) is still an overdraft HQ accepts; one unit more is refused.
      const d3 = t.redeem(card.code, low + MAX);
      const d4 = t.redeem(card.code, 1);
      const more = (await pushParsed(t, [d3, d4])).results;
      expect(more[0]).toMatchObject({ outcome: 'ACCEPTED', overdraft: true, voucher: { gift: { balance: -MAX } } });
      expect(more[1]).toMatchObject({ outcome: 'REJECTED', reason: 'amount_out_of_range', voucher: { gift: { balance: -MAX } } });
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 10_000, balance: -MAX });

      // Every till still pulls the whole feed, this card included.
      for (const puller of [t, await till('Another')]) expect((await pullAll(puller)).get(card.code)?.gift).toEqual({ amount: 10_000, balance: -MAX });
      // And the till goes on syncing.
      expect((await pushParsed(t, [t.redeem(card.code, 0)])).results[0]).toMatchObject({ outcome: 'ACCEPTED' });
    });

    it('a rollback after the back office set the balance fills the card up to its amount, never past it (push op and HTTP route)', async () => {
      const t = await till();
      // Through a push: 1000, debit 600 (400), set to 700 by the back office, roll the debit back.
      const card = await createVoucher(hq, giftBody(1_000));
      const debit = t.redeem(card.code, 600);
      expect(await t.one(debit)).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 400 } } });
      const put = await hq.admin({ method: 'PUT', url: `/v1/vouchers/${card.code}`, payload: { gift: { amount: 1_000, balance: 700 } } });
      expect(put.statusCode, put.body).toBe(200);
      const rolled = (await pushParsed(t, [t.rollback(debit.op_id)])).results[0]!;
      expect(rolled).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { amount: 1_000, balance: 1_000 }, status: 'ACTIVE' } });
      expect((await ledgerOf(card.code)).map((r) => [r.kind, r.amount])).toEqual([
        ['ISSUE', 1_000],
        ['DEBIT', -600],
        ['ADJUST', 300],
        ['ROLLBACK', 300],
      ]);

      // Through the HTTP route, at the largest card: a debit of all of it, the balance set back to
      // 2^53−2, the admin rolls the debit back — 2^53−1, not 2^54−2.
      const big = await createVoucher(hq, giftBody(MAX));
      const all = t.redeem(big.code, MAX);
      expect(await t.one(all)).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 0 } } });
      expect((await hq.admin({ method: 'PUT', url: `/v1/vouchers/${big.code}`, payload: { gift: { amount: MAX, balance: MAX - 1 } } })).statusCode).toBe(200);
      const undo = await hq.admin({ method: 'POST', url: `/v1/redemptions/${all.op_id}/rollback` });
      expect(undo.statusCode, undo.body).toBe(200);
      expect((await getVoucher(hq, big.code))!.gift).toEqual({ amount: MAX, balance: MAX });
      const [sum] = await query<{ s: string }>(hq, sql`SELECT sum(amount)::text AS s FROM gift_ledger WHERE code = ${big.code}`);
      expect(sum!.s).toBe(String(MAX));

      const feed = await pullAll(t);
      expect(feed.get(card.code)?.gift).toEqual({ amount: 1_000, balance: 1_000 });
      expect(feed.get(big.code)?.gift).toEqual({ amount: MAX, balance: MAX });
    });

    it('the back office setting the balance of a card overdrawn to about −2^53 records the exact difference in the ledger', async () => {
      const card = await createVoucher(hq, giftBody(10_000));
      const t = await till();
      expect(await t.one(t.redeem(card.code, MAX))).toMatchObject({ outcome: 'ACCEPTED', overdraft: true });
      const put = await hq.admin({ method: 'PUT', url: `/v1/vouchers/${card.code}`, payload: { gift: { amount: MAX, balance: MAX - 1 } } });
      expect(put.statusCode, put.body).toBe(200);
      // (2^53−2) − (10,000 − (2^53−1)) = 18,014,398,509,471,981: odd, past 2^54, not a JavaScript number.
      const rows = await query<{ kind: string; amount: string }>(hq, sql`SELECT kind, amount::text AS amount FROM gift_ledger WHERE code = ${card.code} ORDER BY id`);
      expect(rows.map((r) => [r.kind, r.amount])).toEqual([
        ['ISSUE', '10000'],
        ['DEBIT', String(-MAX)],
        ['ADJUST', '18014398509471981'],
      ]);
      const [sum] = await query<{ s: string }>(hq, sql`SELECT sum(amount)::text AS s FROM gift_ledger WHERE code = ${card.code}`);
      expect(sum!.s).toBe(String(MAX - 1));
    });
  });

  describe('replays: each op is applied at most once, forever', () => {
    it('pushing the same batch again returns identical results and changes nothing', async () => {
      const single = await createVoucher(hq, discountBody());
      const card = await createVoucher(hq, giftBody(3000));
      const t = await till();
      const other = await till('other');
      await other.pushOk([other.redeem(single.code, 1)]); // so this till's redemption conflicts
      const batch = [t.redeem(single.code, 100), t.redeem(card.code, 1000), t.redeem(uniqueCode('U'), 5), { ...t.redeem(card.code, 1), payload: { bad: true } }];
      const first = await t.pushOk(batch);
      expect(first.results.map((r) => r.outcome)).toEqual(['CONFLICT', 'ACCEPTED', 'REJECTED', 'REJECTED']);
      const before = { single: await getVoucher(hq, single.code), card: await getVoucher(hq, card.code), a: await counts(single.code), b: await counts(card.code), seq: await lastSeqOf(t.till_id) };

      for (let i = 0; i < 3; i++) {
        const again = await t.pushOk(batch);
        expect(again).toEqual(first);
      }
      // Even in a different order, results come back per op, in request order.
      const reversed = await t.pushOk([...batch].reverse());
      expect(reversed.results).toEqual([...first.results].reverse());
      expect(reversed.last_seq).toBe(4);

      expect(await getVoucher(hq, single.code)).toEqual(before.single);
      expect(await getVoucher(hq, card.code)).toEqual(before.card);
      expect(await counts(single.code)).toEqual(before.a);
      expect(await counts(card.code)).toEqual(before.b);
      expect(await lastSeqOf(t.till_id)).toBe(before.seq);
    });

    it('a replay mixed with new ops: the replayed ones answer from storage, the new ones are applied', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      const old = [t.redeem(v.code, 1), t.redeem(v.code, 1)];
      const first = await t.pushOk(old);
      const fresh = [t.redeem(v.code, 1), t.redeem(v.code, 1)];
      const mixed = await t.pushOk([...old, ...fresh]);
      expect(mixed.last_seq).toBe(4);
      expect(mixed.results.slice(0, 2)).toEqual(first.results);
      expect(mixed.results.slice(2).map((r) => [r.outcome, r.voucher?.redemption.redeemed_quantity])).toEqual([
        ['ACCEPTED', 3],
        ['ACCEPTED', 4],
      ]);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(4);
    });

    it('the same op_id twice in one batch is applied once', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      const op = t.redeem(v.code, 1);
      const next = t.redeem(v.code, 1);
      const { results, last_seq } = await t.pushOk([op, op, next, op]);
      expect(last_seq).toBe(2);
      expect(results[0]).toEqual(results[1]);
      expect(results[3]).toEqual(results[0]);
      expect(results[2]).toMatchObject({ op_id: next.op_id, outcome: 'ACCEPTED', voucher: { redemption: { redeemed_quantity: 2 } } });
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(2);
      expect((await redemptionsOf(v.code)).total).toBe(2);
    });

    it('a replay is recognised whatever the case of its op_id (a uuid is case-insensitive)', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      const op = { ...t.redeem(v.code, 1), op_id: randomUUID().toUpperCase() };
      const first = await t.pushOk([op]);
      expect(first.results[0]).toMatchObject({ op_id: op.op_id, outcome: 'ACCEPTED' });
      const again = await t.pushOk([op]);
      expect(again).toEqual(first);
      const lower = await t.pushOk([{ ...op, op_id: op.op_id.toLowerCase() }]);
      expect(lower.results[0]).toMatchObject({ outcome: 'ACCEPTED', voucher: { redemption: { redeemed_quantity: 1 } } });
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(1);
      // Within one batch the two spellings are one op, not two ops with one seq.
      const op2 = { ...t.redeem(v.code, 1), op_id: randomUUID() };
      const both = await t.pushOk([op2, { ...op2, op_id: op2.op_id.toUpperCase() }]);
      expect(both.results.map((r) => r.outcome)).toEqual(['ACCEPTED', 'ACCEPTED']);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(2);
    });
  });

  describe('seq: contiguous from 1, gaps refused', () => {
    it('refuses a gap with 409 seq_gap and applies nothing; the missing op then goes through with the rest', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      await t.pushOk([t.redeem(v.code, 1)]); // last_seq 1
      const missing = t.redeem(v.code, 1); // seq 2, "lost"
      const later = [t.redeem(v.code, 1), t.redeem(v.code, 1)]; // seq 3, 4
      const res = await t.push(later);
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 409, code: 'seq_gap', title: 'Conflict' });
      expect(res.body).not.toMatch(/select|insert|update|stack/i);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(1);
      expect(await lastSeqOf(t.till_id)).toBe(1);
      expect(await query(hq, sql`SELECT 1 FROM ops WHERE op_id IN (${later[0]!.op_id}::uuid, ${later[1]!.op_id}::uuid)`)).toHaveLength(0);

      // A gap after a valid op in the same batch: the valid one is not applied either.
      const gapAfterValid = await t.push([missing, later[1]!]);
      expect(gapAfterValid.statusCode).toBe(409);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(1);

      const { results, last_seq } = await t.pushOk([...later, missing]); // any order in the batch
      expect(last_seq).toBe(4);
      expect(results.every((r) => r.outcome === 'ACCEPTED')).toBe(true);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(4);
    });

    it('a new till starting at seq 2 is refused', async () => {
      const t = await till();
      const res = await t.push([redemptionOp(2, uniqueCode(), 1)]);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('seq_gap');
    });

    it('two different ops with one seq in a batch → 400 duplicate_seq, nothing applied', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      const res = await t.push([redemptionOp(1, v.code, 1), redemptionOp(2, v.code, 1), redemptionOp(2, v.code, 1)]);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 400, code: 'duplicate_seq' });
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(0);
      expect(await lastSeqOf(t.till_id)).toBe(0);
    });

    it('an unknown op with seq <= last_seq is REJECTED seq_already_used and not applied', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const t = await till();
      await t.pushOk([t.redeem(v.code, 1), t.redeem(v.code, 1)]);
      const reused = redemptionOp(2, v.code, 1);
      const reusedOne = redemptionOp(1, v.code, 1);
      const next = redemptionOp(3, v.code, 1);
      const { results, last_seq } = await t.pushOk([reused, reusedOne, next]);
      expect(results[0]).toEqual({ op_id: reused.op_id, outcome: 'REJECTED', reason: 'seq_already_used' });
      expect(results[1]).toEqual({ op_id: reusedOne.op_id, outcome: 'REJECTED', reason: 'seq_already_used' });
      expect(results[2]!.outcome).toBe('ACCEPTED');
      expect(last_seq).toBe(3);
      expect((await getVoucher(hq, v.code))!.redemption.redeemed_quantity).toBe(3);
      expect(await query(hq, sql`SELECT 1 FROM redemptions WHERE id IN (${reused.op_id}::uuid, ${reusedOne.op_id}::uuid)`)).toHaveLength(0);
    });

    it('last_seq is per till', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null } }));
      const [a, b] = [await till('A'), await till('B')];
      await a.pushOk([a.redeem(v.code, 1), a.redeem(v.code, 1), a.redeem(v.code, 1)]);
      expect((await b.pushOk([b.redeem(v.code, 1)])).last_seq).toBe(1);
      expect(await lastSeqOf(a.till_id)).toBe(3);
      expect(await lastSeqOf(b.till_id)).toBe(1);
    });
  });

  describe('rollbacks', () => {
    it('a ROLLBACK op gives a single-use voucher back once; a second ROLLBACK is REJECTED already_rolled_back', async () => {
      const v = await createVoucher(hq, discountBody());
      const [a, b] = [await till('A'), await till('B')];
      const red = a.redeem(v.code, 500);
      expect((await a.one(red)).voucher).toMatchObject({ status: 'REDEEMED' });
      const rb = await a.one(a.rollback(red.op_id));
      expect(rb).toMatchObject({ outcome: 'ACCEPTED', voucher: { code: v.code, status: 'ACTIVE', redemption: { quantity: 1, redeemed_quantity: 0 } } });
      const again = a.rollback(red.op_id);
      expect(await a.one(again)).toEqual({ op_id: again.op_id, outcome: 'REJECTED', reason: 'already_rolled_back' });
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'ACTIVE', redemption: { redeemed_quantity: 0 } });
      expect((await redemptionsOf(v.code)).result).toMatchObject([{ id: red.op_id, status: 'ROLLED_BACK', outcome: 'ACCEPTED' }]);
      // Free again: another till's redemption wins now.
      expect((await b.one(b.redeem(v.code, 500))).outcome).toBe('ACCEPTED');
    });

    it('a redemption and its rollback in one batch', async () => {
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: 2 } }));
      const t = await till();
      const red = t.redeem(v.code, 1);
      const { results } = await t.pushOk([red, t.rollback(red.op_id), t.redeem(v.code, 1), t.redeem(v.code, 1), t.redeem(v.code, 1)]);
      expect(results.map((r) => r.outcome)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'CONFLICT']);
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'REDEEMED', redemption: { quantity: 2, redeemed_quantity: 2 } });
    });

    it('rolling back a CONFLICT redemption is ACCEPTED and restores nothing; an unknown one is REJECTED not_found', async () => {
      const v = await createVoucher(hq, discountBody());
      const [a, b] = [await till('A'), await till('B')];
      await a.one(a.redeem(v.code, 1));
      const lost = b.redeem(v.code, 1);
      expect((await b.one(lost)).outcome).toBe('CONFLICT');
      const rb = await b.one(b.rollback(lost.op_id));
      expect(rb).toMatchObject({ outcome: 'ACCEPTED', voucher: { status: 'REDEEMED', redemption: { redeemed_quantity: 1 } } });
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'REDEEMED', redemption: { redeemed_quantity: 1 } });
      const unknown = b.rollback(randomUUID());
      expect(await b.one(unknown)).toEqual({ op_id: unknown.op_id, outcome: 'REJECTED', reason: 'not_found' });
    });

    it('a rolled-back gift debit, then a redemption of the restored balance', async () => {
      const card = await createVoucher(hq, giftBody(1000));
      const t = await till();
      const debit = t.redeem(card.code, 1000);
      expect(await t.one(debit)).toMatchObject({ voucher: { gift: { balance: 0 }, status: 'REDEEMED' } });
      expect(await t.one(t.rollback(debit.op_id))).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 1000 }, status: 'ACTIVE' } });
      expect(await t.one(t.rollback(debit.op_id))).toMatchObject({ outcome: 'REJECTED', reason: 'already_rolled_back' });
      expect((await ledgerOf(card.code)).map((r) => [r.kind, r.amount])).toEqual([
        ['ISSUE', 1000],
        ['DEBIT', -1000],
        ['ROLLBACK', 1000],
      ]);
    });

    it('POST /v1/redemptions/{id}/rollback: 200, then 409 already_rolled_back; unknown → 404', async () => {
      const v = await createVoucher(hq, discountBody());
      const t = await till();
      const red = t.redeem(v.code, 1);
      await t.one(red);
      const url = `/v1/redemptions/${red.op_id}/rollback`;
      const ok = await hq.as(t.token, { method: 'POST', url });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toEqual({ id: red.op_id, status: 'ROLLED_BACK' });
      expect(await getVoucher(hq, v.code)).toMatchObject({ status: 'ACTIVE', redemption: { redeemed_quantity: 0 } });

      for (const send of [(o: object) => hq.as(t.token, o), (o: object) => hq.admin(o)]) {
        const again = await send({ method: 'POST', url });
        expect(again.statusCode).toBe(409);
        expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(again.json()).toMatchObject({ status: 409, code: 'already_rolled_back' });
      }
      // The op form agrees with the HTTP form.
      expect(await t.one(t.rollback(red.op_id))).toMatchObject({ outcome: 'REJECTED', reason: 'already_rolled_back' });
      expect(await getVoucher(hq, v.code)).toMatchObject({ redemption: { redeemed_quantity: 0 } });

      const unknown = await hq.admin({ method: 'POST', url: `/v1/redemptions/${randomUUID()}/rollback` });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ status: 404, code: 'not_found' });
      expect((await hq.admin({ method: 'POST', url: '/v1/redemptions/not-a-uuid/rollback' })).statusCode).toBe(400);
      expect((await hq.app.inject({ method: 'POST', url })).statusCode).toBe(401);

      // The admin may roll back too.
      const red2 = t.redeem(v.code, 1);
      await t.one(red2);
      expect((await hq.admin({ method: 'POST', url: `/v1/redemptions/${red2.op_id}/rollback` })).json()).toEqual({ id: red2.op_id, status: 'ROLLED_BACK' });
    });
  });

  describe('gift cards issued at a till from a leased code block', () => {
    // The GIFT_ISSUE tests lease their codes with SQL so that the op's own logic is tested whatever
    // the state of POST /v1/code-blocks (which has its own test below, end to end).
    const lease = async (t: TestTill, n = 1) => {
      const codes = Array.from({ length: n }, () => uniqueCode('L'));
      for (const code of codes) await query(hq, sql`INSERT INTO code_leases (code, till_id) VALUES (${code}, ${t.till_id}::uuid)`);
      return codes;
    };

    it('POST /v1/code-blocks leases distinct 8-character codes to a till only', async () => {
      const t = await till();
      const codes = await t.leaseCodes(5);
      expect(codes).toHaveLength(5);
      expect(new Set(codes).size).toBe(5);
      for (const c of codes) expect(c).toMatch(/^[A-Z0-9]{8}$/);
      const more = await t.leaseCodes(1000);
      expect(new Set([...codes, ...more]).size).toBe(1005);
      // A leased code is good for one GIFT_ISSUE of this till.
      expect(await t.one(t.issue(codes[0]!, 1000))).toMatchObject({ outcome: 'ACCEPTED', voucher: { code: codes[0], gift: { amount: 1000, balance: 1000 } } });

      const asAdmin = await hq.admin({ method: 'POST', url: '/v1/code-blocks', payload: { size: 5 } });
      expect(asAdmin.statusCode).toBe(403);
      expect(asAdmin.json()).toMatchObject({ status: 403, code: 'forbidden' });
      for (const size of [0, 1001, -1, 2.5, '5']) {
        const res = await hq.as(t.token, { method: 'POST', url: '/v1/code-blocks', payload: { size } });
        expect(res.statusCode, String(size)).toBe(400);
      }
      expect((await hq.app.inject({ method: 'POST', url: '/v1/code-blocks', payload: { size: 1 } })).statusCode).toBe(401);
    });

    it('GIFT_ISSUE with a leased code creates the gift card; the same code again is REJECTED', async () => {
      const t = await till();
      const [code] = await lease(t);
      const op = giftIssueOp(++t.seq, code!, 2500, 'EUR', '2026-05-01T12:30:00.000+02:00');
      const r = await t.one(op);
      expect(r).toMatchObject({ op_id: op.op_id, outcome: 'ACCEPTED', voucher: { code, type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 2500, balance: 2500 }, status: 'ACTIVE', discount: null } });
      const stored = await getVoucher(hq, code!);
      expect(stored).toMatchObject({ type: 'GIFT_VOUCHER', gift: { amount: 2500, balance: 2500 }, redemption: { quantity: null, redeemed_quantity: 0 } });
      // The result is the voucher as HQ now has it (what the change feed and GET return).
      expect(r.voucher).toEqual(stored);
      expect(await ledgerOf(code!)).toEqual([{ kind: 'ISSUE', amount: 2500, redemption_id: null }]);

      const again = giftIssueOp(++t.seq, code!, 9999);
      expect(await t.one(again)).toMatchObject({ op_id: again.op_id, outcome: 'REJECTED' });
      expect((await getVoucher(hq, code!))!.gift).toEqual({ amount: 2500, balance: 2500 });
      // The replay of the original issue still answers ACCEPTED.
      expect((await t.pushOk([op])).results[0]).toEqual(r);

      // Another till can spend it.
      const other = await till('other');
      expect(await other.one(other.redeem(code!, 500))).toMatchObject({ outcome: 'ACCEPTED', voucher: { gift: { balance: 2000 } } });
    });

    it('GIFT_ISSUE above HQ’s maximum (default 1,000.00) is REJECTED amount_exceeds_maximum; last_seq advances, the leased code stays usable', async () => {
      const t = await till();
      const [code] = await lease(t);
      const big = t.issue(code!, 100_001);
      const refused = await t.one(big);
      expect(refused).toEqual({ op_id: big.op_id, outcome: 'REJECTED', reason: 'amount_exceeds_maximum' });
      expect(await lastSeqOf(t.till_id)).toBe(1);
      expect(await getVoucher(hq, code!)).toBeUndefined();
      expect(await ledgerOf(code!)).toEqual([]);
      expect(await query(hq, sql`SELECT 1 FROM code_leases WHERE code = ${code} AND issued_at IS NULL`)).toHaveLength(1);
      expect((await t.pushOk([big])).results[0]).toEqual(refused);
      // The maximum itself is allowed, with the same code.
      expect(await t.one(t.issue(code!, 100_000))).toMatchObject({ outcome: 'ACCEPTED', voucher: { code, gift: { amount: 100_000, balance: 100_000 } } });
    });

    it('a code leased to another till, or never leased, is REJECTED code_not_leased', async () => {
      const [a, b] = [await till('A'), await till('B')];
      const [code] = await lease(a);
      const stolen = b.issue(code!, 1000);
      expect(await b.one(stolen)).toEqual({ op_id: stolen.op_id, outcome: 'REJECTED', reason: 'code_not_leased' });
      const never = b.issue(uniqueCode('NL'), 1000);
      expect(await b.one(never)).toEqual({ op_id: never.op_id, outcome: 'REJECTED', reason: 'code_not_leased' });
      expect(await getVoucher(hq, code!)).toBeUndefined();
      expect(await getVoucher(hq, (never.payload as { code: string }).code)).toBeUndefined();
      expect(await b.pushOk([b.redeem(uniqueCode(), 1)]).then((r) => r.last_seq)).toBe(3); // the rejections advanced last_seq
      // The rightful till still can.
      expect((await a.one(a.issue(code!, 1000))).outcome).toBe('ACCEPTED');
    });
  });

  describe('store credit: gift card top-ups', () => {
    it('GIFT_TOP_UP raises a gift card’s amount and balance, once: ledger TOP_UP row, the card in the answer and the feed, a replay answers the same', async () => {
      const card = await createVoucher(hq, giftBody(5000));
      const t = await till();
      expect(await t.one(t.redeem(card.code, 5000))).toMatchObject({ outcome: 'ACCEPTED', voucher: { status: 'REDEEMED', gift: { balance: 0 } } });
      const top = t.topUp(card.code, 1500, 'refund-1');
      const r = await t.one(top);
      expect(r).toMatchObject({ op_id: top.op_id, outcome: 'ACCEPTED', voucher: { code: card.code, status: 'ACTIVE', gift: { amount: 6500, balance: 1500 } } });
      expect(r.voucher).toEqual(await getVoucher(hq, card.code));
      expect(await ledgerOf(card.code)).toEqual([
        { kind: 'ISSUE', amount: 5000, redemption_id: null },
        { kind: 'DEBIT', amount: -5000, redemption_id: expect.any(String) },
        { kind: 'TOP_UP', amount: 1500, redemption_id: null },
      ]);
      expect((await t.pushOk([top])).results[0]).toEqual(r);
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 6500, balance: 1500 });
      const page = await t.pull(0);
      expect(page.vouchers.find((v) => v.code === card.code)).toEqual(r.voucher);
    });

    it('GIFT_TOP_UP is refused for a discount voucher, a cancelled card, an unknown code, above HQ’s maximum, and when malformed; each still takes its seq', async () => {
      const t = await till();
      const discount = await createVoucher(hq, discountBody());
      const cancelled = await createVoucher(hq, giftBody(2000));
      expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${cancelled.code}/cancel` })).statusCode).toBe(200);
      const ops = [t.topUp(discount.code, 100), t.topUp(cancelled.code, 100), t.topUp(uniqueCode('NO'), 100), t.topUp(cancelled.code, 100_001), { ...t.topUp(discount.code, 100), payload: { code: discount.code, amount: 0 } }];
      const { results, last_seq } = await t.pushOk(ops);
      expect(results.map((r) => [r.outcome, r.reason])).toEqual([
        ['REJECTED', 'not_a_gift_card'],
        ['REJECTED', 'cancelled'],
        ['REJECTED', 'not_found'],
        ['REJECTED', 'amount_exceeds_maximum'],
        ['REJECTED', 'invalid_op'],
      ]);
      expect(results[0]!.voucher).toEqual(await getVoucher(hq, discount.code)); // the till learns what it is
      expect(results[3]!.voucher).toEqual(await getVoucher(hq, cancelled.code)); // and the card as HQ has it
      expect(last_seq).toBe(5);
      expect(await ledgerOf(cancelled.code)).toEqual([{ kind: 'ISSUE', amount: 2000, redemption_id: null }]);
    });

    it('POST /v1/vouchers/{code}/top-up (admin) does what GIFT_TOP_UP does; refusals are problems', async () => {
      const card = await createVoucher(hq, giftBody(3000));
      const res = await hq.admin({ method: 'POST', url: `/v1/vouchers/${card.code.toLowerCase()}/top-up`, payload: { amount: 700 } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ code: card.code, gift: { amount: 3700, balance: 3700 } });
      expect(withoutAssets(res.json())).toEqual(await getVoucher(hq, card.code));
      expect(await ledgerOf(card.code)).toEqual([
        { kind: 'ISSUE', amount: 3000, redemption_id: null },
        { kind: 'TOP_UP', amount: 700, redemption_id: null },
      ]);
      const discount = await createVoucher(hq, discountBody());
      const refused = await hq.admin({ method: 'POST', url: `/v1/vouchers/${discount.code}/top-up`, payload: { amount: 700 } });
      expect([refused.statusCode, refused.json().code]).toEqual([409, 'not_a_gift_card']);
      expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${uniqueCode('NO')}/top-up`, payload: { amount: 700 } })).statusCode).toBe(404);
      for (const amount of [0, -5, 1.5, '700', Number.MAX_SAFE_INTEGER + 1]) {
        expect((await hq.admin({ method: 'POST', url: `/v1/vouchers/${card.code}/top-up`, payload: { amount } })).statusCode, String(amount)).toBe(400);
      }
      const past = await hq.admin({ method: 'POST', url: `/v1/vouchers/${card.code}/top-up`, payload: { amount: Number.MAX_SAFE_INTEGER } });
      expect([past.statusCode, past.json().code]).toEqual([409, 'amount_out_of_range']);
      const t = await till();
      expect((await hq.as(t.token, { method: 'POST', url: `/v1/vouchers/${card.code}/top-up`, payload: { amount: 700 } })).statusCode).toBe(403);
      expect((await getVoucher(hq, card.code))!.gift).toEqual({ amount: 3700, balance: 3700 });
    });
  });

  describe('hostile input and auth', () => {
    it('SQL-looking input is stored verbatim and harmless', async () => {
      const evil = "'; DROP TABLE vouchers; --";
      const v = await createVoucher(hq, discountBody({ redemption: { quantity: null }, metadata: { note: evil, [evil]: `"${evil}` }, label: evil }));
      const t = await till(evil);
      const op = t.redeem(v.code, 1, { ticket_id: evil });
      expect((await t.one(op)).outcome).toBe('ACCEPTED');
      const list = await redemptionsOf(v.code);
      expect(list.result[0]).toMatchObject({ id: op.op_id, ticket_id: evil });
      expect(await getVoucher(hq, v.code)).toMatchObject({ label: evil, metadata: { note: evil, [evil]: `"${evil}` } });
      const [n] = await query<{ n: string | number }>(hq, sql`SELECT count(*) AS n FROM vouchers`);
      expect(Number(n!.n)).toBeGreaterThan(0);
      const [row] = await query<{ ticket_id: string }>(hq, sql`SELECT ticket_id FROM redemptions WHERE id = ${op.op_id}::uuid`);
      expect(row!.ticket_id).toBe(evil);
    });

    it('push needs a till token: none → 401, unknown → 401, admin → 403', async () => {
      const payload = { ops: [redemptionOp(1, uniqueCode(), 1)] };
      const none = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', payload });
      expect(none.statusCode).toBe(401);
      expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await hq.as('till_not_a_real_token', { method: 'POST', url: '/v1/sync/push', payload })).statusCode).toBe(401);
      const admin = await hq.admin({ method: 'POST', url: '/v1/sync/push', payload });
      expect(admin.statusCode).toBe(403);
      expect(admin.json()).toMatchObject({ status: 403, code: 'forbidden' });
    });
  });
});

// HQ_MAX_GIFT_ISSUE reaches the push through buildServer's options.
describe.each(BACKENDS)('HQ push with a configured gift-issue maximum on %s', (backend: Backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend, { maxGiftIssue: 2500 });
  }, 60_000);
  afterAll(async () => hq?.close());

  it('a GIFT_ISSUE above it is REJECTED amount_exceeds_maximum, one at it is ACCEPTED, in one batch', async () => {
    const t = await TestTill.create(hq);
    const codes = [uniqueCode('L'), uniqueCode('L')];
    for (const code of codes) await query(hq, sql`INSERT INTO code_leases (code, till_id) VALUES (${code}, ${t.till_id}::uuid)`);
    const { results, last_seq } = await t.pushOk([t.issue(codes[0]!, 2501), t.issue(codes[1]!, 2500), t.issue(codes[0]!, 1)]);
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ['REJECTED', 'amount_exceeds_maximum'],
      ['ACCEPTED', undefined],
      ['ACCEPTED', undefined],
    ]);
    expect(last_seq).toBe(3);
    expect((await getVoucher(hq, codes[0]!))!.gift).toEqual({ amount: 1, balance: 1 });
    expect((await getVoucher(hq, codes[1]!))!.gift).toEqual({ amount: 2500, balance: 2500 });
  });
});

// A restart between two pushes: last_seq, stored results and till tokens live in the database.
describe.each(BACKENDS)('HQ push across a restart on %s', (backend: Backend) => {
  it('keeps last_seq, replays and till tokens', async () => {
    let dir: string | undefined;
    let own: { url: string; drop: () => Promise<void> } | undefined;
    let options: { dataDir?: string; url?: string };
    if (backend === 'pglite') {
      dir = await mkdtemp(path.join(tmpdir(), 'vt-hq-restart-'));
      options = { dataDir: dir };
    } else {
      own = await ownPostgresDatabase(); // the harness drops only databases it created itself
      options = { url: own.url };
    }
    try {
      const first = await startHq(backend, options);
      let t: TestTill;
      let code: string;
      let batch: WireOp[];
      let answer: PushResponse;
      try {
        t = await TestTill.create(first);
        code = (await createVoucher(first, discountBody({ redemption: { quantity: 5 } }))).code;
        batch = [t.redeem(code, 1), t.redeem(code, 1)];
        answer = await t.pushOk(batch);
        expect(answer.last_seq).toBe(2);
      } finally {
        await first.close();
      }

      const second = await startHq(backend, options);
      try {
        const t2 = new TestTill(second, t.till_id, t.token);
        t2.seq = 2;
        expect(await t2.pushOk(batch)).toEqual(answer); // replays survive
        const gap = await t2.push([redemptionOp(4, code, 1)]);
        expect(gap.statusCode).toBe(409); // last_seq survived: 3 is next
        const next = await t2.pushOk([t2.redeem(code, 1)]);
        expect(next).toMatchObject({ last_seq: 3, results: [{ outcome: 'ACCEPTED', voucher: { redemption: { redeemed_quantity: 3 } } }] });
        const changes = await second.as(t.token, { method: 'GET', url: '/v1/sync/changes' });
        expect(changes.json().last_seq).toBe(3);
      } finally {
        await second.close();
      }
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
      await own?.drop();
    }
  }, 60_000);
});

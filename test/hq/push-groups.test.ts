// Group commit (hq/push/pusher.ts, hq/db/functions/push_group.sql): pushes that wait while others are in the
// database go together as one transaction. The rule it must keep: a push's answer, and what it does
// to HQ's data, are those it would have had alone, after the pushes queued before it.
//
// The differential property runs the same pushes twice, on two HQs with the same vouchers: grouped
// (everything queued at once behind one statement in flight) and alone (one push at a time, awaited),
// and requires the same answers, errors and rows. One difference is allowed and checked as such: a
// push that draws no change number (a replay, a refusal) names the committed head as its checkpoint,
// which in a group may already include the pushes after it in that group.
//
// Winners: a CONFLICT names the ACTIVE ACCEPTED redemption of its voucher that HQ applied last, whatever
// the tills' clocks say (push_ops.sql), so a group and one push at a time name the same one.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../hq/db/connect';
import { applyPush, type PushPath } from '../../hq/push/apply-push';
import { createPusher, type GroupOptions } from '../../hq/push/pusher';
import { HqError } from '../../hq/hq-error';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { createVoucher, discountBody, giftBody, query, redemptionOp, type WireOp } from './helpers';

const TILLS = 4;
const dialect = new PgDialect();

/** A push as a test writes it: by till index (TILLS: a till HQ does not know). */
type Intent =
  | { till: number; kind: 'redeem'; ops: { code: number; amount: number }[] }
  | { till: number; kind: 'gap' | 'replay' | 'invalid' };

const intentArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ till: fc.integer({ min: 0, max: TILLS - 1 }), kind: fc.constant('redeem' as const), ops: fc.array(fc.record({ code: fc.integer({ min: 0, max: 5 }), amount: fc.integer({ min: 0, max: 3000 }) }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ till: fc.integer({ min: 0, max: TILLS }), kind: fc.constantFrom('gap' as const, 'replay' as const, 'invalid' as const) }) },
);

/** The wire pushes of `intents`, the same for both HQs (op_ids included): tills count their own seqs. */
function wirePushes(intents: Intent[], codes: string[], start: number): { till: number; ops: WireOp[] }[] {
  const seq = Array.from({ length: TILLS + 1 }, () => 0);
  const last = new Map<number, WireOp[]>();
  return intents.map((intent, i) => {
    const at = new Date(start - i * 1000).toISOString(); // clocks running backwards: winners do not follow them
    let ops: WireOp[];
    if (intent.kind === 'redeem') ops = intent.ops.map((o) => redemptionOp(++seq[intent.till]!, codes[o.code]!, o.amount, { occurred_at: at }));
    else if (intent.kind === 'gap') ops = [redemptionOp(seq[intent.till]! + 2, codes[0]!, 100, { occurred_at: at })];
    else if (intent.kind === 'invalid') ops = [{ op_id: randomUUID(), seq: ++seq[intent.till]!, type: 'REDEMPTION', occurred_at: at, payload: { ticket_id: 't' } }];
    else ops = last.get(intent.till) ?? [redemptionOp(++seq[intent.till]!, codes[1]!, 0, { occurred_at: at })];
    last.set(intent.till, ops);
    return { till: intent.till, ops };
  });
}

/** `base`: the change number drawn last before the pushes (each side's sequence has its own past). */
type Side = { hq: Hq; tills: string[]; path: PushPath; stats: { statements: string[] }; base: number };

/** The pusher's db, counting the statements it sends (a group is one). */
function counting(db: Db, statements: string[]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'execute') return Reflect.get(target, prop, receiver);
      return (q: SQL) => {
        statements.push(dialect.sqlToQuery(q).sql);
        return target.execute(q);
      };
    },
  });
}

async function side(hq: Hq, codes: string[], group: GroupOptions): Promise<Side> {
  for (const [i, code] of codes.entries()) {
    // single-use, three uses, unlimited, gift cards of 50.00 and 20.00, and one cancelled
    const body = [discountBody({ code }), discountBody({ code, redemption: { quantity: 3 } }), discountBody({ code, redemption: { quantity: null } }), giftBody(5000, { code }), giftBody(2000, { code }), discountBody({ code })][i]!;
    await createVoucher(hq, body);
  }
  const cancel = await hq.admin({ method: 'POST', url: `/v1/vouchers/${codes[5]}/cancel` });
  expect(cancel.statusCode, cancel.body).toBe(200);
  const tills = [...(await Promise.all(Array.from({ length: TILLS }, (_, i) => hq.newTill(`Group ${i}`)))).map((t) => t.till_id), randomUUID()];
  const stats = { statements: [] as string[] };
  const [seq] = await query<{ last_value: string | number }>(hq, sql`SELECT last_value FROM change_seq`);
  return { hq, tills, stats, base: Number(seq!.last_value), path: { db: hq.ctx.db, pusher: createPusher(counting(hq.ctx.db, stats.statements), group), policy: { maxGiftIssue: 100_000 } } };
}

type Outcome = { ok: string; checkpoint: number } | { error: string };

/** A push's answer with till ids as indexes (the two HQs registered different ids), checkpoint apart. */
function outcome(s: Side, settled: PromiseSettledResult<string>): Outcome {
  if (settled.status === 'rejected') {
    const e = settled.reason as unknown;
    if (e instanceof HqError) return { error: `${e.status} ${e.code}` };
    throw e;
  }
  const { checkpoint, ...rest } = JSON.parse(settled.value) as { checkpoint: string };
  return { ok: anonymous(s, JSON.stringify(rest)), checkpoint: Number(checkpoint) - s.base };
}

/** Text with till ids as indexes, and the times HQ's clock wrote (when a voucher was made or last written) blanked. */
function anonymous(s: Side, text: string): string {
  return s.tills.reduce((t, id, i) => t.replaceAll(id, `till#${i}`), text).replace(/(\\?")(created_at|updated_at)\1:\1[^"\\]*\1/g, '$1$2$1:$1(HQ clock)$1'); // also inside stored results (JSON in JSON)
}

/**
 * What the pushes left in HQ's tables, for these codes and tills, with till ids as indexes. A voucher's
 * change number is given as the push that drew it (`owner`): which of one push's vouchers gets which
 * of its numbers is up to the plan of its one UPDATE (they commit together; no reader can tell).
 */
async function rows(s: Side, codes: string[], owner: (n: number) => number): Promise<string> {
  const list = JSON.stringify(codes);
  const ids = JSON.stringify(s.tills.slice(0, TILLS));
  const codeSet = sql`(SELECT jsonb_array_elements_text(${list}::jsonb))`;
  const vouchers = (await query<{ change_seq: string | number }>(s.hq, sql`SELECT code, status, redeemed_quantity, gift_balance, used_at, change_seq FROM vouchers WHERE code IN ${codeSet} ORDER BY code`)).map(
    ({ change_seq, ...v }) => ({ ...v, written_by: owner(Number(change_seq) - s.base) }),
  );
  const redemptions = await query(s.hq, sql`SELECT id, code, till_id, ticket_id, amount, outcome, reason, winner, overdraft, occurred_at, status FROM redemptions WHERE code IN ${codeSet} ORDER BY id`);
  const ledger = await query(s.hq, sql`SELECT code, kind, amount, redemption_id FROM gift_ledger WHERE code IN ${codeSet} ORDER BY id`);
  const ops = await query(s.hq, sql`SELECT op_id, till_id, seq, type, outcome, result FROM ops WHERE till_id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb)) ORDER BY op_id`);
  const tills = await query(s.hq, sql`SELECT id, last_seq FROM tills WHERE id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb)) ORDER BY name`);
  return anonymous(s, JSON.stringify({ vouchers, redemptions, ledger, ops, tills }));
}

describe.each(BACKENDS)('group commit of pushes on %s', (backend) => {
  let grouped: Hq;
  let alone: Hq;
  beforeAll(async () => {
    [grouped, alone] = await Promise.all([startHq(backend), startHq(backend)]);
  }, 60_000);
  afterAll(async () => Promise.all([grouped?.close(), alone?.close()]));

  const push = (s: Side, p: { till: number; ops: WireOp[] }) => applyPush(s.path, s.tills[p.till]!, { ops: p.ops } as never, () => {});

  it('answers and stores exactly what the same pushes one at a time would (fast-check)', async () => {
    let groupsSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(intentArb, { minLength: 2, maxLength: 14 }), fc.integer({ min: 2, max: 8 }), async (intents, maxPushes) => {
        const codes = Array.from({ length: 6 }, (_, i) => `GRP-${randomUUID().slice(0, 8).toUpperCase()}-${i}`);
        const a = await side(grouped, codes, { maxInFlight: 1, maxPushes });
        const b = await side(alone, codes, { maxPushes: 1 });
        const pushes = wirePushes(intents, codes, Date.parse('2026-11-30T10:00:00Z'));
        // Grouped: all at once, so all but the first queue behind it and go as groups.
        const inGroups = await Promise.allSettled(pushes.map((p) => push(a, p)));
        const oneByOne: PromiseSettledResult<string>[] = [];
        for (const p of pushes) oneByOne.push(...(await Promise.allSettled([push(b, p)])));
        const got = inGroups.map((r) => outcome(a, r));
        const want = oneByOne.map((r) => outcome(b, r));
        for (const [i, w] of want.entries()) {
          const g = got[i]!;
          if ('error' in w) expect(g, `push ${i}`).toEqual(w);
          else {
            expect('ok' in g && g.ok, `push ${i}`).toBe(w.ok);
            expect('checkpoint' in g && g.checkpoint, `push ${i} checkpoint`).toBeGreaterThanOrEqual(w.checkpoint);
          }
        }
        // Push i drew the numbers above the checkpoints before it, up to its own (one at a time, each
        // checkpoint is the push's highest number, or the head if it drew none); -1: before them (the vouchers' making).
        const owner = (n: number) => (n <= 0 ? -1 : want.findIndex((w) => 'checkpoint' in w && w.checkpoint >= n));
        expect(await rows(a, codes, owner)).toBe(await rows(b, codes, owner));
        groupsSeen += a.stats.statements.filter((q) => q.includes('push_group')).length;
      }),
      { numRuns: 12 },
    );
    // The property is about groups: they must have happened.
    expect(groupsSeen).toBeGreaterThan(0);
  }, 180_000);

  it('a push refused as a whole (seq gap, unknown till) is refused alone; the group around it commits', async () => {
    const codes = Array.from({ length: 6 }, (_, i) => `GRP-${randomUUID().slice(0, 8).toUpperCase()}-${i}`);
    const s = await side(grouped, codes, { maxInFlight: 1, maxPushes: 8 });
    const pushes = [
      { till: 0, ops: [redemptionOp(1, codes[3]!, 100)] }, // alone: the statement in flight
      { till: 1, ops: [redemptionOp(1, codes[0]!, 0)] },
      { till: 2, ops: [redemptionOp(3, codes[2]!, 0)] }, // a gap: seq 1 expected
      { till: TILLS, ops: [redemptionOp(1, codes[2]!, 0)] }, // nobody HQ knows
      { till: 3, ops: [redemptionOp(1, codes[4]!, 700)] },
    ];
    const settled = await Promise.allSettled(pushes.map((p) => push(s, p)));
    expect(settled.map((r) => (r.status === 'fulfilled' ? (JSON.parse(r.value) as { results: { outcome: string }[] }).results[0]!.outcome : `${(r.reason as HqError).status} ${(r.reason as HqError).code}`))).toEqual([
      'ACCEPTED',
      'ACCEPTED',
      '409 seq_gap',
      '401 unknown_till',
      'ACCEPTED',
    ]);
    expect(s.stats.statements.filter((q) => q.includes('push_group'))).toHaveLength(1);
    const stored = await query<{ till_id: string }>(s.hq, sql`SELECT till_id FROM ops WHERE till_id = ANY(${`{${s.tills.slice(0, TILLS).join(',')}}`}::uuid[])`);
    expect(stored.map((r) => s.tills.indexOf(r.till_id)).sort()).toEqual([0, 1, 3]);
  }, 60_000);

  it('a group that fails for any other reason sends each of its pushes again alone: one push cannot fail the others', async () => {
    const codes = Array.from({ length: 6 }, (_, i) => `GRP-${randomUUID().slice(0, 8).toUpperCase()}-${i}`);
    const s = await side(grouped, codes, { maxInFlight: 1, maxPushes: 8 });
    const statements: string[] = [];
    // The group statement fails as a database fault would (an error no push is refused with).
    const failing = new Proxy(grouped.ctx.db, {
      get(target, prop, receiver) {
        if (prop !== 'execute') return Reflect.get(target, prop, receiver);
        return (q: SQL) => {
          const text = dialect.sqlToQuery(q).sql;
          statements.push(text);
          return text.includes('push_group') ? Promise.reject(Object.assign(new Error('disk full'), { code: '53100' })) : target.execute(q);
        };
      },
    });
    const path = { ...s.path, pusher: createPusher(failing, { maxInFlight: 1, maxPushes: 8 }) };
    const pushes = [0, 1, 2, 3].map((till) => ({ till, ops: [redemptionOp(1, codes[3]!, 100)] }));
    const answers = await Promise.all(pushes.map((p) => applyPush(path, s.tills[p.till]!, { ops: p.ops } as never, () => {})));
    expect(answers.map((a) => (JSON.parse(a) as { results: { outcome: string }[] }).results[0]!.outcome)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
    // One alone, then the group of three (failed), then those three alone.
    expect(statements.map((q) => (q.includes('push_group') ? 'group' : 'alone'))).toEqual(['alone', 'group', 'alone', 'alone', 'alone']);
    const [card] = await query<{ gift_balance: string | number }>(s.hq, sql`SELECT gift_balance FROM vouchers WHERE code = ${codes[3]!}`);
    expect(Number(card!.gift_balance)).toBe(5000 - 4 * 100);
  }, 60_000);
});

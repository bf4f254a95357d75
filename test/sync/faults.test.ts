// The till's sync under every fault the network can inject, against a real HQ (PGlite, loopback
// HTTP): a sync under the fault, then healing and syncing to quiescence. Nothing may be lost or
// doubled, the outbox must drain, every replica must equal HQ, and the till's status must say what
// happened (online:false with lastError for network-ish faults, online:true again afterwards).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { always, createFaultFetch, FAULT_KINDS, holdFault, isChanges, isPush, NONE, scripted, seededPlan, type Fault, type FaultKind } from '../../testkit/fault-fetch';
import { hqRows, newFaultyTill, plain, type FaultyTill } from '../../testkit/sim/tills';
import { checkQuiescent, collectOps, syncToQuiescence, type OpLog } from '../../testkit/sim/invariants';
import { giftCard, sell, singleUse, ticketOf } from '../../testkit/sim/shop';
import type { Timers } from '../../sync/engine/sync-engine';
import { createHqClient } from '../../sync/engine/hq-client';
import { SyncError } from '../../sync/engine/sync-error';
import { getVoucher } from '../../sync/replica/voucher-store';

/** The fault each kind is tested with, and what the till must report after the faulty cycle. */
const CASES: Record<Exclude<FaultKind, 'stall'>, { fault: Fault; fails: false | { reason: string; online: boolean | 'unchanged' }; reachesHq: number }> = {
  none: { fault: NONE, fails: false, reachesHq: 1 },
  'drop-request': { fault: { kind: 'drop-request' }, fails: { reason: 'network', online: false }, reachesHq: 0 },
  'drop-response': { fault: { kind: 'drop-response' }, fails: { reason: 'network', online: false }, reachesHq: 1 },
  duplicate: { fault: { kind: 'duplicate' }, fails: false, reachesHq: 2 },
  delay: { fault: { kind: 'delay', ms: 50 }, fails: false, reachesHq: 1 },
  'server-error': { fault: { kind: 'server-error', status: 502 }, fails: { reason: 'server', online: false }, reachesHq: 0 },
  'rate-limit': { fault: { kind: 'rate-limit', retryAfterSeconds: 30 }, fails: { reason: 'rate-limited', online: 'unchanged' }, reachesHq: 0 },
  truncate: { fault: { kind: 'truncate', mode: 'short', keep: 0.5 }, fails: { reason: 'invalid-schema', online: 'unchanged' }, reachesHq: 1 },
  'wrong-shape': { fault: { kind: 'wrong-shape', real: true }, fails: { reason: 'invalid-schema', online: 'unchanged' }, reachesHq: 1 },
};

/** More variants of the faults that have them. */
const VARIANTS: { name: string; fault: Fault; fails: false | { reason: string; online: boolean | 'unchanged' }; reachesHq: number }[] = [
  { name: 'duplicate sent concurrently', fault: { kind: 'duplicate', concurrent: true }, fails: false, reachesHq: 2 },
  { name: 'delay of the answer', fault: { kind: 'delay', ms: 50, where: 'after' }, fails: false, reachesHq: 1 },
  { name: '500', fault: { kind: 'server-error', status: 500 }, fails: { reason: 'server', online: false }, reachesHq: 0 },
  { name: 'body stream breaks mid-way', fault: { kind: 'truncate', mode: 'broken', keep: 0.3 }, fails: { reason: 'network', online: false }, reachesHq: 1 },
  { name: 'empty body', fault: { kind: 'truncate', mode: 'short', keep: 0 }, fails: { reason: 'invalid-schema', online: 'unchanged' }, reachesHq: 1 },
  { name: 'wrong shape without reaching HQ', fault: { kind: 'wrong-shape', real: false }, fails: { reason: 'invalid-schema', online: 'unchanged' }, reachesHq: 0 },
  { name: 'well-formed answer that answers none of the ops', fault: { kind: 'wrong-shape', real: true, variant: 'empty-results' }, fails: { reason: 'invalid-schema', online: 'unchanged' }, reachesHq: 1 },
];

/** Everything the till stores, to prove a failed cycle changed nothing. */
async function snapshot(till: FaultyTill) {
  const db = till.db;
  const [vouchers, voucherChunks, tickets, redemptions, outbox, conflicts, codeLeases, meta] = await Promise.all([
    db.vouchers.toArray(), db.voucherChunks.toArray(), db.tickets.toArray(), db.redemptions.toArray(), db.outbox.toArray(), db.conflicts.toArray(), db.codeLeases.toArray(), db.meta.toArray(),
  ]);
  // sent_seq is written before a push goes out, answered or not: it records the attempt, which is its
  // purpose (sync/replica/meta.ts, sent_seq); pushUnder checks it where an answer went missing.
  return plain({ vouchers, voucherChunks, tickets, redemptions, outbox, conflicts, codeLeases, meta: meta.filter((row) => row.key !== 'sent_seq') });
}

async function opsAtHq(hq: LiveHq, tillId: string): Promise<number> {
  const rows = await hqRows<{ n: string | number }>(hq, sql`SELECT count(*) AS n FROM ops WHERE till_id = ${tillId}::uuid`);
  return Number(rows[0]?.n ?? 0);
}

describe('till sync under injected faults (real HQ, loopback HTTP)', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
  }, 120_000);
  afterAll(async () => hq?.close());

  /**
   * Two tills, a single-use voucher D and a gift card G (50.00). A: D+G on a 20.00 ticket (G pays
   * 17.00) and sells a new gift card; B: D+G on the same ticket, then refunds it. B's D conflicts or
   * is rolled back; G ends at 50.00 − 17.00 whatever the order.
   */
  async function scene() {
    const d = await singleUse(hq);
    const g = await giftCard(hq, 5000);
    const a = await newFaultyTill(hq, { name: 'A' });
    const b = await newFaultyTill(hq, { name: 'B' });
    await Promise.all([a.initialLoad(), b.initialLoad()]);
    const log: OpLog = new Map();
    const ticket = ticketOf([{ quantity: 1, unit_price: 2000 }]);
    const saleA = await sell(a, [d.code, g.code], ticket);
    expect(saleA?.applied).toEqual([d.code, g.code]);
    const card = await a.issueGiftCard(2500);
    await a.net.idle(); // the background code-lease top-up, if any
    await collectOps(a, log);
    const saleB = await sell(b, [d.code, g.code], ticket);
    expect(saleB?.applied).toEqual([d.code, g.code]);
    await b.refundTicket(saleB!.row.id);
    await collectOps(b, log);
    expect(log.size).toBe(3 + 4);
    const expectations = {
      discounts: new Map([[d.code, 1]]),
      gifts: new Set([g.code, card.code]),
      giftBalances: new Map([[g.code, 5000 - 1700], [card.code, 2500]]),
    };
    return { a, b, d, g, card, log, expectations };
  }

  async function pushUnder(name: string, c: { fault: Fault; fails: false | { reason: string; online: boolean | 'unchanged' }; reachesHq: number }) {
    const { a, b, log, expectations } = await scene();
    // B goes first half the time so A's ops meet both orders at HQ.
    if (name.length % 2) await b.syncNow();
    const before = await snapshot(a);
    const onlineBefore = a.status().online;
    a.net.setPlan(scripted([c.fault], { match: isPush }));
    const status = await a.syncNow();
    const pushCall = a.net.calls.find(isPush)!;
    expect(pushCall.fault).toEqual(c.fault);
    expect(pushCall.reachedHq).toBe(c.reachesHq);
    // HQ committed the batch exactly when the request reached it, however often it did.
    expect(await opsAtHq(hq, a.tillId)).toBe(c.reachesHq > 0 ? 3 : 0);
    if (c.fails) {
      expect(status.lastError).toMatchObject({ reason: c.fails.reason });
      expect(status.online).toBe(c.fails.online === 'unchanged' ? onlineBefore : c.fails.online);
      expect(status.pendingOps).toBe(3);
      // The till applied nothing of a cycle whose answer it did not get whole — but knows that the
      // ops may have reached HQ, so no stream page is rebased on them (they may be in it already).
      expect(await snapshot(a)).toEqual(before);
      expect((await a.db.meta.get('sent_seq'))?.value).toBe(3);
    } else {
      expect(status).toMatchObject({ online: true, lastError: null, pendingOps: 0 });
    }
    a.net.setPlan(() => NONE);
    await syncToQuiescence([a, b]);
    expect(a.status()).toMatchObject({ online: true, lastError: null, pendingOps: 0 });
    await checkQuiescent(hq, [a, b], log, expectations);
    await Promise.all([a.close(), b.close()]);
  }

  describe('a push under each fault, then healing', () => {
    it.each(FAULT_KINDS)('%s', (kind) => pushUnder(kind, CASES[kind as keyof typeof CASES]), 30_000);
    it.each(VARIANTS)('$name', (v) => pushUnder(v.name, v), 30_000);
  });

  describe('a pull under each fault, then healing', () => {
    it.each(FAULT_KINDS)('%s', async (kind) => {
      const c = CASES[kind as keyof typeof CASES];
      const { a, b, log, expectations } = await scene();
      await a.syncNow();
      await b.syncNow(); // B's ops change D and G: A has something to pull
      expect(await a.db.outbox.count()).toBe(0);
      const before = await snapshot(a);
      a.net.setPlan(scripted([c.fault], { match: isChanges }));
      const status = await a.syncNow();
      expect(a.net.calls.filter(isPush)).toHaveLength(1); // the empty outbox was not pushed again
      if (c.fails) {
        expect(status.lastError).toMatchObject({ reason: c.fails.reason });
        if (c.fails.online === false) expect(status.online).toBe(false);
        expect(await snapshot(a)).toEqual(before); // no page, no checkpoint
      } else {
        expect(status).toMatchObject({ online: true, lastError: null });
      }
      a.net.setPlan(() => NONE);
      await syncToQuiescence([a, b]);
      await checkQuiescent(hq, [a, b], log, expectations);
      await Promise.all([a.close(), b.close()]);
    }, 30_000);
  });

  it('5xx three times in a row: offline with the error each time, HQ never reached, then one clean sync applies everything once', async () => {
    const { a, b, log, expectations } = await scene();
    a.net.setPlan(scripted([{ kind: 'server-error', status: 500 }, { kind: 'server-error', status: 502 }, { kind: 'server-error', status: 500 }]));
    const seen: (boolean | null)[] = [];
    a.subscribe((s) => seen.push(s.online));
    const from = a.net.calls.length;
    for (let i = 0; i < 3; i++) expect(await a.syncNow()).toMatchObject({ online: false, lastError: { reason: 'server' }, pendingOps: 3 });
    expect(a.net.calls.slice(from).map((c) => [c.path, c.reachedHq])).toEqual([['/v1/sync/push', 0], ['/v1/sync/push', 0], ['/v1/sync/push', 0]]);
    expect(await opsAtHq(hq, a.tillId)).toBe(0);
    expect(await a.syncNow()).toMatchObject({ online: true, lastError: null, pendingOps: 0 });
    expect(seen[0]).toBe(true);
    expect(seen).toContain(false);
    expect(seen.at(-1)).toBe(true);
    await syncToQuiescence([a, b]);
    await checkQuiescent(hq, [a, b], log, expectations);
    await Promise.all([a.close(), b.close()]);
  }, 30_000);

  it('offline for a while: every sync fails without reaching HQ; back online, one sync applies everything once', async () => {
    const { a, b, log, expectations } = await scene();
    a.net.offline = true;
    for (let i = 0; i < 3; i++) expect(await a.syncNow()).toMatchObject({ online: false, lastError: { reason: 'network' }, pendingOps: 3 });
    a.net.offline = false;
    expect(await a.syncNow()).toMatchObject({ online: true, lastError: null, pendingOps: 0 });
    await syncToQuiescence([a, b]);
    await checkQuiescent(hq, [a, b], log, expectations);
    await Promise.all([a.close(), b.close()]);
  }, 30_000);

  it('reordering: the till that sent first but was delayed arrives second and loses the single-use voucher', async () => {
    const d = await singleUse(hq);
    const a = await newFaultyTill(hq, { name: 'A' });
    const b = await newFaultyTill(hq, { name: 'B' });
    await Promise.all([a.initialLoad(), b.initialLoad()]);
    const log: OpLog = new Map();
    const ticket = ticketOf([{ quantity: 1, unit_price: 1000 }]);
    for (const till of [a, b]) {
      expect((await sell(till, [d.code], ticket))?.applied).toEqual([d.code]);
      await collectOps(till, log);
    }
    // A's push leaves first and is held on the way until B's has been answered.
    const hold = holdFault();
    a.net.setPlan(scripted([hold.fault], { match: isPush }));
    const first = a.syncNow();
    await hold.held;
    await b.syncNow();
    hold.release();
    await first;
    const [winner, ...others] = await hqRows<{ till_id: string }>(hq, sql`SELECT till_id::text AS till_id FROM redemptions WHERE code = ${d.code} AND outcome = 'ACCEPTED'`);
    expect(others).toEqual([]);
    expect(winner?.till_id).toBe(b.tillId);
    expect(await a.conflicts()).toMatchObject([{ code: d.code, reason: 'quantity_exceeded', winner: { till_id: b.tillId } }]);
    await syncToQuiescence([a, b]);
    await checkQuiescent(hq, [a, b], log, { discounts: new Map([[d.code, 1]]), gifts: new Set() });
    await Promise.all([a.close(), b.close()]);
  }, 30_000);

  it('a push answer lost, a pull, then the replay: the replayed (old) answer does not roll the replica back', async () => {
    // A's debit of G reaches HQ but the answer is lost; A pulls (G now includes its debit), B debits
    // G and A pulls that too; then A's push is replayed and HQ returns the result it stored back
    // then, with G as it was before B's debit. The replica must keep the newer state.
    const g = await giftCard(hq, 5000);
    const a = await newFaultyTill(hq, { name: 'A' });
    const b = await newFaultyTill(hq, { name: 'B' });
    await Promise.all([a.initialLoad(), b.initialLoad()]);
    const log: OpLog = new Map();
    const ticket = ticketOf([{ quantity: 1, unit_price: 1000 }]);
    await sell(a, [g.code], ticket);
    await collectOps(a, log);
    a.net.setPlan(scripted([{ kind: 'drop-response' }], { match: isPush }));
    expect(await a.syncNow()).toMatchObject({ online: false, pendingOps: 1 });
    a.net.setPlan(() => NONE);
    await a.engine.pullAll();
    await sell(b, [g.code], ticket);
    await collectOps(b, log);
    await b.syncNow();
    await a.engine.pullAll();
    expect((await getVoucher(a.db, g.code))?.gift?.balance).toBe(3000);
    await a.syncNow(); // the replay
    expect((await getVoucher(a.db, g.code))?.gift?.balance).toBe(3000);
    await syncToQuiescence([a, b]);
    await checkQuiescent(hq, [a, b], log, { discounts: new Map(), gifts: new Set([g.code]), giftBalances: new Map([[g.code, 3000]]) });
    await Promise.all([a.close(), b.close()]);
  }, 30_000);

  it('a seeded plan of every fault kind is reproducible, and ten syncs under it then one healthy round leave everything consistent', async () => {
    const info = (index: number) => ({ index, method: 'POST', path: '/v1/sync/push', url: 'http://hq/v1/sync/push' });
    const draw = (seed: number) => {
      const plan = seededPlan(seed, { rate: 0.5 });
      return Array.from({ length: 200 }, (_, i) => plan(info(i)));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(new Set(draw(42).map((f) => f.kind))).toEqual(new Set(['none', ...FAULT_KINDS]));

    const { a, b, log, expectations } = await scene();
    a.net.setPlan(seededPlan(20_26, { rate: 0.6 }));
    b.net.setPlan(seededPlan(20_27, { rate: 0.6 }));
    for (let i = 0; i < 10; i++) await Promise.all([a.syncNow(), b.syncNow()]);
    const faults = [...a.net.calls, ...b.net.calls].filter((c) => c.fault.kind !== 'none').length;
    expect(faults).toBeGreaterThan(5);
    a.net.setPlan(() => NONE);
    b.net.setPlan(() => NONE);
    await syncToQuiescence([a, b]);
    await checkQuiescent(hq, [a, b], log, expectations);
    await Promise.all([a.close(), b.close()]);
  }, 30_000);

  describe('a connection that hangs: the client times out instead of waiting forever', () => {
    // openTill's client waits 15 s; a client of its own with a short timeout shows the same code path.
    async function clientUnder(fault: Fault) {
      const till = await newFaultyTill(hq);
      const net = createFaultFetch({ plan: always(fault, isChanges) });
      const client = createHqClient({ baseUrl: hq.url, token: till.token, fetch: net.fetch, timeoutMs: 300 });
      const started = Date.now();
      const error = await client.changes('0', 50).then(() => null, (e: unknown) => e);
      await till.close();
      return { error, ms: Date.now() - started, net };
    }

    it('before the headers', async () => {
      const { error, ms } = await clientUnder({ kind: 'stall', where: 'headers' });
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ reason: 'timeout' });
      expect(ms).toBeLessThan(5_000);
    });

    it('in the middle of the body (HQ answered, the rest of the answer never arrives)', async () => {
      const { error, ms, net } = await clientUnder({ kind: 'stall', where: 'body' });
      expect(net.calls[0]?.reachedHq).toBe(1);
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ reason: 'timeout' });
      expect(ms).toBeLessThan(5_000);
    }, 10_000);
  });

  it('429 with Retry-After: the engine schedules its retry no sooner than HQ asked', async () => {
    const clock = { now: 1_700_000_000_000 };
    const scheduled: number[] = [];
    const timers: Timers = { setTimeout: (_fn, ms) => scheduled.push(ms), clearTimeout: () => {} };
    const net = createFaultFetch({ plan: always({ kind: 'rate-limit', retryAfterSeconds: 120 }, isPush) });
    const a = await newFaultyTill(hq, { net, now: () => clock.now, timers, random: () => 0.5 });
    await a.initialLoad();
    const g = await giftCard(hq, 1000);
    await a.syncNow();
    await sell(a, [g.code], ticketOf([{ quantity: 1, unit_price: 500 }]));
    a.start();
    await a.syncNow(); // joins the cycle start() began (or runs the next one): either way it meets the 429
    await a.net.idle();
    const s = a.status();
    expect(s.lastError?.reason).toBe('rate-limited');
    expect(s.online).toBe(true); // HQ answered: busy is not unreachable
    expect(s.nextRetryAt).toBe(clock.now + 120_000);
    expect(scheduled.at(-1)).toBe(120_000);
    // A short Retry-After does not shorten the backoff below its jittered floor.
    a.net.setPlan(always({ kind: 'rate-limit', retryAfterSeconds: 0 }, isPush));
    await a.syncNow();
    expect(scheduled.at(-1)).toBeGreaterThanOrEqual(1_000); // second failure: 2 s with jitter in [1 s, 2 s]
    expect(scheduled.at(-1)).toBeLessThanOrEqual(2_000);
    a.net.setPlan(() => NONE);
    expect(await a.syncNow()).toMatchObject({ online: true, lastError: null, pendingOps: 0 });
    expect(a.status().nextRetryAt).toBe(clock.now + 30_000); // back to the periodic sync
    await a.close();
  }, 30_000);
});

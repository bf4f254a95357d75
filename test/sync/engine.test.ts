// Unit tests of the sync engine's timing and state, without HQ: backoff bounds, the one-sender lock,
// shared cycles, status transitions, and what triggers a cycle. The engine runs on a real replica
// (fake-indexeddb) with a stub HQ client and injected clock and timers.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { BACKOFF, nextDelayMs } from '../../sync/engine/backoff';
import { defaultLocks } from '../../sync/engine/sender-lock';
import { createSyncEngine, HELD_PAGE_MS } from '../../sync/engine/sync-engine';
import { SyncError } from '../../sync/engine/sync-error';
import type { HqClient } from '../../sync/engine/hq-client';
import { openReplica, type ReplicaDb } from '../../sync/replica/db';
import type { ChangesResponse, Op, PushResponse, StreamPage } from '../../sync/protocol';
import type { Voucher } from '../../core/voucher';
import { giftVoucher } from '../../testkit/fixtures';
import { manualTimers } from '../../testkit/manual-timers';

const EMPTY_PAGE: ChangesResponse = { vouchers: [], deleted: [], products: [], deleted_products: [], customers: [], deleted_customers: [], checkpoint: '0', has_more: false, last_seq: 0 };

type Deferred<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A stub HQ: answers pushes by accepting every op, pulls with an empty page; both overridable. */
function stubClient(overrides: Partial<{ push: (ops: Op[]) => Promise<PushResponse>; changes: (cp: string, limit: number) => Promise<ChangesResponse> }> = {}) {
  const calls = { push: [] as Op[][], changes: 0, pushConcurrency: 0, maxPushConcurrency: 0 };
  const client = {
    baseUrl: 'http://hq.invalid',
    token: 'till_test',
    async push(ops: Op[]): Promise<PushResponse> {
      calls.push.push(ops);
      calls.pushConcurrency += 1;
      calls.maxPushConcurrency = Math.max(calls.maxPushConcurrency, calls.pushConcurrency);
      try {
        await new Promise((r) => setTimeout(r, 2));
        if (overrides.push) return await overrides.push(ops);
        return { last_seq: Math.max(...ops.map((o) => o.seq)), results: ops.map((o) => ({ op_id: o.op_id, outcome: 'ACCEPTED' as const })) };
      } finally {
        calls.pushConcurrency -= 1;
      }
    },
    async changes(cp: string, limit: number): Promise<ChangesResponse> {
      calls.changes += 1;
      return overrides.changes ? overrides.changes(cp, limit) : { ...EMPTY_PAGE, checkpoint: cp };
    },
    validate: () => Promise.reject(new Error('not in these tests')),
    leaseCodes: () => Promise.reject(new Error('not in these tests')),
  };
  return { client: client as unknown as HqClient, calls };
}

let dbs: ReplicaDb[] = [];
let n = 0;
async function replica(): Promise<ReplicaDb> {
  const db = openReplica(`engine-test-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.open();
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});

let seq = 0;
async function addOp(db: ReplicaDb): Promise<Op> {
  const op: Op = { op_id: crypto.randomUUID(), seq: ++seq, type: 'GIFT_ISSUE', occurred_at: new Date().toISOString(), payload: { code: `GC-${seq}-XYZ`, amount: 100, currency: 'EUR' } };
  await db.outbox.add(op);
  return op;
}

describe('nextDelayMs', () => {
  it('starts at about one second: the first retry waits between 0.5 s and 1 s', () => {
    expect(nextDelayMs(0, () => 0)).toBe(500);
    expect(nextDelayMs(0, () => 0.999999)).toBe(1_000);
    expect(nextDelayMs(1, () => 0)).toBe(1_000);
  });

  it('grows exponentially with equal jitter and never exceeds 5 minutes without Retry-After', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const exp = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** attempt);
        const d = nextDelayMs(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(exp / 2));
        expect(d).toBeLessThanOrEqual(exp);
        expect(d).toBeLessThanOrEqual(5 * 60_000);
        expect(Number.isInteger(d)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    expect(nextDelayMs(50, () => 1)).toBe(300_000);
    expect(nextDelayMs(50, () => 0)).toBe(150_000);
  });

  it('jitter spreads tills: over many random draws the delays fill [exp/2, exp]', () => {
    const delays = Array.from({ length: 2_000 }, (_, i) => nextDelayMs(3, () => i / 2_000));
    expect(Math.min(...delays)).toBe(4_000);
    expect(Math.max(...delays)).toBeGreaterThanOrEqual(7_990);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
    expect(new Set(delays).size).toBeGreaterThan(1_000);
  });

  it('honours Retry-After when it asks for longer, up to a cap of 10 minutes; a shorter one does not shorten the backoff', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 0, max: 3_600_000 }), (attempt, r, retryAfter) => {
        const plain = nextDelayMs(attempt, () => r);
        const d = nextDelayMs(attempt, () => r, retryAfter);
        expect(d).toBe(Math.min(2 * BACKOFF.maxMs, Math.max(plain, retryAfter)));
      }),
      { numRuns: 2_000 },
    );
    expect(nextDelayMs(0, () => 0.5, 120_000)).toBe(120_000);
    expect(nextDelayMs(0, () => 0.5, 0)).toBe(750);
  });
});

describe('the in-process sender lock', () => {
  it('serialises callers of one name, in order, and a failure does not block the next', async () => {
    const locks = defaultLocks();
    const log: string[] = [];
    let active = 0;
    const job = (name: string, fail = false) => async () => {
      active += 1;
      expect(active).toBe(1);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${name}`);
      active -= 1;
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([locks.request('L', job('a')), locks.request('L', job('b', true)), locks.request('L', job('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('does not serialise different names', async () => {
    const locks = defaultLocks();
    const gate = deferred<void>();
    const first = locks.request('X', () => gate.promise.then(() => 'x'));
    const second = await locks.request('Y', async () => 'y');
    expect(second).toBe('y');
    gate.resolve();
    expect(await first).toBe('x');
  });

  it('two engines on one outbox (two windows) never push at the same time', async () => {
    const db = await replica();
    for (let i = 0; i < 5; i++) await addOp(db);
    const { client, calls } = stubClient();
    const one = createSyncEngine({ db, client, lockName: `sender:${db.name}`, pushBatchSize: 1, stream: false });
    const two = createSyncEngine({ db, client, lockName: `sender:${db.name}`, pushBatchSize: 1, stream: false });
    await Promise.all([one.syncNow(), two.syncNow(), one.syncNow(), two.syncNow()]);
    expect(calls.maxPushConcurrency).toBe(1);
    expect(calls.push.flat().map((o) => o.seq)).toEqual([...new Set(calls.push.flat().map((o) => o.seq))]); // nothing pushed twice
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('sync engine', () => {
  it('concurrent syncNow calls share one cycle', async () => {
    const db = await replica();
    await addOp(db);
    const { client, calls } = stubClient();
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false });
    const [a, b, c] = [engine.syncNow(), engine.syncNow(), engine.syncNow()];
    expect(a).toBe(b);
    expect(b).toBe(c);
    await a;
    expect(calls.push).toHaveLength(1);
    expect(calls.changes).toBe(1);
    await engine.syncNow(); // a new call after the cycle ended starts a new one
    expect(calls.changes).toBe(2);
  });

  it('status: online null until the first request, true on success, false with lastError when HQ is unreachable, true again', async () => {
    const db = await replica();
    let fail: SyncError | null = null;
    const { client } = stubClient({ changes: async (cp) => (fail ? Promise.reject(fail) : { ...EMPTY_PAGE, checkpoint: cp }) });
    let now = 1_000_000;
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, now: () => now });
    const seen: { online: boolean | null; syncing: boolean }[] = [];
    engine.subscribe((s) => seen.push({ online: s.online, syncing: s.syncing }));
    expect(engine.status()).toMatchObject({ online: null, syncing: false, lastError: null, lastSyncAt: null });

    expect(await engine.syncNow()).toMatchObject({ online: true, syncing: false, lastError: null, lastSyncAt: now });
    now += 1_000;
    fail = new SyncError('network', 'HQ is unreachable: ECONNREFUSED');
    expect(await engine.syncNow()).toMatchObject({ online: false, lastError: { reason: 'network', message: 'HQ is unreachable: ECONNREFUSED', at: now }, lastSyncAt: now - 1_000 });
    fail = new SyncError('timeout', 'HQ did not answer');
    expect(await engine.syncNow()).toMatchObject({ online: false, lastError: { reason: 'timeout' } });
    // HQ answered, but badly or busy: not "unreachable", so online is left as it was.
    fail = new SyncError('invalid-schema', 'bad answer');
    expect(await engine.syncNow()).toMatchObject({ online: false, lastError: { reason: 'invalid-schema' } });
    fail = null;
    now += 1_000;
    expect(await engine.syncNow()).toMatchObject({ online: true, lastError: null, lastSyncAt: now });
    fail = new SyncError('rate-limited', 'slow down', { status: 429, retryAfterMs: 5_000 });
    expect(await engine.syncNow()).toMatchObject({ online: true, lastError: { reason: 'rate-limited' } });

    const onlineSeq = seen.map((s) => s.online).filter((v, i, all) => i === 0 || v !== all[i - 1]);
    expect(onlineSeq).toEqual([null, true, false, true]);
    expect(seen.some((s) => s.syncing)).toBe(true);
    expect(seen.at(-1)?.syncing).toBe(false);
  });

  it('a failure schedules a backoff retry (nextRetryAt) that grows per failure; success returns to the periodic sync', async () => {
    const db = await replica();
    let failing = true;
    const { client } = stubClient({ changes: async (cp) => (failing ? Promise.reject(new SyncError('network', 'down')) : { ...EMPTY_PAGE, checkpoint: cp }) });
    const t = manualTimers();
    const now = 5_000_000;
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, timers: t.timers, now: () => now, random: () => 0.5, periodicMs: 30_000 });
    engine.start();
    await engine.syncNow();
    expect(t.delays()).toEqual([750]);
    expect(engine.status().nextRetryAt).toBe(now + 750);
    t.fire();
    await engine.syncNow();
    expect(t.delays()).toEqual([1_500]);
    t.fire();
    await engine.syncNow();
    expect(t.delays()).toEqual([3_000]);
    failing = false;
    t.fire();
    await engine.syncNow();
    expect(t.delays()).toEqual([30_000]);
    expect(engine.status()).toMatchObject({ online: true, nextRetryAt: now + 30_000 });
    await engine.stop();
    expect(t.delays()).toEqual([]);
  });

  it('notifyLocalChange schedules an immediate cycle when started (and nothing when stopped)', async () => {
    const db = await replica();
    const { client, calls } = stubClient();
    const t = manualTimers();
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, timers: t.timers });
    engine.notifyLocalChange();
    expect(t.delays()).toEqual([250]); // not started: no cycle (the caller syncs when it wants), only the badge's count
    t.fire(250);
    engine.start();
    await engine.syncNow();
    expect(t.delays()).toEqual([30_000]);
    const op = await addOp(db);
    engine.notifyLocalChange(1);
    expect(engine.status().pendingOps).toBe(1); // the badge counts the new op at once
    expect(t.delays()).toEqual([250, 0]); // the periodic timer was replaced by an immediate one
    engine.notifyLocalChange(0);
    expect(t.delays()).toEqual([250, 0]); // one count refresh for a burst of sales
    t.fire(250);
    await engine.syncNow();
    expect(calls.push.flat().map((o) => o.op_id)).toEqual([op.op_id]);
    expect(engine.status().pendingOps).toBe(0);
    await engine.stop();
  });

  it('a sale made while a cycle is already past its push is pushed right after that cycle, not at the next periodic sync', async () => {
    const db = await replica();
    const gate = deferred<void>();
    const pulling = deferred<void>();
    let first = true;
    const { client, calls } = stubClient({
      changes: async (cp) => {
        if (first) {
          first = false;
          pulling.resolve();
          await gate.promise;
        }
        return { ...EMPTY_PAGE, checkpoint: cp };
      },
    });
    const t = manualTimers();
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, timers: t.timers });
    engine.start(); // cycle 1: nothing to push, now waiting in the pull
    await pulling.promise;
    const op = await addOp(db);
    engine.notifyLocalChange(1);
    t.fire(250); // real timers fire while cycle 1 is still running: the 0 ms one joins cycle 1
    gate.resolve();
    await engine.syncNow();
    expect(calls.push).toHaveLength(0);
    // The next cycle must come at once, not in 30 s.
    expect(t.delays()).toEqual([0]);
    t.fire(0);
    await engine.syncNow();
    expect(calls.push.flat().map((o) => o.op_id)).toEqual([op.op_id]);
    await engine.stop();
  });

  it("the browser's online event retries at once after failures, and resets the backoff", async () => {
    const db = await replica();
    let failing = true;
    const { client, calls } = stubClient({ changes: async (cp) => (failing ? Promise.reject(new SyncError('network', 'down')) : { ...EMPTY_PAGE, checkpoint: cp }) });
    const t = manualTimers();
    // Counts its listeners: after stop() the engine must listen no more.
    const listening = new Set<EventListenerOrEventListenerObject>();
    const events = new (class extends EventTarget {
      override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean) {
        if (listener) listening.add(listener);
        super.addEventListener(type, listener, options);
      }
      override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean) {
        if (listener) listening.delete(listener);
        super.removeEventListener(type, listener, options);
      }
    })();
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, timers: t.timers, random: () => 0, onlineEvents: events });
    engine.start();
    await engine.syncNow();
    for (let i = 0; i < 4; i++) {
      t.fire();
      await engine.syncNow();
    }
    expect(t.delays()).toEqual([8_000]); // fifth failure: 16 s × equal jitter with random() = 0
    expect(engine.status().online).toBe(false);
    failing = false;
    const before = calls.changes;
    events.dispatchEvent(new Event('online'));
    await engine.syncNow(); // joins the cycle the event started
    expect(calls.changes).toBe(before + 1);
    expect(engine.status()).toMatchObject({ online: true, lastError: null });
    // The event also reset the attempt counter: the next failure waits ~1 s again, not 32 s.
    failing = true;
    await engine.syncNow();
    expect(t.delays()).toEqual([500]);
    expect(listening.size).toBe(1);
    await engine.stop();
    expect(listening.size).toBe(0); // removed on stop
  });

  it('a Retry-After from HQ sets the next retry', async () => {
    const db = await replica();
    const { client } = stubClient({ changes: () => Promise.reject(new SyncError('rate-limited', 'busy', { status: 429, retryAfterMs: 90_000 })) });
    const t = manualTimers();
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, timers: t.timers, now: () => 42, random: () => 1 });
    engine.start();
    await engine.syncNow();
    expect(t.delays()).toEqual([90_000]);
    expect(engine.status()).toMatchObject({ nextRetryAt: 42 + 90_000, lastError: { reason: 'rate-limited' } });
    await engine.stop();
  });

  it('a push answer that answers none of the ops is refused: nothing applied, no hot loop', async () => {
    const db = await replica();
    const op = await addOp(db);
    const { client, calls } = stubClient({ push: async () => ({ last_seq: 0, results: [] }) });
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false });
    const status = await Promise.race([engine.syncNow(), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 2_000))]);
    expect(status).not.toBe('hung');
    expect(calls.push).toHaveLength(1);
    expect(engine.status()).toMatchObject({ lastError: { reason: 'invalid-schema' }, pendingOps: 1 });
    expect(await db.outbox.toArray()).toEqual([op]);
    expect(await db.meta.get('push_floor')).toBeUndefined();
    // A partial answer is refused the same way.
    const other = await addOp(db);
    const { client: partial } = stubClient({ push: async (ops) => ({ last_seq: ops[0]!.seq, results: [{ op_id: ops[0]!.op_id, outcome: 'ACCEPTED' }] }) });
    const engine2 = createSyncEngine({ db, client: partial, lockName: `l2:${db.name}`, stream: false });
    expect(await engine2.syncNow()).toMatchObject({ lastError: { reason: 'invalid-schema' }, pendingOps: 2 });
    expect((await db.outbox.toArray()).map((o) => o.op_id)).toEqual([op.op_id, other.op_id]);
  });

  it('stop() waits for the cycle in flight and cancels the timer', async () => {
    const db = await replica();
    const gate = deferred<ChangesResponse>();
    const pulling = deferred<void>();
    const { client } = stubClient({
      changes: () => {
        pulling.resolve();
        return gate.promise;
      },
    });
    const t = manualTimers();
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: false, timers: t.timers });
    engine.start();
    await pulling.promise;
    // stop() settles only after the cycle's pull is answered. Before answering, one turn of the event
    // loop lets anything the engine could settle stop() with already (microtasks, resolved I/O) run.
    const order: string[] = [];
    const stopping = engine.stop().then(() => order.push('stopped'));
    await new Promise((r) => setImmediate(r));
    order.push('answered');
    gate.resolve({ ...EMPTY_PAGE });
    await stopping;
    expect(order).toEqual(['answered', 'stopped']);
    expect(t.delays()).toEqual([]); // a stopped engine schedules nothing
  });
  it('a stream HQ ends is followed by a cycle within 1–3 s (it pulls what was missed and reconnects), not the next periodic one', async () => {
    const db = await replica();
    const { client, calls } = stubClient();
    const t = manualTimers();
    let streams = 0;
    // HQ answers the stream and ends it at once (a restart, a process taken out of a pool).
    const streamFetch = async () => {
      streams += 1;
      return new Response(new ReadableStream({ start: (c) => c.close() }), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: { fetch: streamFetch }, timers: t.timers, random: () => 0.5, periodicMs: 30_000 });
    engine.start();
    await engine.syncNow();
    await expect.poll(() => t.delays().includes(2_000)).toBe(true);
    const pulls = calls.changes;
    t.fire(2_000);
    await expect.poll(() => calls.changes).toBe(pulls + 1);
    await expect.poll(() => streams).toBeGreaterThan(1);
    await engine.stop();
    expect(t.delays()).toEqual([]);
  });
});

describe('sync engine: stream pages', () => {
  /** HQ's stream as the test writes it: SSE blocks enqueued by `page`. */
  function testStream() {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let opened = 0;
    const fetch = async () => {
      opened += 1;
      return new Response(new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    return {
      fetch,
      opened: () => opened,
      page(since: number, checkpoint: number, vouchers: Voucher[] = []) {
        const page: StreamPage = { ...EMPTY_PAGE, vouchers, since: String(since), checkpoint: String(checkpoint) };
        delete (page as Partial<ChangesResponse>).last_seq;
        controller.enqueue(new TextEncoder().encode(`event: page\nid: ${checkpoint}\ndata: ${JSON.stringify(page)}\n\n`));
      },
    };
  }

  const PULL_DEBOUNCE_MS = 200;
  const card = (code: string) => giftVoucher(1_000, 1_000, { code });
  /** HQ accepts every op and names `checkpoint` as the one that holds them. */
  const acceptedAt = (checkpoint: string) => async (ops: Op[]): Promise<PushResponse> => ({ last_seq: ops.at(-1)!.seq, checkpoint, results: ops.map((o) => ({ op_id: o.op_id, outcome: 'ACCEPTED' as const })) });
  const checkpoint = async (db: ReplicaDb) => (await db.meta.get('checkpoint'))?.value;

  /**
   * An engine on a replica pulled to checkpoint 10, its stream open, whose one push (an op queued
   * and pushed by the cycle a sale asks for) HQ answers per `push`.
   */
  async function streamingEngine(push?: (ops: Op[]) => Promise<PushResponse>) {
    const db = await replica();
    const stream = testStream();
    const { client, calls } = stubClient({ changes: async () => ({ ...EMPTY_PAGE, checkpoint: '10' }), ...(push ? { push } : {}) });
    const t = manualTimers();
    // What each stream page came to (applyStreamPage runs under the lock): how a test knows a page was looked at.
    const outcomes: string[] = [];
    const base = defaultLocks();
    const locks = {
      request: <T>(name: string, fn: () => Promise<T>) =>
        base.request(name, async () => {
          const r = await fn();
          if (typeof r === 'string') outcomes.push(r);
          return r;
        }),
    };
    const engine = createSyncEngine({ db, client, lockName: `l:${db.name}`, stream: { fetch: stream.fetch }, timers: t.timers, random: () => 0.5, locks });
    engine.start();
    await engine.syncNow();
    await expect.poll(() => stream.opened()).toBe(1);
    expect(await checkpoint(db)).toBe('10');
    await addOp(db);
    engine.notifyLocalChange(1);
    t.fireExactly(0); // the cycle the sale asked for: it pushes, and does not pull (the stream is open)
    await expect.poll(() => calls.push.length).toBe(1);
    await expect.poll(() => engine.status().syncing).toBe(false); // that cycle, seen to its end
    return { db, stream, calls, t, engine, outcomes, pullsBefore: calls.changes };
  }

  it('a page short of the push floor is held and joined with the next one, which reaches it: both applied, no pull', async () => {
    const s = await streamingEngine(acceptedAt('15'));
    const pulls = s.calls.changes;
    s.stream.page(10, 14, [card('GC-HELD')]);
    await expect.poll(() => s.t.delays().includes(HELD_PAGE_MS)).toBe(true);
    expect(await checkpoint(s.db)).toBe('10'); // not applied: it may predate this till's push
    s.stream.page(14, 16, [card('GC-NEXT')]);
    await expect.poll(() => checkpoint(s.db)).toBe('16');
    expect(await s.db.vouchers.get('GC-HELD')).toBeDefined();
    expect(await s.db.vouchers.get('GC-NEXT')).toBeDefined();
    expect(s.t.delays()).not.toContain(HELD_PAGE_MS); // the fallback is cancelled
    expect(s.t.delays()).not.toContain(PULL_DEBOUNCE_MS);
    expect(s.calls.changes).toBe(pulls);
    await s.engine.stop();
  });

  it('a page that does not follow the held ones is taken alone; refused, it ends the hold and the till pulls', async () => {
    const s = await streamingEngine(acceptedAt('20'));
    const pulls = s.calls.changes;
    s.stream.page(10, 14, [card('GC-HELD')]);
    await expect.poll(() => s.t.delays().includes(HELD_PAGE_MS)).toBe(true);
    s.stream.page(14, 16, [card('GC-JOINED')]); // joined, still short of 20: held on, on the first deadline
    s.stream.page(16, 17);
    s.stream.page(20, 21); // does not follow: taken alone, and refused (it starts past the replica's 10)
    await expect.poll(() => s.t.delays().includes(PULL_DEBOUNCE_MS)).toBe(true);
    expect(s.t.delays().filter((ms) => ms === HELD_PAGE_MS)).toHaveLength(0); // a refused page ends the hold
    s.t.fireExactly(PULL_DEBOUNCE_MS);
    await expect.poll(() => s.calls.changes).toBe(pulls + 1);
    await s.engine.stop();
  });

  it('the hold ends HELD_PAGE_MS after the first page held, however many pages join it', async () => {
    const s = await streamingEngine(acceptedAt('20'));
    const pulls = s.calls.changes;
    s.stream.page(10, 14, [card('GC-HELD')]);
    await expect.poll(() => s.t.delays().includes(HELD_PAGE_MS)).toBe(true);
    const deadline = [...s.t.pending.keys()];
    s.stream.page(14, 16, [card('GC-JOINED')]);
    await expect.poll(() => s.outcomes).toEqual(['incomplete', 'incomplete']); // joined, still short of 20
    expect(await s.db.vouchers.get('GC-JOINED')).toBeUndefined();
    expect([...s.t.pending.keys()]).toEqual(deadline); // the same timer: the join did not restart it
    s.t.fireExactly(HELD_PAGE_MS);
    await expect.poll(() => s.t.delays().includes(PULL_DEBOUNCE_MS)).toBe(true);
    s.t.fireExactly(PULL_DEBOUNCE_MS);
    await expect.poll(() => s.calls.changes).toBe(pulls + 1);
    await s.engine.stop();
  });

  it('a page that comes while a push whose answer was lost is still in the outbox is refused and pulled for (HQ may have applied the op)', async () => {
    const s = await streamingEngine(async () => {
      throw new SyncError('network', 'the answer was lost'); // HQ applied it, for all the till knows
    });
    expect(await s.db.outbox.count()).toBe(1);
    s.stream.page(10, 12, [card('GC-LATE')]);
    await expect.poll(() => s.t.delays().includes(PULL_DEBOUNCE_MS)).toBe(true);
    expect(await checkpoint(s.db)).toBe('10');
    expect(await s.db.vouchers.get('GC-LATE')).toBeUndefined();
    await s.engine.stop();
  });

  it('pages that come while the sender lock is taken are joined and applied together once it is free', async () => {
    const gate = deferred<void>();
    let pushes = 0;
    const s = await streamingEngine(async (ops) => {
      if (++pushes === 2) await gate.promise; // the second push waits for the test
      return acceptedAt('10')(ops);
    });
    await addOp(s.db);
    s.engine.notifyLocalChange(1);
    s.t.fireExactly(0);
    await expect.poll(() => pushes).toBe(2); // the cycle holds the lock while HQ "thinks"
    s.stream.page(10, 11, [card('GC-ONE')]);
    s.stream.page(11, 12, [card('GC-TWO')]);
    s.stream.page(12, 13, [card('GC-THREE')]);
    gate.resolve();
    await expect.poll(() => checkpoint(s.db)).toBe('13');
    expect((await s.db.vouchers.bulkGet(['GC-ONE', 'GC-TWO', 'GC-THREE'])).every(Boolean)).toBe(true);
    expect(s.t.delays()).not.toContain(PULL_DEBOUNCE_MS);
    expect(s.calls.changes).toBe(s.pullsBefore);
    await s.engine.stop();
  });
});

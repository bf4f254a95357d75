// The stream-page path of the change feed as a seeded simulation (fast-check, a fixed seed so CI runs
// the same schedules every time; a failure prints its seed and shrunk schedule, which
// STREAM_SIM_SEED / STREAM_SIM_RUNS / STREAM_SIM_SHRINK=0 replay). A real HQ, 2–3 tills on
// fake-indexeddb, each with its own GET /v1/sync/stream over a real socket, read by the engine's own
// reader (readChangeStream), whose events are queued as they arrive and handed to the till only when
// the schedule says so — so a page can wait in a queue while its till sells and pushes, the
// interleaving the push floor exists for. A till handles an event
// as its engine does (sync/engine/sync-engine.ts, connectStream): a page goes to applyStreamPage
// (sync/replica/apply-pull.ts); a page short of the push floor is held and joined with the next
// (joinStreamPages); a refused page or a `changes` announcement becomes a pull (syncNow) unless the
// replica already has that checkpoint. A sale pushes only (the cycle a sale starts while the
// stream is open: pushAll, here the same client call + applyPushResults), or leaves its ops queued, or
// loses the push's answer after HQ applied it.
//
// What must hold (applyStreamPage's header states the rules):
// 1. A till's own gift card (only it debits it) shows, after every step, exactly its amount minus the
//    till's own debits: a page must never undo a redemption (push floor) nor count one twice (a page
//    applied over an op whose answer was lost, then rebased on it: the outbox rule).
// 2. After every page a till applies, and after every pull with an empty outbox, the replica is HQ's
//    state at that checkpoint, voucher for voucher (HQ's state is recorded after every change, once its
//    fan-out has reached every stream: one checkpoint, one state), with the effects of the ops still in
//    its outbox on top (a page is applied over ops that never left the till), and of accepted ops whose
//    changes come after the checkpoint (a page that predates them is rebased on them). Nothing stale,
//    nothing from later.
// 3. At the end — every queued event delivered, every outbox pushed the push-only way — every replica
//    is HQ's current state at HQ's latest checkpoint, with no final pull.
// 4. The page path is really taken: pages are applied in most runs, and more often than events turn
//    into pulls; pages are applied over unsent ops and over accepted ops they predate, and held pages
//    joined with the next.
//
// Deterministic: the test waits, after every change, until HQ's fan-out has reached every stream (a
// condition on the events received, bounded), so what each queue holds does not depend on timing.
//
// PGlite only: what is under test is the till's logic (when a page may stand in for a pull) and the
// checkpoint HQ names in a push answer; HQ's page reads on both backends are test/hq/stream-pages.test.ts's.
import assert from 'node:assert/strict';
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startLiveHq, newTill, type LiveHq } from '../../testkit/till-harness';
import { applyStreamPage } from '../../sync/replica/apply-pull';
import { joinStreamPages } from '../../sync/engine/join-stream-pages';
import { effectsOf, rebase } from '../../sync/replica/rebase';
import { applyPushResults, markSending } from '../../sync/replica/apply-push';
import { getVoucher } from '../../sync/replica/voucher-store';
import { createHqClient, type FetchLike, type HqClient } from '../../sync/engine/hq-client';
import { readChangeStream, type StreamEvent } from '../../sync/engine/event-stream';
import { ticketGross } from '../../core/ticket';
import type { Voucher } from '../../core/voucher';
import type { StreamPage } from '../../sync/protocol';
import { allHqVouchers } from '../../testkit/sim/invariants';
import { giftCard, multiUse, ticketOf } from '../../testkit/sim/shop';
import { plain, TILL_SETTINGS } from '../../testkit/sim/tills';

const RUNS = Number(process.env.STREAM_SIM_RUNS ?? 25);
const SEED = Number(process.env.STREAM_SIM_SEED ?? 424242);
/** How long HQ's fan-out may take to reach every stream (a bound, not a timing assumption). */
const SETTLE_MS = 10_000;

// ---- the schedule --------------------------------------------------------------------------------

type Line = { quantity: number; unit_price: number };
/** now: push at once (push only); later: ops stay in the outbox; lost: pushed, HQ applies, the answer is lost. */
type PushMode = 'now' | 'later' | 'lost';

type Action =
  /** `codes` index the till's pool: its own cards, then the shared cards, then the multi-use discount. */
  | { t: 'sale'; till: number; codes: number[]; lines: Line[]; push: PushMode }
  /** Push the outbox the push-only way (replays a lost answer's ops). */
  | { t: 'push'; till: number }
  /** Sell a new gift card at the till (GIFT_ISSUE) and push: it becomes one of the till's own cards. */
  | { t: 'gift'; till: number; amount: number }
  /** The back office edits a voucher of the run (a change every stream carries). */
  | { t: 'edit'; code: number }
  /** The back office cancels a shared voucher (tills that sell it meanwhile get conflicts). */
  | { t: 'cancel'; code: number }
  /** Hand the till its next `n` queued events. */
  | { t: 'deliver'; till: number; n: number }
  /** A full cycle at the till: push, then pull. */
  | { t: 'sync'; till: number };

type Scenario = { tills: number; own: number[]; shared: number[]; multiUse: number | null; actions: Action[] };

const tillArb = fc.nat({ max: 2 });
const lineArb = fc.record({ quantity: fc.integer({ min: 1, max: 2 }), unit_price: fc.integer({ min: 2, max: 25 }).map((p) => p * 100) });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant('sale' as const),
      till: tillArb,
      codes: fc.array(fc.nat({ max: 15 }), { minLength: 1, maxLength: 3 }),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 2 }),
      push: fc.oneof({ arbitrary: fc.constant<PushMode>('now'), weight: 7 }, { arbitrary: fc.constant<PushMode>('later'), weight: 2 }, { arbitrary: fc.constant<PushMode>('lost'), weight: 2 }),
    }),
    weight: 7,
  },
  { arbitrary: fc.record({ t: fc.constant('push' as const), till: tillArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('gift' as const), till: tillArb, amount: fc.integer({ min: 10, max: 40 }).map((a) => a * 100) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('edit' as const), code: fc.nat({ max: 15 }) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('cancel' as const), code: fc.nat({ max: 15 }) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('deliver' as const), till: tillArb, n: fc.integer({ min: 1, max: 3 }) }), weight: 8 },
  { arbitrary: fc.record({ t: fc.constant('sync' as const), till: tillArb }), weight: 1 },
);
const amountArb = fc.integer({ min: 20, max: 60 }).map((a) => a * 100);
const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 2, max: 3 }).chain((tills) =>
  fc.record({
    tills: fc.constant(tills),
    own: fc.array(amountArb, { minLength: tills, maxLength: tills }),
    shared: fc.array(amountArb, { minLength: 1, maxLength: 2 }),
    multiUse: fc.option(fc.integer({ min: 2, max: 4 }), { nil: null }),
    actions: fc.array(actionArb, { minLength: 10, maxLength: 30 }),
  }),
);

// ---- a till's change stream, queued ---------------------------------------------------------------

/**
 * fetch over node:http without an agent: aborting destroys the socket, so HQ drops the stream at once
 * (a fetch aborted mid-body left its connection open for seconds, and a stream HQ still holds joins
 * the next fan-outs).
 */
const socketFetch: FetchLike = (input, init) =>
  new Promise((resolve, reject) => {
    const req = http.get(input, { agent: false, headers: init?.headers as Record<string, string> });
    init?.signal?.addEventListener('abort', () => req.destroy());
    req.once('error', reject).once('response', (res) => resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status: res.statusCode ?? 0 })));
  });

/**
 * The till's GET /v1/sync/stream, read by the engine's own reader (readChangeStream: the events the
 * engine would act on, in order, decoded as it decodes them), queued instead of acted on. `known` is
 * the checkpoint HQ has brought this stream to (Last-Event-ID, then each event's).
 */
async function openQueuedStream(base: string, token: string, lastEventId: number) {
  const stream = { queue: [] as StreamEvent[], known: lastEventId, open: false, ended: false };
  const controller = new AbortController();
  let wake = () => {};
  const onEvent = (event: StreamEvent) => {
    stream.queue.push(event);
    stream.known = Math.max(stream.known, Number(event.checkpoint));
    wake();
  };
  // HQ registers the stream with its fan-out as it answers (hq/routes/sync.ts): once open, every
  // fan-out reaches it.
  const onOpen = () => {
    stream.open = true;
    wake();
  };
  void readChangeStream(socketFetch, base, token, controller.signal, onEvent, String(lastEventId), onOpen)
    .catch(() => {})
    .finally(() => {
      stream.ended = true;
      wake();
    });
  /** Resolves once `ok()` holds; fails if the stream ends or SETTLE_MS pass first. */
  async function until(ok: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + SETTLE_MS;
    while (!ok()) {
      if (stream.ended) assert.fail(`the stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`no ${what} within ${SETTLE_MS} ms (stream at ${stream.known})`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((r) => {
        wake = r;
        timer = setTimeout(r, left);
      });
      clearTimeout(timer);
    }
  }
  await until(() => stream.open, 'answer to GET /v1/sync/stream');
  return Object.assign(stream, { until, close: () => controller.abort() });
}
type QueuedStream = Awaited<ReturnType<typeof openQueuedStream>>;

// ---- one run --------------------------------------------------------------------------------------

type Stats = { runs: number; runsWithPages: number; events: number; pagesApplied: number; pagesOverUnsent: number; pagesOverUnreflected: number; pagesHeld: number; heldJoined: number; eventPulls: number; staleSkipped: number; syncs: number; sales: number; lostAnswers: number; finalPulls: number };

type SimTill = {
  index: number;
  till: Awaited<ReturnType<typeof newTill>>;
  client: HqClient;
  stream: QueuedStream;
  /** The till's own gift cards (only it debits them) and the balance it must show: amount − its debits. */
  own: Map<string, number>;
  /** A page short of the push floor, kept to join with the next (the engine's heldPage). */
  held: StreamPage | null;
};

const meta = async (t: SimTill, key: string) => (await t.till.db.meta.get(key))?.value;

async function runScenario(hq: LiveHq, s: Scenario, stats: Stats, trace: (line: string) => void): Promise<void> {
  const tag = `SP${stats.runs}`;
  const shared = await Promise.all(s.shared.map((amount) => giftCard(hq, amount, `${tag}-SH`)));
  const multi = await multiUse(hq, s.multiUse, `${tag}-MU`);
  const ownCards = await Promise.all(s.own.map((amount) => giftCard(hq, amount, `${tag}-OWN`)));
  /** Every voucher of this run (HQ keeps earlier runs' vouchers; they never change again). */
  const codes = new Set([...shared, multi, ...ownCards].map((v) => v.code));
  const sharedCodes = [...shared.map((v) => v.code), multi.code];
  /** HQ's vouchers of this run at each checkpoint, recorded once its fan-out has settled. */
  const states = new Map<number, Map<string, Voucher>>();
  const tills: SimTill[] = [];
  let pagesThisRun = 0;

  /** HQ's state of this run's vouchers now, recorded under `checkpoint`. */
  async function record(checkpoint: number): Promise<void> {
    if (states.has(checkpoint)) return;
    const all = await allHqVouchers(hq);
    states.set(checkpoint, new Map([...codes].flatMap((code) => (all.has(code) ? [[code, plain(all.get(code)!)] as const] : []))));
  }

  /** Waits until HQ's fan-out has brought every stream to HQ's latest checkpoint, then records HQ's state there. */
  async function settle(): Promise<void> {
    const latest = hq.ctx.bus.latest;
    await Promise.all(tills.map((t) => t.stream.until(() => t.stream.known >= latest, `event reaching checkpoint ${latest}`)));
    await record(latest);
  }

  /**
   * Rule 2: the replica is HQ's state at `checkpoint`, voucher for voucher, with the effects of the
   * ops in its outbox on top (none: exactly HQ's), and at that checkpoint.
   */
  async function expectHqStateAt(t: SimTill, checkpoint: number, after: string): Promise<void> {
    assert.equal(Number(await meta(t, 'checkpoint')), checkpoint, `till ${t.index} after ${after}: checkpoint`);
    const state = states.get(checkpoint);
    assert.ok(state, `till ${t.index} after ${after}: no HQ state recorded at checkpoint ${checkpoint} (the model missed a change)`);
    // What the page cannot hold: the outbox, and accepted ops whose changes are numbered after it.
    const outbox = [...(await t.till.db.outbox.toArray()), ...(await t.till.db.unreflected.where('checkpoint').above(checkpoint).toArray()).map((r) => r.op)];
    const redemptions = new Map((await t.till.db.redemptions.toArray()).map((r) => [r.op_id, r]));
    const effects = effectsOf(outbox, (opId) => redemptions.get(opId));
    for (const code of codes) {
      const mine = await getVoucher(t.till.db, code);
      const atHq: Voucher | undefined = state.get(code);
      const pending = effects.filter((e) => e.code === code);
      // A sale stamps used_at on the card it used; HQ does when it applies the op. Until then the
      // replica's stamp is its own (a pull leaves it so too): the rule is about balances and statuses.
      const expected: unknown = atHq && plain({ ...rebase(atHq, pending), ...(pending.length && mine ? { used_at: mine.used_at } : {}) });
      assert.deepEqual(mine && plain(mine), expected, `till ${t.index} after ${after}: ${code} differs from HQ's state at checkpoint ${checkpoint}${outbox.length ? ` with its ${outbox.length} unsent ops on top` : ''}`);
    }
  }

  /** Rule 1: every own card shows exactly its amount minus this till's debits. */
  async function expectOwnBalances(after: string): Promise<void> {
    for (const t of tills) {
      for (const [code, balance] of t.own) {
        const v = await getVoucher(t.till.db, code);
        assert.equal(v?.gift?.balance, balance, `till ${t.index} after ${after}: its own card ${code} shows ${v?.gift?.balance}, its sales leave ${balance}`);
      }
    }
  }

  /** The push-only cycle a sale starts while the stream is open (the engine's pushAll). */
  async function pushOnly(t: SimTill): Promise<void> {
    for (;;) {
      const ops = await t.till.db.outbox.orderBy('seq').limit(1000).toArray();
      if (!ops.length) break;
      const firstSentAbove = await markSending(t.till.db, ops);
      const response = await t.client.push(ops);
      await applyPushResults(t.till.db, ops, response, Date.now(), firstSentAbove);
    }
    await settle();
  }

  /** A pull as the engine makes one for an event (syncNow: push, then pull to the tail). */
  async function pull(t: SimTill, why: string): Promise<void> {
    await t.till.syncNow();
    assert.equal(t.till.status().lastError, null, `till ${t.index}: ${why} failed`);
    assert.equal(await t.till.db.outbox.count(), 0, `till ${t.index}: outbox after ${why}`);
    await settle();
    await expectHqStateAt(t, Number(await meta(t, 'checkpoint')), why);
  }

  /** The next queued event, handled as the engine handles it (connectStream: applyPages / pullFor). */
  async function deliverOne(t: SimTill): Promise<void> {
    const event = t.stream.queue.shift()!;
    stats.events += 1;
    const checkpoint = Number(event.checkpoint);
    const page = event.type === 'page' ? (t.held && joinStreamPages(t.held, event.page)) || event.page : null;
    if (page) t.held = null;
    const outcome = page && (await applyStreamPage(t.till.db, page, Date.now()));
    if (page && outcome === 'applied') {
      stats.pagesApplied += 1;
      pagesThisRun += 1;
      if (event.type === 'page' && page !== event.page) stats.heldJoined += 1;
      const unsent = await t.till.db.outbox.count();
      if (unsent) stats.pagesOverUnsent += 1;
      if (await t.till.db.unreflected.where('checkpoint').above(checkpoint).count()) stats.pagesOverUnreflected += 1;
      trace(`  till ${t.index}: page (${page.since}, ${checkpoint}] applied${unsent ? ` over ${unsent} unsent ops` : ''}`);
      await expectHqStateAt(t, checkpoint, `the page (${page.since}, ${checkpoint}]`);
    } else if (page && outcome === 'incomplete') {
      stats.pagesHeld += 1;
      t.held = page;
      trace(`  till ${t.index}: page (${page.since}, ${checkpoint}] short of the push floor: held`);
    } else if (checkpoint > Number(await meta(t, 'checkpoint'))) {
      stats.eventPulls += 1;
      trace(`  till ${t.index}: ${event.type} ${checkpoint} → pull`);
      await pull(t, `a pull for ${event.type} ${checkpoint}`);
    } else {
      stats.staleSkipped += 1;
      trace(`  till ${t.index}: ${event.type} ${checkpoint} refused, replica already there`);
    }
    await expectOwnBalances(`delivering ${event.type} ${checkpoint} to till ${t.index}`);
  }

  try {
    for (let i = 0; i < s.tills; i++) {
      const till = await newTill(hq, { name: `${tag} till ${i}`, settings: TILL_SETTINGS });
      await till.initialLoad();
      const checkpoint = Number((await till.db.meta.get('checkpoint'))?.value);
      const stream = await openQueuedStream(hq.url, till.token, checkpoint);
      tills.push({ index: i, till, client: createHqClient({ baseUrl: hq.url, token: till.token }), stream, own: new Map([[ownCards[i]!.code, ownCards[i]!.gift!.amount]]), held: null });
    }
    await settle();
    for (const t of tills) await expectHqStateAt(t, hq.ctx.bus.latest, 'the initial load');

    for (const [n, a] of s.actions.entries()) {
      trace(`#${n} ${JSON.stringify(a)}`);
      const at = (i: number) => tills[i % tills.length]!;
      switch (a.t) {
        case 'sale': {
          const t = at(a.till);
          const pool = [...t.own.keys(), ...sharedCodes];
          const wanted = [...new Set(a.codes.map((c) => pool[c % pool.length]!))];
          const ticket = ticketOf(a.lines);
          const applied: string[] = [];
          for (const code of wanted) if ((await t.till.validate(code, ticket, applied)).valid) applied.push(code);
          if (!applied.length) break;
          const row = await t.till.completeTicket({ ticket, codes: applied, payments: [{ method: 'CARD', amount: ticketGross(ticket) }] });
          stats.sales += 1;
          for (const r of row.evaluation.results) {
            if (r.valid && r.type === 'GIFT_VOUCHER' && t.own.has(r.code)) t.own.set(r.code, t.own.get(r.code)! - r.gift_amount);
          }
          if (a.push === 'now') await pushOnly(t);
          if (a.push === 'lost') {
            // HQ applies the ops; the answer never reaches the till, so they stay in its outbox.
            const ops = await t.till.db.outbox.orderBy('seq').toArray();
            await markSending(t.till.db, ops);
            await t.client.push(ops);
            stats.lostAnswers += 1;
            await settle();
          }
          break;
        }
        case 'push':
          await pushOnly(at(a.till));
          break;
        case 'gift': {
          const t = at(a.till);
          const card = await t.till.issueGiftCard(a.amount).catch((e: unknown) => {
            if ((e as { reason?: string }).reason === 'no_gift_codes') return null;
            throw e;
          });
          await t.till.ensureGiftCodes(); // the top-up issueGiftCard starts in the background
          if (!card) break;
          codes.add(card.code);
          t.own.set(card.code, a.amount);
          await pushOnly(t);
          break;
        }
        case 'edit': {
          const list = [...codes];
          const code = list[a.code % list.length]!;
          const res = await hq.admin({ method: 'PUT', url: `/v1/vouchers/${code}`, payload: { label: `edited at step ${n}` } });
          if (res.statusCode === 404) break; // a card sold at a till whose GIFT_ISSUE has not reached HQ
          assert.equal(res.statusCode, 200, `edit ${code}: ${res.body}`);
          await settle();
          break;
        }
        case 'cancel': {
          const code = sharedCodes[a.code % sharedCodes.length]!;
          const res = await hq.admin({ method: 'POST', url: `/v1/vouchers/${code}/cancel` });
          assert.equal(res.statusCode, 200, `cancel ${code}: ${res.body}`);
          await settle();
          break;
        }
        case 'deliver': {
          const t = at(a.till);
          for (let k = 0; k < a.n && t.stream.queue.length; k++) await deliverOne(t);
          break;
        }
        case 'sync': {
          stats.syncs += 1;
          await pull(at(a.till), 'a sync');
          break;
        }
      }
      await expectOwnBalances(`step #${n}`);
    }

    // Rule 3: hand every till every event; outboxes go the push-only way (whose events are handed on
    // in the next round). No pull but those the events themselves ask for.
    trace('drain');
    const pullsBefore = stats.eventPulls;
    for (let round = 0; ; round++) {
      for (const t of tills) if (await t.till.db.outbox.count()) await pushOnly(t);
      for (const t of tills) while (t.stream.queue.length) await deliverOne(t);
      const outboxes = await Promise.all(tills.map((t) => t.till.db.outbox.count()));
      if (outboxes.every((c) => c === 0) && tills.every((t) => !t.stream.queue.length)) break;
      assert.ok(round < 8, `not drained after ${round + 1} rounds: outboxes ${outboxes.join('/')}, queues ${tills.map((t) => t.stream.queue.length).join('/')}`);
    }
    stats.finalPulls += stats.eventPulls - pullsBefore;
    const latest = hq.ctx.bus.latest;
    const now = new Map([...(await allHqVouchers(hq))].filter(([code]) => codes.has(code)).map(([code, v]) => [code, plain(v)]));
    assert.deepEqual(now, states.get(latest), 'HQ changed after its last recorded state');
    for (const t of tills) await expectHqStateAt(t, latest, 'every event was delivered');
    // The own cards' balances at HQ are the ones the tills show (every debit arrived, once).
    for (const t of tills) for (const [code, balance] of t.own) assert.equal(now.get(code)?.gift?.balance, balance, `HQ's balance of till ${t.index}'s card ${code}`);
    stats.runs += 1;
    if (pagesThisRun > 0) stats.runsWithPages += 1;
  } finally {
    for (const t of tills) {
      t.stream.close();
      await t.till.close().catch(() => undefined);
    }
  }
}

describe('stream pages: tills converge on HQ without pulls and never show stale data (fast-check, real HQ on PGlite)', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
  }, 120_000);
  afterAll(async () => hq?.close());

  it(`${RUNS} seeded schedules of sales, pushes (lost answers too), back-office edits and queued stream events`, async () => {
    const stats: Stats = { runs: 0, runsWithPages: 0, events: 0, pagesApplied: 0, pagesOverUnsent: 0, pagesOverUnreflected: 0, pagesHeld: 0, heldJoined: 0, eventPulls: 0, staleSkipped: 0, syncs: 0, sales: 0, lostAnswers: 0, finalPulls: 0 };
    const verbose = process.env.STREAM_SIM_TRACE === '1';
    /** The steps of the last failing run (while shrinking, the smallest so far), each event's fate included. */
    let failed: string[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          const lines: string[] = [];
          try {
            await runScenario(hq, scenario, stats, (line) => (verbose ? console.info(line) : lines.push(line)));
          } catch (error) {
            failed = lines;
            throw error;
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: process.env.STREAM_SIM_SHRINK === '0' },
      );
    } catch (error) {
      // fast-check's message names the seed and path to pin (STREAM_SIM_SEED) and the schedule.
      console.error(`[stream-sim] the failing run, step by step:\n${failed.join('\n')}`);
      throw error;
    }
    console.info(`[stream-sim] seed ${SEED}: ${JSON.stringify(stats)}`);
    // Rule 4: the runs took the page path — pages applied in most runs and more often than
    // events turned into pulls — so the properties above cannot hold by always pulling.
    expect(stats.runs).toBe(RUNS);
    expect(stats.runsWithPages).toBeGreaterThanOrEqual(Math.ceil(RUNS * 0.8));
    expect(stats.pagesApplied).toBeGreaterThan(stats.eventPulls);
    expect(stats.pagesOverUnsent).toBeGreaterThan(0);
    expect(stats.pagesOverUnreflected).toBeGreaterThan(0);
    expect(stats.heldJoined).toBeGreaterThan(0);
    // And the schedules did what they claim (a generator bug would pass vacuously).
    expect(stats.sales).toBeGreaterThan(RUNS);
    expect(stats.lostAnswers).toBeGreaterThan(0);
  }, 600_000);
});

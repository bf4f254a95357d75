// The till's side of the change stream's `page` events (sync/replica/apply-pull.ts, applyStreamPage): a
// page the same for every till, without last_seq, stands in for a pull only when no op in the outbox
// may have reached HQ (none at or below the seq marked before each push; the others never left the
// till and the page is rebased on them), accepted ops answered for the first time whose checkpoint is
// beyond the page are rebased on too (the unreflected table; not under a page with has_more), it
// reaches the push floor (the checkpoint named by the other push answers: the feed holds those ops'
// changes only from there; lifted by a tail pull) and its range fits (since ≤ checkpoint < its
// checkpoint). Otherwise it is refused — or 'incomplete' (short of the floor with an empty outbox, or
// with has_more below an unreflected op) — without touching the replica, and the engine pulls or keeps
// the page to join with the next (sync/engine/sync-engine.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openReplica, type ReplicaDb } from '../../sync/replica/db';
import { applyChangesPage, applyStreamPage } from '../../sync/replica/apply-pull';
import { applyPushResults, markSending } from '../../sync/replica/apply-push';
import { getVoucher } from '../../sync/replica/voucher-store';
import type { FetchLike } from '../../sync/engine/hq-client';
import type { ChangesResponse, Op, StreamPage } from '../../sync/protocol';
import { discountVoucher, giftVoucher } from '../../testkit/fixtures';
import { adminCreate, newTill, startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { manualTimers } from '../../testkit/manual-timers';
import { ticketOf } from '../../testkit/sim/shop';
import { joinStreamPages } from '../../sync/engine/join-stream-pages';

const NOW = 1_700_000_000_000;
const EMPTY = { vouchers: [], deleted: [], products: [], deleted_products: [], customers: [], deleted_customers: [], has_more: false };
const card = (code: string, balance: number) => giftVoucher(5_000, balance, { code });
const streamPage = (since: number, checkpoint: number, extra: Partial<StreamPage> = {}): StreamPage => ({ ...EMPTY, since: String(since), checkpoint: String(checkpoint), ...extra });
const pulledPage = (checkpoint: number, lastSeq: number, extra: Partial<ChangesResponse> = {}): ChangesResponse => ({ ...EMPTY, checkpoint: String(checkpoint), last_seq: lastSeq, ...extra });

let dbs: ReplicaDb[] = [];
let n = 0;
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});

async function emptyReplica(): Promise<ReplicaDb> {
  const db = openReplica(`stream-page-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.open();
  dbs.push(db);
  return db;
}

/** A replica that pulled to the tail at checkpoint 10, with this till's ops up to seq 3 reflected and the gift card GC-A at 4,000. */
async function pulledReplica(): Promise<ReplicaDb> {
  const db = await emptyReplica();
  await applyChangesPage(db, pulledPage(10, 3, { vouchers: [card('GC-A', 4_000)] }), NOW);
  return db;
}

/** Every row of every table: equal before and after means the call wrote nothing. */
async function everything(db: ReplicaDb): Promise<Record<string, unknown[]>> {
  return Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const)));
}

const meta = async (db: ReplicaDb, key: string) => (await db.meta.get(key))?.value;

/** A redemption of 500 from GC-A, queued by a sale at this till. */
function redemption(seq = 4): Op {
  return { op_id: randomUUID(), seq, type: 'REDEMPTION', occurred_at: new Date(NOW).toISOString(), payload: { code: 'GC-A', ticket_id: `t-${seq}`, amount: 500 } };
}

/**
 * The op queued, pushed and answered (`outcome`, ACCEPTED by default); HQ's answer names `checkpoint`
 * (undefined: an HQ that names none). `first`: the engine's way, telling applyPushResults which ops went
 * out for the first time (markSending's answer); without it, as a caller that does not say.
 */
async function pushed(db: ReplicaDb, checkpoint: number | undefined, seq = 4, o: { first?: boolean; outcome?: 'ACCEPTED' | 'CONFLICT'; sentBefore?: boolean } = {}) {
  const op = redemption(seq);
  await db.outbox.add(op);
  if (o.sentBefore) await markSending(db, [op]); // an attempt whose answer never came
  const firstSentAbove = await markSending(db, [op]);
  const result = o.outcome === 'CONFLICT' ? { op_id: op.op_id, outcome: 'CONFLICT' as const, reason: 'quantity_exceeded' as const, voucher: card('GC-A', 100) } : { op_id: op.op_id, outcome: 'ACCEPTED' as const };
  await applyPushResults(db, [op], { last_seq: seq, results: [result], ...(checkpoint === undefined ? {} : { checkpoint: String(checkpoint) }) }, NOW, o.first ? firstSentAbove : undefined);
  expect(await db.outbox.count()).toBe(0);
}

/** The page is refused (or found below the floor) and the replica is exactly as before. */
async function expectRefused(db: ReplicaDb, page: StreamPage, outcome: 'refused' | 'incomplete' = 'refused') {
  const before = await everything(db);
  expect(await applyStreamPage(db, page, NOW + 1)).toBe(outcome);
  expect(await everything(db)).toEqual(before);
}

describe('applyStreamPage', () => {
  it('applies a page when the outbox is empty and since ≤ checkpoint < page.checkpoint: data and checkpoint, pulled_last_seq unchanged', async () => {
    const db = await pulledReplica();
    const page = streamPage(10, 12, { vouchers: [card('GC-A', 3_000), card('GC-B', 5_000)], products: [{ id: 'P1', barcode: null, name: 'Tea', unit_price: 250, tax_rate: 7, currency: 'EUR', active: true }] });
    expect(await applyStreamPage(db, page, NOW + 1)).toBe('applied');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_000);
    expect((await getVoucher(db, 'GC-B'))?.gift?.balance).toBe(5_000);
    expect(await db.products.get('P1')).toMatchObject({ name: 'Tea' });
    expect(await meta(db, 'checkpoint')).toBe('12');
    expect(await meta(db, 'last_pull_at')).toBe(NOW + 1);
    // A stream page says nothing about this till's ops: what the replica knows of them stays.
    expect(await meta(db, 'pulled_last_seq')).toBe(3);
    expect(await meta(db, 'next_seq')).toBe(4);
    // The next page follows on from it.
    expect(await applyStreamPage(db, streamPage(12, 13, { deleted: ['GC-B'] }), NOW + 2)).toBe('applied');
    expect(await getVoucher(db, 'GC-B')).toBeUndefined();
    expect(await meta(db, 'checkpoint')).toBe('13');
  });

  it('applies a page that starts before the checkpoint (since < checkpoint): the changes up to it come again as they are', async () => {
    const db = await pulledReplica();
    expect(await applyStreamPage(db, streamPage(7, 12, { vouchers: [card('GC-A', 4_000), card('GC-C', 100)] }), NOW + 1)).toBe('applied');
    expect(await meta(db, 'checkpoint')).toBe('12');
    expect((await getVoucher(db, 'GC-C'))?.gift?.balance).toBe(100);
  });

  it('refuses a page while an op that may have reached HQ is in the outbox (in flight, or sent with its answer lost: nothing says whether the page reflects it)', async () => {
    const db = await pulledReplica();
    const op = redemption();
    await db.outbox.add(op);
    await markSending(db, [op]);
    await expectRefused(db, streamPage(10, 12, { vouchers: [card('GC-A', 4_000)] }));
  });

  it('refuses a page while the outbox holds ops and nothing says which were sent (a replica an older version pushed from)', async () => {
    const db = await pulledReplica();
    await db.meta.delete('sent_seq');
    await db.outbox.add(redemption());
    await expectRefused(db, streamPage(10, 12, { vouchers: [card('GC-A', 4_000)] }));
  });

  it('applies a page over ops that never left the till, rebased on them (as a pull is): the sale is not undone, the page is not lost', async () => {
    const db = await pulledReplica();
    await pushed(db, 10, 4); // seq 4 sent and answered; the floor is 10
    await db.outbox.bulkAdd([redemption(5), redemption(6)]); // two sales since, not pushed yet
    expect(await applyStreamPage(db, streamPage(10, 12, { vouchers: [card('GC-A', 3_000), card('GC-B', 5_000)] }), NOW + 1)).toBe('applied');
    // HQ's 3,000 minus the two unsent redemptions of 500.
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(2_000);
    expect((await getVoucher(db, 'GC-B'))?.gift?.balance).toBe(5_000);
    expect(await meta(db, 'checkpoint')).toBe('12');
    expect(await db.outbox.count()).toBe(2);
    // Once one of them is on its way, the next page waits for its answer.
    await markSending(db, [(await db.outbox.get(5))!]);
    await expectRefused(db, streamPage(12, 13, { vouchers: [card('GC-A', 2_500)] }));
  });

  it('after a push answer, refuses a page below the checkpoint HQ named (it may lack the push) and applies one that reaches it, without a pull', async () => {
    const db = await pulledReplica();
    await pushed(db, 15);
    expect(await meta(db, 'push_floor')).toBe(15);
    // Read before the push reached HQ: GC-A at 4,000 would undo this till's redemption. It fits
    // otherwise, so the engine may keep it to join with the pages after it.
    await expectRefused(db, streamPage(10, 14, { vouchers: [card('GC-A', 4_000)] }), 'incomplete');
    expect(await applyStreamPage(db, streamPage(10, 15, { vouchers: [card('GC-A', 3_500)] }), NOW + 1)).toBe('applied');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_500);
    expect(await meta(db, 'checkpoint')).toBe('15');
  });

  it("an accepted redemption answered for the first time raises no floor: a page that predates it is rebased on it, one that holds it is not, and then it is forgotten", async () => {
    const db = await pulledReplica();
    await pushed(db, 15, 4, { first: true }); // GC-A −500 at HQ, its change numbered ≤ 15
    expect(await meta(db, 'push_floor')).toBeUndefined();
    expect(await db.unreflected.count()).toBe(1);
    // Read before the push committed: HQ's GC-A at 4,000, and this till's 500 on top.
    expect(await applyStreamPage(db, streamPage(10, 14, { vouchers: [card('GC-A', 4_000), card('GC-B', 900)] }), NOW + 1)).toBe('applied');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_500);
    expect(await db.unreflected.count()).toBe(1);
    // The page with the push's change: HQ's 3,500, nothing on top.
    expect(await applyStreamPage(db, streamPage(14, 15, { vouchers: [card('GC-A', 3_500)] }), NOW + 2)).toBe('applied');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_500);
    expect(await db.unreflected.count()).toBe(0);
  });

  it('a page with has_more that ends before an unreflected op is incomplete (it may end among that push\'s changes); joined up to a page without has_more it is applied', async () => {
    const db = await pulledReplica();
    await pushed(db, 20, 4, { first: true }); // GC-A −500 at HQ, numbered ≤ 20
    const first = streamPage(10, 14, { has_more: true, vouchers: [card('GC-A', 4_000)] });
    await expectRefused(db, first, 'incomplete');
    // The rest of the backlog, read at the head (20 not committed yet): the whole is rebased on the op.
    const whole = joinStreamPages(first, streamPage(14, 16, { vouchers: [card('GC-B', 900)] }))!;
    expect(await applyStreamPage(db, whole, NOW + 1)).toBe('applied');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_500);
    expect(await meta(db, 'checkpoint')).toBe('16');
    // A page with has_more that reaches the op's checkpoint holds it: applied as it comes.
    expect(await applyStreamPage(db, streamPage(16, 20, { has_more: true, vouchers: [card('GC-A', 3_500)] }), NOW + 2)).toBe('applied');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_500);
  });

  it('rebases a page on accepted ops before unsent ones (seq order): a redemption HQ accepted, then its rollback not yet sent, leave a single-use discount unused', async () => {
    const db = await pulledReplica();
    const single = (redeemed: number) => discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { code: 'DC-1', redemption: { quantity: 1, redeemed_quantity: redeemed }, status: redeemed ? 'REDEEMED' : 'ACTIVE' });
    const redeem: Op = { op_id: randomUUID(), seq: 4, type: 'REDEMPTION', occurred_at: new Date(NOW).toISOString(), payload: { code: 'DC-1', ticket_id: 't-4', amount: 100 } };
    await db.redemptions.add({ op_id: redeem.op_id, seq: 4, code: 'DC-1', ticket_id: 't-4', kind: 'DISCOUNT', amount: 100, status: 'PENDING', rolled_back: false, created_at: new Date(NOW).toISOString() });
    await db.outbox.add(redeem);
    const firstSentAbove = await markSending(db, [redeem]);
    await applyPushResults(db, [redeem], { last_seq: 4, checkpoint: '20', results: [{ op_id: redeem.op_id, outcome: 'ACCEPTED' }] }, NOW, firstSentAbove);
    await db.outbox.add({ op_id: randomUUID(), seq: 5, type: 'ROLLBACK', occurred_at: new Date(NOW).toISOString(), payload: { redemption_op_id: redeem.op_id } });
    // Read before the redemption reached HQ: unused there. Redeemed, then restored: unused.
    expect(await applyStreamPage(db, streamPage(10, 14, { vouchers: [single(0)] }), NOW + 1)).toBe('applied');
    expect((await getVoucher(db, 'DC-1'))?.redemption).toMatchObject({ redeemed_quantity: 0 });
    expect((await getVoucher(db, 'DC-1'))?.status).toBe('ACTIVE');
  });

  it('an op sent before (its answer may be a replay, its changes anywhere below the checkpoint) and a refused op (its answer wrote a newer voucher) raise the floor', async () => {
    const resent = await pulledReplica();
    await pushed(resent, 15, 4, { first: true, sentBefore: true });
    expect(await meta(resent, 'push_floor')).toBe(15);
    expect(await resent.unreflected.count()).toBe(0);
    await expectRefused(resent, streamPage(10, 14, { vouchers: [card('GC-A', 4_000)] }), 'incomplete');
    const refused = await pulledReplica();
    await pushed(refused, 15, 4, { first: true, outcome: 'CONFLICT' });
    expect(await meta(refused, 'push_floor')).toBe(15);
    expect(await refused.unreflected.count()).toBe(0);
    await expectRefused(refused, streamPage(10, 14, { vouchers: [card('GC-A', 4_000)] }), 'incomplete');
  });

  it('a page short of the push floor is refused, not held, while ops wait in the outbox (their push would raise the floor past it)', async () => {
    const db = await pulledReplica();
    await pushed(db, 15, 4);
    await db.outbox.add(redemption(5));
    await expectRefused(db, streamPage(10, 14, { vouchers: [card('GC-A', 4_000)] }), 'refused');
  });

  it('the push floor only rises: a later answer naming a lower checkpoint does not lower it', async () => {
    const db = await pulledReplica();
    await pushed(db, 15, 4);
    await pushed(db, 12, 5);
    expect(await meta(db, 'push_floor')).toBe(15);
    await expectRefused(db, streamPage(10, 14), 'incomplete');
  });

  it('after an answer that names no checkpoint, refuses pages until a pull reaches the tail (a pull with has_more is not enough), then applies again', async () => {
    const db = await pulledReplica();
    await pushed(db, undefined);
    await expectRefused(db, streamPage(10, 1_000_000)); // refused, not held: no page reaches a floor past any checkpoint
    await applyChangesPage(db, pulledPage(11, 4, { has_more: true }), NOW);
    await expectRefused(db, streamPage(11, 1_000_000));
    await applyChangesPage(db, pulledPage(12, 4, { vouchers: [card('GC-A', 3_500)] }), NOW);
    expect(await meta(db, 'push_floor')).toBeUndefined();
    expect(await applyStreamPage(db, streamPage(12, 13, { vouchers: [card('GC-D', 700)] }), NOW + 1)).toBe('applied');
    expect(await meta(db, 'checkpoint')).toBe('13');
    expect((await getVoucher(db, 'GC-A'))?.gift?.balance).toBe(3_500);
  });

  it('refuses a page that starts after the checkpoint (since > checkpoint: the changes in between would be skipped)', async () => {
    const db = await pulledReplica();
    await expectRefused(db, streamPage(11, 12, { vouchers: [card('GC-B', 5_000)] }));
  });

  it('refuses a stale page (page.checkpoint ≤ checkpoint: it brings nothing newer, and may bring older states)', async () => {
    const db = await pulledReplica();
    await expectRefused(db, streamPage(10, 10));
    await expectRefused(db, streamPage(8, 9, { vouchers: [card('GC-A', 5_000)] }));
  });

  it('applies a page with has_more (a backlog sent over several fan-outs) without taking it for a finished pull: last_pull_at stays', async () => {
    const db = await pulledReplica();
    const pulledAt = (await db.meta.get('last_pull_at'))?.value;
    expect(await applyStreamPage(db, streamPage(10, 12, { has_more: true, vouchers: [card('GC-M', 700)] }), NOW + 1)).toBe('applied');
    expect((await getVoucher(db, 'GC-M'))?.gift?.balance).toBe(700);
    expect((await db.meta.get('checkpoint'))?.value).toBe('12');
    expect((await db.meta.get('last_pull_at'))?.value).toBe(pulledAt);
    // …and the next page of the backlog, from there.
    expect(await applyStreamPage(db, streamPage(12, 14, { vouchers: [card('GC-M', 650)] }), NOW + 2)).toBe('applied');
    expect((await getVoucher(db, 'GC-M'))?.gift?.balance).toBe(650);
  });
});

/** The engine's debounce before a pull an event asked for (sync-engine.ts, pullFor). */
const PULL_DEBOUNCE_MS = 200;

const discount = () => ({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 } });

describe('a till on a real HQ (PGlite, loopback HTTP) and its change stream', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
    // A replica at checkpoint 0 is announced to, never sent a page (its first page would be the whole
    // catalogue): the tills here start from a feed that has something.
    await adminCreate(hq, discount());
  }, 60_000);
  afterAll(async () => hq?.close());

  /**
   * A till whose requests are counted and whose stream is recorded as it arrives, on timers the test
   * fires (nothing runs on its own but what the stream sets off), connected and up to date.
   */
  async function connectedTill() {
    const requests: string[] = [];
    let streamText = '';
    const fetchFn: FetchLike = async (input, init) => {
      const url = new URL(input);
      requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      const res = await fetch(input, init);
      if (url.pathname !== '/v1/sync/stream' || !res.body) return res;
      const [engine, recorder] = res.body.tee();
      void (async () => {
        const reader = recorder.pipeThrough(new TextDecoderStream()).getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) streamText += chunk.value;
      })().catch(() => {}); // ends with the stream (the till closed, or HQ ended it)
      return new Response(engine, { status: res.status, headers: res.headers });
    };
    const t = manualTimers();
    const till = await newTill(hq, { fetch: fetchFn, timers: t.timers, liveUpdates: true });
    await till.initialLoad();
    till.start();
    await till.syncNow(); // the cycle start() began: push, pull to the tail (CAUGHT_UP), then the stream
    // HQ writes `retry:` as it registers the stream: once it is read, changes reach this till.
    await expect.poll(() => streamText.includes('retry:'), { timeout: 10_000 }).toBe(true);
    return {
      till,
      timers: t,
      pulls: () => requests.filter((r) => r === 'GET /v1/sync/changes').length,
      /** The stream's events, as `event` and `data`. */
      events: () =>
        streamText
          .split('\n\n')
          .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1], data: /^data: (.*)$/m.exec(block)?.[1] ?? '' }))
          .filter((e) => e.event),
    };
  }

  it('an up-to-date till gets a change through a page event, without a GET /v1/sync/changes', async () => {
    const w = await connectedTill();
    try {
      const pulls = w.pulls();
      const made = (await adminCreate(hq, discount())) as { code: string };
      await expect.poll(async () => (await getVoucher(w.till.db, made.code))?.code, { timeout: 10_000 }).toBe(made.code);
      expect(w.events().filter((e) => e.data.includes(made.code)).map((e) => e.event)).toEqual(['page']);
      expect(w.pulls()).toBe(pulls);
      expect(w.timers.delays()).not.toContain(PULL_DEBOUNCE_MS); // and no pull is on its way
      expect(w.till.status()).toMatchObject({ online: true });
    } finally {
      await w.till.close();
    }
  });

  it('a till with a sale not yet pushed takes the page over it, rebased on the sale (it never left the till), and pulls nothing', async () => {
    const w = await connectedTill();
    try {
      const gift = (await adminCreate(hq, { type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 1_000 } })) as { code: string };
      await expect.poll(async () => (await getVoucher(w.till.db, gift.code))?.gift?.balance, { timeout: 10_000 }).toBe(1_000);
      // A sale takes 3.00 off the card; its push waits for a timer this test does not fire.
      await w.till.completeTicket({ ticket: ticketOf([{ quantity: 1, unit_price: 300 }]), codes: [gift.code], payments: [] });
      expect(await w.till.db.outbox.count()).toBe(1);
      expect((await getVoucher(w.till.db, gift.code))?.gift?.balance).toBe(700);
      const pulls = w.pulls();
      // HQ changes the card (its state there: 10.00, without the sale) and the page comes.
      await hq.admin({ method: 'PUT', url: `/v1/vouchers/${gift.code}`, payload: { label: 'changed' } });
      await expect.poll(async () => (await getVoucher(w.till.db, gift.code))?.label, { timeout: 10_000 }).toBe('changed');
      expect((await getVoucher(w.till.db, gift.code))?.gift?.balance).toBe(700); // HQ's 1,000 less the unsent 300
      expect(await w.till.db.outbox.count()).toBe(1);
      expect(w.pulls()).toBe(pulls);
      expect(w.timers.delays()).not.toContain(PULL_DEBOUNCE_MS);
    } finally {
      await w.till.close();
    }
  });

  it("a sale's cycle only pushes: its change comes back as a page at or past the checkpoint the push answer named, without a pull", async () => {
    const w = await connectedTill();
    try {
      const pulls = w.pulls();
      const card = await w.till.issueGiftCard(1_500);
      w.timers.fireExactly(0); // the cycle the sale asked for
      await expect.poll(() => w.till.db.outbox.count(), { timeout: 10_000 }).toBe(0);
      const floor = Number(await meta(w.till.db, 'push_floor'));
      expect(floor).toBeGreaterThan(0);
      await expect.poll(async () => Number(await meta(w.till.db, 'checkpoint')), { timeout: 10_000 }).toBeGreaterThanOrEqual(floor);
      expect(w.events().filter((e) => e.data.includes(card.code)).map((e) => e.event)).toEqual(['page']);
      expect(w.pulls()).toBe(pulls);
      expect(w.timers.delays()).not.toContain(PULL_DEBOUNCE_MS);
      expect((await getVoucher(w.till.db, card.code))?.gift?.balance).toBe(1_500);
    } finally {
      await w.till.close();
    }
  });
});

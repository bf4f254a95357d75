// The change stream's `page` events (hq/change-stream.ts) over real sockets on 127.0.0.1: streams that
// know the same checkpoint cost one page read per change and get the same bytes; announcements where a
// page will not do (groups beyond maxGroups, has_more, too large, checkpoint 0), and the till can then
// pull; the page cache's rule carried onto the stream (a page never lacks a change numbered up to its
// checkpoint); a stream page is the pull answer from the same checkpoint, but for last_seq.
import { openStream, type SseEvent } from './sse-stream';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeBus } from '../../hq/change-bus';
import type { StreamHubOptions } from '../../hq/change-stream';
import { parseStreamEvent, readChangeStream, type StreamEvent } from '../../sync/engine/event-stream';
import { pageReads } from '../../hq/changes';
import { StreamPageSchema, type ChangesResponse, type StreamPage } from '../../sync/protocol';
import { BACKENDS, startHq, type Backend, type Hq } from '../../testkit/hq-harness';
import { createVoucher, discountBody, query, TestTill } from './helpers';

/** Small limits, so a test can cross them: pages of at most 4 items and 6 KiB, pages for 3 groups. */
// gzipMinBytes: these tests read pages as JSON (`page`); `page-gzip` has its own describe below.
const STREAM = { maxGroups: 3, pageLimit: 4, maxPageBytes: 6 * 1024, gzipMinBytes: Number.POSITIVE_INFINITY };

/**
 * A change bus whose window ends when the test says so (release()). Writes raise `latest` at once, as
 * the real bus does (the page cache's rule 2 reads it), but the hub hears of them only on release: the
 * test decides at which checkpoints streams sit, and one release is one fan-out. release(checkpoint)
 * hears an older one: a window that ended before the later writes were announced.
 */
function manualBus(): ChangeBus & { release(checkpoint?: number): void } {
  const listeners = new Set<(checkpoint: number) => void>();
  let latest = 0;
  return {
    announce(checkpoint) {
      if (checkpoint > latest) latest = checkpoint;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get latest() {
      return latest;
    },
    release(checkpoint = latest) {
      for (const listener of listeners) listener(checkpoint);
    },
    close: async () => listeners.clear(),
  };
}

type LiveHq = Hq & { base: string; bus: ReturnType<typeof manualBus> };

/** HQ as the harness starts it, with the stream limits above and the manual bus, listening on 127.0.0.1. */
async function startStreamHq(backend: Backend, stream: StreamHubOptions = STREAM): Promise<LiveHq> {
  const bus = manualBus();
  const hq = await startHq(backend, { bus, stream });
  await hq.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...hq,
    bus,
    base: `http://127.0.0.1:${(hq.app.server.address() as AddressInfo).port}`,
    close: async () => {
      await hq.close();
      await bus.close();
    },
  };
}

type Stream = Awaited<ReturnType<typeof openStream>>;

/** The `retry:` block every stream begins with: once it is read, the hub has the stream. */
const opened = (b: SseEvent) => b.raw.startsWith('retry:');
/** An event that moves the till on: an announcement or a page. */
const news = (b: SseEvent) => b.event === 'changes' || b.event === 'page';
const pageOf = (b: SseEvent): StreamPage => StreamPageSchema.parse(JSON.parse(b.data!));
const codesOf = (page: { vouchers: { code: string }[] }) => page.vouchers.map((v) => v.code).sort();

describe.each(BACKENDS)('change stream pages on %s', (backend) => {
  let hq: LiveHq;
  let till: TestTill;
  let streams: Stream[] = [];
  beforeAll(async () => {
    hq = await startStreamHq(backend);
    till = await TestTill.create(hq, 'Pages');
  }, 60_000);
  afterAll(async () => hq?.close());

  const connections = () => new Promise<number>((resolve, reject) => hq.app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
  /** Streams that all have the hub's attention (their `retry:` block read). */
  const open = async (n: number, lastEventId?: number): Promise<Stream[]> => {
    const opening = await Promise.all(Array.from({ length: n }, () => openStream(hq.base, till.token, lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) })));
    streams.push(...opening);
    await Promise.all(opening.map((s) => s.next(opened)));
    return opening;
  };
  // A stream left over from one test would be a group of its own in the next test's fan-out (an extra
  // page read, another group competing for a page): every test starts with none.
  afterEach(async () => {
    for (const s of streams) s.close();
    streams = [];
    await expect.poll(connections, { timeout: 10_000 }).toBe(0);
  });

  // First in this describe on purpose: only a fresh HQ (nothing announced yet) leaves a stream at 0.
  it('a stream at checkpoint 0 (an empty replica: its first page would be the whole catalogue) gets an announcement, and no page is read for it', async () => {
    expect(hq.bus.latest).toBe(0);
    const [empty] = await open(1);
    expect(empty!.blocks.filter(news)).toEqual([]); // nothing announced yet: nothing at once
    await createVoucher(hq, discountBody());
    const reads = pageReads.count;
    hq.bus.release();
    const heard = await empty!.next(news);
    expect(heard).toMatchObject({ event: 'changes', id: String(hq.bus.latest) });
    expect(pageReads.count - reads).toBe(0);
  });

  it('20 streams that know checkpoint C: one change is one page read, and every stream gets the same bytes, a page from C', async () => {
    await createVoucher(hq, discountBody());
    const c = hq.bus.latest;
    const group = await open(20, c);
    const made = await createVoucher(hq, discountBody());
    const reads = pageReads.count;
    hq.bus.release();
    const heard = await Promise.all(group.map((s) => s.next(news)));
    expect(pageReads.count - reads).toBe(1);
    expect(new Set(heard.map((e) => e.raw)).size).toBe(1); // the same bytes, to the byte
    expect(heard[0]).toMatchObject({ event: 'page', id: String(hq.bus.latest) });
    expect(pageOf(heard[0]!)).toMatchObject({ since: String(c), checkpoint: String(hq.bus.latest), has_more: false, vouchers: [{ code: made.code }] });
    for (const s of group) expect(s.blocks.filter(news)).toHaveLength(1);
  });

  it(`groups at 4 checkpoints (4, 3, 2 and 1 streams), maxGroups ${STREAM.maxGroups}: the three largest get pages, the smallest an announcement; all reach the announced checkpoint`, async () => {
    const groups: { since: number; streams: Stream[] }[] = [];
    for (const size of [4, 3, 2, 1]) {
      await createVoucher(hq, discountBody());
      // Opened at the current checkpoint: the hub sends nothing at once and the stream stays there.
      groups.push({ since: hq.bus.latest, streams: await open(size, hq.bus.latest) });
    }
    await createVoucher(hq, discountBody());
    const announced = hq.bus.latest;
    const reads = pageReads.count;
    hq.bus.release();
    const heard = await Promise.all(groups.map(async (g) => Promise.all(g.streams.map((s) => s.next(news)))));
    expect(pageReads.count - reads).toBe(STREAM.maxGroups);
    heard.forEach((events, i) => {
      const group = groups[i]!;
      if (i < STREAM.maxGroups) {
        expect(events.map((e) => e.event), `group of ${events.length}`).toEqual(events.map(() => 'page'));
        expect(new Set(events.map((e) => e.raw)).size).toBe(1);
        // Every change after the group's checkpoint: the vouchers created after it (one per later group, and the last).
        expect(pageOf(events[0]!)).toMatchObject({ since: String(group.since), checkpoint: String(announced) });
        expect(pageOf(events[0]!).vouchers).toHaveLength(groups.length - i);
      } else {
        expect(events).toEqual([expect.objectContaining({ event: 'changes', id: String(announced), data: JSON.stringify({ checkpoint: String(announced) }) })]);
      }
      for (const e of events) expect(Number(e.id)).toBeGreaterThanOrEqual(announced);
    });
  });

  it(`a backlog of more than ${STREAM.pageLimit} items goes as pages with has_more, one per fan-out, until the tail: no announcement, no pull`, async () => {
    await createVoucher(hq, discountBody());
    const c = hq.bus.latest;
    const [stream] = await open(1, c);
    const made: string[] = [];
    for (let i = 0; i < 2 * STREAM.pageLimit + 1; i++) made.push((await createVoucher(hq, discountBody())).code);
    const reads = pageReads.count;
    hq.bus.release(); // one announcement; the hub goes on by itself while pages have more
    const pages: StreamPage[] = [];
    let since = c;
    for (let i = 0; i < 3; i++) {
      const heard = await stream!.next((b) => news(b) && !pages.some((p) => p.checkpoint === b.id));
      expect(heard.event).toBe('page');
      const page = pageOf(heard);
      expect(page).toMatchObject({ since: String(since), has_more: i < 2 });
      pages.push(page);
      since = Number(page.checkpoint);
    }
    expect(since).toBe(hq.bus.latest);
    expect(pages.flatMap(codesOf).sort()).toEqual([...made].sort());
    expect(stream!.blocks.filter((b) => b.event === 'changes')).toEqual([]);
    expect(pageReads.count - reads).toBe(3);
  });

  it(`a page larger than ${STREAM.maxPageBytes} bytes is announced, and the till pulls it`, async () => {
    await createVoucher(hq, discountBody());
    const c = hq.bus.latest;
    const [stream] = await open(1, c);
    const big = await createVoucher(hq, discountBody({ metadata: { note: 'x'.repeat(STREAM.maxPageBytes) } }));
    hq.bus.release();
    const announced = await stream!.next(news);
    expect(announced).toMatchObject({ event: 'changes', id: String(hq.bus.latest) });
    const pulled = await till.pull(c, STREAM.pageLimit); // one item, the tail: only its size kept it off the stream
    expect(pulled).toMatchObject({ checkpoint: announced.id, has_more: false, vouchers: [{ code: big.code }] });
  });

  it('THE CACHE RULE on the stream: a page event holds every change numbered after its since up to its id (writes, pulls and fan-outs interleaved)', async () => {
    await createVoucher(hq, discountBody());
    const start = hq.bus.latest;
    const opening: { stream: Stream; since: number }[] = [];
    const made: string[] = [];
    const write = async () => void made.push((await createVoucher(hq, discountBody())).code);
    const tick = () => new Promise((r) => setImmediate(r));
    /** A stream opened at the checkpoint of the moment, after `ticks` turns of the event loop. */
    const opener = async (ticks: number) => {
      for (let i = 0; i < ticks; i++) await tick();
      const since = hq.bus.latest;
      opening.push(...(await open(1, since)).map((stream) => ({ stream, since })));
    };
    for (let round = 0; round < 12; round++) {
      const at = hq.bus.latest;
      // Pulls of the page the hub will read next (same checkpoint, same limit: the same cache entry),
      // fan-outs and new streams (groups at several checkpoints, at times more than maxGroups of them),
      // racing the writes: a tail page cached before a write must not reach a stream after it.
      await Promise.all([
        till.pull(at, STREAM.pageLimit),
        write(),
        opener(round % 3),
        (async () => {
          await tick();
          hq.bus.release();
        })(),
        round % 2 ? write() : till.pull(at, STREAM.pageLimit),
        opener(1 + (round % 4)),
        (async () => {
          for (let i = 0; i < round % 4; i++) await tick();
          await till.pull(hq.bus.latest, STREAM.pageLimit);
          hq.bus.release();
        })(),
      ]);
    }
    hq.bus.release();
    const end = hq.bus.latest;
    // Every stream hears of `end` (one opened at it already knows it).
    await Promise.all(opening.filter(({ since }) => since < end).map(({ stream }) => stream.next((b) => news(b) && Number(b.id) >= end)));

    const numbered = await query<{ code: string; change_seq: string | number }>(hq, sql`SELECT code, change_seq FROM vouchers WHERE change_seq > ${start}`);
    expect(numbered.map((r) => r.code).sort()).toEqual([...made].sort()); // each voucher changed once: its number names it
    const between = (since: number, upTo: number) =>
      numbered
        .filter((r) => Number(r.change_seq) > since && Number(r.change_seq) <= upTo)
        .map((r) => r.code)
        .sort();
    let pages = 0;
    for (const { stream, since } of opening) {
      let known = since;
      for (const event of stream.blocks.filter(news)) {
        if (event.event === 'page') {
          const page = pageOf(event);
          pages += 1;
          // The hub reads the page after what it last sent this stream, and the page brings something.
          expect(page.since).toBe(String(known));
          expect(page.checkpoint).toBe(event.id);
          expect(Number(page.checkpoint)).toBeGreaterThan(known);
          expect(codesOf(page), `page ${page.since}..${page.checkpoint}`).toEqual(between(known, Number(page.checkpoint)));
        }
        known = Number(event.id);
      }
      expect(known).toBeGreaterThanOrEqual(end);
    }
    expect(pages).toBeGreaterThan(0); // the rule was checked on pages, not only on announcements
  }, 30_000);

  it('a stream page is the pull answer from the same checkpoint, but for last_seq and latest_checkpoint: vouchers, tombstones, products and customers', async () => {
    const old = await createVoucher(hq, discountBody());
    const put = async (url: string, payload: object) => expect((await hq.admin({ method: 'PUT', url, payload })).statusCode).toBe(200);
    const del = async (url: string) => expect((await hq.admin({ method: 'DELETE', url })).statusCode).toBe(204);
    await put('/v1/products/SP-GONE', { name: 'Gone', unit_price: 100, tax_rate: 7, currency: 'EUR' });
    await put('/v1/customers/SC-GONE', { name: 'Gone' });
    const compare = (page: StreamPage, pulled: ChangesResponse) => {
      const { since: _since, latest_checkpoint: _a, ...streamed } = page;
      const { last_seq: _lastSeq, latest_checkpoint: _b, ...answered } = pulled;
      expect(streamed).toEqual(answered);
    };

    const c = hq.bus.latest;
    const [stream] = await open(1, c);
    const made = await createVoucher(hq, discountBody());
    await del(`/v1/vouchers/${old.code}`);
    await put('/v1/products/SP-NEW', { name: 'New', barcode: null, unit_price: 250, tax_rate: 19, currency: 'EUR' });
    await put('/v1/customers/SC-NEW', { name: 'New', card_code: 'CARD-SC-NEW' });
    hq.bus.release();
    const first = await stream!.next(news);
    expect(first.event).toBe('page');
    const page = pageOf(first);
    expect(page).toMatchObject({ since: String(c), vouchers: [{ code: made.code }], deleted: [old.code], products: [{ id: 'SP-NEW' }], customers: [{ id: 'SC-NEW' }] });
    compare(page, await till.pull(c));

    const c2 = hq.bus.latest;
    await del('/v1/products/SP-GONE');
    await del('/v1/customers/SC-GONE');
    hq.bus.release();
    const second = await stream!.next((b) => news(b) && b !== first);
    expect(second.event).toBe('page');
    const page2 = pageOf(second);
    expect(page2).toMatchObject({ since: String(c2), vouchers: [], deleted_products: ['SP-GONE'], deleted_customers: ['SC-GONE'] });
    compare(page2, await till.pull(c2));
  });
});

describe.each(BACKENDS)('change stream pages as page-gzip on %s', (backend) => {
  // Every page from 1 byte on goes gzipped; the size limit is the event's, i.e. compressed.
  let hq: LiveHq;
  let till: TestTill;
  beforeAll(async () => {
    hq = await startStreamHq(backend, { ...STREAM, gzipMinBytes: 1 });
    till = await TestTill.create(hq, 'Gzip pages');
  }, 60_000);
  afterAll(async () => hq?.close());

  it('a page goes as base64 of its gzipped JSON: decoded by the till, it is the page a `page` event would carry (= the pull), and its size limit is the compressed size', async () => {
    await createVoucher(hq, discountBody());
    const c = hq.bus.latest;
    const stream = await openStream(hq.base, till.token, { 'last-event-id': String(c) });
    try {
      await stream.next(opened);
      // 6 KiB of one letter: over maxPageBytes as JSON (announced when sent as `page`), a few dozen bytes gzipped.
      const big = await createVoucher(hq, discountBody({ metadata: { note: 'x'.repeat(STREAM.maxPageBytes) } }));
      hq.bus.release();
      const heard = await stream.next((b) => b.event === 'page-gzip' || news(b));
      expect(heard).toMatchObject({ event: 'page-gzip', id: String(hq.bus.latest) });
      expect(heard.raw.length).toBeLessThan(STREAM.maxPageBytes);
      const decoded = await parseStreamEvent(heard.event, heard.data!);
      expect(decoded?.type).toBe('page');
      const page = (decoded as Extract<StreamEvent, { type: 'page' }>).page;
      expect(page).toMatchObject({ since: String(c), checkpoint: String(hq.bus.latest), vouchers: [{ code: big.code }] });
      const pulled = await till.pull(c, STREAM.pageLimit);
      expect({ ...page, since: undefined, latest_checkpoint: undefined }).toEqual({ ...pulled, last_seq: undefined, since: undefined, latest_checkpoint: undefined });
    } finally {
      stream.close();
    }
  });

  it("a page-gzip the till cannot decode still moves it on: its id is taken as an announcement (the till pulls)", async () => {
    expect(await parseStreamEvent('page-gzip', 'not base64 of gzip')).toBeNull();
    const heard: StreamEvent[] = [];
    const body = `id: 42\nevent: page-gzip\ndata: H4sIAAAAbroken\n\n`;
    const fetchFn = async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    await readChangeStream(fetchFn, 'http://hq.invalid', 'tok', new AbortController().signal, (e) => heard.push(e));
    expect(heard).toEqual([{ type: 'changes', checkpoint: '42' }]);
  });
});

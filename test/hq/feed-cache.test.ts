// The change feed's page cache (hq/change-pages.ts): one read per page whatever the number of tills,
// the same bytes for every till but its own last_seq, ETag/304, gzip and br — and THE RULE: a cached
// page is never served after a change it does not contain.
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesResponseSchema, type ChangesResponse } from '../../sync/protocol';
import { pageReads, stampChanges } from '../../hq/changes';
import { createChangePages, TAIL_MAX_AGE_MS, type TillRow } from '../../hq/change-pages';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { createVoucher, discountBody, query, TestTill } from './helpers';

/** A page's body without the till's own last_seq (the one field that is not shared). */
const shared = (body: string) => {
  const m = /^(.*),"last_seq":(\d+)\}$/s.exec(body);
  expect(m, body.slice(-80)).not.toBeNull();
  return { rest: m![1]!, lastSeq: Number(m![2]) };
};

describe.each(BACKENDS)('change feed cache on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const get = (till: TestTill, checkpoint: string | number, limit = 1000, headers: Record<string, string> = {}) =>
    hq.as(till.token, { method: 'GET', url: `/v1/sync/changes?checkpoint=${checkpoint}&limit=${limit}`, headers });
  const pull = async (till: TestTill, checkpoint: string | number, limit = 1000): Promise<ChangesResponse> => {
    const res = await get(till, checkpoint, limit);
    expect(res.statusCode, res.body).toBe(200);
    return ChangesResponseSchema.parse(res.json());
  };
  /** The newest checkpoint (every page from 0). */
  const head = async (till: TestTill) => {
    let cp = '0';
    for (;;) {
      const page = await pull(till, cp, 10_000);
      cp = page.checkpoint;
      if (!page.has_more) return cp;
    }
  };
  /** The till row as authentication reads it (what the route hands the cache). */
  const rowOf = async (till: TestTill): Promise<TillRow> => {
    const [r] = await query<{ last_seq: string | number; xmin: string; horizon: string }>(
      hq,
      sql`SELECT last_seq, xmin::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS horizon FROM tills WHERE id = ${till.till_id}::uuid`,
    );
    const { widenXid } = await import('../../hq/auth');
    return { lastSeq: Number(r!.last_seq), rowVersion: widenXid(BigInt(r!.xmin), BigInt(r!.horizon)) };
  };

  it('two tills at the same checkpoint get the same bytes but their own last_seq, from one read', async () => {
    const [a, b] = [await TestTill.create(hq, 'A'), await TestTill.create(hq, 'B')];
    const cp = await head(a);
    const made = [await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody())];
    await b.pushOk([b.redeem(made[0]!.code, 1), b.redeem('NO-SUCH-CODE', 1)]); // last_seq 2, and a change
    // limit 1: a page with has_more, which no clock expires (a tail page would be read again after
    // TAIL_MAX_AGE_MS, and a slow machine must not make this test count two reads).
    const reads = pageReads.count;
    const [ra, rb] = [await get(a, cp, 1), await get(b, cp, 1)];
    expect(pageReads.count - reads).toBe(1);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    const [sa, sb] = [shared(ra.body), shared(rb.body)];
    expect(sa.rest).toBe(sb.rest);
    expect([sa.lastSeq, sb.lastSeq]).toEqual([0, 2]);
    const page = ChangesResponseSchema.parse(rb.json());
    expect(page).toMatchObject({ has_more: true, vouchers: [{ code: made[1]!.code }] }); // the redeemed one moved on
    expect((await pull(b, page.checkpoint)).vouchers).toMatchObject([{ code: made[0]!.code, status: 'REDEEMED' }]);
    expect(ra.headers.etag).toMatch(/^"[^"]+"$/);
    expect(ra.headers.etag).not.toBe(rb.headers.etag); // the ETag names the bytes, last_seq included
    expect(ra.headers['cache-control']).toBe('private, no-cache');
  });

  it('ETag and If-None-Match: 304 without a body on a repeat, 200 when the bytes differ', async () => {
    const t = await TestTill.create(hq, 'Etag');
    await createVoucher(hq, discountBody());
    const first = await get(t, 0);
    const etag = String(first.headers.etag);
    const again = await get(t, 0, 1000, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('private, no-cache');
    expect((await get(t, 0, 1000, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304); // lists, weak comparison
    expect((await get(t, 0, 1000, { 'if-none-match': '"other"' })).statusCode).toBe(200);
    // Other bytes, another ETag (the same bytes under another limit have the same one); a change
    // makes new bytes, and the old ETag no longer matches.
    expect((await get(t, 0, 1)).headers.etag).not.toBe(etag);
    expect((await get(t, 0, 5000)).headers.etag).toBe(etag);
    const v = await createVoucher(hq, discountBody());
    const changed = await get(t, 0, 1000, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(ChangesResponseSchema.parse(changed.json()).vouchers.map((x) => x.code)).toContain(v.code);
    // The till's own last_seq changes its bytes too.
    await t.pushOk([t.redeem('NO-SUCH-CODE', 1)]);
    expect((await get(t, 0, 1000, { 'if-none-match': String(changed.headers.etag) })).statusCode).toBe(200);
  });

  it('a cached tail page is never served after a change: each write is in the very next pull', async () => {
    const [reader, pusher] = [await TestTill.create(hq, 'Reader'), await TestTill.create(hq, 'Pusher')];
    const cp = await head(reader);
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const before = await pull(reader, cp); // cached now, for every till at cp
      expect(await pull(reader, cp)).toEqual(before);
      const v = await createVoucher(hq, discountBody({ label: `round ${i}` }));
      const after = await pull(reader, cp);
      expect(after.vouchers.map((x) => x.code)).toEqual([...seen, v.code]);
      seen.push(v.code);
      // A push from another till is a change too.
      const rounds = await pull(reader, cp);
      await pusher.pushOk([pusher.redeem(v.code, 1)]);
      const pushed = await pull(reader, cp);
      expect(pushed.vouchers.find((x) => x.code === v.code)).toMatchObject({ status: 'REDEEMED' });
      expect(BigInt(pushed.checkpoint)).toBeGreaterThan(BigInt(rounds.checkpoint));
    }
    // Deleted: the tombstone is in the next pull.
    const gone = seen[0]!;
    expect((await hq.admin({ method: 'DELETE', url: `/v1/vouchers/${gone}` })).statusCode).toBe(204);
    const afterDelete = await pull(reader, cp);
    expect(afterDelete.deleted).toEqual([gone]);
    expect(afterDelete.vouchers.map((x) => x.code)).not.toContain(gone);
  });

  it('a till is never served a cached page read before its own last push (its last_seq would claim what the page lacks)', async () => {
    const [t, other] = [await TestTill.create(hq, 'Own'), await TestTill.create(hq, 'Other')];
    const cp = await head(t);
    const [v1, v2, v3] = [await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody())];
    const first = await pull(other, cp, 2); // has_more: v1, v2 — cached
    expect(first).toMatchObject({ has_more: true });
    expect(first.vouchers.map((v) => v.code)).toEqual([v1.code, v2.code]);
    await t.pushOk([t.redeem(v1.code, 1)]);
    const reads = pageReads.count;
    const own = await pull(t, cp, 2);
    expect(pageReads.count - reads).toBe(1); // read again: the cached one predates the push
    expect(own.last_seq).toBe(1);
    expect(own.vouchers.map((v) => v.code)).toEqual([v2.code, v3.code]); // v1 moved on, redeemed
    const rest = await pull(t, own.checkpoint, 2);
    expect(rest.vouchers).toMatchObject([{ code: v1.code, status: 'REDEEMED' }]);
    // A page with has_more stays valid for everyone else, whatever changed since (rule 3).
    expect((await pull(other, cp, 2)).last_seq).toBe(0);
  });

  it('coalesces: 40 tills asking for the same page at once cost one read', async () => {
    const tills = await Promise.all(Array.from({ length: 40 }, (_, i) => TestTill.create(hq, `C${i}`)));
    const cp = await head(tills[0]!);
    await createVoucher(hq, discountBody());
    await createVoucher(hq, discountBody());
    const reads = pageReads.count;
    const answers = await Promise.all(tills.map((t) => get(t, cp, 1))); // has_more: no clock in play
    expect(pageReads.count - reads).toBe(1);
    const bodies = new Set(answers.map((r) => shared(r.body).rest));
    expect(bodies.size).toBe(1);
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
  });

  it('gzip and br as Accept-Encoding asks: the bodies decode to the same JSON, over a real socket too', async () => {
    const t = await TestTill.create(hq, 'Zip');
    for (let i = 0; i < 8; i++) await createVoucher(hq, discountBody({ metadata: { note: `voucher ${i} `.repeat(20) } }));
    await t.pushOk([t.redeem('NO-SUCH-CODE', 1), t.redeem('NO-SUCH-CODE-2', 1), t.redeem('NO-SUCH-CODE-3', 1)]);
    const plain = await get(t, 0);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(String(plain.headers.vary)).toMatch(/accept-encoding/i);
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const decoders = { gzip: zlib.gunzipSync, br: zlib.brotliDecompressSync } as const;
    const etags = new Set([plain.headers.etag]);
    for (const [accept, encoding] of [['gzip', 'gzip'], ['br', 'br'], ['gzip, deflate, br', 'br'], ['br;q=0.5, gzip', 'gzip'], ['deflate', undefined], ['identity', undefined]] as const) {
      for (let round = 0; round < 2; round++) {
        const res = await get(t, 0, 1000, { 'accept-encoding': accept });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding'], accept).toBe(encoding);
        const text = encoding ? decoders[encoding](res.rawPayload).toString('utf8') : res.body;
        expect(text, accept).toBe(plain.body);
        if (encoding) {
          expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
          etags.add(res.headers.etag);
          // A repeat of a compressed answer revalidates like any other.
          expect((await get(t, 0, 1000, { 'accept-encoding': accept, 'if-none-match': String(res.headers.etag) })).statusCode).toBe(304);
        }
      }
    }
    expect(etags.size).toBe(3); // one per coding: a strong ETag names one representation
    expect(shared(plain.body).lastSeq).toBe(3);

    // A real HTTP client (undici's fetch decodes gzip and br itself).
    await hq.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = hq.app.server.address() as AddressInfo;
    for (const accept of ['gzip', 'br']) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/sync/changes?checkpoint=0`, { headers: { authorization: `Bearer ${t.token}`, 'accept-encoding': accept } });
      expect(res.headers.get('content-encoding')).toBe(accept);
      expect(await res.text()).toBe(plain.body);
    }
  });

  it('other JSON answers are compressed by @fastify/compress; small pages are not compressed', async () => {
    const list = await hq.admin({ method: 'GET', url: '/v1/vouchers?limit=100', headers: { 'accept-encoding': 'gzip' } });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(list.rawPayload).toString('utf8'))).toBeTypeOf('object');
    const t = await TestTill.create(hq, 'Small');
    const tail = await get(t, await head(t), 1000, { 'accept-encoding': 'gzip, br' });
    expect(tail.headers['content-encoding']).toBeUndefined();
    expect(ChangesResponseSchema.parse(tail.json())).toMatchObject({ vouchers: [], has_more: false });
  });

  describe('the cache itself (createChangePages, a bus and a clock of its own)', () => {
    const setup = async (options: { maxBytes?: number } = {}) => {
      const bus = { latest: 0 };
      let clock = 1_000_000;
      const pages = createChangePages(hq.database.db, bus, { ...options, now: () => clock });
      return { bus, pages, tick: (ms: number) => (clock += ms) };
    };

    it('a tail page is refused once a change above it is announced, and once older than TAIL_MAX_AGE_MS only if something committed above it', async () => {
      const t = await TestTill.create(hq, 'Unit');
      const row = await rowOf(t);
      const { bus, pages } = await setup();
      const cp = Number(await head(t));
      bus.latest = cp;
      let reads = pageReads.count;
      const tail = await pages.page(cp, 1000, row);
      expect(tail.hasMore).toBe(false);
      expect(await pages.page(cp, 1000, row)).toBe(tail);
      expect(pageReads.count - reads).toBe(1);
      bus.latest = cp + 1; // announced, not in the page
      reads = pageReads.count;
      const fresh = await pages.page(cp, 1000, row);
      expect(fresh).not.toBe(tail);
      expect(pageReads.count - reads).toBe(1);
      // Past TAIL_MAX_AGE_MS a tail page is checked against the committed head: kept while nothing
      // committed above it, read again once something did — even a change nobody announced.
      const aged = await setup();
      aged.bus.latest = cp;
      const kept = await aged.pages.page(cp, 1000, row);
      aged.tick(TAIL_MAX_AGE_MS + 1);
      reads = pageReads.count;
      expect(await aged.pages.page(cp, 1000, row)).toBe(kept);
      expect(pageReads.count - reads).toBe(0);
      const v = await createVoucher(hq, discountBody());
      await hq.database.db.transaction(async (tx) => void (await stampChanges(tx, { vouchers: [v.code] }))); // committed, never announced
      expect(await aged.pages.page(cp, 1000, row)).toBe(kept); // nobody was told yet: within TAIL_MAX_AGE_MS of the check
      aged.tick(TAIL_MAX_AGE_MS + 1);
      const found = await aged.pages.page(cp, 1000, row);
      expect(pageReads.count - reads).toBe(1);
      expect(found.checkpoint).toBeGreaterThan(cp);
      expect(found.shared.toString()).toContain(v.code);
    });

    it('a request that arrives after an announcement does not take a read that began before it, unless the page holds the change', async () => {
      const t = await TestTill.create(hq, 'Flight');
      const row = await rowOf(t);
      const { bus, pages } = await setup();
      const cp = Number(await head(t));
      const reads = pageReads.count;
      const early = pages.page(cp, 1000, row); // begins a read
      const joined = pages.page(cp, 1000, row); // same arrival: joins it
      bus.latest = cp + 1; // a change is announced while the read is in flight
      const late = pages.page(cp, 1000, row);
      const [e, j, l] = await Promise.all([early, joined, late]);
      expect(j).toBe(e);
      expect(l).not.toBe(e);
      expect(pageReads.count - reads).toBe(2);
    });

    it('a page read before the till\'s row changed is not served to that till', async () => {
      const [t, other] = [await TestTill.create(hq, 'Row'), await TestTill.create(hq, 'Row 2')];
      const { pages } = await setup();
      const cp = Number(await head(t));
      await createVoucher(hq, discountBody());
      await createVoucher(hq, discountBody());
      const page = await pages.page(cp, 1, await rowOf(other)); // has_more: valid for ever (rule 3)
      expect(page.hasMore).toBe(true);
      expect(await pages.page(cp, 1, await rowOf(t))).toBe(page);
      await t.pushOk([t.redeem('NO-SUCH-CODE', 1)]); // a new row version for t
      const reads = pageReads.count;
      const mine = await pages.page(cp, 1, await rowOf(t));
      expect(mine).not.toBe(page);
      expect(pageReads.count - reads).toBe(1);
    });

    it('memory is bounded: least recently used pages go first', async () => {
      const t = await TestTill.create(hq, 'Lru');
      const row = await rowOf(t);
      for (let i = 0; i < 4; i++) await createVoucher(hq, discountBody());
      const one = await setup({ maxBytes: Number.MAX_SAFE_INTEGER });
      const sizeOfFirst = (await one.pages.page(0, 1000, row)).bytes;
      const { pages } = await setup({ maxBytes: sizeOfFirst * 2 + 100 });
      const a = await pages.page(0, 1000, row);
      await pages.page(0, 999, row);
      expect(await pages.page(0, 1000, row)).toBe(a); // a is now the most recently used
      await pages.page(0, 998, row); // evicts 999, not a
      expect(pages.size.bytes).toBeLessThanOrEqual(sizeOfFirst * 2 + 100);
      expect(pages.size.pages).toBe(2);
      expect(await pages.page(0, 1000, row)).toBe(a);
      const reads = pageReads.count;
      await pages.page(0, 999, row);
      expect(pageReads.count - reads).toBe(1);
      // Compressed forms count too.
      const big = await setup({ maxBytes: sizeOfFirst + 10 });
      const p = await big.pages.page(0, 1000, row);
      await big.pages.body(p, 0, 'gzip');
      await new Promise((r) => setImmediate(r));
      expect(big.pages.size.bytes).toBeLessThanOrEqual(sizeOfFirst + 10);
    });
  });
});

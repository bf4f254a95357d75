// GET /v1/sync/changes and /v1/sync/stream — the checkpointed, commit-ordered feed tills replicate from.
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesResponse } from '../../sync/protocol';
import type { Db } from '../../hq/db/connect';
import { stampChanges } from '../../hq/changes';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { withoutAssets } from '../../testkit/fixtures';
import { readChangeStream, type StreamEvent } from '../../sync/engine/event-stream';
import { createVoucher, discountBody, giftBody, giftIssueOp, query, settledWithin, sleep, TestTill, uniqueCode } from './helpers';

describe.each(BACKENDS)('HQ change feed on %s', (backend) => {
  let hq: Hq;
  let reader: TestTill; // a till that only pulls
  beforeAll(async () => {
    hq = await startHq(backend);
    reader = await TestTill.create(hq, 'Reader');
  }, 60_000);
  afterAll(async () => hq?.close());

  const pull = async (token: string, checkpoint?: string, limit?: number): Promise<ChangesResponse> => {
    const q = new URLSearchParams();
    if (checkpoint !== undefined) q.set('checkpoint', checkpoint);
    if (limit !== undefined) q.set('limit', String(limit));
    const res = await hq.as(token, { method: 'GET', url: `/v1/sync/changes?${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** Every page from `checkpoint` on, as a till would pull them. */
  const pullAll = async (token: string, checkpoint: string | undefined, limit = 1000) => {
    const pages: ChangesResponse[] = [];
    let cp = checkpoint;
    for (;;) {
      const page = await pull(token, cp, limit);
      pages.push(page);
      if (cp !== undefined) expect(BigInt(page.checkpoint) >= BigInt(cp)).toBe(true);
      cp = page.checkpoint;
      if (!page.has_more) break;
      expect(pages.length).toBeLessThan(10_000);
    }
    return {
      pages,
      checkpoint: cp!,
      vouchers: pages.flatMap((p) => p.vouchers),
      deleted: pages.flatMap((p) => p.deleted),
    };
  };
  const latest = async () => (await pullAll(reader.token, undefined)).checkpoint;
  const codes = (page: { vouchers: { code: string }[] }) => page.vouchers.map((v) => v.code);

  it('from no checkpoint returns every voucher, then nothing new from the returned checkpoint', async () => {
    const made = [await createVoucher(hq, discountBody()), await createVoucher(hq, giftBody(2000)), await createVoucher(hq, discountBody({ redemption: { quantity: null } }))];
    const all = await pullAll(reader.token, undefined);
    const inDb = (await query<{ code: string }>(hq, sql`SELECT code FROM vouchers`)).map((r) => r.code);
    expect(new Set(codes(all))).toEqual(new Set(inDb));
    expect(codes(all)).toHaveLength(inDb.length); // each exactly once
    for (const v of made) expect(all.vouchers.find((x) => x.code === v.code)).toEqual(v);
    expect(all.checkpoint).toMatch(/^\d+$/);
    expect(Number(all.checkpoint)).toBeGreaterThan(0);
    expect(all.pages.at(-1)!.has_more).toBe(false);
    const again = await pull(reader.token, all.checkpoint);
    expect(again).toMatchObject({ vouchers: [], deleted: [], checkpoint: all.checkpoint, has_more: false });
  });

  it('pages through with a small limit: each change exactly once, in commit order, checkpoints rising', async () => {
    const start = await latest();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await createVoucher(hq, discountBody())).code);

    for (const limit of [1, 2, 3, 7, 100]) {
      const { pages, vouchers } = await pullAll(reader.token, start, limit);
      expect(vouchers.map((v) => v.code)).toEqual(made);
      expect(pages.length).toBe(Math.ceil(7 / limit)); // has_more is exact: no empty trailing page
      for (const [i, page] of pages.entries()) {
        expect(page.vouchers.length).toBeLessThanOrEqual(limit);
        expect(page.has_more).toBe(i < pages.length - 1);
        if (i > 0) expect(BigInt(page.checkpoint) > BigInt(pages[i - 1]!.checkpoint) || page.vouchers.length === 0).toBe(true);
      }
    }
    // Exactly `limit` left: has_more is false, and the next pull is empty.
    const exact = await pull(reader.token, start, 7);
    expect(exact.has_more).toBe(false);
    expect(exact.vouchers).toHaveLength(7);
    expect(await pull(reader.token, exact.checkpoint, 7)).toMatchObject({ vouchers: [], has_more: false, checkpoint: exact.checkpoint });
  });

  it('a changed voucher moves to the end of the feed and appears once, in its latest state', async () => {
    const start = await latest();
    const [a, b, c] = [await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody())];
    const put = await hq.admin({ method: 'PUT', url: `/v1/vouchers/${a.code}`, payload: { label: 'Changed' } });
    expect(put.statusCode, put.body).toBe(200);
    const all = await pullAll(reader.token, start, 2);
    expect(codes(all)).toEqual([b.code, c.code, a.code]);
    expect(all.vouchers[2]).toMatchObject({ code: a.code, label: 'Changed' });
  });

  it('a deleted voucher becomes a tombstone; re-creating the code supersedes it', async () => {
    const beforeCreate = await latest();
    const v = await createVoucher(hq, discountBody());
    const afterCreate = await latest();
    expect((await hq.admin({ method: 'DELETE', url: `/v1/vouchers/${v.code}` })).statusCode).toBe(204);

    const sinceCreate = await pullAll(reader.token, afterCreate);
    expect(sinceCreate.deleted).toEqual([v.code]);
    expect(codes(sinceCreate)).not.toContain(v.code);
    const sinceBefore = await pullAll(reader.token, beforeCreate);
    expect(sinceBefore.deleted).toEqual([v.code]);
    expect(codes(sinceBefore)).not.toContain(v.code);
    expect((await pullAll(reader.token, undefined)).deleted).toContain(v.code);
    const afterDelete = sinceCreate.checkpoint;
    expect(BigInt(afterDelete) > BigInt(afterCreate)).toBe(true);

    // Deleting what is not there: 404, no tombstone.
    const ghost = uniqueCode('GHOST');
    expect((await hq.admin({ method: 'DELETE', url: `/v1/vouchers/${ghost}` })).statusCode).toBe(404);
    expect((await pullAll(reader.token, undefined)).deleted).not.toContain(ghost);

    const again = await createVoucher(hq, discountBody({ code: v.code, label: 'Reborn' }));
    for (const from of [undefined, beforeCreate, afterCreate, afterDelete]) {
      const page = await pullAll(reader.token, from);
      expect(page.deleted).not.toContain(v.code);
      expect(page.vouchers.filter((x) => x.code === v.code)).toEqual([again]);
    }
  });

  it('a redemption pushed by a till shows the changed voucher after the previous checkpoint; last_seq is the till\'s own', async () => {
    const v = await createVoucher(hq, discountBody());
    const [a, b] = [await TestTill.create(hq, 'A'), await TestTill.create(hq, 'B')];
    const cp = await latest();
    const red = a.redeem(v.code, 500);
    await a.pushOk([a.redeem(uniqueCode('NF'), 1), red]);

    const seenByA = await pull(a.token, cp);
    expect(seenByA.last_seq).toBe(2);
    expect(seenByA.vouchers).toHaveLength(1);
    expect(seenByA.vouchers[0]).toMatchObject({ code: v.code, status: 'REDEEMED', redemption: { redeemed_quantity: 1 } });
    expect((await pull(b.token, cp)).last_seq).toBe(0);
    // The feed is a till's: the admin token is refused (issue 11).
    const asAdmin = await hq.admin({ method: 'GET', url: `/v1/sync/changes?checkpoint=${cp}` });
    expect(asAdmin.statusCode).toBe(403);
    expect(asAdmin.json().code).toBe('forbidden');

    // A conflict changes nothing HQ replicates: no new change.
    const cp2 = seenByA.checkpoint;
    expect((await b.one(b.redeem(v.code, 500))).outcome).toBe('CONFLICT');
    expect(await pull(b.token, cp2)).toMatchObject({ vouchers: [], checkpoint: cp2, last_seq: 1 });

    // A rollback does.
    expect((await hq.as(a.token, { method: 'POST', url: `/v1/redemptions/${red.op_id}/rollback` })).statusCode).toBe(200);
    const afterRollback = await pull(b.token, cp2);
    expect(afterRollback.vouchers).toMatchObject([{ code: v.code, status: 'ACTIVE', redemption: { redeemed_quantity: 0 } }]);
  });

  it('a gift card issued at a till reaches the other tills', async () => {
    const [a, b] = [await TestTill.create(hq, 'A'), await TestTill.create(hq, 'B')];
    const code = uniqueCode('L');
    await query(hq, sql`INSERT INTO code_leases (code, till_id) VALUES (${code}, ${a.till_id}::uuid)`);
    const cp = await latest();
    const r = await a.one(giftIssueOp(++a.seq, code, 3000));
    expect(r.outcome).toBe('ACCEPTED');
    const page = await pull(b.token, cp);
    expect(page.vouchers).toEqual([r.voucher]);
  });

  it('checks its query and its caller', async () => {
    for (const q of ['checkpoint=abc', 'checkpoint=-1', 'checkpoint=1234567890123456789', 'limit=0', 'limit=10001', 'limit=x', 'since=1']) {
      const res = await hq.as(reader.token, { method: 'GET', url: `/v1/sync/changes?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await hq.app.inject({ method: 'GET', url: '/v1/sync/changes' })).statusCode).toBe(401);
    expect((await hq.as('till_bogus', { method: 'GET', url: '/v1/sync/changes' })).statusCode).toBe(401);
  });

  // The key property of the feed: a till that stored checkpoint C never misses a change, even one
  // whose transaction was in flight while the till read C. The uncommitted change below has drawn
  // its number N; meanwhile another writer wants to commit a later change. The reader must either
  // block until the first commits, or see neither (checkpoint < N); afterwards, pulling on from its
  // checkpoint must bring both, in commit order.
  it('a change drawn before a later one but committed after it is never skipped', async () => {
    const a = await createVoucher(hq, discountBody());
    const start = await latest();

    let commit!: () => Promise<void>;
    let n: number;
    let client: pg.Client | undefined;
    let pglitePending: Promise<void> | undefined;
    if (backend === 'postgres') {
      client = new pg.Client({ connectionString: hq.url });
      await client.connect();
      const tx = drizzle(client) as unknown as Db;
      await client.query('BEGIN');
      await client.query(`UPDATE vouchers SET attrs = jsonb_set(attrs, '{label}', '"late"'), updated_at = now() WHERE code = $1`, [a.code]);
      n = await stampChanges(tx, { vouchers: [a.code] });
      commit = async () => {
        await client!.query('COMMIT');
      };
    } else {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let stamped!: (value: number) => void;
      const drawn = new Promise<number>((r) => (stamped = r));
      pglitePending = hq.database.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE vouchers SET attrs = jsonb_set(attrs, '{label}', '"late"'), updated_at = now() WHERE code = ${a.code}`);
        stamped(await stampChanges(tx, { vouchers: [a.code] }));
        await gate;
      });
      n = await drawn;
      commit = async () => {
        release();
        await pglitePending;
      };
    }
    try {
      expect(n).toBeGreaterThan(Number(start));
      // A later writer (the admin API) wants to commit a change now.
      const creating = createVoucher(hq, discountBody({ label: 'later' }));
      let page: ChangesResponse;
      if (backend === 'postgres') {
        // The writer must block on the change lock: polled until PostgreSQL shows it waiting.
        const blocked = async () => Number((await query<{ n: string | number }>(hq, sql`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`))[0]!.n);
        for (let i = 0; i < 500 && (await blocked()) === 0; i++) await sleep(10);
        expect(await blocked()).toBe(1);
        // A reader is never blocked: its snapshot holds neither N (uncommitted) nor the later change
        // (waiting for N's lock), so it must not pass N.
        page = await pull(reader.token, start);
        expect(BigInt(page.checkpoint) < BigInt(n)).toBe(true);
        expect(codes(page)).not.toContain(a.code);
        expect(page.vouchers.map((v) => v.label)).not.toContain('later');
        expect(await blocked()).toBe(1); // the later writer still waits for N
        await commit();
      } else {
        // PGlite is one connection: the reader and the later writer wait for the open transaction and
        // run after it commits, so the reader sees N.
        const reading = pull(reader.token, start);
        await commit();
        page = await reading;
        expect(codes(page)).toContain(a.code);
      }
      const b = await creating;
      const rest = await pullAll(reader.token, page.checkpoint);
      const seen = [...page.vouchers, ...rest.vouchers];
      expect(seen.map((v) => v.code)).toEqual([a.code, b.code]);
      expect(seen[0]).toMatchObject({ code: a.code, label: 'late' });
    } finally {
      if (client) {
        await client.query('ROLLBACK').catch(() => {});
        await client.end();
      }
    }
  });

  // Needs two concurrent sessions on one database; PGlite has a single connection, so on PGlite this
  // case is not defined at all (the suite's header says which backends ran).
  it.skipIf(backend !== 'postgres')('a transaction that started first but draws its number last is not skipped either (PostgreSQL only: PGlite is one connection, so no two transactions overlap)', async () => {
    const [a, b] = [await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody())];
    const start = await latest();
    const early = new pg.Client({ connectionString: hq.url });
    const late = new pg.Client({ connectionString: hq.url });
    await early.connect();
    await late.connect();
    try {
      await early.query('BEGIN');
      await early.query(`UPDATE vouchers SET attrs = jsonb_set(attrs, '{label}', '"early"'), updated_at = now() WHERE code = $1`, [a.code]);
      // A second transaction starts after, stamps first and commits.
      await late.query('BEGIN');
      await late.query(`UPDATE vouchers SET attrs = jsonb_set(attrs, '{label}', '"late"'), updated_at = now() WHERE code = $1`, [b.code]);
      const nLate = await stampChanges(drizzle(late) as unknown as Db, { vouchers: [b.code] });
      await late.query('COMMIT');
      const mid = await pull(reader.token, start);
      expect(codes(mid)).toEqual([b.code]);
      expect(mid.checkpoint).toBe(String(nLate));
      // Now the early one stamps and commits: its number is above what the reader already passed.
      const nEarly = await stampChanges(drizzle(early) as unknown as Db, { vouchers: [a.code] });
      expect(nEarly).toBeGreaterThan(nLate);
      await early.query('COMMIT');
      const after = await pullAll(reader.token, mid.checkpoint);
      expect(after.vouchers).toMatchObject([{ code: a.code, label: 'early' }]);
    } finally {
      await early.query('ROLLBACK').catch(() => {});
      await late.query('ROLLBACK').catch(() => {});
      await early.end();
      await late.end();
    }
  });

  // A push stamps its changes inside the database function push_ops() (one
  // statement), not through stampChanges: it must take the same change lock, so it cannot commit a
  // number above a change that drew its number first and is still uncommitted.
  it.skipIf(backend !== 'postgres')('a pushed redemption waits for an earlier uncommitted change, then follows it in the feed (PostgreSQL only: PGlite is one connection, so no two transactions overlap)', async () => {
    const [a, b] = [await createVoucher(hq, discountBody()), await createVoucher(hq, discountBody())];
    const t = await TestTill.create(hq, 'After');
    const start = await latest();
    const early = new pg.Client({ connectionString: hq.url });
    await early.connect();
    try {
      await early.query('BEGIN');
      await early.query(`UPDATE vouchers SET attrs = jsonb_set(attrs, '{label}', '"early"'), updated_at = now() WHERE code = $1`, [a.code]);
      const n = await stampChanges(drizzle(early) as unknown as Db, { vouchers: [a.code] });
      const pushing = t.pushOk([t.redeem(b.code, 1)]);
      let waiting = 0;
      for (let i = 0; i < 500 && !waiting; i++) {
        const locks = sql`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
        waiting = Number((await query<{ n: string | number }>(hq, locks))[0]!.n);
        if (!waiting) await sleep(10);
      }
      expect(waiting).toBe(1); // the push is blocked on the change lock, not done
      expect(await settledWithin(pushing, 0)).toBe('pending');
      const mid = await pull(reader.token, start);
      expect(codes(mid)).toEqual([]);
      await early.query('COMMIT');
      expect((await pushing).results[0]).toMatchObject({ outcome: 'ACCEPTED' });
      const after = await pullAll(reader.token, mid.checkpoint);
      expect(codes(after)).toEqual([a.code, b.code]);
      expect(BigInt(after.checkpoint)).toBeGreaterThan(BigInt(n));
    } finally {
      await early.query('ROLLBACK').catch(() => {});
      await early.end();
    }
  });

  it('a till replica built from pages pulled during concurrent writes ends equal to HQ', async () => {
    const pool = await Promise.all(Array.from({ length: 8 }, () => createVoucher(hq, discountBody({ redemption: { quantity: null } }))));
    const tills = await Promise.all(Array.from({ length: 4 }, (_, i) => TestTill.create(hq, `W${i}`)));
    let cp = await latest();
    const replica = new Map<string, string>(); // code -> updated_at
    for (const v of (await pullAll(reader.token, undefined)).vouchers) replica.set(v.code, v.updated_at);
    let writing = true;
    const apply = (page: ChangesResponse) => {
      for (const v of page.vouchers) replica.set(v.code, v.updated_at);
      for (const code of page.deleted) replica.delete(code);
    };
    const readerLoop = (async () => {
      while (writing) {
        const page = await pull(reader.token, cp, 5);
        apply(page);
        cp = page.checkpoint;
        await sleep(1);
      }
    })();
    const writers = [
      ...tills.map(async (t) => {
        for (let i = 0; i < 6; i++) await t.pushOk([t.redeem(pool[(i + t.seq) % pool.length]!.code, 1), t.redeem(pool[(i * 3) % pool.length]!.code, 1)]);
      }),
      (async () => {
        for (let i = 0; i < 8; i++) {
          const res = await hq.admin({ method: 'PUT', url: `/v1/vouchers/${pool[i]!.code}`, payload: { label: `edit ${i}` } });
          expect(res.statusCode).toBe(200);
        }
      })(),
      (async () => {
        for (let i = 0; i < 6; i++) {
          const v = await createVoucher(hq, discountBody());
          if (i % 2 === 0) await hq.admin({ method: 'DELETE', url: `/v1/vouchers/${v.code}` });
        }
      })(),
    ];
    try {
      await Promise.all(writers);
    } finally {
      writing = false;
      await readerLoop;
    }
    const final = await pullAll(reader.token, cp, 5);
    for (const page of final.pages) apply(page);
    const truth = await query<{ code: string; updated_at: Date | string }>(hq, sql`SELECT code, updated_at FROM vouchers`);
    expect(new Map([...replica].sort())).toEqual(new Map(truth.map((r) => [r.code, new Date(r.updated_at).toISOString()] as [string, string]).sort()));
  });

  it('SSE: a change reaches an open stream with its checkpoint (a page, or a `changes` announcement), creations and pushes alike', async () => {
    await hq.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = hq.app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/v1/sync/stream`)).status).toBe(401);

    // Read by the till's own reader (pages decoded, page-gzip too); HQ's fan-out is what is under test.
    // Opened at the feed's head (Last-Event-ID), so the stream is in the group of that checkpoint and the
    // next change comes as a page from it.
    const before = await latest();
    const abort = new AbortController();
    const heard: StreamEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const done = readChangeStream((input, init) => fetch(input, init), base, reader.token, abort.signal, (e) => heard.push(e), before, () => opened()).catch(() => {});
    await open;
    /** The first event beyond `after`; bounded wait (a bound, not what decides the outcome). */
    const beyond = async (after: string) => {
      await expect.poll(() => heard.some((e) => BigInt(e.checkpoint) > BigInt(after)), { timeout: 10_000 }).toBe(true);
      return heard.find((e) => BigInt(e.checkpoint) > BigInt(after))!;
    };
    try {
      const created = await createVoucher(hq, discountBody());
      const event = await beyond(before);
      expect(event.checkpoint).toMatch(/^\d+$/);
      const page = await pull(reader.token, before);
      expect(page.vouchers.map((v) => v.code)).toEqual([created.code]);
      expect(page.checkpoint).toBe(event.checkpoint);
      expect(event).toMatchObject({ type: 'page', page: { since: before, vouchers: [{ code: created.code }] } });

      // A push that changes a voucher reaches it too.
      const t = await TestTill.create(hq, 'SSE');
      await t.pushOk([t.redeem(created.code, 1)]);
      const pushed = await beyond(event.checkpoint);
      expect((await pull(reader.token, event.checkpoint)).checkpoint).toBe(pushed.checkpoint);
    } finally {
      abort.abort();
      await done;
    }
  });
});

describe.each(BACKENDS)('change feed voucher JSON on %s', (backend) => {
  it('is exactly the voucher GET returns, for every kind of voucher', async () => {
    const hq = await startHq(backend);
    try {
      const bodies = [
        { code: 'JSON-PCT', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 12.5, amount_limit: 500 }, validity_hours: { daily: [{ start_time: '22:00', expiration_time: '02:00', days_of_week: [5] }] }, metadata: { a: [1, { b: null }] } },
        { code: 'JSON-UNIT', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'UNIT', unit_off: 2, product_id: 'P1' }, start_date: '2026-01-01T09', expiration_date: '2026-12-31T23:00:00.123Z', customer_id: 'C1' },
        { code: 'JSON-GIFT', type: 'GIFT_VOUCHER', currency: 'USD', gift: { amount: 5000 }, validity_timeframe: { interval: 'P7D', duration: 'PT2H' }, start_date: '2026-01-01' },
      ];
      for (const body of bodies) expect((await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: body })).statusCode).toBe(201);
      const till = await hq.newTill();
      await hq.as(till.token, { method: 'POST', url: '/v1/sync/push', payload: { ops: [{ op_id: '6f1c2c1e-0000-4000-8000-000000000001', seq: 1, type: 'REDEMPTION', occurred_at: '2026-11-21T10:00:00+01:00', payload: { code: 'JSON-GIFT', ticket_id: 't', amount: 700 } }] } });
      const page = await hq.as(till.token, { method: 'GET', url: '/v1/sync/changes?limit=100' });
      expect(page.headers['content-type']).toMatch(/application\/json/);
      const { ChangesResponseSchema } = await import('../../sync/protocol');
      const parsed = ChangesResponseSchema.parse(page.json());
      for (const { code } of bodies) {
        const fromFeed = parsed.vouchers.find((v) => v.code === code);
        const fromGet = withoutAssets((await hq.admin({ method: 'GET', url: `/v1/vouchers/${code}` })).json());
        expect(fromFeed).toEqual(fromGet);
      }
    } finally {
      await hq.close();
    }
  }, 60_000);
});

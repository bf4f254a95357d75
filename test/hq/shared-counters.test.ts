// Abuse counters shared by every HQ process on one PostgreSQL (issue 12, hq/counters.ts): failed
// authentications and pairing attempts counted through one process limit the others too, successes
// never touch the counters, and the stores count the same windows whichever backs them. Two HQ
// servers here are two buildServer instances on one database, each with its own pool and its own
// memory — what the counters depend on; test/hq/multi-process.test.ts checks the same with real
// processes. PGlite is one process: its counters are in memory and throttle.test.ts covers them.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryCounters, postgresCounters, type CounterStore } from '../../hq/counters';
import { openDatabase, rowsOf, type Database } from '../../hq/db/connect';
import { startHq, type Hq } from '../../testkit/hq-harness';
import { ownPostgresDatabase } from './helpers';

const url = process.env.TEST_DATABASE_URL;
if (!url) console.warn('[shared-counters tests] TEST_DATABASE_URL is not set: the PostgreSQL store and two-process checks are skipped (PGlite is one process; its in-memory counters are tested in throttle.test.ts).');

const LIMIT = 20;
const bad = (i: number | string) => `till_wrong_${i}_${'x'.repeat(40)}`;

describe.skipIf(!url)('abuse counters shared by two HQ processes on one PostgreSQL', () => {
  let a: Hq;
  let b: Hq;
  let db: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  const get = (hq: Hq, token: string, address: string, path = '/v1/tills/me') => hq.app.inject({ method: 'GET', url: path, remoteAddress: address, headers: { authorization: `Bearer ${token}` } });
  const pair = (hq: Hq, address: string) => hq.app.inject({ method: 'POST', url: '/v1/pairings', payload: { pairing_code: 'AAAA-AAAA' }, remoteAddress: address });
  const counterRows = async (hq: Hq) => Number(rowsOf<{ n: string }>(await hq.database.db.execute(sql`SELECT count(*) AS n FROM abuse_counters`))[0]!.n);

  beforeAll(async () => {
    db = await ownPostgresDatabase();
    const options = { url: db.url, authFailureLimit: LIMIT, pairingLimits: { perAddress: 3, overall: 8 } };
    a = await startHq('postgres', options);
    b = await startHq('postgres', options);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('a token that failed through A is refused through B — after one look-up there, then without any', async () => {
    const stale = bad('stale');
    for (let i = 0; i < LIMIT; i++) expect((await get(a, stale, '10.1.0.1')).statusCode).toBe(401);
    expect((await get(a, stale, '10.1.0.1')).statusCode).toBe(429);
    const first = await get(b, stale, '10.1.0.2');
    expect(first.statusCode).toBe(429);
    expect(first.json()).toMatchObject({ code: 'too_many_auth_failures' });
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(first.headers['retry-after'])).toBeLessThanOrEqual(60);
    const execute = vi.spyOn(b.ctx.db, 'execute');
    try {
      for (let i = 0; i < 10; i++) expect((await get(b, stale, '10.1.0.3')).statusCode).toBe(429);
      expect(execute).not.toHaveBeenCalled();
    } finally {
      execute.mockRestore();
    }
  });

  it('an address that failed through A gets 429 for further bad tokens through B; its valid tokens are served by both', async () => {
    const till = await a.newTill('Shop till');
    const address = '10.2.0.1';
    for (let i = 0; i < LIMIT; i++) expect((await get(a, bad(`addr${i}`), address)).statusCode).toBe(401);
    const refused = await get(b, bad('addr-next'), address);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    for (const hq of [a, b]) expect((await get(hq, till.token, address)).statusCode).toBe(200);
    // Another address is unaffected.
    expect((await get(b, bad('addr-elsewhere'), '10.2.0.2')).statusCode).toBe(401);
  });

  it('parallel guesses through both processes: exactly the limit get an answer, the rest 429', async () => {
    const address = '10.3.0.1';
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => get(i % 2 ? a : b, bad(`par${i}`), address)));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - LIMIT);
  });

  it('successes never touch the counters', async () => {
    const till = await b.newTill('Busy till');
    const rows = await counterRows(a);
    const execute = vi.spyOn(b.ctx.db, 'execute');
    try {
      for (let i = 0; i < 10; i++) expect((await get(b, till.token, '10.4.0.1')).statusCode).toBe(200);
      const statements = execute.mock.calls.map(([query]) => JSON.stringify(query));
      expect(statements.length).toBeGreaterThan(0); // the look-ups themselves
      expect(statements.filter((s) => s.includes('abuse_counters'))).toEqual([]);
    } finally {
      execute.mockRestore();
    }
    expect(await counterRows(a)).toBe(rows);
  });

  it('pairing attempts are counted for every process: per address and overall', async () => {
    // perAddress 3: two through A, the third through B is still answered, the fourth is not.
    expect((await pair(a, '10.5.0.1')).statusCode).toBe(404);
    expect((await pair(a, '10.5.0.1')).statusCode).toBe(404);
    expect((await pair(b, '10.5.0.1')).statusCode).toBe(404);
    const refused = await pair(b, '10.5.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'too_many_pairing_attempts' });
    expect((await pair(a, '10.5.0.1')).statusCode).toBe(429);
    // overall 8: four of the five attempts above were counted (B knew the address was over its limit
    // and refused its second without counting; A did not know and counted its refusal). Four more
    // from other addresses fill it; then both processes refuse everyone.
    for (let i = 0; i < 4; i++) expect((await pair(i % 2 ? a : b, `10.5.1.${i}`)).statusCode).toBe(404);
    for (const hq of [a, b]) expect((await pair(hq, '10.5.2.1')).statusCode).toBe(429);
  });
});

type StoreCase = { name: string; sweeps: boolean; open: (now: () => number) => Promise<{ store: CounterStore; rows?: () => Promise<string[]>; close: () => Promise<void> }> };
const STORES: StoreCase[] = [
  { name: 'memory', sweeps: false, open: async (now) => ({ store: memoryCounters({ now }), close: async () => {} }) },
  ...(url
    ? [
        {
          name: 'postgres',
          sweeps: true,
          open: async (now: () => number) => {
            const own = await ownPostgresDatabase();
            const database: Database = await openDatabase({ url: own.url, poolSize: 30 });
            return {
              store: postgresCounters(database.db, { now }),
              rows: async () => rowsOf<{ key: string }>(await database.db.execute(sql`SELECT key FROM abuse_counters ORDER BY key`)).map((r) => r.key),
              close: async () => {
                await database.close();
                await own.drop();
              },
            };
          },
        },
      ]
    : []),
];

describe.each(STORES)('the $name counter store', ({ open, sweeps }) => {
  let now = 0;
  let opened: Awaited<ReturnType<StoreCase['open']>>;
  beforeAll(async () => {
    opened = await open(() => now);
  }, 60_000);
  afterAll(async () => opened?.close());

  it('counts per key in a window that starts with its first event', async () => {
    const { store } = opened;
    now = 0;
    expect(await store.hit(['w:a', 'w:b'], 60_000)).toEqual([
      { count: 1, leftMs: 60_000 },
      { count: 1, leftMs: 60_000 },
    ]);
    now = 30_000;
    expect(await store.hit(['w:b', 'w:a'], 60_000)).toEqual([
      { count: 2, leftMs: 30_000 },
      { count: 2, leftMs: 30_000 },
    ]);
    now = 59_999;
    expect(await store.hit(['w:a'], 60_000)).toEqual([{ count: 3, leftMs: 1 }]);
    now = 60_000; // a's window is over: a new one starts
    expect(await store.hit(['w:a'], 60_000)).toEqual([{ count: 1, leftMs: 60_000 }]);
  });

  it('takes an event back (a sign-in counted up front that succeeded), never below zero and never in an ended window', async () => {
    const { store } = opened;
    now = 100_000;
    await store.hit(['f:a', 'f:b'], 60_000);
    await store.hit(['f:a'], 60_000);
    await store.forgive(['f:a', 'f:b', 'f:unknown'], 60_000);
    expect(await store.hit(['f:a', 'f:b'], 60_000)).toEqual([
      { count: 2, leftMs: 60_000 },
      { count: 1, leftMs: 60_000 },
    ]);
    await store.forgive(['f:b'], 60_000);
    await store.forgive(['f:b'], 60_000);
    expect((await store.hit(['f:b'], 60_000))[0]!.count).toBe(1);
    now = 160_000; // the window is over: forgiving touches nothing, the next event starts afresh
    await store.forgive(['f:a'], 60_000);
    expect((await store.hit(['f:a'], 60_000))[0]!.count).toBe(1);
  });

  it('counts parallel events exactly, also with overlapping keys in any order', async () => {
    const { store } = opened;
    now = 1_000_000;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.hit(i % 2 ? ['p:x', 'p:y'] : ['p:y', 'p:x'], 60_000)));
    const counts = (key: 0 | 1) => results.map((r) => r[key]!.count).sort((m, n) => m - n);
    expect(counts(0)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(counts(1)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  // In memory, ended windows are dropped when their key is next seen and the map is bounded by
  // maxKeys (throttle.test.ts); in PostgreSQL they are swept.
  it(sweeps ? 'forgets windows that ended: swept at most once a minute, on an event' : 'forgets windows that ended: a key seen after its window counts from 1 again', async () => {
    const { store } = opened;
    if (!sweeps) {
      now = 5_000_000;
      expect((await store.hit(['m:old'], 60_000))[0]!.count).toBe(1);
      expect((await store.hit(['m:old'], 60_000))[0]!.count).toBe(2);
      now = 5_000_000 + 60_000;
      expect((await store.hit(['m:old'], 60_000))[0]!.count).toBe(1);
      return;
    }
    const rows = opened.rows!;
    now = 5_000_000;
    await store.hit(['s:old'], 60_000);
    expect(await rows()).toContain('s:old');
    now = 5_000_000 + 120_000; // s:old ended a minute ago; the next event sweeps
    await store.hit(['s:new'], 60_000);
    const left = await rows();
    expect(left).toContain('s:new');
    expect(left).not.toContain('s:old');
    expect(left).not.toContain('w:a'); // ended long before
  });
});

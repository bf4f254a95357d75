// HQ as several processes on one PostgreSQL (issue 12): a change committed through any process reaches
// the tills streaming from every process (LISTEN/NOTIFY, hq/change-bus.ts), a till whose process dies
// carries on through another, and abuse counters are shared. Real child processes (scripts/hq-process.ts)
// — a process that dies must really die. PGlite is one process by construction: on it only the
// in-process bus's coalescing is tested here.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChangeBus, createPgChangeBus } from '../../hq/change-bus';
import { openDatabase, rowsOf } from '../../hq/db/connect';
import { buildServer } from '../../hq/server';
import { hashToken } from '../../hq/auth';
import { failInterruptedImports, IMPORT_LOCK_CLASS } from '../../hq/voucher-import';
import { hqProcess, type HqProcess } from '../../scripts/hq-process';
import { readChangeStream } from '../../sync/engine/event-stream';
import { openTillInternals as openTill } from '../../sync/till';
import { getVoucher } from '../../sync/replica/voucher-store';
import { TicketSchema } from '../../core/ticket';
import { ownPostgresDatabase } from './helpers';
import { freePort } from '../../testkit/free-port';

const url = process.env.TEST_DATABASE_URL;
if (!url) console.warn('[multi-process tests] TEST_DATABASE_URL is not set: the PostgreSQL parts are skipped (several HQ processes need PostgreSQL; PGlite is one process).');

/** Resolves when `check` holds, polling; fails after `ms` (a bound, not what decides the outcome). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}


/**
 * A TCP load balancer in front of HQ processes: each connection goes to the first upstream that
 * accepts it (a dead one refuses, as a health-checked balancer would skip it). It notes which upstream
 * answered each `GET /v1/sync/stream`, so a test knows where a till's stream is.
 */
async function failoverProxy(ports: number[]) {
  const streams: number[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const attempt = (i: number) => {
      if (i >= ports.length) return client.destroy();
      const upstream = connect(ports[i]!, '127.0.0.1');
      let connected = false;
      upstream.once('error', () => (connected ? client.destroy() : attempt(i + 1)));
      upstream.once('connect', () => {
        connected = true;
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        let streamAsked = false;
        client.on('data', (chunk: Buffer) => {
          if (chunk.includes('GET /v1/sync/stream ')) streamAsked = true;
          upstream.write(chunk);
        });
        upstream.on('data', (chunk: Buffer) => {
          if (streamAsked && chunk.includes('text/event-stream')) {
            streamAsked = false;
            streams.push(ports[i]!);
          }
          client.write(chunk);
        });
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    /** The upstream port of every stream opened so far, in order. */
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A till's event stream at the protocol level, collecting the checkpoints it announces. */
function listen(baseUrl: string, token: string) {
  const abort = new AbortController();
  const heard: number[] = [];
  const done = readChangeStream((input, init) => fetch(input, init), baseUrl, token, abort.signal, (e) => heard.push(Number(e.checkpoint))).catch(() => {});
  let ended = false;
  void done.then(() => (ended = true));
  return {
    heard,
    /** Whether the stream has ended (HQ closed it, or close() was called). */
    ended: () => ended,
    hears: (checkpoint: number) => until(`the stream announces ${checkpoint}`, () => heard.some((cp) => cp >= checkpoint)),
    close: async () => {
      abort.abort();
      await done;
    },
  };
}

describe('the change bus in one process', () => {
  it('coalesces a burst: subscribers hear the newest checkpoint once, `latest` is raised at once', async () => {
    const bus = createChangeBus();
    const heard: number[] = [];
    bus.subscribe((cp) => heard.push(cp));
    for (let cp = 1; cp <= 100; cp++) bus.announce(cp);
    expect(bus.latest).toBe(100);
    expect(heard).toEqual([]);
    await until('the burst is announced', () => heard.length > 0);
    expect(heard).toEqual([100]);
    // A late commit below `latest` still wakes the subscribers (with the newest checkpoint).
    bus.announce(50);
    await until('the late commit is announced', () => heard.length > 1);
    expect(heard).toEqual([100, 100]);
    expect(bus.latest).toBe(100);
    await bus.close();
  });
});

describe.skipIf(!url)('change buses on one PostgreSQL (LISTEN/NOTIFY)', () => {
  let db: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    db = await ownPostgresDatabase();
    database = await openDatabase({ url: db.url, poolSize: 2 }); // the tables HEAD_SQL reads
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });
  const terminateListeners = async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rowCount } = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'voucher-till hq listen' AND datname = current_database()`);
    await c.end();
    return rowCount;
  };

  it('an announcement reaches the other process coalesced, never echoed back to its own', async () => {
    const one = createPgChangeBus({ url: db.url });
    const two = createPgChangeBus({ url: db.url });
    try {
      await Promise.all([one.ready, two.ready]);
      const heardByOne: number[] = [];
      const heardByTwo: number[] = [];
      one.subscribe((cp) => heardByOne.push(cp));
      two.subscribe((cp) => heardByTwo.push(cp));
      for (let cp = 1; cp <= 100; cp++) one.announce(cp);
      expect(one.latest).toBe(100);
      await until('the other process hears 100', () => two.latest === 100 && heardByTwo.at(-1) === 100);
      await until('its own subscribers hear 100', () => heardByOne.length > 0);
      // One NOTIFY in flight at a time, carrying the newest checkpoint: 100 commits are at most two
      // wake-ups over there (1, then 100), and one here.
      expect(heardByTwo.length).toBeLessThanOrEqual(2);
      expect(heardByOne).toEqual([100]);
      two.announce(150);
      await until('the first hears the second', () => one.latest === 150 && heardByOne.at(-1) === 150);
      expect(heardByOne).toEqual([100, 150]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('after its LISTEN connection is cut, a bus reconnects, reads the committed head and sends what it announced meanwhile', async () => {
    const one = createPgChangeBus({ url: db.url, minRetryMs: 300 });
    const two = createPgChangeBus({ url: db.url, minRetryMs: 20 });
    try {
      await Promise.all([one.ready, two.ready]);
      const heardByTwo: number[] = [];
      two.subscribe((cp) => heardByTwo.push(cp));
      // A change committed without any announcement (its process died before its NOTIFY).
      const inserted = await database.db.execute(sql`INSERT INTO customers (id, name, change_seq) VALUES ('silent', 'Silent', nextval('change_seq')) RETURNING change_seq`);
      const silent = Number(rowsOf<{ change_seq: string }>(inserted)[0]!.change_seq);
      expect(two.latest).toBeLessThan(silent);
      expect(await terminateListeners()).toBe(2);
      await until('the first bus notices it is cut off', () => !one.connected);
      one.announce(silent + 10); // while cut off: kept, and sent when it is back
      await until('the second bus reads the head after reconnecting', () => heardByTwo.includes(silent));
      await until('the first bus reconnects and sends what it announced meanwhile', () => two.latest === silent + 10);
      expect(one.connected && two.connected).toBe(true);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe.skipIf(!url)('two HQ processes on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let a: HqProcess;
  let b: HqProcess;
  let client: pg.Client;
  const adminToken = `adm_multi_${randomUUID()}`;

  const createVoucher = async (through: HqProcess) => {
    const res = await through.admin('/v1/vouchers', { method: 'POST', body: JSON.stringify({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 300 } }) });
    expect(res.status).toBe(201);
    const { code } = (await res.json()) as { code: string };
    const { rows } = await client.query('SELECT change_seq FROM vouchers WHERE code = $1', [code]);
    return { code, checkpoint: Number(rows[0].change_seq) };
  };
  const pull = async (through: HqProcess, token: string, checkpoint: number) => {
    const res = await fetch(`${through.url}/v1/sync/changes?checkpoint=${checkpoint}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { vouchers: { code: string }[]; checkpoint: string };
  };

  beforeAll(async () => {
    db = await ownPostgresDatabase();
    client = new pg.Client({ connectionString: db.url });
    a = hqProcess({ port: await freePort(), databaseUrl: db.url, adminToken });
    b = hqProcess({ port: await freePort(), databaseUrl: db.url, adminToken });
    await a.start(); // migrates; the second finds nothing to do
    await b.start();
    await client.connect();
    const product = await a.admin('/v1/products/COFFEE', { method: 'PUT', body: JSON.stringify({ name: 'Coffee', barcode: '4006381333931', unit_price: 1299, tax_rate: 7, currency: 'EUR' }) });
    expect(product.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await client?.end();
    await db?.drop();
  }, 60_000);

  it('a till streaming from process A hears a change written through process B, and A serves it at once', async () => {
    const till = await a.registerTill('Streaming till');
    const first = await createVoucher(a);
    const stream = listen(a.url, till.token);
    try {
      await stream.hears(first.checkpoint); // A announces its latest to a new stream: it is subscribed
      const before = await pull(a, till.token, first.checkpoint);
      expect(before.vouchers).toEqual([]);
      const second = await createVoucher(b);
      await stream.hears(second.checkpoint);
      // The same question asked before the change is answered with it now (no stale page from A).
      const after = await pull(a, till.token, first.checkpoint);
      expect(after.vouchers.map((v) => v.code)).toEqual([second.code]);
      expect(Number(after.checkpoint)).toBe(second.checkpoint);
    } finally {
      await stream.close();
    }
  }, 60_000);

  it('abuse counters are shared: a token refused through A is refused through B', async () => {
    const stale = `till_stale_${'x'.repeat(40)}`;
    const ask = (through: HqProcess) => fetch(`${through.url}/v1/tills/me`, { headers: { authorization: `Bearer ${stale}` } });
    for (let i = 0; i < 20; i++) expect((await ask(a)).status).toBe(401);
    expect((await ask(a)).status).toBe(429);
    const atB = await ask(b);
    expect(atB.status).toBe(429);
    expect(Number(atB.headers.get('retry-after'))).toBeGreaterThan(0);
    // A valid token from the same address is still served by both.
    const till = await b.registerTill('Unaffected till');
    for (const through of [a, b]) expect((await fetch(`${through.url}/v1/tills/me`, { headers: { authorization: `Bearer ${till.token}` } })).status).toBe(200);
  }, 60_000);

  // Last: it kills A.
  it('a till whose process dies reconnects through the load balancer to the other and converges', async () => {
    const proxy = await failoverProxy([Number(new URL(a.url).port), Number(new URL(b.url).port)]);
    const { till_id, token } = await a.registerTill('Failover till');
    const till = await openTill({
      hqUrl: proxy.url,
      token,
      dbName: `till-${till_id}`,
      liveUpdates: true,
      settings: { timeZone: 'Europe/Berlin', currency: 'EUR' },
      replica: { indexedDB: new IDBFactory(), IDBKeyRange },
    });
    try {
      const v1 = await createVoucher(a);
      till.start(); // sync, then stream — through the proxy, to A
      await until('the till streams from A', () => proxy.streams.length === 1);
      expect(proxy.streams).toEqual([Number(new URL(a.url).port)]);
      expect((await getVoucher(till.db, v1.code))?.code).toBe(v1.code);

      await a.kill(); // SIGKILL: no goodbye; the stream and every connection to A just end
      const v2 = await createVoucher(b); // while the till has no stream
      // The till's next cycle (its periodic sync, or the browser's `online` event; here at once)
      // goes to B through the proxy, pulls what it missed and streams from B.
      // A cycle may start before the till has noticed its stream ended; the stream reconnects only
      // after a cycle that finds it gone, so cycles repeat until it has.
      await until('the till syncs and streams through B', async () => (await till.syncNow()).lastError === null && proxy.streams.length === 2);
      expect(proxy.streams[1]).toBe(Number(new URL(b.url).port));
      expect((await getVoucher(till.db, v2.code))?.code).toBe(v2.code);

      // A change through B now reaches the till by its stream alone (no sync is called here).
      const v3 = await createVoucher(b);
      await until('the stream brings the change', async () => (await getVoucher(till.db, v3.code)) !== undefined);

      // And the till's own sale reaches HQ through B.
      const ticket = TicketSchema.parse({ currency: 'EUR', lines: [{ product_id: 'COFFEE', quantity: 1, unit_price: 1299, tax_rate: 19 }] });
      await till.completeTicket({ ticket, codes: [v3.code], payments: [{ method: 'CARD', amount: 999 }] });
      await until('the sale is pushed', () => till.status().pendingOps === 0 && till.status().syncing === false);
      const voucher = (await (await b.admin(`/v1/vouchers/${v3.code}`)).json()) as { redemption: { redeemed_quantity: number } };
      expect(voucher.redemption.redeemed_quantity).toBe(1);
      // Converged: the till holds every voucher HQ has, at HQ's checkpoint.
      const { rows } = await client.query<{ code: string }>('SELECT code FROM vouchers ORDER BY code');
      for (const { code } of rows) expect((await getVoucher(till.db, code))?.code).toBe(code);
      expect(Number((await till.db.meta.get('checkpoint'))?.value)).toBeGreaterThanOrEqual(v3.checkpoint);
    } finally {
      await till.close();
      await proxy.close();
    }
  }, 90_000);
});

describe.skipIf(!url)('HQ_WORKERS: one primary, several workers on one port', () => {
  it('prepares once, starts every worker with its own LISTEN connection, and SIGTERM closes the streams and stops them all', async () => {
    const own = await ownPostgresDatabase();
    const hq = hqProcess({ port: await freePort(), databaseUrl: own.url, workers: 2, env: { HQ_DB_POOL: '3' } });
    const client = new pg.Client({ connectionString: own.url });
    const listeners = async () =>
      Number((await client.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'voucher-till hq listen' AND datname = current_database()`)).rows[0].n);
    try {
      await hq.start();
      await client.connect();
      await until('both workers serve', () => hq.output().includes('— 2 workers'));
      expect(await listeners()).toBe(2);
      const till = await hq.registerTill('Worker till');
      const created = await hq.admin('/v1/vouchers', { method: 'POST', body: JSON.stringify({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 } }) });
      expect(created.status).toBe(201);
      const { rows } = await client.query('SELECT max(change_seq) AS cp FROM vouchers');
      const stream = listen(hq.url, till.token);
      await stream.hears(Number(rows[0].cp));

      await hq.stop(); // SIGTERM to the primary
      expect(hq.exit()).toEqual({ code: 0, signal: null });
      expect(hq.output()).toContain('SIGTERM: stopping 2 workers');
      await until('the stream has ended', () => stream.ended());
      await until("the workers' connections are gone", async () => (await listeners()) === 0);
      await stream.close();
    } finally {
      await hq.stop();
      await client.end().catch(() => {});
      await own.drop();
    }
  }, 90_000);
});

describe.skipIf(!url)('HQ machines starting at once on one PostgreSQL', () => {
  it('migrate one after another (an advisory lock): every migration applied once, every start succeeds', async () => {
    const own = await ownPostgresDatabase();
    const opened: Awaited<ReturnType<typeof openDatabase>>[] = [];
    try {
      // Three HQs on a fresh database at once, each migrating (pool of 1: the lock's own connection
      // must not come from the pool). Without the lock they race to create the same tables.
      const starts = await Promise.allSettled([1, 2, 3].map(() => openDatabase({ url: own.url, poolSize: 1 })));
      for (const s of starts) if (s.status === 'fulfilled') opened.push(s.value);
      expect(starts.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      const applied = rowsOf<{ n: number }>(await opened[0]!.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`))[0]!.n;
      const files = readdirSync(fileURLToPath(new URL('../../hq/db/migrations', import.meta.url))).filter((f) => f.endsWith('.sql')).length;
      expect(applied).toBe(files);
    } finally {
      await Promise.all(opened.map((d) => d.close()));
      await own.drop();
    }
  }, 60_000);
});

describe.skipIf(!url)('imports and HQ processes starting on one PostgreSQL', () => {
  it("a starting HQ fails only imports whose process is gone: a live import holds its lock", async () => {
    const own = await ownPostgresDatabase();
    const [a, b] = [await openDatabase({ url: own.url }), await openDatabase({ url: own.url })];
    const status = async (id: string) => rowsOf<{ status: string }>(await b.db.execute(sql`SELECT status FROM async_actions WHERE id = ${id}`))[0]!.status;
    try {
      for (const id of ['aa_live', 'aa_dead']) {
        await a.db.execute(sql`INSERT INTO async_actions (id, type, status, progress, result) VALUES (${id}, 'VOUCHERS_IMPORT', 'IN_PROGRESS', '{"processed":0,"total":1}', '{"imported":0,"failed":0,"errors":[]}')`);
      }
      const release = await a.holdLock!(IMPORT_LOCK_CLASS, 'aa_live'); // process A is still importing aa_live
      await failInterruptedImports(b.db); // process B starts
      expect([await status('aa_live'), await status('aa_dead')]).toEqual(['IN_PROGRESS', 'FAILED']);
      await release(); // A's session ends (the process died)
      await failInterruptedImports(b.db);
      expect(await status('aa_live')).toBe('FAILED');
    } finally {
      await a.close();
      await b.close();
      await own.drop();
    }
  }, 60_000);

  it('an import holds its lock from before its row says IN_PROGRESS until it has ended', async () => {
    const own = await ownPostgresDatabase();
    const database = await openDatabase({ url: own.url });
    const events: string[] = [];
    const spied = {
      ...database,
      holdLock: async (classId: number, name: string) => {
        const rows = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM async_actions WHERE id = ${name}`));
        events.push(`lock ${classId === IMPORT_LOCK_CLASS ? 'import' : classId} (row exists: ${rows[0]!.n > 0})`);
        const release = await database.holdLock!(classId, name);
        return async () => {
          events.push(`release (${rowsOf<{ status: string }>(await database.db.execute(sql`SELECT status FROM async_actions WHERE id = ${name}`))[0]!.status})`);
          await release();
        };
      },
    };
    const { app } = await buildServer({ database: spied, adminHash: hashToken('adm_import_lock_test_token_000000000000'), logger: false });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/vouchers/import', headers: { authorization: 'Bearer adm_import_lock_test_token_000000000000' }, payload: [{ type: 'DISCOUNT_VOUCHER', currency: 'EUR', code: 'IMPLOCK-0001', discount: { type: 'AMOUNT', amount_off: 100 } }] });
      expect(res.statusCode, res.body).toBe(202);
      await until('the import has released its lock', () => events.length === 2);
      expect(events).toEqual(['lock import (row exists: false)', 'release (DONE)']);
    } finally {
      await app.close();
      await database.close();
      await own.drop();
    }
  }, 60_000);
});

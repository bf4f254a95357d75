// npm run bench:hq — HQ push throughput and voucher import, over real HTTP on loopback, on PostgreSQL
// and on embedded PGlite (in memory).
//
// Per backend: start HQ in this process (openDatabase + buildServer + listen on a free port), import
// 100k vouchers through POST /v1/vouchers/import (timed until the async action is DONE), register 50
// tills, then fork bench/hq-load.ts: 50 tills × 10 batches × 100 REDEMPTION ops (single-use with a hot
// contended subset, multi-use, gift debits; see bench/hq-workload.ts), all tills at once. Afterwards the
// database is checked: every op answered, accepted + conflicts + rejected = sent, the number of accepted
// and conflicting ops is exactly what the codes sent imply, no single-use voucher accepted twice, no
// quantity exceeded, every gift balance = amount − accepted debits and matches its ledger.
// Target (issue): ≥ 5,000 redemptions/s on PostgreSQL. Benchmarks print numbers; they do not assert on time.
//
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL; a fresh database is created for the run and
// dropped after. Without either (or when the server cannot be reached) the PostgreSQL row is skipped
// with the reason, and PGlite still runs.
// Knobs (env): HQ_BENCH_TILLS=50 HQ_BENCH_BATCHES=10 HQ_BENCH_BATCH_SIZE=100 HQ_BENCH_VOUCHERS=100000
// HQ_BENCH_CAP_S=60 (per backend: no new batch starts after this) HQ_BENCH_TIMEOUT_S=120 (per request)
// HQ_BENCH_HOT_SHARE=0.02 HQ_BENCH_POPULAR=0 (op mix, bench/hq-workload.ts) HQ_BENCH_BACKENDS=postgres,pglite
// HQ_BENCH_POOL=<PostgreSQL pool size; default HQ's own (hq/config.ts, defaultDbPool, one worker)> HQ_BENCH_OUT=<file to also write the markdown to>.
// HQ_BENCH_PUSH_GROUP=<pushes one transaction may hold; default HQ's (HQ_PUSH_GROUP); 1: no group commit>.
// HQ_BENCH_CHANGE_LOCK=off — an experiment, PostgreSQL only (issue 12, part 3: is the change-feed lock
// the limit?): the bench database gets a no-op public.pg_advisory_xact_lock(bigint) ahead of
// pg_catalog's in its search_path, so writers draw change numbers without serialising. Redemptions stay
// correct (row locks); the feed's commit order does not — never do this to a real HQ.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf, type Database } from '../hq/db/connect';
import { defaultDbPool } from '../hq/config';
import { buildServer } from '../hq/server';
import { hashToken } from '../hq/auth';
import { DEFAULT_PUSH_GROUP } from '../hq/push/pusher';
import { importRows, layout } from './hq-workload';
import type { LoadConfig, LoadResult } from './hq-load';

type Backend = 'postgres' | 'pglite';

const env = process.env;
const int = (name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const TILLS = int('HQ_BENCH_TILLS', 50);
const BATCHES = int('HQ_BENCH_BATCHES', 10);
const BATCH_SIZE = int('HQ_BENCH_BATCH_SIZE', 100);
const VOUCHERS = int('HQ_BENCH_VOUCHERS', 100_000);
/** PostgreSQL pool size; unset = what `npm run hq` would use here with one worker. */
const POOL = env.HQ_BENCH_POOL ? int('HQ_BENCH_POOL', 20) : defaultDbPool(os.availableParallelism(), 1);
const CAP_MS = int('HQ_BENCH_CAP_S', 60) * 1000;
const share = (name: string, fallback: number) => {
  const v = Number(env[name]);
  return env[name] !== undefined && env[name] !== '' && v >= 0 && v <= 1 ? v : fallback;
};
const HOT_SHARE = share('HQ_BENCH_HOT_SHARE', 0.02);
const POPULAR = share('HQ_BENCH_POPULAR', 0);
const BACKENDS = (env.HQ_BENCH_BACKENDS ?? 'postgres,pglite').split(',').map((s) => s.trim()) as Backend[];
const FETCH_TIMEOUT_MS = int('HQ_BENCH_TIMEOUT_S', 120) * 1000;
const CHANGE_LOCK_OFF = env.HQ_BENCH_CHANGE_LOCK === 'off';
const PUSH_GROUP = env.HQ_BENCH_PUSH_GROUP ? int('HQ_BENCH_PUSH_GROUP', DEFAULT_PUSH_GROUP) : DEFAULT_PUSH_GROUP;
const IMPORT_TIMEOUT_MS = 240_000;
const WATCHDOG_MS = 9 * 60_000;
const ADMIN_TOKEN = `adm_bench_${randomBytes(16).toString('hex')}`;
const SEED = 20261121;

// ---- small helpers -------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = performance.now();
const log = (msg: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

/** Resolves with the promise, or with 'timeout' after ms (the promise keeps running). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

async function http(method: string, url: string, body?: string, timeoutMs = FETCH_TIMEOUT_MS): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, json };
}

/** CPU ticks of this machine, from /proc/stat (Linux only). */
function cpuTicks(): { total: number; idle: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { total: cpu.reduce((a, b) => a + b, 0), idle: (cpu[3] ?? 0) + (cpu[4] ?? 0) };
  } catch {
    return null;
  }
}

/** user + system CPU ticks of one process, or undefined when it is gone (Linux only). */
function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/**
 * CPU ticks of the PostgreSQL backends serving the bench database (the HQ pool), by pid. Only those:
 * other databases on the same server (other people's tests) are not counted. Needs PostgreSQL on this host.
 */
async function backendTicks(url: string, dbName: string): Promise<Map<number, number>> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`, [dbName]);
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const t = processTicks(pid);
      if (t !== undefined) out.set(pid, t);
    }
    return out;
  } finally {
    await c.end();
  }
}
const TICK_MS = 10; // USER_HZ = 100 on Linux

/** Share of the machine's CPU busy over one second while HQ is idle: other people's work on a shared box. */
async function backgroundLoad(): Promise<number | null> {
  const a = cpuTicks();
  await sleep(1000);
  const b = cpuTicks();
  return a && b ? (1 - (b.idle - a.idle) / Math.max(1, b.total - a.total)) * 100 : null;
}

/** Databases to drop if the run is cut short (watchdog, Ctrl-C). */
const cleanups = new Set<() => Promise<void>>();
async function emergencyExit(code: number): Promise<never> {
  await within(10_000, Promise.allSettled([...cleanups].map((c) => c())));
  process.exit(code);
}

// ---- PostgreSQL: a fresh database per run ---------------------------------------------------------

async function freshPostgres(baseUrl: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `vt_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  if (CHANGE_LOCK_OFF) {
    // Before HQ connects: its pool's sessions take the database's search_path when they open.
    const c = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      await c.query(`CREATE FUNCTION public.pg_advisory_xact_lock(bigint) RETURNS void LANGUAGE sql AS 'SELECT NULL::void'`);
      await c.query(`ALTER DATABASE ${name} SET search_path = public, pg_catalog`);
    } finally {
      await c.end();
    }
  }
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Samples pg_stat_activity of the bench database every 20 ms during the load: what the HQ pool's
 * connections are doing (running SQL, waiting for a row lock, for the change-feed advisory lock, for
 * WAL, or idle in a transaction = waiting for Node to send the next statement).
 */
function startActivitySampler(url: string, dbName: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  const counts: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ state: string | null; wet: string | null; we: string | null }>(
        `SELECT state, wait_event_type AS wet, wait_event AS we FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [dbName],
      );
      samples += 1;
      for (const r of rows) {
        let k: string;
        if (r.state === 'idle') k = 'idle (pool)';
        else if (r.state === 'idle in transaction') k = 'in tx, waiting for Node';
        else if (r.wet === 'Lock' && r.we === 'advisory') k = 'change-feed advisory lock';
        else if (r.wet === 'Lock') k = `row/tx lock (${r.we})`;
        else if (r.wet === 'LWLock' || r.wet === 'IO') k = `${r.wet}:${r.we}`;
        else if (r.wet === 'Client') k = `running, ${r.we}`;
        else k = r.wet ? `${r.wet}:${r.we}` : 'running SQL (CPU)';
        counts[k] = (counts[k] ?? 0) + 1;
      }
      await sleep(20);
    }
    await client.end();
  })().catch(() => {});
  return {
    stop: async () => {
      running = false;
      await done;
      return { samples, counts };
    },
  };
}

async function pgDbStats(url: string, dbName: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  const { rows } = await c.query<{ xact_commit: string; xact_rollback: string; deadlocks: string }>(
    'SELECT xact_commit, xact_rollback, deadlocks FROM pg_stat_database WHERE datname = $1',
    [dbName],
  );
  await c.end();
  const r = rows[0];
  return { commits: Number(r?.xact_commit ?? 0), rollbacks: Number(r?.xact_rollback ?? 0), deadlocks: Number(r?.deadlocks ?? 0) };
}

// ---- one backend ----------------------------------------------------------------------------------

type ImportRow = { rows: number; imported: number; failed: number; seconds: number; acceptedAfterS: number; firstProgressS: number; maxLoopBlockMs: number; status: string };
type Profile = {
  backgroundBusyPct: number | null; hqCpuPct: number; hqMsPerKop: number; hqElu: number; pgCpuPct: number | null; pgMsPerKop: number | null; clientCpuPct: number; machineBusyPct: number | null;
  activity?: { samples: number; counts: Record<string, number> }; db?: { commits: number; rollbacks: number; deadlocks: number };
};
type Checks = { ok: boolean; lines: string[] };
type BackendResult = { backend: Backend; import: ImportRow; load: LoadResult; checks: Checks; profile: Profile };

async function importVouchers(base: string, body: string, rows: number): Promise<ImportRow> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  const res = await http('POST', `${base}/v1/vouchers/import`, body, IMPORT_TIMEOUT_MS);
  const acceptedAfterS = (performance.now() - t0) / 1000;
  if (res.status !== 202) throw new Error(`import: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
  const id = (res.json as { async_action_id: string }).async_action_id;
  let firstProgressS = NaN;
  for (;;) {
    if (performance.now() - t0 > IMPORT_TIMEOUT_MS) throw new Error(`import: not DONE after ${IMPORT_TIMEOUT_MS / 1000} s`);
    const poll = await http('GET', `${base}/v1/async-actions/${id}`);
    if (poll.status !== 200) throw new Error(`import poll: HTTP ${poll.status}`);
    const action = poll.json as { status: string; progress?: { processed: number }; result: { imported: number; failed: number; errors: unknown[] } };
    if (Number.isNaN(firstProgressS) && (action.progress?.processed ?? 0) > 0) firstProgressS = (performance.now() - t0) / 1000;
    if (action.status !== 'IN_PROGRESS') {
      const seconds = (performance.now() - t0) / 1000;
      loop.disable();
      if (action.status !== 'DONE' || action.result.failed) console.error(`import ${action.status}:`, JSON.stringify(action.result.errors.slice(0, 3)));
      return { rows, imported: action.result.imported, failed: action.result.failed, seconds, acceptedAfterS, firstProgressS, maxLoopBlockMs: loop.max / 1e6, status: action.status };
    }
    await sleep(50);
  }
}

type Query = <T>(text: string) => Promise<T[]>;

async function verify(q: Query, load: LoadResult, note?: string): Promise<Checks> {
  const lines: string[] = [];
  let ok = true;
  if (note) lines.push(`note ${note}`);
  const check = (pass: boolean, text: string) => {
    if (!pass) ok = false;
    lines.push(`${pass ? 'ok  ' : 'FAIL'} ${text}`);
  };
  const o = load.outcomes;
  const answered = o.ACCEPTED + o.CONFLICT + o.REJECTED;
  check(answered === load.sent && load.malformed === 0, `every op answered once: accepted ${o.ACCEPTED} + conflicts ${o.CONFLICT} + rejected ${o.REJECTED} = ${answered}, sent ${load.sent}; malformed responses ${load.malformed}`);
  check(
    o.ACCEPTED === load.expected.accepted && o.CONFLICT === load.expected.conflicts,
    `outcomes are what the codes sent imply: expected ${load.expected.accepted} accepted / ${load.expected.conflicts} conflicts`,
  );

  const [opsRow] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ops`);
  check(opsRow?.n === load.sent, `ops stored: ${opsRow?.n} (sent ${load.sent})`);
  const byOutcome = new Map((await q<{ outcome: string; n: number }>(`SELECT outcome, count(*)::int AS n FROM redemptions GROUP BY outcome`)).map((r) => [r.outcome, r.n]));
  check(
    (byOutcome.get('ACCEPTED') ?? 0) === o.ACCEPTED && (byOutcome.get('CONFLICT') ?? 0) === o.CONFLICT,
    `redemptions table agrees: ${byOutcome.get('ACCEPTED') ?? 0} ACCEPTED, ${byOutcome.get('CONFLICT') ?? 0} CONFLICT`,
  );
  const [double] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM (
      SELECT r.code FROM redemptions r JOIN vouchers v ON v.code = r.code
      WHERE r.outcome = 'ACCEPTED' AND r.status = 'ACTIVE' AND v.type = 'DISCOUNT_VOUCHER' AND v.quantity = 1
      GROUP BY r.code HAVING count(*) > 1) x`);
  check(double?.n === 0, `double accepts of single-use vouchers: ${double?.n}`);
  const [over] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM (
      SELECT r.code FROM redemptions r JOIN vouchers v ON v.code = r.code
      WHERE r.outcome = 'ACCEPTED' AND r.status = 'ACTIVE' AND v.type = 'DISCOUNT_VOUCHER' AND v.quantity IS NOT NULL
      GROUP BY r.code, v.quantity HAVING count(*) > v.quantity) x`);
  check(over?.n === 0, `quantity-limited vouchers accepted more than their quantity: ${over?.n}`);
  const [counter] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM vouchers v
      LEFT JOIN (SELECT code, count(*) AS n FROM redemptions WHERE outcome = 'ACCEPTED' AND status = 'ACTIVE' GROUP BY code) r ON r.code = v.code
      WHERE v.type = 'DISCOUNT_VOUCHER' AND (v.redeemed_quantity <> coalesce(r.n, 0)
        OR (v.quantity IS NOT NULL AND (v.status = 'REDEEMED') <> (v.redeemed_quantity >= v.quantity)))`);
  check(counter?.n === 0, `discount vouchers whose redeemed_quantity/status disagree with their accepted redemptions: ${counter?.n}`);
  const [gift] = await q<{ n: number; cards: number; debits: number }>(`SELECT
      count(*) FILTER (WHERE v.gift_balance <> v.gift_amount + coalesce(l.moves, 0) OR coalesce(-l.debits, 0) <> coalesce(r.amount, 0) OR coalesce(l.issued, 0) <> v.gift_amount)::int AS n,
      count(*) FILTER (WHERE r.amount IS NOT NULL)::int AS cards, coalesce(sum(r.k), 0)::int AS debits
    FROM vouchers v
    LEFT JOIN (SELECT code, sum(amount) FILTER (WHERE kind <> 'ISSUE') AS moves, sum(amount) FILTER (WHERE kind = 'DEBIT') AS debits,
                      sum(amount) FILTER (WHERE kind = 'ISSUE') AS issued FROM gift_ledger GROUP BY code) l ON l.code = v.code
    LEFT JOIN (SELECT code, sum(amount) AS amount, count(*) AS k FROM redemptions WHERE outcome = 'ACCEPTED' AND status = 'ACTIVE' GROUP BY code) r ON r.code = v.code
    WHERE v.type = 'GIFT_VOUCHER'`);
  check(gift?.n === 0, `gift cards where balance ≠ amount − accepted debits or ≠ ledger: ${gift?.n} (of ${gift?.cards} cards debited ${gift?.debits} times)`);
  const [seq] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM tills t WHERE t.last_seq <> (SELECT count(*) FROM ops o WHERE o.till_id = t.id)`);
  const clientSeq = Object.values(load.lastSeq).reduce((a, b) => a + b, 0);
  check(seq?.n === 0 && clientSeq === load.sent, `tills' last_seq = ops stored for every till (${seq?.n} differ); acknowledged seqs sum to ${clientSeq}`);
  check(load.batchesFailed === 0 && Object.keys(load.errors).length === 0, `HTTP errors: ${JSON.stringify(load.errors)}; failed batches ${load.batchesFailed}; retries ${load.retries}`);
  return { ok, lines };
}

function runLoadChild(cfg: LoadConfig): Promise<{ result: LoadResult; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(new URL('./hq-load.ts', import.meta.url)), [], { env: { ...env, HQ_LOAD_CHILD: '1' }, stdio: 'inherit' });
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('load generator did not finish in time'));
    }, cfg.capMs + cfg.timeoutMs * 4 + 30_000);
    child.once('message', (m: { ok: boolean; result?: LoadResult & { cpuMs: number }; error?: string }) => {
      clearTimeout(deadline);
      if (m.ok && m.result) resolve({ result: m.result, cpuMs: m.result.cpuMs });
      else reject(new Error(`load generator failed: ${m.error}`));
    });
    child.once('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`load generator exited with ${code}`)); // no-op if already resolved
    });
    child.send(cfg);
  });
}

async function runBackend(backend: Backend, importBody: string, pgBase?: string): Promise<BackendResult> {
  let drop: (() => Promise<void>) | undefined;
  let dbName = '';
  let url: string | undefined;
  if (backend === 'postgres') {
    const fresh = await freshPostgres(pgBase!);
    drop = fresh.drop;
    cleanups.add(fresh.drop);
    dbName = fresh.name;
    url = fresh.url;
  }
  let database: Database | undefined;
  let close: () => Promise<void> = async () => {};
  try {
    database = await openDatabase(url ? { url, ...(POOL ? { poolSize: POOL } : {}) } : {});
    const { app } = await buildServer({ database, adminHash: hashToken(ADMIN_TOKEN), logger: false, authFailureLimit: 1_000_000, pushGroup: PUSH_GROUP });
    let closing: Promise<void> | undefined;
    close = () => (closing ??= app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    log(`[${backend}] HQ on ${base}${dbName ? ` (database ${dbName})` : ''}${backend === 'postgres' && CHANGE_LOCK_OFF ? ' — change-feed lock OFF (experiment)' : ''}; importing ${fmt(VOUCHERS)} vouchers…`);

    const imp = await importVouchers(base, importBody, VOUCHERS);
    log(`[${backend}] import ${imp.status}: ${fmt(imp.imported)} in ${imp.seconds.toFixed(1)} s; registering ${TILLS} tills…`);
    if (imp.status !== 'DONE' || imp.imported !== VOUCHERS) throw new Error(`import did not complete: ${JSON.stringify(imp)}`);

    const tills: { till_id: string; token: string }[] = [];
    for (let i = 0; i < TILLS; i++) {
      const res = await http('POST', `${base}/v1/tills`, JSON.stringify({ name: `Bench till ${i + 1}`, time_zone: 'Europe/Berlin' }));
      if (res.status !== 201) throw new Error(`till registration: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
      tills.push(res.json as { till_id: string; token: string });
    }
    const idle = await backgroundLoad();

    log(`[${backend}] load: ${TILLS} tills × ${BATCHES} batches × ${BATCH_SIZE} ops (cap ${CAP_MS / 1000} s)…`);
    const sampler = url ? startActivitySampler(url, dbName) : undefined;
    const dbBefore = url ? await pgDbStats(url, dbName) : undefined;
    const pg0 = url ? await backendTicks(url, dbName) : undefined;
    const cpu0 = cpuTicks();
    const hqCpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const { result: load, cpuMs: clientCpuMs } = await runLoadChild({
      baseUrl: base, tills, batches: BATCHES, batchSize: BATCH_SIZE, capMs: CAP_MS, timeoutMs: FETCH_TIMEOUT_MS, vouchers: VOUCHERS, hotShare: HOT_SHARE, popularShare: POPULAR, seed: SEED,
    });
    const elu = performance.eventLoopUtilization(elu0);
    const hqCpu = process.cpuUsage(hqCpu0);
    const cpu1 = cpuTicks();
    const pg1 = url ? await backendTicks(url, dbName) : undefined;
    const pgMs = pg0 && pg1 ? [...pg1].reduce((sum, [pid, t]) => sum + t - (pg0.get(pid) ?? 0), 0) * TICK_MS : undefined;
    const activity = await sampler?.stop();
    const dbAfter = url ? await pgDbStats(url, dbName) : undefined;
    const wallMs = load.wallMs;
    const profile: Profile = {
      backgroundBusyPct: idle,
      hqCpuPct: ((hqCpu.user + hqCpu.system) / 1000 / wallMs) * 100,
      hqElu: elu.utilization,
      hqMsPerKop: (hqCpu.user + hqCpu.system) / load.sent,
      pgCpuPct: pgMs === undefined || !pg1?.size ? null : (pgMs / wallMs) * 100,
      pgMsPerKop: pgMs === undefined || !pg1?.size ? null : (pgMs * 1000) / load.sent,
      clientCpuPct: (clientCpuMs / wallMs) * 100,
      machineBusyPct: cpu0 && cpu1 ? (1 - (cpu1.idle - cpu0.idle) / Math.max(1, cpu1.total - cpu0.total)) * 100 : null,
      ...(activity ? { activity } : {}),
      ...(dbBefore && dbAfter ? { db: { commits: dbAfter.commits - dbBefore.commits - (activity?.samples ?? 0) - 1, rollbacks: dbAfter.rollbacks - dbBefore.rollbacks, deadlocks: dbAfter.deadlocks - dbBefore.deadlocks } } : {}),
    };
    log(`[${backend}] load done in ${(wallMs / 1000).toFixed(1)} s; closing HQ (it finishes requests in flight)…`);
    // Verify a quiet database: close HQ first (it finishes requests still in flight, e.g. ones the client
    // gave up on). If that takes too long, verify anyway through a connection of our own.
    const closeStarted = performance.now();
    const closed = (await within(60_000, close().then(() => 'closed' as const))) === 'closed';
    log(`[${backend}] HQ ${closed ? `closed after ${((performance.now() - closeStarted) / 1000).toFixed(1)} s` : 'still busy after 60 s'}; verifying…`);
    const note = closed ? undefined : 'HQ was still processing requests 60 s after the load ended; the numbers below may still move';
    let checks: Checks;
    if (url) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        checks = await verify(async <T>(text: string) => (await client.query(text)).rows as T[], load, note);
      } finally {
        await client.end();
      }
    } else {
      const db = database.db;
      checks = await verify(async <T>(text: string) => rowsOf<T>(await db.execute(sql.raw(text))), load, note);
    }
    log(`[${backend}] verified: ${checks.ok ? 'all checks pass' : 'CHECKS FAILED'}`);
    return { backend, import: imp, load, checks, profile };
  } finally {
    // HQ finishes in-flight requests on close; after a timed-out load that can take long, so bound it
    // (dropping the database WITH (FORCE) then ends whatever is still running on PostgreSQL).
    const closed = (await within(15_000, close().catch(() => {}))) !== 'timeout';
    if (!closed) log(`[${backend}] HQ did not close within 15 s (requests still in flight); dropping the database under it`);
    if (closed && (await within(15_000, database?.close().catch(() => {}) ?? Promise.resolve())) === 'timeout') log(`[${backend}] database did not close within 15 s; going on`);
    if (drop) {
      await drop().catch((e: unknown) => log(`could not drop ${dbName}: ${String(e)}`));
      cleanups.delete(drop);
    }
    if (!closed) await within(15_000, database?.close().catch(() => {}) ?? Promise.resolve());
  }
}

/** Why the PostgreSQL row cannot be measured, or undefined when it can. */
async function postgresUnavailable(base: string | undefined): Promise<string | undefined> {
  if (!base) return 'neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set';
  const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `cannot reach ${new URL(base).host}: ${(error as Error).message}`;
  } finally {
    await c.end().catch(() => {});
  }
}

// ---- report ---------------------------------------------------------------------------------------

function table(headers: string[], rows: (string | number)[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function report(results: BackendResult[], skipped: { backend: Backend; why: string }[], totalS: number): string {
  const machine = `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
  const out: string[] = [];
  if (!results.length) {
    for (const s of skipped) out.push(`**${s.backend}: not measured** — ${s.why}.`, '');
    out.push('No backend was measured.');
    return out.join('\n');
  }
  out.push(`## HQ push — ${TILLS} tills × ${BATCHES} batches × ${BATCH_SIZE} redemptions over HTTP (${machine})${CHANGE_LOCK_OFF ? '; PostgreSQL with the change-feed lock OFF (HQ_BENCH_CHANGE_LOCK=off, an experiment)' : ''}`, '');
  out.push(
    table(
      ['backend', 'tills', 'batches', 'ops sent', 'wall s', 'redemptions/s', 'p50 batch ms', 'p99 batch ms', 'accepted', 'conflicts', 'rejected', 'correct'],
      results.map((r) => {
        const lat = [...r.load.latencies].sort((a, b) => a - b);
        const o = r.load.outcomes;
        return [
          r.backend, TILLS, r.load.batchesOk + (r.load.batchesFailed ? ` (+${r.load.batchesFailed} failed)` : ''), fmt(r.load.sent), (r.load.wallMs / 1000).toFixed(2),
          `**${fmt(r.load.sent / (r.load.wallMs / 1000))}**${r.load.capped ? ' (capped)' : ''}`, fmt(percentile(lat, 0.5), 1), fmt(percentile(lat, 0.99), 1),
          fmt(o.ACCEPTED), fmt(o.CONFLICT), fmt(o.REJECTED),
          r.checks.ok ? `✓ ${fmt(o.ACCEPTED + o.CONFLICT + o.REJECTED)} = sent, 0 double accepts, gift ledger ✓` : '✗ see below',
        ];
      }),
    ),
  );
  for (const s of skipped) out.push('', `**${s.backend}: not measured** — ${s.why}.`);
  for (const r of results) {
    const bg = r.profile.backgroundBusyPct;
    if (bg !== null && bg > 25) out.push('', `⚠ ${r.backend}: the machine was ${fmt(bg)} % busy with other work just before the load; its rates are lower than on an idle machine.`);
  }
  out.push(
    '',
    `Mix: 60 % single-use (${fmt(HOT_SHARE * 100, 1)} % of them on 200 hot codes several tills redeem), 25 % multi-use ` +
      `(${fmt(POPULAR * 100)} % of them on 100 popular campaign codes), 15 % gift debits; ${fmt(VOUCHERS)} vouchers; ` +
      `PostgreSQL pool ${POOL}${env.HQ_BENCH_POOL ? '' : " (HQ's default here)"}; push group ${PUSH_GROUP}${PUSH_GROUP === 1 ? ' (no group commit)' : ''}; per-backend cap ${CAP_MS / 1000} s.`,
  );
  out.push('', `Target on PostgreSQL: ≥ 5,000 redemptions/s. redemptions/s = ops answered (accepted + conflicts + rejected) / wall time from the first batch sent to the last response.`);

  out.push('', `## HQ import — ${fmt(VOUCHERS)} vouchers via POST /v1/vouchers/import until the async action is DONE`, '');
  out.push(
    table(
      ['backend', 'rows', 'seconds', 'rows/s', '202 after s', 'first chunk done s', 'max event-loop block ms'],
      results.map((r) => [
        r.backend, fmt(r.import.imported), r.import.seconds.toFixed(2), `**${fmt(r.import.imported / r.import.seconds)}**`, r.import.acceptedAfterS.toFixed(2),
        Number.isNaN(r.import.firstProgressS) ? '–' : r.import.firstProgressS.toFixed(2), fmt(r.import.maxLoopBlockMs),
      ]),
    ),
  );

  out.push('', '## Where the time goes during the push load', '');
  out.push(
    table(
      ['backend', 'machine busy before load', 'machine busy during load', 'HQ process CPU', 'HQ event loop busy', 'PostgreSQL backends CPU', 'load client CPU', 'CPU ms per 1k ops: HQ + PG', 'PG commits (HQ, ≈)', 'PG rollbacks', 'PG deadlocks'],
      results.map((r) => {
        const p = r.profile;
        const pct = (x: number | null) => (x === null ? '–' : `${fmt(x)} %`);
        const perK = `${fmt(p.hqMsPerKop)} + ${p.pgMsPerKop === null ? '–' : fmt(p.pgMsPerKop)}`;
        return [
          r.backend, pct(p.backgroundBusyPct), pct(p.machineBusyPct), pct(p.hqCpuPct), pct(p.hqElu * 100), pct(p.pgCpuPct), pct(p.clientCpuPct), perK,
          p.db ? fmt(p.db.commits) : '–', p.db ? fmt(p.db.rollbacks) : '–', p.db ? fmt(p.db.deadlocks) : '–',
        ];
      }),
    ),
  );
  out.push(
    '',
    `Machine busy = share of all ${os.cpus().length} cores (from /proc/stat; "before load" is 1 s with HQ idle, i.e. other work on the machine). ` +
      'Process CPU is in % of one core. HQ event loop busy = eventLoopUtilization of the HQ process during the load. ' +
      'PostgreSQL backends = the processes serving the bench database only (not other databases, not WAL writer/checkpointer). ' +
      'CPU ms per 1k ops is independent of other load on the machine, unlike the rates: the CPU-bound ceiling is about cores × 1000 / (HQ + PG) ops/s.',
  );
  for (const r of results) {
    if (!r.profile.activity) continue;
    const { samples, counts } = r.profile.activity;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    out.push('', `${r.backend}: HQ pool connections by state (pg_stat_activity sampled every 20 ms, ${samples} samples, mean ${(total / Math.max(1, samples)).toFixed(1)} connections):`, '');
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    const major = rows.filter(([, n]) => n / total >= 0.005);
    const rest = rows.filter(([, n]) => n / total < 0.005).reduce((sum, [, n]) => sum + n, 0);
    if (rest) major.push(['other (each < 0.5 %)', rest]);
    out.push(table(['state', 'share'], major.map(([k, n]) => [k, `${((n / total) * 100).toFixed(1)} %`])));
  }

  out.push('', '## Correctness checks', '');
  for (const r of results) {
    out.push(`${r.backend}:`, '', '```', ...r.checks.lines, '```', '');
    const reasons = Object.entries(r.load.reasons).map(([k, n]) => `${k}: ${fmt(n)}`).join(', ');
    out.push(`Outcome reasons: ${reasons || 'none'}; gift overdrafts accepted and flagged: ${fmt(r.load.overdrafts)}.`, '');
  }
  out.push(`Total benchmark time: ${totalS.toFixed(0)} s.`);
  return out.join('\n');
}

// ---- main -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const watchdog = setTimeout(() => {
    log(`still running after ${WATCHDOG_MS / 60_000} min; giving up.`);
    void emergencyExit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  process.once('SIGINT', () => {
    log('interrupted; dropping the bench database');
    void emergencyExit(130);
  });

  const pgBase = env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined;
  const skipped: { backend: Backend; why: string }[] = [];
  const wanted: Backend[] = [];
  for (const b of BACKENDS) {
    if (b === 'postgres') {
      const why = await postgresUnavailable(pgBase);
      if (why) {
        skipped.push({ backend: b, why });
        console.error(`PostgreSQL row not measured: ${why}.`);
        continue;
      }
    }
    if (b === 'postgres' || b === 'pglite') wanted.push(b);
  }
  const rows = importRows(layout(VOUCHERS));
  const importBody = JSON.stringify(rows);
  console.error(`import body: ${fmt(rows.length)} vouchers, ${(importBody.length / 2 ** 20).toFixed(1)} MiB`);

  const results: BackendResult[] = [];
  for (const b of wanted) {
    try {
      results.push(await runBackend(b, importBody, pgBase));
    } catch (error) {
      log(`[${b}] failed: ${String((error as Error)?.stack ?? error)}`);
      skipped.push({ backend: b, why: `the run failed: ${(error as Error).message}` });
    }
  }
  const text = report(results, skipped, (performance.now() - started) / 1000);
  console.log(text);
  if (env.HQ_BENCH_OUT) writeFileSync(env.HQ_BENCH_OUT, `${text}\n`);
  clearTimeout(watchdog);
  process.exitCode = results.length && results.every((r) => r.checks.ok) ? 0 : 1;
}

await main();

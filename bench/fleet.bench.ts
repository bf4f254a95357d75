// npm run bench:fleet — a fleet of simulated tills against HQ on PostgreSQL (issue 12, part 4).
//
// Per configuration (tills N × workload × HQ workers):
//   1. a fresh PostgreSQL database (dropped afterwards);
//   2. HQ as its own process (`node --import tsx hq/main.ts`, DATABASE_URL, HQ_WORKERS passed through),
//      with the file limit raised as far as the OS lets (`ulimit -n`, which Node cannot raise itself);
//   3. 10,000 vouchers (random codes, varied fields: see fleetVouchers) imported through POST /v1/vouchers/import,
//      N tills registered (POST /v1/tills);
//   4. the tills (bench/fleet-tills.ts) in their own process: each opens its SSE stream and pulls
//      everything (pages of 1,000) — "initial pull" is the time from the first till's start to the last
//      till's last page; a size whose tills cannot all connect and pull within HQ_FLEET_INITIAL_CAP_S is
//      stopped there (and bigger sizes of that workload and worker count are not tried);
//   5. pushes start (one REDEMPTION per till per 30 s "realistic", per 2 s "stress", of unlimited
//      multi-use vouchers, so every op is ACCEPTED); after a warm-up, a measure window during which the
//      orchestrator changes one voucher at HQ every HQ_FLEET_CHANGE_EVERY_S (PUT as admin, a label only
//      this change has) and every till records when a page containing it arrived; then a drain, after
//      which a till that has not seen a change counts as a miss;
//   6. checks: every till's initial pull brought every voucher, HQ stored exactly the ops it acknowledged
//      as ACCEPTED, how many tills ended at HQ's last checkpoint.
// CPU and memory come from /proc: HQ's process tree (all its workers), every postgres process (and,
// separately, the backends serving the bench database), the till process, and the machine as a whole
// (so what else the shared machine was doing shows as "other").
//
// Needs PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (without either, it says so and exits 0).
// Knobs (env): HQ_FLEET_TILLS=100,1000,2000,5000  HQ_FLEET_WORKLOADS=realistic,stress  HQ_FLEET_WORKERS=1,2
// HQ_FLEET_WARMUP_S=10  HQ_FLEET_WINDOW_S=60  HQ_FLEET_DRAIN_S=10  HQ_FLEET_CHANGE_EVERY_S=5
// HQ_FLEET_INITIAL_CAP_S=300  HQ_FLEET_RAMP_S=0 (tills start over this long)  HQ_FLEET_VOUCHERS=10000
// HQ_FLEET_PAGE=1000  HQ_FLEET_TIMEOUT_S=120 (per request)  HQ_FLEET_TILL_PROCS=0 (processes the tills are split
// over; 0 = one per 500 tills, at most one per core)  HQ_FLEET_OUT=<file for the closing table>.
// Benchmarks print numbers; they do not assert on time. On a shared machine run it under
// `flock /tmp/bench.lock` like the other benches.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../hq/db/connect';
import { benchDatabase } from './bench-database';
import { prng } from './hq-workload';
import { newCounters, wallNow, type Counters, type FleetCommand, type FleetEvent, type FleetTillsConfig, type StartupStatus } from './fleet-tills';

const env = process.env;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const int = (name: string, fallback: number) => {
  const v = Number(env[name]);
  return env[name] && Number.isFinite(v) && v >= 0 ? v : fallback;
};
const list = (name: string, fallback: string) => (env[name] || fallback).split(',').map((s) => s.trim()).filter(Boolean);

const SIZES = list('HQ_FLEET_TILLS', '100,1000,2000,5000').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const WORKLOADS = list('HQ_FLEET_WORKLOADS', 'realistic,stress').filter((w): w is Workload => w === 'realistic' || w === 'stress');
const WORKERS = list('HQ_FLEET_WORKERS', '1,2').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const WARMUP_MS = int('HQ_FLEET_WARMUP_S', 10) * 1000;
const WINDOW_MS = int('HQ_FLEET_WINDOW_S', 60) * 1000;
const DRAIN_MS = int('HQ_FLEET_DRAIN_S', 10) * 1000;
const CHANGE_EVERY_MS = int('HQ_FLEET_CHANGE_EVERY_S', 5) * 1000;
const INITIAL_CAP_MS = int('HQ_FLEET_INITIAL_CAP_S', 300) * 1000;
const RAMP_MS = int('HQ_FLEET_RAMP_S', 0) * 1000;
const VOUCHERS = int('HQ_FLEET_VOUCHERS', 10_000);
const PAGE = int('HQ_FLEET_PAGE', 1000);
const TIMEOUT_MS = int('HQ_FLEET_TIMEOUT_S', 120) * 1000;
/** Processes the tills are split over; 0 = one per 500 tills, at most one per core. */
const TILL_PROCS = int('HQ_FLEET_TILL_PROCS', 0);
const PUSH_INTERVAL_MS: Record<Workload, number> = { realistic: 30_000, stress: 2_000 };
const ADMIN_TOKEN = `adm_fleet_${randomBytes(16).toString('hex')}`;
const MARKER = 'fleetchange-';
const TICK_MS = 10; // USER_HZ = 100 on Linux

type Workload = 'realistic' | 'stress';

// ---- small helpers -------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = performance.now();
const log = (msg: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const sum = (xs: Iterable<number>) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}
const sorted = (xs: number[]) => Float64Array.from(xs).sort();
const ms3 = (xs: number[]) => {
  const s = sorted(xs);
  return `${fmt(percentile(s, 0.5))} / ${fmt(percentile(s, 0.99))} / ${fmt(s.length ? s[s.length - 1]! : NaN)}`;
};

function table(headers: string[], rows: (string | number)[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function admin(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, json, ms: performance.now() - started };
}

// ---- the data set ---------------------------------------------------------------------------------

/**
 * The vouchers HQ starts with, as the back office would import them: 80 % single-use discount vouchers,
 * 10 % multi-use of unlimited quantity (what the tills redeem: always ACCEPTED), 10 % gift cards. Codes
 * are random and labels, campaigns, amounts and dates vary, so a compressed page is about as large as a
 * real chain's would be (sequential codes and identical rows compress far better than real data).
 * Seeded: the same set on every run.
 */
function fleetVouchers(count: number): { rows: unknown[]; single: string[]; multi: string[] } {
  const rand = prng(20261212);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const seen = new Set<string>();
  const code = () => {
    for (;;) {
      const c = `FL${Array.from({ length: 10 }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join('')}`;
      if (!seen.has(c)) return (seen.add(c), c);
    }
  };
  const labels = ['5 € off', '10 € off your next visit', 'Spring sale', 'Welcome back', 'Birthday treat', 'Staff discount', 'Loyalty reward', 'Newsletter thank-you', 'Apology voucher', 'Bundle deal'];
  const campaigns = ['SPRING-26', 'SUMMER-26', 'LOYALTY', 'WELCOME', 'NEWSLETTER', 'STORE-OPENING', null];
  const date = () => `202${7 + Math.floor(rand() * 2)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
  const rows: unknown[] = [];
  const single: string[] = [];
  const multi: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = code();
    const common = { code: c, label: pick(labels), campaign: pick(campaigns), currency: 'EUR', expiration_date: date() };
    if (i % 10 < 8) {
      single.push(c);
      rows.push({ ...common, type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 100 + 50 * Math.floor(rand() * 40) }, redemption: { quantity: 1 }, ...(rand() < 0.3 ? { min_order_amount: 1000 * Math.ceil(rand() * 10) } : {}) });
    } else if (i % 10 === 8) {
      multi.push(c);
      rows.push({ ...common, type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 5 + Math.floor(rand() * 26), amount_limit: 2000 }, redemption: { quantity: null } });
    } else {
      rows.push({ ...common, type: 'GIFT_VOUCHER', gift: { amount: 1000 * (1 + Math.floor(rand() * 20)) } });
    }
  }
  return { rows, single, multi };
}

// ---- /proc ---------------------------------------------------------------------------------------

function procStat(pid: number): { ppid: number; ticks: number; comm: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** A process and all its descendants (HQ's workers). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const s = procStat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  if (procStat(root)) walk(root);
  return out;
}

const postgresPids = () => allPids().filter((pid) => procStat(pid)?.comm === 'postgres');

/** PostgreSQL backends serving one database (their process title names it). */
function backendsOf(dbName: string): number[] {
  return postgresPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${dbName} `);
    } catch {
      return false;
    }
  });
}

type CpuGroups = { hq: () => number[]; pgBench: () => number[]; pgAll: () => number[]; tills: () => number[] };

/**
 * CPU of groups of processes over a phase. Sampled every 500 ms, so a process that exits during the
 * phase (a pool connection closed after 10 s idle, a worker) still counts up to its last sample; a
 * process that appears during it counts from its start.
 */
function cpuMeter(groups: CpuGroups) {
  const names = Object.keys(groups) as (keyof CpuGroups)[];
  const base = new Map<keyof CpuGroups, Map<number, number>>();
  const last = new Map<keyof CpuGroups, Map<number, number>>();
  const sample = (into: Map<keyof CpuGroups, Map<number, number>>) => {
    for (const g of names) {
      const m = into.get(g) ?? new Map<number, number>();
      into.set(g, m);
      for (const pid of groups[g]()) {
        const t = procStat(pid)?.ticks;
        if (t !== undefined) m.set(pid, t);
      }
    }
  };
  sample(base);
  sample(last);
  const self0 = process.cpuUsage();
  const machine0 = machineTicks();
  const at0 = performance.now();
  const timer = setInterval(() => sample(last), 500);
  timer.unref();
  return {
    stop(): Cpu {
      clearInterval(timer);
      sample(last);
      const ms = (g: keyof CpuGroups) => sum([...last.get(g)!].map(([pid, t]) => t - (base.get(g)!.get(pid) ?? 0))) * TICK_MS;
      const self = process.cpuUsage(self0);
      const machine1 = machineTicks();
      return {
        hq: ms('hq'), pgBench: ms('pgBench'), pgAll: ms('pgAll'), tills: ms('tills'), self: (self.user + self.system) / 1000,
        // The busy share of all ticks × cores × wall time: tick counts drift a little against the wall clock.
        machineBusy: machine0 && machine1 ? (1 - (machine1.idle - machine0.idle) / Math.max(1, machine1.total - machine0.total)) * os.cpus().length * (performance.now() - at0) : null,
      };
    },
  };
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function machineTicks(): { total: number; idle: number } | null {
  try {
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: sum(cpu), idle: (cpu[3] ?? 0) + (cpu[4] ?? 0) };
  } catch {
    return null;
  }
}

function openFileLimit(pid: number): number | null {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : null;
  } catch {
    return null;
  }
}

/** Share of the machine busy over one second (before HQ starts: other people's work). */
async function machineBusy(ms = 1000): Promise<number | null> {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return a && b ? (1 - (b.idle - a.idle) / Math.max(1, b.total - a.total)) * 100 : null;
}

// ---- processes -----------------------------------------------------------------------------------

/**
 * Node cannot raise its own file limit: start the process through bash, which raises the soft limit as
 * far as the hard limit allows (65,536 if it can) and then execs it (same pid, same IPC channel).
 */
function spawnWithFileLimit(argv: string[], childEnv: NodeJS.ProcessEnv, stdio: ('ignore' | 'inherit' | 'pipe' | 'ipc')[]): ChildProcess {
  const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  return spawn('bash', ['-c', script, 'bash', ...argv], { cwd: ROOT, env: childEnv, stdio });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM (HQ shuts down gracefully), then SIGKILL what is left of the tree we started. */
async function stopProcess(child: ChildProcess, label: string): Promise<void> {
  if (!child.pid) return;
  const tree = processTree(child.pid);
  child.kill('SIGTERM');
  if (await exited(child, 20_000)) return;
  log(`${label} did not exit 20 s after SIGTERM; killing its processes ${tree.join(', ')}`);
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exited(child, 5_000);
}

type Hq = { base: string; child: ChildProcess; output: string[]; workersSeen: number; workersNote: string; fileLimit: number | null };

async function startHq(databaseUrl: string, workers: number): Promise<Hq> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawnWithFileLimit(
    [process.execPath, '--import', 'tsx', 'hq/main.ts'],
    { ...env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', HQ_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn', HQ_WORKERS: String(workers), HQ_SEED_DEMO: '' },
    ['ignore', 'pipe', 'pipe'],
  );
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line.slice(0, 300));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.on('error', (e) => keep(Buffer.from(`spawn error: ${e.message}`)));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 90_000;
  let health: Record<string, unknown>;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HQ exited with ${child.exitCode}:\n${output.slice(-20).join('\n')}`);
    if (performance.now() > deadline) {
      await stopProcess(child, 'HQ');
      throw new Error(`HQ did not answer /healthz within 90 s:\n${output.slice(-20).join('\n')}`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        health = (await res.json()) as Record<string, unknown>;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  // Workers HQ really runs: a `workers` field of /healthz if HQ reports one, else the processes of its
  // tree (a primary and its workers, or one process that serves by itself).
  // A primary that forks workers says so once all of them serve; give them up to 30 s to start.
  let seen: number;
  for (const until = performance.now() + (workers > 1 ? 30_000 : 0); ; await sleep(250)) {
    const nodes = processTree(child.pid!).filter((pid) => procStat(pid)?.comm === 'node').length;
    seen = nodes > 1 ? nodes - 1 : 1;
    if ((seen >= workers && output.some((l) => l.includes('listening'))) || performance.now() >= until) break;
  }
  const reported = typeof health.workers === 'number' ? health.workers : undefined;
  const workersSeen = reported ?? seen;
  const workersNote = workersSeen < workers ? ` (HQ_WORKERS=${workers}: not supported yet)` : '';
  return { base, child, output, workersSeen, workersNote, fileLimit: openFileLimit(child.pid!) };
}

type TillsProcess = { child: ChildProcess; status: StartupStatus | null; send: (c: FleetCommand) => void; next: (evt: FleetEvent['evt'], ms: number) => Promise<FleetEvent | 'timeout'> };

function startTills(): TillsProcess {
  const child = spawnWithFileLimit([process.execPath, '--import', 'tsx', 'bench/fleet-tills.ts'], { ...env, HQ_FLEET_CHILD: '1' }, ['ignore', 'inherit', 'inherit', 'ipc']);
  const inbox: FleetEvent[] = [];
  let wake: (() => void) | null = null;
  const proc: TillsProcess = {
    child,
    status: null,
    // With a callback, a send to a process that has just exited (EPIPE) is reported there, not thrown.
    send: (c) => void (child.connected && child.send(c, () => {})),
    /** The next event of a kind (others are dropped), or 'timeout'. A fatal error or an exit throws. */
    async next(evt, ms) {
      const deadline = performance.now() + ms;
      for (;;) {
        while (inbox.length) {
          const e = inbox.shift()!;
          if (e.evt === 'fatal') throw new Error(`tills process failed: ${e.error}`);
          if (e.evt === evt) return e;
        }
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`tills process exited (${child.exitCode ?? child.signalCode})`);
        const left = deadline - performance.now();
        if (left <= 0) return 'timeout';
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, Math.min(left, 1000));
        });
        wake = null;
      }
    },
  };
  child.on('message', (m: FleetEvent) => {
    // Start-up progress is a state, not a queue: keep the newest.
    if (m.evt === 'status') proc.status = m.status;
    else inbox.push(m);
    wake?.();
  });
  child.on('exit', () => wake?.());
  child.on('error', (e) => log(`tills process: ${e.message}`));
  return proc;
}

function mergeCounters(all: Counters[]): Counters {
  const out = newCounters();
  for (const c of all) {
    for (const key of ['bytesIn', 'pulls', 'pages', 'notModified', 'events', 'streamPages', 'streamPagesRefused', 'streamPagesHeld', 'heldJoined', 'heldExpired', 'reconnects', 'opsOffered', 'opsAcked'] as const) out[key] += c[key];
    for (const key of ['outcomes', 'encodings', 'eventKinds', 'refusedWhy', 'errors'] as const) for (const [k, n] of Object.entries(c[key])) out[key][k] = (out[key][k] ?? 0) + n;
    for (const x of c.opLatencies) out.opLatencies.push(x);
    for (const x of c.pushLatencies) out.pushLatencies.push(x);
  }
  return out;
}

/** The fleet's start-up as one: until every process has reported, null. */
function mergeStatus(procs: TillsProcess[]): StartupStatus | null {
  const all = procs.map((p) => p.status);
  if (all.some((x) => x === null)) return null;
  const st = all as StartupStatus[];
  return {
    startedAt: Math.min(...st.map((x) => x.startedAt)), tills: sum(st.map((x) => x.tills)), initialDone: sum(st.map((x) => x.initialDone)),
    lastInitialDoneAt: Math.max(...st.map((x) => x.lastInitialDoneAt)), sseConnected: sum(st.map((x) => x.sseConnected)),
    initialBytes: st.flatMap((x) => x.initialBytes), initialVouchers: st.flatMap((x) => x.initialVouchers), initialMs: st.flatMap((x) => x.initialMs),
    counters: mergeCounters(st.map((x) => x.counters)),
  };
}

/** Every process's answer of one kind, or 'timeout'. */
async function collect<E extends FleetEvent['evt']>(procs: TillsProcess[], evt: E, ms: number): Promise<Extract<FleetEvent, { evt: E }>[] | 'timeout'> {
  const answers = await Promise.all(procs.map((p) => p.next(evt, ms)));
  return answers.some((a) => a === 'timeout') ? 'timeout' : (answers as Extract<FleetEvent, { evt: E }>[]);
}

// ---- one configuration ---------------------------------------------------------------------------

type Cpu = { hq: number; pgBench: number; pgAll: number; tills: number; self: number; machineBusy: number | null };
type Result = {
  tills: number; workload: Workload; workers: number; workersSeen: string; loadBefore: number[]; loadAfter: number[]; busyBefore: number | null;
  fileLimits: string; tillProcs?: number; countEvery?: number; stopped?: string;
  initial?: { seconds: number; wallMs: number; pages: number; cpu: Cpu; done: number; connected: number; perTillP50: number; perTillP99: number; bytesPerTill: number; vouchersOk: number; vouchersCounted: number; encodings: string; errors: Record<string, number> };
  window?: {
    seconds: number; changes: { k: number; sentAt: number; status: number; ms: number }[]; latencies: number[]; misses: number; perChangeMax: number[];
    counters: Counters; backlog: number; cpu: Cpu; hqRssPeak: number; tillsRssPeak: number;
  };
  checks?: { accepted: number; acked: number; storedAccepted: number; storedOps: number; unanswered: number; inFlight: number; converged: number; lastCheckpoint: number };
  errorsTotal?: Record<string, number>;
};

async function runConfig(pgBase: string, tills: number, workload: Workload, workers: number): Promise<Result> {
  const loadBefore = os.loadavg();
  const busyBefore = await machineBusy();
  const result: Result = { tills, workload, workers, workersSeen: '', loadBefore, loadAfter: loadBefore, busyBefore, fileLimits: '' };
  const label = `[${tills} tills, ${workload}, HQ_WORKERS=${workers}]`;
  const database = await benchDatabase('vt_fleet');
  const dbUrl = new URL(pgBase);
  // benchDatabase made a fresh database; HQ gets the same URL with its name.
  const dbName = rowsOf<{ name: string }>(await database.db.db.execute(sql`SELECT current_database() AS name`))[0]!.name;
  dbUrl.pathname = `/${dbName}`;
  let hq: Hq | undefined;
  let sims: TillsProcess[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const sim of sims) sim.send({ cmd: 'stop' });
      for (const sim of sims) if (!(await exited(sim.child, 15_000))) await stopProcess(sim.child, 'tills');
      if (hq) {
        if (hq.child.exitCode !== null) log(`${label} HQ had exited (${hq.child.exitCode}); its last output:\n${hq.output.slice(-10).join('\n')}`);
        await stopProcess(hq.child, 'HQ');
        const errorsInLog = hq.output.filter((l) => /"level":(50|60)|error/i.test(l));
        if (errorsInLog.length) log(`${label} HQ logged ${errorsInLog.length} error line(s); last: ${errorsInLog.at(-1)}`);
      }
      await database.cleanup().catch((e: unknown) => log(`could not drop ${dbName}: ${String(e)}`));
    })());
  cleanupCurrent = cleanup;
  try {
    hq = await startHq(dbUrl.toString(), workers);
    result.workersSeen = `${hq.workersSeen}${hq.workersNote}`;
    log(`${label} HQ on ${hq.base} (database ${dbName}), workers ${result.workersSeen}; importing ${fmt(VOUCHERS)} vouchers…`);
    const data = fleetVouchers(VOUCHERS);
    const imp = await admin(hq.base, 'POST', '/v1/vouchers/import', data.rows);
    if (imp.status !== 202) throw new Error(`import: HTTP ${imp.status} ${JSON.stringify(imp.json).slice(0, 300)}`);
    const actionId = (imp.json as { async_action_id: string }).async_action_id;
    for (;;) {
      const poll = await admin(hq.base, 'GET', `/v1/async-actions/${actionId}`);
      const action = poll.json as { status: string; result?: { imported: number; failed: number } };
      if (poll.status !== 200) throw new Error(`import poll: HTTP ${poll.status}`);
      if (action.status !== 'IN_PROGRESS') {
        if (action.status !== 'DONE' || action.result?.imported !== VOUCHERS) throw new Error(`import ended ${action.status}: ${JSON.stringify(action.result)}`);
        break;
      }
      await sleep(100);
    }
    log(`${label} registering ${fmt(tills)} tills…`);
    const registered: { till_id: string; token: string }[] = new Array(tills);
    let nextTill = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (nextTill < tills) {
          const i = nextTill++;
          const res = await admin(hq!.base, 'POST', '/v1/tills', { name: `Fleet till ${i + 1}`, time_zone: 'Europe/Berlin' });
          if (res.status !== 201) throw new Error(`till registration: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
          registered[i] = res.json as { till_id: string; token: string };
        }
      }),
    );

    // Multi-use vouchers of unlimited quantity: every redemption of them is ACCEPTED.
    const pushCodes = data.multi;
    // The tills split over processes (one core's work each; see TILL_PROCS), in fleet order.
    const procs = TILL_PROCS || Math.min(os.cpus().length, Math.ceil(tills / 500));
    const per = Math.ceil(tills / procs);
    const countEvery = Math.max(1, Math.floor(tills / 100));
    const cfgs: FleetTillsConfig[] = Array.from({ length: procs }, (_, p) => ({
      baseUrl: hq!.base, tills: registered.slice(p * per, (p + 1) * per), firstIndex: p * per, countEvery, pageLimit: PAGE, pushIntervalMs: PUSH_INTERVAL_MS[workload], pushCodes,
      requestTimeoutMs: TIMEOUT_MS, rampMs: RAMP_MS, marker: MARKER,
    })).filter((c) => c.tills.length > 0);
    sims = cfgs.map(() => startTills());
    if ((await collect(sims, 'ready', 60_000)) === 'timeout') throw new Error('the tills processes did not start within 60 s');
    result.tillProcs = sims.length;
    result.countEvery = countEvery;
    const simLimit = Math.min(...sims.map((p) => openFileLimit(p.child.pid!) ?? Infinity));
    result.fileLimits = `HQ ${fmt(hq.fileLimit ?? NaN)}, tills ${fmt(simLimit)}`;
    const needed = per * 3 + 200;
    if (simLimit < needed || (hq.fileLimit ?? Infinity) < tills * 2 + 200) {
      log(`${label} warning: open-file limit (${result.fileLimits}) is below ~${fmt(needed)} that ${fmt(tills)} tills may need`);
    }
    const hqPids = () => processTree(hq!.child.pid!);
    const groups: CpuGroups = { hq: hqPids, pgBench: () => backendsOf(dbName), pgAll: postgresPids, tills: () => sims.map((p) => p.child.pid!) };

    log(`${label} ${fmt(tills)} tills start: SSE + initial pull (cap ${INITIAL_CAP_MS / 1000} s)…`);
    const initialCpu = cpuMeter(groups);
    const i0At = performance.now();
    sims.forEach((p, i) => p.send({ cmd: 'start', cfg: cfgs[i]! }));

    // ---- initial pull ----
    let lastLog = performance.now();
    const capAt = performance.now() + INITIAL_CAP_MS;
    let st = mergeStatus(sims);
    while (!st || st.initialDone < tills || st.sseConnected < tills || st.initialBytes.length < tills) {
      if (performance.now() > capAt) break;
      for (const p of sims) if (p.child.exitCode !== null) throw new Error(`a tills process exited (${p.child.exitCode})`);
      await sleep(50);
      st = mergeStatus(sims);
      if (st && performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`${label} initial pull: ${fmt(st.initialDone)} of ${fmt(tills)} done, ${fmt(st.sseConnected)} streams connected`);
      }
    }
    if (!st) throw new Error('the tills processes never reported');
    const i1 = initialCpu.stop();
    const initialWallMs = performance.now() - i0At;
    const initialMs = st.initialDone === tills ? st.lastInitialDoneAt - st.startedAt : NaN;
    const perTill = sorted(st.initialMs.filter((x) => x > 0));
    result.initial = {
      seconds: initialMs / 1000, wallMs: initialWallMs, pages: st.counters.pages, cpu: i1, done: st.initialDone, connected: st.sseConnected, perTillP50: percentile(perTill, 0.5) / 1000, perTillP99: percentile(perTill, 0.99) / 1000,
      bytesPerTill: st.initialBytes.length ? sum(st.initialBytes) / st.initialBytes.length : st.counters.bytesIn / tills,
      vouchersOk: st.initialVouchers.filter((v) => v === VOUCHERS).length, vouchersCounted: st.initialVouchers.filter((v) => v >= 0).length,
      encodings: Object.entries(st.counters.encodings).map(([k, n]) => `${k} ${fmt(n)}`).join(', ') || '–',
      errors: { ...st.counters.errors },
    };
    if (st.initialDone < tills || st.sseConnected < tills) {
      result.stopped = `after ${INITIAL_CAP_MS / 1000} s only ${fmt(st.initialDone)} of ${fmt(tills)} tills had finished the initial pull and ${fmt(st.sseConnected)} had a stream`;
      log(`${label} stopped: ${result.stopped}`);
      for (const p of sims) p.send({ cmd: 'stop' });
      const fin = await collect(sims, 'final', 30_000).catch(() => 'timeout' as const);
      if (fin !== 'timeout') result.errorsTotal = mergeCounters(fin.map((f) => f.counters)).errors;
      return result;
    }
    log(`${label} initial pull done in ${(initialMs / 1000).toFixed(1)} s (${fmt(result.initial.bytesPerTill / 2 ** 20, 2)} MiB per till, ${result.initial.encodings}); pushes on, warm-up ${WARMUP_MS / 1000} s…`);

    // ---- pushes, warm-up, measure window ----
    const broadcast = (c: FleetCommand) => sims.forEach((p) => p.send(c));
    broadcast({ cmd: 'pushes' });
    await sleep(WARMUP_MS);
    broadcast({ cmd: 'window' });
    const windowCpu = cpuMeter(groups);
    const windowStart = performance.now();
    let hqRssPeak = 0;
    let tillsRssPeak = 0;
    const rssTimer = setInterval(() => {
      hqRssPeak = Math.max(hqRssPeak, sum(hqPids().map(rssBytes)));
      tillsRssPeak = Math.max(tillsRssPeak, sum(sims.map((p) => rssBytes(p.child.pid!))));
    }, 1000);
    const changes: { k: number; sentAt: number; status: number; ms: number }[] = [];
    for (let k = 1; performance.now() + CHANGE_EVERY_MS <= windowStart + WINDOW_MS; k++) {
      await sleep(Math.max(0, windowStart + k * CHANGE_EVERY_MS - performance.now()));
      const sentAt = wallNow();
      const sentAtPerf = performance.now();
      // A PUT that fails on the network counts as a change not made (status 0), its cause in the log,
      // rather than ending the configuration: the tills' numbers are still worth having.
      const res = await admin(hq.base, 'PUT', `/v1/vouchers/${data.single[k % data.single.length]}`, { label: `${MARKER}${k}` }).catch((error: unknown) => {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return { status: 0, json: `${(error as Error).message}: ${cause?.code ?? ''} ${cause?.message ?? ''}`, ms: performance.now() - sentAtPerf };
      });
      changes.push({ k, sentAt, status: res.status, ms: res.ms });
      if (res.status !== 200) log(`${label} change ${k}: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    }
    await sleep(Math.max(0, windowStart + WINDOW_MS - performance.now()));
    const windowMs = performance.now() - windowStart;
    const cpu = windowCpu.stop();
    clearInterval(rssTimer);
    broadcast({ cmd: 'window-end' });
    const win = await collect(sims, 'window', 30_000);
    if (win === 'timeout') throw new Error('the tills did not report the window');
    const counters = mergeCounters(win.map((w) => w.counters));
    const outboxBacklog = sum(win.map((w) => w.outboxBacklog));
    log(`${label} window done (${fmt(counters.opsAcked)} ops answered); drain ${DRAIN_MS / 1000} s…`);
    await sleep(DRAIN_MS);
    broadcast({ cmd: 'stop' });
    const fins = await collect(sims, 'final', 60_000);
    if (fins === 'timeout') throw new Error('the tills did not stop');
    // The fleet in order: process p's tills follow process p − 1's.
    const arrivalsOf = (k: number) => fins.flatMap((f, p) => f.arrivals[String(k)] ?? new Array<null>(cfgs[p]!.tills.length).fill(null));
    const final = {
      checkpoints: fins.flatMap((f) => f.checkpoints),
      totals: {
        acked: sum(fins.map((f) => f.totals.acked)), accepted: sum(fins.map((f) => f.totals.accepted)), unanswered: sum(fins.map((f) => f.totals.unanswered)),
        inFlight: sum(fins.map((f) => f.totals.inFlight)),
      },
    };
    result.loadAfter = os.loadavg();
    result.errorsTotal = mergeCounters(fins.map((f) => f.counters)).errors;

    // One change reaches all tills: per change × till, from the PUT being sent to the page with it.
    const latencies: number[] = [];
    const perChangeMax: number[] = [];
    let misses = 0;
    for (const c of changes.filter((x) => x.status === 200)) {
      const row = arrivalsOf(c.k);
      let max = 0;
      for (const at of row) {
        if (at === null) misses += 1;
        else {
          latencies.push(at - c.sentAt);
          max = Math.max(max, at - c.sentAt);
        }
      }
      perChangeMax.push(max);
    }
    result.window = { seconds: windowMs / 1000, changes, latencies, misses, perChangeMax, counters, backlog: outboxBacklog, cpu, hqRssPeak, tillsRssPeak };

    // ---- checks against the database ----
    const q = async <T>(text: string) => ({ rows: rowsOf<T>(await database.db.db.execute(sql.raw(text))) });
    const [last] = (await q<{ m: string | null }>(`SELECT greatest((SELECT max(change_seq) FROM vouchers), (SELECT max(change_seq) FROM tombstones),
        (SELECT max(change_seq) FROM products), (SELECT max(change_seq) FROM customers))::text AS m`)).rows;
    const lastCheckpoint = Number(last?.m ?? 0);
    const [stored] = (await q<{ ops: number; accepted: number }>(`SELECT (SELECT count(*) FROM ops)::int AS ops, (SELECT count(*) FROM redemptions WHERE outcome = 'ACCEPTED')::int AS accepted`)).rows;
    result.checks = {
      accepted: final.totals.accepted, acked: final.totals.acked, storedAccepted: stored?.accepted ?? NaN, storedOps: stored?.ops ?? NaN, unanswered: final.totals.unanswered,
      inFlight: final.totals.inFlight,
      converged: final.checkpoints.filter((c) => c === lastCheckpoint).length, lastCheckpoint,
    };
    return result;
  } finally {
    await cleanup();
    cleanupCurrent = null;
  }
}

/** What to undo if the run is interrupted (Ctrl-C): the running configuration's processes and database. */
let cleanupCurrent: (() => Promise<void>) | null = null;

// ---- report --------------------------------------------------------------------------------------

const pct = (cpuMs: number | null, wallMs: number) => (cpuMs === null ? '–' : `${fmt((cpuMs / wallMs) * 100)} %`);
/** The machine's busy time not spent by this bench (HQ, every postgres process, the tills, the orchestrator). */
const otherMs = (c: Cpu) => (c.machineBusy === null ? null : c.machineBusy - c.hq - c.pgAll - c.tills - c.self);
const cpuText = (c: Cpu, wallMs: number) => `${pct(c.hq, wallMs)} / ${pct(c.pgBench, wallMs)} / ${pct(c.tills, wallMs)} / ${pct(otherMs(c), wallMs)}`;
const errorCount = (r: Result) => sum(Object.values(r.errorsTotal ?? r.initial?.errors ?? {}));
const errorText = (e: Record<string, number> | undefined) => (e && Object.keys(e).length ? Object.entries(e).map(([k, n]) => `${k}: ${fmt(n)}`).join(', ') : 'none');
const loadText = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

function configReport(r: Result): string {
  const rows: [string, string][] = [
    ['HQ workers', r.workersSeen],
    ['open-file limit; till processes', `${r.fileLimits}; ${r.tillProcs ?? '–'}`],
    ['machine before (load avg 1/5/15 min; busy over 1 s)', `${loadText(r.loadBefore)}; ${r.busyBefore === null ? '–' : `${fmt(r.busyBefore)} %`}`],
  ];
  const i = r.initial;
  if (i) {
    rows.push(
      [
        `initial pull of ${fmt(VOUCHERS)} vouchers by all tills (first start → last done)`,
        i.done === r.tills ? `**${i.seconds.toFixed(1)} s**` : `**not done**: ${fmt(i.done)} of ${fmt(r.tills)} tills after ${(i.wallMs / 1000).toFixed(0)} s`,
      ],
      ['initial pull per till p50 / p99', `${i.perTillP50.toFixed(1)} s / ${i.perTillP99.toFixed(1)} s`],
      ['pages served during the initial pull', `${fmt(i.pages)} (${fmt(i.pages / (i.wallMs / 1000), 1)} pages/s)`],
      ['bytes per till, initial pull (wire)', `${fmt(i.bytesPerTill / 2 ** 20, 2)} MiB (pages: ${i.encodings})`],
      ['CPU during the initial pull: HQ / PG bench db / tills / other work', cpuText(i.cpu, i.wallMs)],
      [
        `tills whose initial pull brought every voucher (counted for ${(r.countEvery ?? 1) === 1 ? 'every till' : `one till in ${fmt(r.countEvery ?? 1)}`})`,
        `${fmt(i.vouchersOk)} of ${fmt(i.vouchersCounted)}`,
      ],
      ['streams connected', `${fmt(i.connected)} of ${fmt(r.tills)}`],
    );
  }
  if (r.stopped) rows.push(['**stopped**', r.stopped]);
  const w = r.window;
  if (w) {
    const c = w.counters;
    const wallMs = w.seconds * 1000;
    const offered = r.tills / (PUSH_INTERVAL_MS[r.workload] / 1000);
    const okChanges = w.changes.filter((x) => x.status === 200);
    const accepted = c.outcomes.ACCEPTED ?? 0;
    rows.push(
      ['measure window', `${w.seconds.toFixed(0)} s after ${WARMUP_MS / 1000} s warm-up; drain ${DRAIN_MS / 1000} s`],
      ['changes made at HQ (PUT as admin; PUT ms p50 / max)', `${okChanges.length} of ${w.changes.length} (${fmt(percentile(sorted(w.changes.map((x) => x.ms)), 0.5))} / ${fmt(Math.max(0, ...w.changes.map((x) => x.ms)))})`],
      ['one change → a till, p50 / p99 / max ms (all tills × changes)', `**${ms3(w.latencies)}**`],
      ['one change → every till, per change: p50 / max ms', `${fmt(percentile(sorted(w.perChangeMax), 0.5))} / ${fmt(Math.max(0, ...w.perChangeMax))}`],
      ['misses (till × change not seen within window + drain)', `${fmt(w.misses)} of ${fmt(okChanges.length * r.tills)}`],
      ['push: op created → answered, p50 / p99 / max ms', `**${ms3(c.opLatencies)}**`],
      ['push: request p50 / p99 ms', `${fmt(percentile(sorted(c.pushLatencies), 0.5))} / ${fmt(percentile(sorted(c.pushLatencies), 0.99))}`],
      ['ops/s answered (ACCEPTED) vs offered', `**${fmt(c.opsAcked / (wallMs / 1000), 1)}** (${fmt(accepted / (wallMs / 1000), 1)}) of ${fmt(offered, 1)}; outcomes ${errorText(c.outcomes)}; outbox backlog at window end ${fmt(w.backlog)}`],
      ['pulls in window (pages, 304s, SSE events, streams reopened after HQ ended them)', `${fmt(c.pulls)} (${fmt(c.pages)} pages, ${fmt(c.notModified)} × 304, ${fmt(c.events)} events, ${fmt(c.reconnects)} reopened)`],
      ['SSE events by kind', errorText(c.eventKinds)],
      ['SSE `page` events applied as they came / not applicable (the till pulled instead)', `${fmt(c.streamPages)} / ${fmt(c.streamPagesRefused)} (${errorText(c.refusedWhy)})`],
      ['incomplete pages (short of the push floor, or has_more below an answer): held / completed by the next pages / pulled for after HELD_PAGE_MS', `${fmt(c.streamPagesHeld)} / ${fmt(c.heldJoined)} / ${fmt(c.heldExpired)}`],
      ['bytes per till in window (wire, in)', `${fmt(c.bytesIn / r.tills / 1024, 1)} KiB`],
      ['HQ CPU (all its processes, % of one core) · peak RSS', `**${pct(w.cpu.hq, wallMs)}** · ${fmt(w.hqRssPeak / 2 ** 20)} MiB`],
      ['PostgreSQL CPU: bench database backends / all postgres processes', `**${pct(w.cpu.pgBench, wallMs)}** / ${pct(w.cpu.pgAll, wallMs)}`],
      ['till simulator CPU · peak RSS; orchestrator CPU', `${pct(w.cpu.tills, wallMs)} · ${fmt(w.tillsRssPeak / 2 ** 20)} MiB; ${pct(w.cpu.self, wallMs)}`],
      [`machine busy in window (of ${os.cpus().length} cores × 100 %); of it other work`, w.cpu.machineBusy === null ? '–' : `${pct(w.cpu.machineBusy, wallMs)}; ${pct(otherMs(w.cpu), wallMs)}`],
      ['load avg after (1/5/15 min)', loadText(r.loadAfter)],
    );
  }
  const k = r.checks;
  if (k) {
    rows.push(
      [
        'HQ stored ACCEPTED redemptions = ACCEPTED answers (+ ops of pushes still in flight at the stop, which HQ may have stored)',
        `${k.storedAccepted >= k.accepted && k.storedAccepted <= k.accepted + k.inFlight ? '✓' : '✗'} ${fmt(k.storedAccepted)} stored, ${fmt(k.accepted)} answered` +
          `${k.inFlight ? ` + ${fmt(k.inFlight)} in flight` : ''} (ops stored ${fmt(k.storedOps)}, answered ${fmt(k.acked)}, never answered ${fmt(k.unanswered)})`,
      ],
      ['tills at HQ\'s last checkpoint when stopped', `${fmt(k.converged)} of ${fmt(r.tills)} (checkpoint ${k.lastCheckpoint})`],
    );
  }
  rows.push(['errors (HTTP ≥ 400, network), whole run', errorText(r.errorsTotal ?? r.initial?.errors)]);
  return [`### ${fmt(r.tills)} tills, ${r.workload}, HQ_WORKERS=${r.workers}`, '', table(['', ''], rows)].join('\n');
}

function closingTable(results: Result[], skipped: string[]): string {
  const machine = `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const out = [`## Fleet — ${fmt(VOUCHERS)} vouchers, pages of ${fmt(PAGE)}, ${WINDOW_MS / 1000} s window, a change every ${CHANGE_EVERY_MS / 1000} s (${machine})`, ''];
  out.push(
    table(
      [
        'tills', 'workload', 'HQ workers', 'load avg before', 'initial pull, all tills', 'bytes/till (initial)', 'change → till p50 / p99 / max ms', 'misses', 'push p50 / p99 ms',
        'ops/s answered / offered', 'HQ CPU · RSS', 'PG CPU (bench db / all)', 'till sim CPU', 'other work on machine', 'errors',
      ],
      results.map((r) => {
        const w = r.window;
        const i = r.initial;
        const wallMs = (w?.seconds ?? 1) * 1000;
        const lat = w ? sorted(w.counters.opLatencies) : new Float64Array();
        return [
          fmt(r.tills), r.workload, r.workersSeen || String(r.workers), loadText(r.loadBefore.slice(0, 1)),
          i ? (i.done < r.tills ? `✗ ${fmt(i.done)}/${fmt(r.tills)} tills in ${(i.wallMs / 1000).toFixed(0)} s` : `${i.seconds.toFixed(1)} s`) : '–',
          i ? `${fmt(i.bytesPerTill / 2 ** 20, 2)} MiB ${i.encodings.split(' ')[0]}` : '–',
          w ? ms3(w.latencies) : r.stopped ? 'stopped' : '–',
          w ? `${fmt(w.misses)} / ${fmt(w.changes.filter((x) => x.status === 200).length * r.tills)}` : '–',
          w ? `${fmt(percentile(lat, 0.5))} / ${fmt(percentile(lat, 0.99))}` : '–',
          w ? `${fmt(w.counters.opsAcked / (wallMs / 1000), 1)} / ${fmt(r.tills / (PUSH_INTERVAL_MS[r.workload] / 1000), 1)}` : '–',
          w ? `${pct(w.cpu.hq, wallMs)} · ${fmt(w.hqRssPeak / 2 ** 20)} MiB` : '–',
          w ? `${pct(w.cpu.pgBench, wallMs)} / ${pct(w.cpu.pgAll, wallMs)}` : '–',
          w ? pct(w.cpu.tills, wallMs) : '–',
          w ? pct(otherMs(w.cpu), wallMs) : '–',
          fmt(errorCount(r)),
        ];
      }),
    ),
  );
  for (const s of skipped) out.push('', s);
  out.push(
    '',
    'initial pull = first till started → last till has its last page (every till pulls at once). bytes = as read off the socket (headers included, compressed if HQ compressed). ' +
      'change → till = PUT sent at HQ → a page containing it reached that till (an SSE `page` event it applied, or a pull); misses = till × change not seen within window + drain. ' +
      'push = a REDEMPTION created → HQ answered it (queueing in the till\'s outbox included). CPU in % of one core over the window; PG "all" counts every postgres process on the machine (other databases too); ' +
      'other work = the machine\'s busy time minus HQ, every postgres process, the tills and the orchestrator (other people\'s processes on a shared machine).',
  );
  return out.join('\n');
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const pgBase = env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined;
  if (!pgBase) {
    console.log('bench:fleet needs PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created per run and dropped after). Nothing measured.');
    return;
  }
  const probe = new pg.Client({ connectionString: pgBase, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (error) {
    console.log(`bench:fleet: cannot reach PostgreSQL at ${new URL(pgBase).host}: ${(error as Error).message}. Nothing measured.`);
    return;
  } finally {
    await probe.end().catch(() => {});
  }
  // Ctrl-C reaches HQ and the tills too (one process group); drop the database before leaving. So
  // does a crash of the bench itself: HQ would be left running and the database behind.
  const bail = (why: string, code: number) => {
    log(why);
    void (cleanupCurrent?.() ?? Promise.resolve()).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => bail('interrupted: stopping HQ and the tills, dropping the bench database…', 130));
  process.once('uncaughtException', (e) => bail(`bench failed: ${String(e?.stack ?? e)}; stopping HQ and the tills, dropping the bench database…`, 1));
  process.once('unhandledRejection', (e) => bail(`bench failed: ${String((e as Error)?.stack ?? e)}; stopping HQ and the tills, dropping the bench database…`, 1));

  const results: Result[] = [];
  const skipped: string[] = [];
  const sections: string[] = [];
  for (const workers of WORKERS) {
    for (const workload of WORKLOADS) {
      let failedAt: number | undefined;
      for (const tills of [...SIZES].sort((a, b) => a - b)) {
        if (failedAt !== undefined) {
          skipped.push(`**${fmt(tills)} tills, ${workload}, HQ_WORKERS=${workers}: not tried** — ${fmt(failedAt)} tills already could not all connect and pull.`);
          continue;
        }
        try {
          const r = await runConfig(pgBase, tills, workload, workers);
          results.push(r);
          const section = configReport(r);
          sections.push(section);
          console.log(`\n${section}\n`);
          if (r.stopped) failedAt = tills;
        } catch (error) {
          log(`[${tills} tills, ${workload}, HQ_WORKERS=${workers}] failed: ${String((error as Error)?.stack ?? error)}`);
          skipped.push(`**${fmt(tills)} tills, ${workload}, HQ_WORKERS=${workers}: failed** — ${(error as Error).message.split('\n')[0]}`);
          failedAt = tills;
        }
      }
    }
  }
  const closing = closingTable(results, skipped);
  console.log(`\n${closing}`);
  if (env.HQ_FLEET_OUT) writeFileSync(env.HQ_FLEET_OUT, `${closing}\n\n${sections.join('\n\n')}\n`);
}

await main();

// HQ as a child process (`tsx hq/main.ts`), for `npm start`, the browser tests and the multi-process
// tests: start it on a port with a data directory (PGlite) or a DATABASE_URL (PostgreSQL: several such
// processes may share one database), wait until /healthz answers, register tills, stop it (SIGTERM:
// in-flight requests finish) or kill it (SIGKILL: a crash) and start it again on the same data — the
// way a real HQ outage looks to a till.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type HqProcessOptions = {
  port: number;
  /** PGlite's directory; or give databaseUrl. */
  dataDir?: string;
  /** A PostgreSQL database (DATABASE_URL) instead of PGlite. */
  databaseUrl?: string;
  /** HQ_WORKERS (PostgreSQL only). */
  workers?: number;
  /** More environment for the child (HQ_DB_POOL, …); applied last. */
  env?: Record<string, string>;
  adminToken?: string;
  seedDemo?: boolean;
  corsOrigins?: string;
  timeZone?: string;
  logLevel?: string;
};

export type HqProcess = {
  url: string;
  adminToken: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL: HQ dies without finishing anything (its workers exit with it). */
  kill(): Promise<void>;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** How the last child ended (after stop() or kill()), or null. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  registerTill(name: string, timeZone?: string): Promise<{ till_id: string; token: string }>;
  admin(path: string, init?: RequestInit): Promise<Response>;
};

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`HQ exited with code ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`HQ did not answer ${url}/healthz within ${timeoutMs / 1000} s:\n${output()}`);
}

export function hqProcess(options: HqProcessOptions): HqProcess {
  if (!options.dataDir === !options.databaseUrl) throw new Error('hqProcess: give either dataDir (PGlite) or databaseUrl (PostgreSQL)');
  const url = `http://127.0.0.1:${options.port}`;
  const adminToken = options.adminToken ?? `adm-${randomBytes(18).toString('hex')}`;
  let child: ChildProcess | null = null;
  let log = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    child = null;
    if (!c) return;
    if (c.exitCode === null && c.signalCode === null) {
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    }
    exited = { code: c.exitCode, signal: c.signalCode };
  };

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers } });

  return {
    url,
    adminToken,
    admin,
    async start() {
      if (child) return;
      log = '';
      exited = null;
      child = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(options.port),
          HOST: '127.0.0.1',
          HQ_DATA_DIR: options.dataDir ?? '',
          HQ_ADMIN_TOKEN: adminToken,
          HQ_SEED_DEMO: options.seedDemo ? '1' : '',
          HQ_CORS_ORIGINS: options.corsOrigins ?? '*',
          HQ_TIME_ZONE: options.timeZone ?? 'UTC',
          LOG_LEVEL: options.logLevel ?? 'warn',
          DATABASE_URL: options.databaseUrl ?? '',
          HQ_WORKERS: String(options.workers ?? 1),
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      await waitForHealth(url, child, () => log);
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    output: () => log,
    exit: () => exited,
    async registerTill(name, timeZone = options.timeZone ?? 'UTC') {
      const res = await admin('/v1/tills', { method: 'POST', body: JSON.stringify({ name, time_zone: timeZone }) });
      if (res.status !== 201) throw new Error(`POST /v1/tills: ${res.status} ${await res.text()}`);
      return (await res.json()) as { till_id: string; token: string };
    },
  };
}

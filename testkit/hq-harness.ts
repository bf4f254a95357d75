// Starts a real HQ for a test file: on PGlite in memory, and on a fresh PostgreSQL database when
// TEST_DATABASE_URL is set (.ci/run sets it). Tests get the app plus admin and till tokens.
import type { AssetOptions } from '../hq/config';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { openDatabase, type Database } from '../hq/db/connect';
import { buildServer, type RouteEntry } from '../hq/server';
import { hashToken } from '../hq/auth';
import type { HqContext } from '../hq/context';
import type { PairingLimits } from '../hq/routes/pairing';
import type { SignInLimits } from '../hq/routes/people';
import type { ChangeBus } from '../hq/change-bus';
import type { StreamHubOptions } from '../hq/change-stream';

export const ADMIN_TOKEN = 'adm_test_token_0123456789';

export type Backend = 'pglite' | 'postgres';

export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
if (!process.env.TEST_DATABASE_URL) {
  console.warn('[hq tests] TEST_DATABASE_URL is not set: running on PGlite only (.ci/run starts PostgreSQL 15 and sets it).');
}

/** A fresh PostgreSQL database for one test file, dropped by the returned cleanup. */
async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `vt_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export type Hq = {
  app: FastifyInstance;
  ctx: HqContext;
  /** Every route with its `allow` and `role` (hq/server.ts). */
  routeTable: RouteEntry[];
  database: Database;
  backend: Backend;
  admin: (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  as: (token: string, opts: InjectOptions) => Promise<LightMyRequestResponse>;
  newTill: (name?: string, timeZone?: string) => Promise<{ till_id: string; token: string }>;
  close: () => Promise<void>;
  /** Open the same database again (a restart of HQ). Only for persistent backends. */
  url?: string;
};

export type StartOptions = {
  dataDir?: string;
  url?: string;
  authFailureLimit?: number;
  pairingLimits?: PairingLimits;
  maxGiftIssue?: number;
  trustProxy?: true | string[];
  /** The change bus (default: in process); the caller closes it. */
  bus?: ChangeBus;
  /** The change stream's limits (hq/change-stream.ts). */
  stream?: StreamHubOptions;
  /** Voucher asset links: public URL, secret, lifetime (hq/voucher-assets.ts). */
  assets?: AssetOptions;
  /** Failed sign-ins allowed (hq/routes/people.ts); default: generous, so tests do not trip them by accident. */
  signInLimits?: SignInLimits;
};

export async function startHq(backend: Backend, options: StartOptions = {}): Promise<Hq> {
  let drop: (() => Promise<void>) | undefined;
  let url = options.url;
  if (backend === 'postgres' && !url) {
    const fresh = await freshPostgres();
    url = fresh.url;
    drop = fresh.drop;
  }
  const database = await openDatabase(backend === 'postgres' ? { url: url! } : options.dataDir ? { dataDir: options.dataDir } : {});
  const { app, ctx, routeTable } = await buildServer({ database, adminHash: hashToken(ADMIN_TOKEN), defaultTimeZone: 'Europe/Berlin', authFailureLimit: options.authFailureLimit ?? 1000, pairingLimits: options.pairingLimits ?? { perAddress: 1000, overall: 1000 }, ...(options.maxGiftIssue !== undefined ? { maxGiftIssue: options.maxGiftIssue } : {}), ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}), ...(options.bus ? { bus: options.bus } : {}), ...(options.stream ? { stream: options.stream } : {}), ...(options.assets ? { assets: options.assets } : {}), signInLimits: options.signInLimits ?? { perPair: 1000, perAddress: 1000, perEmail: 1000 } });
  await app.ready();
  const as = (token: string, opts: InjectOptions) => app.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...(opts.headers ?? {}) } });
  return {
    app,
    ctx,
    routeTable,
    database,
    backend,
    ...(url ? { url } : {}),
    admin: (opts) => as(ADMIN_TOKEN, opts),
    as,
    newTill: async (name = 'Till 1', timeZone = 'Europe/Berlin') => {
      const res = await as(ADMIN_TOKEN, { method: 'POST', url: '/v1/tills', payload: { name, time_zone: timeZone } });
      if (res.statusCode !== 201) throw new Error(`till registration failed: ${res.body}`);
      return res.json();
    },
    close: async () => {
      await app.close();
      await database.close();
      await drop?.();
    },
  };
}

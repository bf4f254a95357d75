// HQ's configuration from the environment (and one flag), validated up front with clear messages.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { TimeZoneName } from '../core/local-time';
import { issuePath } from '../core/zod-issues';

/** The largest gift card a till may issue (any GIFT_ISSUE it pushes) unless HQ_MAX_GIFT_ISSUE says otherwise: 1,000.00 (minor units). */
export const DEFAULT_MAX_GIFT_ISSUE = 100_000;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  HQ_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // The first back-office admin, made on a database without users (hq/people/user-store.ts); without a
  // password one is generated and printed once. Ignored once any user exists.
  HQ_ADMIN_EMAIL: z.email('must be an e-mail address').optional(),
  HQ_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters').optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  HQ_DATA_DIR: z.string().min(1).default('.data/hq'),
  HQ_SEED_DEMO: z.enum(['', '0', '1', 'true', 'false']).default(''),
  HQ_TIME_ZONE: TimeZoneName.default('UTC'),
  HQ_CORS_ORIGINS: z.string().default('*'),
  // Money: digits only (no 1e5, 0x10 or 12.5 read as something else), in minor units; the digits make it whole.
  HQ_MAX_GIFT_ISSUE: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number of minor units (cents), e.g. 100000 for 1,000.00')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1 (minor units)').max(Number.MAX_SAFE_INTEGER, 'must be at most 9007199254740991 (minor units)'))
    .default(DEFAULT_MAX_GIFT_ISSUE),
  // How many processes serve HTTP (node:cluster workers sharing the port); PostgreSQL only.
  HQ_WORKERS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').default(1),
  // PostgreSQL connections per process (each process also holds one for LISTEN): keep
  // (HQ_DB_POOL + 1) × workers × machines within the server's max_connections. Default: defaultDbPool.
  HQ_DB_POOL: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
  // Pushes that may share one transaction (hq/push/pusher.ts, group commit); 1
  // turns grouping off: every push its own statement, as many at once as the pool allows.
  HQ_PUSH_GROUP: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(48, 'must be at most 48 (PostgreSQL caches 64 subtransactions)').default(32),
  // Behind a load balancer: whose X-Forwarded-For to believe, so per-address counters see the tills'
  // addresses rather than the balancer's. 'true' (any: only when HQ is reachable through it alone) or
  // the balancers' addresses and CIDRs, comma-separated. Unset: the TCP peer's address.
  HQ_TRUST_PROXY: z.string().trim().optional(),
  // Voucher assets (hq/voucher-assets.ts): the base of their links as customers reach HQ (e.g.
  // https://hq.example.com; unset: the request's Host), the HMAC secret (unset: one kept in the
  // database), and how long a link works.
  HQ_PUBLIC_URL: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')).optional(),
  HQ_ASSET_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HQ_ASSET_TTL_DAYS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650').default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type HqConfig = {
  port: number;
  host: string;
  adminToken: string | undefined;
  /** HQ_ADMIN_EMAIL / HQ_ADMIN_PASSWORD: the first back-office admin on a database without users. */
  firstAdmin: { email: string | undefined; password: string | undefined };
  databaseUrl: string | undefined;
  dataDir: string;
  seedDemo: boolean;
  timeZone: string;
  logLevel: string;
  /** '*' or a list of origins allowed to call HQ from a browser. */
  corsOrigins: string[] | '*';
  /** The largest gift card a till may issue (GIFT_ISSUE), in minor units of the card's currency. */
  maxGiftIssue: number;
  /** Processes serving HTTP (HQ_WORKERS); more than 1 only on PostgreSQL. */
  workers: number;
  /** PostgreSQL pool size per process (HQ_DB_POOL). */
  dbPoolSize: number;
  /** Pushes of redemptions one transaction may hold (HQ_PUSH_GROUP; 1: no grouping). */
  pushGroup: number;
  /** Fastify's trustProxy (HQ_TRUST_PROXY): true, a list of addresses/CIDRs, or undefined (off). */
  trustProxy: true | string[] | undefined;
  /** Voucher assets: HQ_PUBLIC_URL, HQ_ASSET_SECRET, HQ_ASSET_TTL_DAYS. */
  assets: AssetOptions;
};

export type AssetOptions = { publicUrl?: string | undefined; secret?: string | undefined; ttlDays?: number };

export class ConfigError extends Error {}

/**
 * Pool size per process unless HQ_DB_POOL says: 4 connections per core of this machine, shared by its
 * workers (at least 2, at most 20). More backends than the cores can run make a push wait for the
 * change-feed lock behind a holder that is not running: on 2 cores, single-op pushes went from 307/s
 * with 20 connections to 476/s with 4, and bench:hq from 5,184 to 7,054 redemptions/s with 8
 * (bench/RESULTS.md). Sized for PostgreSQL on the same machine; for a server of its own, size it to
 * that server's cores across all HQ processes.
 */
export function defaultDbPool(cores: number, workers: number): number {
  return Math.min(20, Math.max(2, Math.round((4 * cores) / workers)));
}

/** `cores`: this machine's (os.availableParallelism), for the default pool size. */
export function loadConfig(env: Record<string, string | undefined>, argv: string[], cores = availableParallelism()): HqConfig {
  const unknownFlags = argv.filter((a) => a !== '--seed-demo');
  if (unknownFlags.length) throw new ConfigError(`unknown argument(s): ${unknownFlags.join(' ')} (the only flag is --seed-demo)`);
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' && k !== 'HQ_SEED_DEMO' ? undefined : v]));
  const parsed = EnvSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${issuePath(i.path)}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  if (e.HQ_WORKERS > 1 && !e.DATABASE_URL) {
    throw new ConfigError(`invalid configuration:\n  HQ_WORKERS: ${e.HQ_WORKERS} workers need DATABASE_URL (PGlite is embedded in one process, so HQ on PGlite runs as one worker)`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    adminToken: e.HQ_ADMIN_TOKEN,
    firstAdmin: { email: e.HQ_ADMIN_EMAIL, password: e.HQ_ADMIN_PASSWORD },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.HQ_DATA_DIR,
    seedDemo: argv.includes('--seed-demo') || e.HQ_SEED_DEMO === '1' || e.HQ_SEED_DEMO === 'true',
    timeZone: e.HQ_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    maxGiftIssue: e.HQ_MAX_GIFT_ISSUE,
    workers: e.HQ_WORKERS,
    dbPoolSize: e.HQ_DB_POOL ?? defaultDbPool(cores, e.HQ_WORKERS),
    pushGroup: e.HQ_PUSH_GROUP,
    trustProxy: !e.HQ_TRUST_PROXY || e.HQ_TRUST_PROXY === 'false' ? undefined : e.HQ_TRUST_PROXY === 'true' ? true : e.HQ_TRUST_PROXY.split(',').map((a) => a.trim()).filter(Boolean),
    corsOrigins: e.HQ_CORS_ORIGINS.trim() === '*' ? '*' : e.HQ_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    assets: { publicUrl: e.HQ_PUBLIC_URL, secret: e.HQ_ASSET_SECRET, ttlDays: e.HQ_ASSET_TTL_DAYS },
  };
}

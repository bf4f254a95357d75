// npm run bench:sync — the till in real Chromium (Playwright on Debian's Chromium, real IndexedDB)
// against a local HQ seeded with VOUCHERS vouchers (default 1,000,000).
// Targets (issue 4): initial load ≤ 60 s; lookup+validate p99 ≤ 5 ms; complete-ticket commit p99
// ≤ 20 ms; drain of 10,000 queued offline redemptions ≤ 10 s.
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { openDatabase, type Database } from '../hq/db/connect';
import { buildServer } from '../hq/server';
import { hashToken } from '../hq/auth';

const VOUCHERS = Number(process.env.VOUCHERS ?? 1_000_000);
const LOOKUPS = 5_000;
const SALES = 1_000;
const QUEUED = 10_000;
const ADMIN = 'adm_bench_token_0123456789';

async function database(): Promise<{ db: Database; label: string; cleanup: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `vt_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const db = await openDatabase({ url: u.toString() });
    return {
      db,
      label: 'PostgreSQL 15',
      cleanup: async () => {
        await db.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'vt-bench-'));
  const db = await openDatabase({ dataDir: dir });
  return { db, label: 'PGlite (no BENCH_DATABASE_URL/TEST_DATABASE_URL)', cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** Set-based seeding (the import endpoint is benchmarked by bench:hq); odd codes single-use, even unlimited. */
async function seed(db: Database, count: number): Promise<void> {
  const attrs = `jsonb_build_object('label','Bench voucher','discount',jsonb_build_object('type','PERCENT','percent_off',10),'active',true,
    'start_date','2026-01-01','expiration_date','2030-12-31','validity_day_of_week',NULL,'validity_hours',NULL,'validity_timeframe',NULL,
    'customer_id',NULL,'product_id',NULL,'min_order_amount',NULL,'offline_redeemable',true,'metadata','{}'::jsonb)`;
  for (let start = 1; start <= count; start += 100_000) {
    const end = Math.min(count, start + 99_999);
    await db.db.execute(
      sql.raw(`INSERT INTO vouchers (code, type, campaign, category, currency, status, quantity, redeemed_quantity, gift_amount, gift_balance, attrs, created_at, updated_at, change_seq)
        SELECT 'B' || lpad(i::text, 7, '0'), 'DISCOUNT_VOUCHER', 'BENCH', NULL, 'EUR', 'ACTIVE', CASE WHEN i % 2 = 1 THEN 1 ELSE NULL END, 0, NULL, NULL, ${attrs},
          now(), now(), nextval('change_seq') FROM generate_series(${start}, ${end}) AS i`),
    );
  }
}

const code = (i: number) => `B${String(i).padStart(7, '0')}`;
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

async function main() {
  const { db, label, cleanup } = await database();
  const t0 = Date.now();
  await seed(db, VOUCHERS);
  const seedS = (Date.now() - t0) / 1000;
  const { app } = await buildServer({ database: db, adminHash: hashToken(ADMIN), defaultTimeZone: 'Europe/Berlin' });
  const hqUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const tillRes = await app.inject({ method: 'POST', url: '/v1/tills', headers: { authorization: `Bearer ${ADMIN}` }, payload: { name: 'Bench till', time_zone: 'Europe/Berlin' } });
  const { token } = tillRes.json() as { token: string };

  // A production build of the bench page (what a till runs), served statically.
  const outDir = path.resolve(import.meta.dirname, '../.data/bench-sync-page');
  await build({ configFile: false, root: path.resolve(import.meta.dirname, 'browser'), base: './', logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const vite = await preview({ configFile: false, root: path.resolve(import.meta.dirname, 'browser'), base: './', logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
  const pageUrl = vite.resolvedUrls?.local[0];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const rows: string[][] = [];
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(600_000);
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(pageUrl!);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    type Bench = Record<string, (...args: never[]) => Promise<unknown>>;
    const call = <T>(name: string, ...args: unknown[]): Promise<T> =>
      page.evaluate(([n, a]) => ((window as unknown as { syncBench: Bench }).syncBench[n as string] as (...x: unknown[]) => Promise<unknown>)(...(a as unknown[])), [name, args] as const) as Promise<T>;

    await call('open', hqUrl, token, `bench-${Date.now()}`);
    const load = await call<{ ms: number; vouchers: number; pages: number; stored: number }>('initialLoad');
    rows.push(['initial load', `${load.stored.toLocaleString('en')} vouchers, ${load.pages} pages`, `${fmt(load.ms / 1000)} s`, '≤ 60 s', `${Math.round(load.stored / (load.ms / 1000)).toLocaleString('en')} vouchers/s`]);

    const sample = Array.from({ length: LOOKUPS }, (_, i) => code(1 + ((i * 7919) % VOUCHERS)));
    const lv = await call<{ p50: number; p95: number; p99: number }>('lookupValidate', sample);
    rows.push(['scan → lookup + validate', `${LOOKUPS} random codes`, `p50 ${fmt(lv.p50)} ms · p99 ${fmt(lv.p99)} ms`, 'p99 ≤ 5 ms', `p95 ${fmt(lv.p95)} ms`]);

    // Unlimited (even) codes, so every sale redeems and queues one op.
    const saleCodes = Array.from({ length: SALES }, (_, i) => code(2 * (i + 1)));
    const ct = await call<{ p50: number; p95: number; p99: number }>('completeTickets', saleCodes);
    rows.push(['complete ticket (commit)', `${SALES} sales, 1 voucher each`, `p50 ${fmt(ct.p50)} ms · p99 ${fmt(ct.p99)} ms`, 'p99 ≤ 20 ms', `p95 ${fmt(ct.p95)} ms`]);

    const queueCodes = Array.from({ length: QUEUED - SALES }, (_, i) => code(2 * (SALES + i + 1)));
    const q = await call<{ outbox: number }>('completeTickets', queueCodes);
    const drain = await call<{ ms: number; before: number; after: number; error: string | null }>('drain');
    rows.push(['drain queued offline redemptions', `${drain.before} ops → ${drain.after} left${drain.error ? ` (${drain.error})` : ''}`, `${fmt(drain.ms / 1000)} s`, '≤ 10 s', `${Math.round(drain.before / (drain.ms / 1000))} ops/s; queued ${q.outbox}`]);
    const storage = await call<{ usageMB: number }>('storageEstimate');
    rows.push(['IndexedDB usage after the run', '', `${storage.usageMB} MB`, '', '']);
  } finally {
    await browser.close();
    await vite.close();
    await app.close();
    await cleanup();
  }
  const header = ['measure', 'workload', 'result', 'target', 'note'];
  console.log(`\nsync in Chromium — HQ on ${label}, ${VOUCHERS.toLocaleString('en')} vouchers seeded in ${seedS.toFixed(1)} s; ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}\n`);
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

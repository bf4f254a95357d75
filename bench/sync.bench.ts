// npm run bench:sync — the till in real Chromium (Playwright on Debian's Chromium, real IndexedDB)
// against a local HQ seeded with VOUCHERS vouchers (default 1,000,000).
// Targets (issue 4): initial load ≤ 60 s; lookup+validate p99 ≤ 5 ms; complete-ticket commit p99
// ≤ 20 ms; drain of 10,000 queued offline redemptions ≤ 10 s.
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { buildServer } from '../hq/server';
import { hashToken } from '../hq/auth';
import { benchDatabase } from './bench-database';
import { benchCode as code, seedBenchVouchers as seed } from './seed-vouchers';

const VOUCHERS = Number(process.env.VOUCHERS ?? 1_000_000);
const LOOKUPS = 5_000;
const SALES = 1_000;
const QUEUED = 10_000;
/**
 * Scans and commits are measured twice: right after the load, and again after this many seconds idle.
 * Right after writing ~140 MB, Chromium's IndexedDB is still busy in the background (its LevelDB
 * compaction, disk writeback) and both get slower; a till sells for days after its one first load.
 */
const SETTLE_S = Number(process.env.SETTLE_S ?? 60);
const ADMIN = 'adm_bench_token_0123456789';

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

async function main() {
  const { db, label, cleanup } = await benchDatabase('vt_bench');
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

    // Unlimited (even) codes, so every sale redeems and queues one op; each measurement its own codes.
    let nextSaleCode = 1;
    const measureScansAndSales = async (when: string, offset: number) => {
      const sample = Array.from({ length: LOOKUPS }, (_, i) => code(1 + ((offset + i * 7919) % VOUCHERS)));
      const lv = await call<{ p50: number; p95: number; p99: number }>('lookupValidate', sample);
      rows.push([`scan → lookup + validate, ${when}`, `${LOOKUPS} random codes`, `p50 ${fmt(lv.p50)} ms · p99 ${fmt(lv.p99)} ms`, 'p99 ≤ 5 ms', `p95 ${fmt(lv.p95)} ms`]);
      const saleCodes = Array.from({ length: SALES }, () => code(2 * nextSaleCode++));
      const ct = await call<{ p50: number; p95: number; p99: number }>('completeTickets', saleCodes);
      rows.push([`complete ticket (commit), ${when}`, `${SALES} sales, 1 voucher each`, `p50 ${fmt(ct.p50)} ms · p99 ${fmt(ct.p99)} ms`, 'p99 ≤ 20 ms', `p95 ${fmt(ct.p95)} ms`]);
    };
    await measureScansAndSales('right after the load', 0);
    if (SETTLE_S > 0) {
      await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
      await measureScansAndSales(`after ${SETTLE_S} s idle`, 3);
    }

    const queueCodes = Array.from({ length: QUEUED - (nextSaleCode - 1) }, () => code(2 * nextSaleCode++));
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

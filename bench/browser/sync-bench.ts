// Runs inside Chromium for `npm run bench:sync`: the real till code on real IndexedDB.
// bench/sync.bench.ts drives it through Playwright and prints the table.
import { openTillInternals as openTill, type TillInternals as Till } from '../../sync/till';
import { TicketSchema, type Ticket } from '../../core/ticket';
import { countVouchers } from '../../sync/replica/voucher-store';

let till: Till | undefined;

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

const ticket: Ticket = TicketSchema.parse({
  currency: 'EUR',
  lines: Array.from({ length: 5 }, (_, i) => ({ product_id: `BP${i}`, name: `Bench product ${i}`, quantity: 1 + (i % 2), unit_price: 250 + i * 100, tax_rate: 19 })),
});

const api = {
  async open(hqUrl: string, token: string, dbName: string) {
    till = await openTill({ hqUrl, token, dbName, liveUpdates: false, pullPageSize: 10_000, pushBatchSize: 1000, settings: { timeZone: 'Europe/Berlin', currency: 'EUR' } });
    return true;
  },
  async initialLoad() {
    const t0 = performance.now();
    const progress = await till!.initialLoad();
    return { ms: performance.now() - t0, vouchers: progress.vouchers, pages: progress.pages, stored: await countVouchers(till!.db) };
  },
  /** Scan → decision: classify + replica lookup + validation, per call. */
  async lookupValidate(codes: string[]) {
    const samples: number[] = [];
    for (const code of codes) {
      const t0 = performance.now();
      const found = await till!.lookup(code);
      if (found.kind !== 'voucher' || !found.voucher) throw new Error(`bench voucher ${code} not in the replica`);
      await till!.validate(found.code, ticket, [], found.voucher);
      samples.push(performance.now() - t0);
    }
    return percentiles(samples);
  },
  async completeTickets(codes: string[]) {
    const samples: number[] = [];
    for (const code of codes) {
      const t0 = performance.now();
      await till!.completeTicket({ ticket, codes: [code], payments: [{ method: 'CARD', amount: 10_000 }] });
      samples.push(performance.now() - t0);
    }
    return { ...percentiles(samples), outbox: await till!.db.outbox.count() };
  },
  async drain() {
    const before = await till!.db.outbox.count();
    const t0 = performance.now();
    const status = await till!.syncNow();
    return { ms: performance.now() - t0, before, after: await till!.db.outbox.count(), error: status.lastError?.message ?? null };
  },
  async storageEstimate() {
    const e = await navigator.storage.estimate();
    return { usageMB: Math.round((e.usage ?? 0) / 1e6) };
  },
};

(window as unknown as { syncBench: typeof api }).syncBench = api;
document.getElementById('state')!.textContent = 'ready';

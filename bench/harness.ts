// A tiny benchmark harness: time each call individually (so percentiles mean something), after a
// warm-up, and print one table row per case. Benchmarks print numbers; they never assert on time.
import { performance } from 'node:perf_hooks';

export type BenchRow = { case: string; calls: number; 'ops/s': number; 'p50 µs': number; 'p99 µs': number; 'p99.9 µs': number; 'max µs': number };

export function measure(name: string, fn: (i: number) => unknown, { calls = 100_000, warmup = 10_000 } = {}): BenchRow {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += fn(i) ? 1 : 0;
  const samples = new Float64Array(calls);
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    sink += fn(i) ? 1 : 0;
    samples[i] = performance.now() - t0;
  }
  const elapsedMs = performance.now() - started;
  if (sink < 0) console.log(sink); // keep the results alive
  samples.sort();
  const pct = (p: number) => round((samples[Math.min(calls - 1, Math.floor(calls * p))] ?? 0) * 1000);
  return { case: name, calls, 'ops/s': Math.round(calls / (elapsedMs / 1000)), 'p50 µs': pct(0.5), 'p99 µs': pct(0.99), 'p99.9 µs': pct(0.999), 'max µs': round((samples[calls - 1] ?? 0) * 1000) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function printTable(title: string, rows: BenchRow[]): string {
  const headers = Object.keys(rows[0] ?? {}) as (keyof BenchRow)[];
  const lines = [`${title}`, '', `| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${headers.map((h) => r[h]).join(' | ')} |`)];
  const text = lines.join('\n');
  console.log(text);
  return text;
}

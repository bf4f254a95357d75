// The HQ benchmark's load generator: N simulated tills, each pushing its batches of REDEMPTION ops to
// POST /v1/sync/push one after the other, all tills at once, over real HTTP (global fetch = undici,
// keep-alive). It runs in a child process (forked by bench/hq.bench.ts) so that building requests and
// parsing the ~70 kB responses does not share an event loop with the HQ under test.
//
// A failed batch (network error, timeout, non-2xx) is retried with the same ops (HQ answers a replay
// from its stored results); after MAX_ATTEMPTS that till stops, since skipping it would leave a seq gap.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expectedOutcomes, layout, tillRedemptions } from './hq-workload';

export type LoadConfig = {
  baseUrl: string;
  tills: { till_id: string; token: string }[];
  batches: number;
  batchSize: number;
  /** Stop starting new batches after this long (in-flight ones finish). */
  capMs: number;
  timeoutMs: number;
  vouchers: number;
  /** Op mix knobs (bench/hq-workload.ts): share of single-use ops on the hot set, of multi-use ops on popular codes. */
  hotShare: number;
  popularShare: number;
  seed: number;
};

export type LoadResult = {
  wallMs: number;
  /** ms per successfully applied batch, from the first attempt to the parsed 200 response. */
  latencies: number[];
  batchesOk: number;
  batchesFailed: number;
  retries: number;
  /** Ops in batches HQ answered with 200. */
  sent: number;
  outcomes: { ACCEPTED: number; CONFLICT: number; REJECTED: number };
  overdrafts: number;
  reasons: Record<string, number>;
  /** Non-2xx statuses and network errors, by kind. */
  errors: Record<string, number>;
  /** Responses whose results did not match the ops sent one for one (count or op_id). */
  malformed: number;
  expected: { accepted: number; conflicts: number };
  capped: boolean;
  /** Per till: the last seq HQ acknowledged. */
  lastSeq: Record<string, number>;
};

const MAX_ATTEMPTS = 3;

type PushResponse = { last_seq: number; results: { op_id: string; outcome: 'ACCEPTED' | 'CONFLICT' | 'REJECTED'; reason?: string; overdraft?: boolean }[] };

export async function runLoad(cfg: LoadConfig): Promise<LoadResult> {
  const l = layout(cfg.vouchers, { hotShare: cfg.hotShare, popularShare: cfg.popularShare });
  const result: LoadResult = {
    wallMs: 0, latencies: [], batchesOk: 0, batchesFailed: 0, retries: 0, sent: 0,
    outcomes: { ACCEPTED: 0, CONFLICT: 0, REJECTED: 0 }, overdrafts: 0, reasons: {}, errors: {}, malformed: 0,
    expected: { accepted: 0, conflicts: 0 }, capped: false, lastSeq: {},
  };
  const appliedCodes: string[] = [];
  const bump = (map: Record<string, number>, key: string) => void (map[key] = (map[key] ?? 0) + 1);
  const started = performance.now();

  async function till(index: number, t: { till_id: string; token: string }): Promise<void> {
    const next = tillRedemptions(l, index, cfg.tills.length, cfg.seed);
    let seq = 0;
    for (let b = 0; b < cfg.batches; b++) {
      if (performance.now() - started > cfg.capMs) {
        result.capped = true;
        return;
      }
      const occurredAt = new Date().toISOString();
      const ops = Array.from({ length: cfg.batchSize }, () => ({ op_id: randomUUID(), seq: ++seq, type: 'REDEMPTION', occurred_at: occurredAt, payload: next() }));
      const body = JSON.stringify({ ops });
      const t0 = performance.now();
      let response: PushResponse | undefined;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS && !response; attempt++) {
        if (attempt > 1) {
          if (performance.now() - started > cfg.capMs) break; // past the cap: report the failure, do not pile on
          result.retries += 1;
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
        try {
          const res = await fetch(`${cfg.baseUrl}/v1/sync/push`, {
            method: 'POST',
            headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(cfg.timeoutMs),
          });
          const text = await res.text();
          if (res.status === 200) response = JSON.parse(text) as PushResponse;
          else {
            let code = '';
            try {
              code = String((JSON.parse(text) as { code?: unknown }).code ?? '');
            } catch {
              // not a problem document
            }
            bump(result.errors, `HTTP ${res.status}${code ? ` ${code}` : ''}`);
            if (res.status >= 400 && res.status < 500 && res.status !== 429) break; // permanent: retrying cannot help
          }
        } catch (error) {
          bump(result.errors, (error as Error).name === 'TimeoutError' ? `timeout ${cfg.timeoutMs} ms` : `network ${(error as Error).name}: ${(error as Error).message}`.slice(0, 120));
        }
      }
      if (!response) {
        result.batchesFailed += 1;
        return; // the next batch would be a seq gap
      }
      result.latencies.push(performance.now() - t0);
      result.batchesOk += 1;
      result.sent += ops.length;
      result.lastSeq[t.till_id] = response.last_seq;
      if (response.results.length !== ops.length || response.results.some((r, i) => r.op_id !== ops[i]!.op_id)) result.malformed += 1;
      for (const r of response.results) {
        result.outcomes[r.outcome] += 1;
        if (r.overdraft) result.overdrafts += 1;
        if (r.reason) bump(result.reasons, `${r.outcome} ${r.reason}`);
      }
      for (const op of ops) appliedCodes.push(op.payload.code);
    }
  }

  await Promise.all(cfg.tills.map((t, i) => till(i, t)));
  result.wallMs = performance.now() - started;
  result.expected = expectedOutcomes(appliedCodes);
  return result;
}

// Child-process entry (forked by bench/hq.bench.ts with HQ_LOAD_CHILD=1): one config in, one result out.
if (process.env.HQ_LOAD_CHILD === '1' && process.send) {
  process.once('message', (cfg: LoadConfig) => {
    runLoad(cfg).then(
      (r) => {
        const cpu = process.cpuUsage();
        process.send!({ ok: true, result: { ...r, cpuMs: (cpu.user + cpu.system) / 1000 } }, () => process.exit(0));
      },
      (error: unknown) => process.send!({ ok: false, error: String((error as Error)?.stack ?? error) }, () => process.exit(1)),
    );
  });
  process.once('disconnect', () => process.exit(0));
}

// A fault-injecting fetch for sync tests: wraps a real fetch (the till talks to a real HQ on loopback)
// and, per call, applies the fault a plan chooses. Plans are deterministic (scripted lists, or a
// seeded PRNG), and every call is recorded so a test can assert on what HQ did and did not see.
//
// Faults (what the network or a proxy can do to one request):
//   drop-request   throw before anything reaches HQ (connection refused / reset on send)
//   drop-response  HQ gets the request and commits; the answer is read and then lost (reset on receive)
//   duplicate      the request reaches HQ twice (a retransmission); the till sees the second answer
//   delay          wait before sending (or before answering): concurrent calls arrive / return reordered
//   server-error   a 500/502 problem+json from a proxy or a crashing HQ; HQ itself is not called
//   rate-limit     a 429 problem+json with Retry-After; HQ is not called
//   truncate       HQ answers, the body is cut short ('short': ends early, 'broken': the stream errors)
//   wrong-shape    a 200 with valid JSON of the wrong shape, after a real call or without one
//   stall          nothing more arrives (before the headers, or mid-body) until the request is aborted
//   hold           like delay, but until the test releases it: the test orders calls, not a timer
import type { FetchLike } from '../sync/engine/hq-client';

export type Fault =
  | { kind: 'none' }
  | { kind: 'drop-request' }
  | { kind: 'drop-response' }
  | { kind: 'duplicate'; concurrent?: boolean }
  | { kind: 'delay'; ms: number; where?: 'before' | 'after' }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'truncate'; mode?: 'short' | 'broken'; keep?: number }
  | { kind: 'wrong-shape'; real: boolean; variant?: 'nulls' | 'empty-results' }
  /** The connection hangs (until the request's signal aborts): before the headers, or mid-body after HQ answered. */
  | { kind: 'stall'; where: 'headers' | 'body' }
  /**
   * The request waits before it is sent ('before', the default) or its answer after HQ answered
   * ('after') until `release` settles; `held` is called as it starts waiting. For tests that need one
   * call to arrive or return after something else happened — explicit ordering where a delay would race.
   */
  | { kind: 'hold'; release: Promise<unknown>; where?: 'before' | 'after'; held?: () => void };

/**
 * A 'hold' fault with its two handles: `held` settles when the call starts waiting, `release()` lets it go.
 */
export function holdFault(where: 'before' | 'after' = 'before'): { fault: Fault; held: Promise<void>; release: () => void } {
  let release!: () => void;
  let onHeld!: () => void;
  const held = new Promise<void>((r) => (onHeld = r));
  const fault: Fault = { kind: 'hold', where, release: new Promise<void>((r) => (release = r)), held: onHeld };
  return { fault, held, release };
}

/** The kinds a plan may draw at random ('hold' needs a test to release it). */
export type FaultKind = Exclude<Fault['kind'], 'hold'>;

export const NETWORK_FAULTS = ['drop-request', 'drop-response'] as const;

export type CallInfo = { index: number; method: string; path: string; url: string };

/** Decides the fault of each call. */
export type FaultPlan = (call: CallInfo) => Fault;

export type CallRecord = CallInfo & {
  fault: Fault | { kind: 'offline' };
  /** How many times the request reached HQ (0, 1, or 2 for a duplicate). */
  reachedHq: number;
  /** HQ's status for the (last) real call, when there was one. */
  hqStatus?: number;
  /** What the till got: an HTTP status, or an error. */
  outcome: { status: number } | { error: string } | 'pending';
};

export const NONE: Fault = { kind: 'none' };

/** The n-th call (0-based, counting only calls the filter matches) gets faults[n]; later ones `then`. */
export function scripted(faults: readonly Fault[], options: { match?: (call: CallInfo) => boolean; then?: Fault } = {}): FaultPlan {
  let n = 0;
  return (call) => {
    if (options.match && !options.match(call)) return NONE;
    const fault = faults[n] ?? options.then ?? NONE;
    n += 1;
    return fault;
  };
}

/** Every matching call gets this fault (until the plan is replaced). */
export function always(fault: Fault, match?: (call: CallInfo) => boolean): FaultPlan {
  return (call) => (!match || match(call) ? fault : NONE);
}

export const isPush = (call: Pick<CallInfo, 'path'>) => call.path === '/v1/sync/push';
export const isChanges = (call: Pick<CallInfo, 'path'>) => call.path === '/v1/sync/changes';

import { prng } from './prng';

export { prng };

/** All fault kinds with a representative parameterisation (for tests that loop over every kind). */
export function sampleFault(kind: FaultKind, random: () => number = Math.random): Fault {
  switch (kind) {
    case 'none':
      return NONE;
    case 'drop-request':
    case 'drop-response':
      return { kind };
    case 'duplicate':
      return { kind, concurrent: random() < 0.5 };
    case 'delay':
      return { kind, ms: 1 + Math.floor(random() * 30), where: random() < 0.5 ? 'before' : 'after' };
    case 'server-error':
      return { kind, status: random() < 0.5 ? 500 : 502 };
    case 'rate-limit':
      return { kind, retryAfterSeconds: 1 + Math.floor(random() * 5) };
    case 'truncate':
      return { kind, mode: random() < 0.7 ? 'short' : 'broken', keep: random() * 0.9 };
    case 'wrong-shape':
      return { kind, real: random() < 0.5, variant: random() < 0.5 ? 'nulls' : 'empty-results' };
    case 'stall':
      return { kind, where: random() < 0.5 ? 'headers' : 'body' };
  }
}

export const FAULT_KINDS: readonly FaultKind[] = ['drop-request', 'drop-response', 'duplicate', 'delay', 'server-error', 'rate-limit', 'truncate', 'wrong-shape'];

/** A seeded plan: each call is faulty with probability `rate`, the kind drawn from `kinds`. */
export function seededPlan(seed: number, options: { rate?: number; kinds?: readonly FaultKind[] } = {}): FaultPlan {
  const random = prng(seed);
  const rate = options.rate ?? 0.3;
  const kinds = options.kinds ?? FAULT_KINDS;
  return () => {
    if (random() >= rate) return NONE;
    return sampleFault(kinds[Math.floor(random() * kinds.length)]!, random);
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function problem(status: number, code: string, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: `https://voucher-till.dev/problems/${code}`, title: 'Injected fault', status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

function copyHeaders(from: Headers): Headers {
  const headers = new Headers(from);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return headers;
}

function wrongShape(text: string | undefined, variant: 'nulls' | 'empty-results'): string {
  if (variant === 'empty-results') return JSON.stringify({ last_seq: 0, results: [] });
  try {
    const json: unknown = text === undefined ? undefined : JSON.parse(text);
    if (json && typeof json === 'object' && !Array.isArray(json)) return JSON.stringify(Object.fromEntries(Object.keys(json).map((k) => [k, null])));
  } catch {
    // not JSON: fall through
  }
  return JSON.stringify({ unexpected: 'shape' });
}

/** An error like the one undici throws when the connection fails. */
function networkError(what: string): TypeError {
  return new TypeError(`fetch failed (injected: ${what})`);
}

export type FaultFetch = {
  fetch: FetchLike;
  calls: CallRecord[];
  /** While true every call fails at once without reaching HQ (the till is offline). */
  offline: boolean;
  plan: FaultPlan;
  setPlan(plan: FaultPlan): void;
  /** Calls that reached HQ at least once. */
  reached(filter?: (c: CallRecord) => boolean): CallRecord[];
  /** Wait for every call started so far to settle. */
  idle(): Promise<void>;
};

export function createFaultFetch(options: { fetch?: FetchLike; plan?: FaultPlan } = {}): FaultFetch {
  const real: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const inFlight = new Set<Promise<unknown>>();

  async function handle(record: CallRecord, fault: Fault, input: string, init?: RequestInit): Promise<Response> {
    const callHq = async (): Promise<Response> => {
      record.reachedHq += 1;
      const response = await real(input, init);
      record.hqStatus = response.status;
      return response;
    };
    switch (fault.kind) {
      case 'none':
        return callHq();
      case 'drop-request':
        throw networkError('request dropped');
      case 'drop-response': {
        const response = await callHq();
        await response.arrayBuffer(); // HQ has answered (and committed) — the answer is lost on the way back
        throw networkError('response dropped');
      }
      case 'duplicate': {
        if (fault.concurrent) {
          const [first, second] = await Promise.all([callHq(), callHq()]);
          await first.arrayBuffer();
          return second;
        }
        const first = await callHq();
        await first.arrayBuffer();
        return callHq();
      }
      case 'delay':
      case 'hold': {
        const wait = async () => {
          if (fault.kind === 'delay') return sleep(fault.ms);
          fault.held?.();
          await fault.release;
        };
        if (fault.where !== 'after') await wait();
        const response = await callHq();
        if (fault.where === 'after') {
          const body = await response.arrayBuffer();
          await wait();
          return new Response(body, { status: response.status, statusText: response.statusText, headers: copyHeaders(response.headers) });
        }
        return response;
      }
      case 'server-error': {
        const status = fault.status ?? 500;
        return problem(status, 'injected_server_error', `Injected ${status}.`);
      }
      case 'rate-limit':
        return problem(429, 'rate_limited', 'Injected 429.', { 'retry-after': String(fault.retryAfterSeconds) });
      case 'truncate': {
        const response = await callHq();
        const text = await response.text();
        const cut = text.slice(0, Math.floor(text.length * Math.min(0.99, Math.max(0, fault.keep ?? 0.5))));
        const headers = copyHeaders(response.headers);
        if (fault.mode === 'broken') {
          const bytes = new TextEncoder().encode(cut);
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(bytes);
              controller.error(new TypeError('terminated (injected: connection reset mid-body)'));
            },
          });
          return new Response(body, { status: response.status, headers });
        }
        return new Response(cut, { status: response.status, headers });
      }
      case 'stall': {
        const signal = init?.signal ?? undefined;
        const aborted = () => new DOMException('This operation was aborted', 'AbortError');
        if (fault.where === 'headers') {
          return new Promise<Response>((_resolve, reject) => {
            if (signal?.aborted) reject(aborted());
            signal?.addEventListener('abort', () => reject(aborted()), { once: true });
          });
        }
        const response = await callHq();
        const text = await response.text();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(text.slice(0, Math.floor(text.length / 2))));
            if (signal?.aborted) controller.error(aborted());
            signal?.addEventListener('abort', () => controller.error(aborted()), { once: true });
          },
        });
        return new Response(body, { status: response.status, headers: copyHeaders(response.headers) });
      }
      case 'wrong-shape': {
        let text: string | undefined;
        if (fault.real) text = await (await callHq()).text();
        return new Response(wrongShape(text, fault.variant ?? 'nulls'), { status: 200, headers: { 'content-type': 'application/json' } });
      }
    }
  }

  const ff: FaultFetch = {
    calls: [],
    offline: false,
    plan: options.plan ?? (() => NONE),
    setPlan(plan) {
      ff.plan = plan;
    },
    reached(filter) {
      return ff.calls.filter((c) => c.reachedHq > 0 && (!filter || filter(c)));
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    fetch: (input, init) => {
      const url = new URL(input);
      const info: CallInfo = { index: ff.calls.length, method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname, url: input };
      const fault: Fault | { kind: 'offline' } = ff.offline ? { kind: 'offline' } : ff.plan(info);
      const record: CallRecord = { ...info, fault, reachedHq: 0, outcome: 'pending' };
      ff.calls.push(record);
      const run = fault.kind === 'offline' ? Promise.reject(networkError('offline')) : handle(record, fault, input, init);
      const tracked = run.then(
        (response) => {
          record.outcome = { status: response.status };
          return response;
        },
        (error: unknown) => {
          record.outcome = { error: (error as Error)?.message ?? String(error) };
          throw error;
        },
      );
      const settled = tracked.catch(() => undefined);
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return tracked;
    },
  };
  return ff;
}

// The till's HTTP client for HQ. Responses are parsed with the shared zod protocol schemas: a
// malformed or truncated answer is a SyncError('invalid-schema') and nothing of it is applied.
import type { z } from 'zod';
import {
  ChangesResponseSchema,
  CodeBlockSchema,
  ProblemSchema,
  PairingResultSchema,
  PushResponseSchema,
  TillIdentitySchema,
  ValidationResponseSchema,
  type ChangesResponse,
  type Op,
  type PairingResult,
  type PushResponse,
  type TillIdentity,
  type ValidationResponse,
} from '../protocol';
import type { TicketInput } from '../../core/ticket';
import { SyncError } from './sync-error';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type HqClientOptions = { baseUrl: string; token: string; fetch?: FetchLike; timeoutMs?: number };

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Requests to HQ with the till's token, or with none (the pairing-code exchange needs none). */
function createRequester(options: Omit<HqClientOptions, 'token'> & { token?: string }) {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  return async function request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, timeout = timeoutMs): Promise<z.output<S>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let response: Response;
    let text: string;
    // The timeout covers the body too: a connection that stalls after the headers (HQ answered, the
    // rest never comes) would otherwise hang this request — and the sync cycle holding the sender
    // lock with it — until the operating system gives up on the socket, which can take hours.
    try {
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: controller.signal,
        });
      } catch (error) {
        throw controller.signal.aborted ? new SyncError('timeout', `HQ did not answer within ${timeout} ms`) : new SyncError('network', `HQ is unreachable: ${(error as Error).message}`);
      }
      try {
        text = await response.text();
      } catch (error) {
        throw controller.signal.aborted
          ? new SyncError('timeout', `HQ's answer did not arrive in full within ${timeout} ms`)
          : new SyncError('network', `the answer from HQ broke off: ${(error as Error).message}`);
      }
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      let problem: z.infer<typeof ProblemSchema> | undefined;
      try {
        const parsed = ProblemSchema.safeParse(JSON.parse(text));
        if (parsed.success) problem = parsed.data;
      } catch {
        // not JSON: a proxy's error page, for instance
      }
      const detail = problem?.detail ?? `HTTP ${response.status}`;
      const info = { status: response.status, ...(problem?.code ? { code: problem.code } : {}) };
      if (response.status === 429 || response.status === 503) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        throw new SyncError('rate-limited', detail, { ...info, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
      }
      if (response.status === 401) throw new SyncError('unauthorized', detail, info);
      if (response.status === 403) throw new SyncError('forbidden', detail, info);
      if (response.status === 409 && problem?.code === 'seq_gap') throw new SyncError('seq-gap', detail, info);
      if (response.status >= 500) throw new SyncError('server', detail, info);
      throw new SyncError('rejected', detail, info);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncError('invalid-schema', 'HQ answered with malformed JSON', { status: response.status });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SyncError('invalid-schema', `HQ's answer does not match the protocol (${where})`, { status: response.status });
    }
    return parsed.data;
  };
}

export function createHqClient(options: HqClientOptions) {
  const request = createRequester(options);
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    token: options.token,
    changes: (checkpoint: string, limit: number): Promise<ChangesResponse> =>
      request('GET', `/v1/sync/changes?checkpoint=${encodeURIComponent(checkpoint)}&limit=${limit}`, ChangesResponseSchema),
    push: (ops: Op[]): Promise<PushResponse> => request('POST', '/v1/sync/push', PushResponseSchema, { ops }),
    validate: (codes: string[], ticket: TicketInput, timeZone: string, timeout?: number): Promise<ValidationResponse> =>
      request('POST', '/v1/validations', ValidationResponseSchema, { codes, ticket, time_zone: timeZone }, timeout),
    leaseCodes: (size: number): Promise<string[]> => request('POST', '/v1/code-blocks', CodeBlockSchema, { size }).then((r) => r.codes),
    /** Which till this token belongs to (GET /v1/tills/me). */
    whoAmI: (): Promise<TillIdentity> => request('GET', '/v1/tills/me', TillIdentitySchema),
  };
}

/**
 * Exchanges a pairing code (core/pairing-code.ts) for the till's token. A code HQ does not know, or
 * that was used or has expired, is a SyncError('rejected') with code pairing_code_invalid.
 */
export function redeemPairingCode(options: Omit<HqClientOptions, 'token'> & { code: string }): Promise<PairingResult> {
  return createRequester(options)('POST', '/v1/pairings', PairingResultSchema, { pairing_code: options.code });
}

export type HqClient = ReturnType<typeof createHqClient>;

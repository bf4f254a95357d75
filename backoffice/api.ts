// The console's one way to HQ: same-origin fetch with the session cookie (the browser adds Origin to
// every change, which HQ's CSRF check wants), JSON in, answers parsed with the wire protocol's zod
// schemas, and every refusal turned into an ApiError carrying HQ's problem document — so a screen shows
// HQ's own sentence, never "Error 400".
import type { z } from 'zod';
import { ProblemSchema, type Problem } from '../sync/protocol';
import { msg } from '../core/words/i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** Whether HQ wrote the problem (its `detail` is HQ's English), or the console did (one of its own sentences). */
    readonly fromHq = true,
  ) {
    super(problem.detail);
    this.name = 'ApiError';
  }
}

/** Called when HQ says the session is gone (401): the app shows the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export async function api<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  const res = await send(method, path, body);
  return schema.parse(await res.json());
}

/** A call whose answer has no body worth reading (204, or one the screen does not use). */
export async function apiVoid(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, { type: 'about:blank', title: 'HQ unreachable', status: 0, detail: msg('HQ cannot be reached. Check the connection and try again.') }, false);
  }
  if (res.ok) return res;
  const problem = ProblemSchema.safeParse(await res.json().catch(() => null));
  // Not a problem document: a proxy's error page, say. The status stays in the title for IT.
  const error = problem.success
    ? new ApiError(res.status, problem.data)
    : new ApiError(res.status, { type: 'about:blank', title: `HTTP ${res.status} ${res.statusText}`.trim(), status: res.status, detail: msg('HQ answered with an error it did not explain.') }, false);
  if (res.status === 401 && path !== '/v1/session') onSignedOut();
  throw error;
}

/** A query string from the set values of `params`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

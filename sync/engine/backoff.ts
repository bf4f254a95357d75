// When to try HQ again after a failure: exponential from about 1 s to 5 min with "equal jitter" (half
// fixed, half random), so 500 tills that lost HQ together do not come back in lock-step; a server's
// Retry-After wins when it asks for longer.
export const BACKOFF = { baseMs: 1_000, maxMs: 300_000 } as const;

export function nextDelayMs(attempt: number, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, attempt));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return retryAfterMs === undefined ? jittered : Math.min(BACKOFF.maxMs * 2, Math.max(jittered, retryAfterMs));
}

// What a database error is, and retrying the ones that are nobody's fault.
const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

/** The database error behind a driver error (drizzle wraps it), if any. */
export function dbError(error: unknown): { code: string; message: string } | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return { code, message: String(message) };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Run `fn` again (up to `attempts` in all, after a short random pause) while it fails with a deadlock or a serialisation failure. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts || !RETRYABLE.has(dbError(error)?.code ?? '')) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * i));
    }
  }
}

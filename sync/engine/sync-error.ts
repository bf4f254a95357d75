// Every failure talking to HQ, with a reason the engine can act on: retry later (network, timeout,
// server, rate-limited), fix configuration (unauthorized, forbidden), or refuse the data (invalid-schema).
export type SyncErrorReason =
  | 'network'
  | 'timeout'
  | 'server'
  | 'rate-limited'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid-schema'
  | 'seq-gap'
  | 'rejected';

export class SyncError extends Error {
  constructor(
    readonly reason: SyncErrorReason,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; code?: string } = {},
  ) {
    super(message);
    this.name = 'SyncError';
  }

  /** Worth trying again later without anyone changing anything. */
  get retryable(): boolean {
    return this.reason === 'network' || this.reason === 'timeout' || this.reason === 'server' || this.reason === 'rate-limited' || this.reason === 'invalid-schema' || this.reason === 'seq-gap';
  }
}

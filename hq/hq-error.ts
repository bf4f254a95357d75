// An error HQ answers with on purpose: an HTTP status, a machine-readable code and words for people.
// Anything else that escapes a handler is a 500 whose details stay in the log.
import type { ProblemCode } from '../sync/protocol';

export type FieldError = { path: string; message: string };

export class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'HqError';
  }
}

// Why the last sync failed, in the cashier's language: HQ's problem code in words when it sent one
// (sync/protocol/problem-text.ts), else the engine's reason. The engine's own message — English, with
// the specifics IT needs ("ECONNREFUSED", a status) — is shown beside it, not instead of it.
import type { Translate } from '../../core/words/i18n';
import { msg } from '../../core/words/i18n';
import type { SyncErrorReason } from '../../sync/till';
import { problemText } from '../../sync/protocol/problem-text';

const REASON_TEXT: Readonly<Record<SyncErrorReason, string>> = {
  network: msg('Head office cannot be reached.'),
  timeout: msg('Head office did not answer in time.'),
  server: msg('Head office has a problem of its own.'),
  'rate-limited': msg('Head office is busy; the till tries again later.'),
  unauthorized: msg('Head office does not accept this till’s token. Pair the till again.'),
  forbidden: msg('This till’s token may not sync.'),
  'invalid-schema': msg('Head office answered in a form this till does not understand. Is the till up to date?'),
  'seq-gap': msg('Head office is missing earlier sales of this till; they are sent first.'),
  rejected: msg('Head office refused what the till sent.'),
};

/**
 * HQ's codes `unauthorized` and `forbidden` are written for a person at the console ("Sign in again",
 * "Your role …"); a till has no sign-in and no role, so its own reason says what to do (pair again).
 */
const PERSON_CODES: ReadonlySet<string> = new Set(['unauthorized', 'forbidden']);

export function syncErrorText(error: { reason: SyncErrorReason; code?: string }, t: Translate): string {
  const fromCode = error.code && !PERSON_CODES.has(error.code) ? problemText(error.code) : null;
  return t(fromCode ?? REASON_TEXT[error.reason]);
}

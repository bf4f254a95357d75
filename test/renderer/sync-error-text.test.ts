// Why the last sync failed, in the cashier's language (issue 16): HQ's problem code when it sent one,
// else the engine's reason — never the engine's English message alone.
import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../core/words/i18n';
import { syncErrorText } from '../../renderer/format/sync-error-text';

describe('syncErrorText', () => {
  const de = translatorFor('de-DE');
  it('says the problem code HQ sent, in German', () => {
    expect(syncErrorText({ reason: 'unauthorized', code: 'unknown_till' }, de)).toBe('Die Zentrale kennt diese Kasse nicht.');
  });
  it('a revoked token or a forbidden call says what a till can do about it, not what a person at the console would', () => {
    expect(syncErrorText({ reason: 'unauthorized', code: 'unauthorized' }, de)).toBe('Die Zentrale akzeptiert das Token dieser Kasse nicht. Bitte die Kasse neu koppeln.');
    expect(syncErrorText({ reason: 'forbidden', code: 'forbidden' }, de)).toBe('Das Token dieser Kasse darf nicht synchronisieren.');
  });
  it('falls back to the engine\'s reason for a code this build does not know, or none', () => {
    expect(syncErrorText({ reason: 'rejected', code: 'from_a_newer_hq' }, de)).toBe('Die Zentrale hat abgelehnt, was die Kasse gesendet hat.');
    expect(syncErrorText({ reason: 'network' }, translatorFor('en-GB'))).toBe('Head office cannot be reached.');
  });
});

// The back office in the person's language (issue 16): the same mechanism as the till (core/words),
// the console's own catalogs on top. Every sentence the console asks for is in German; no back-office
// entry is unused or repeats one of the till's; the language follows the choice, else the browser.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../../core/words/i18n';
import { BACKOFFICE_CATALOGS, LANGUAGES, startLocale, wordsFor } from '../../backoffice/words/words';
import { problemText } from '../../sync/protocol/problem-text';
import { pushReasonText } from '../../sync/protocol/push-reason-text';
import { entryProblems, has, ROOT, sentencesAskedFor, sources, unreadableCalls } from '../core/catalog-keys';

const files = sources(join(ROOT, 'backoffice'));
const asked = sentencesAskedFor(files);

describe('the back office in the person\'s language', () => {
  it('every sentence the console asks for is in German (its own catalog or the till\'s)', () => {
    expect(asked.size).toBeGreaterThan(150);
    const german = { ...CATALOGS.de, ...BACKOFFICE_CATALOGS.de };
    expect([...asked].filter(([k]) => !has(german, k)).map(([k, file]) => `${file}: ${k}`)).toEqual([]);
  });

  it('every call is one the check can read', () => {
    expect(unreadableCalls(files)).toEqual([]);
  });

  it('no entry is unused, each keeps its placeholders, and none repeats one of the till\'s', () => {
    expect(Object.entries(BACKOFFICE_CATALOGS).flatMap(([lng, catalog]) => entryProblems(lng, catalog, asked))).toEqual([]);
    const repeated = Object.entries(BACKOFFICE_CATALOGS).flatMap(([lng, catalog]) => Object.keys(catalog).filter((k) => k in (CATALOGS[lng] ?? {})).map((k) => `${lng}: ${k}`));
    expect(repeated).toEqual([]);
  });

  it('speaks German with the till\'s words underneath, and English where it has no language', () => {
    expect(wordsFor('de-DE').t('Needs a person')).not.toBe('Needs a person');
    expect(wordsFor('de-AT').t(problemText('code_exists')!)).toBe('Einen Gutschein mit diesem Code gibt es schon.');
    expect(wordsFor('de-DE').money(125000)).toMatch(/^1\.250,00\s€$/);
    // Every number in a sentence is written the locale's way, not only counts.
    expect(wordsFor('de-DE').t('{{from}}–{{to}} of {{total}}', { from: 1, to: 25, total: 1250 })).toBe('1–25 von 1.250');
    expect(wordsFor('en-GB').t('{{from}}–{{to}} of {{total}}', { from: 1, to: 25, total: 1250 })).toBe('1–25 of 1,250');
    expect(wordsFor('fr-FR').t('Needs a person')).toBe('Needs a person');
    expect(problemText('no_such_code_yet')).toBeNull();
    expect(wordsFor('de-DE').t(pushReasonText('quantity_exceeded')!)).toBe('Der Gutschein war aufgebraucht: Ein anderer Verkauf hat ihn zuerst eingelöst.');
    expect(pushReasonText('a_newer_hqs_reason')).toBeNull();
  });

  it('starts in the chosen language, else the first of the browser\'s it speaks, else English', () => {
    expect(LANGUAGES.map((l) => l.locale)).toEqual(['en-GB', 'de-DE']);
    expect(startLocale('de-DE', ['en-US'])).toBe('de-DE');
    expect(startLocale(null, ['fr-FR', 'de-AT', 'en-US'])).toBe('de-AT');
    expect(startLocale('ar-EG', ['ar-EG'])).toBe('en-GB');
    expect(startLocale(null, [])).toBe('en-GB');
    expect(startLocale('de_DE!', ['de-AT'])).toBe('de-AT'); // a broken stored tag is passed over
    expect(startLocale('en-XA', ['de-DE'])).toBe('en-XA'); // the pseudo-locale, when a test chose it
    expect(startLocale(null, ['en-XA'])).toBe('en-GB');
  });
});

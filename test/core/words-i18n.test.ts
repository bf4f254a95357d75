// The till's words in the cashier's language (issue 16): every sentence the code asks for exists in the
// German and the Arabic catalog, plurals follow each language's
// rules, placeholders survive translation, and the pseudo-locale marks every translated sentence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalLocale, CATALOGS, languageOf, textDirection, translatorFor } from '../../core/words/i18n';
import { pseudo, PSEUDO_LOCALE } from '../../core/words/pseudo';
import { conditionLines, effectText, pointsText } from '../../core/words/voucher-text';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING } from '../../core/validation-context';
import { VoucherSchema } from '../../core/voucher';
import { entryProblems, has, ROOT, sentencesAskedFor, sources, unreadableCalls } from './catalog-keys';

/**
 * Sources whose t('…') and msg('…') sentences must be in the till's catalogs: sync/protocol has HQ's
 * problem codes in words; core/text.ts and core/local-time.ts the messages of schemas the Settings
 * screen shows; electron/start-failure-text.ts the shell's boxes before any window.
 */
const TRANSLATED = ['core/words', 'renderer', 'sync/protocol', 'core/text.ts', 'core/local-time.ts', 'electron/start-failure-text.ts'];

const usedKeys = (files: string[] = TRANSLATED.flatMap((d) => sources(join(ROOT, d)))) => sentencesAskedFor(files);

describe('the words of the till in the cashier\'s language', () => {
  it('every sentence the code asks for is in the German catalog', () => {
    const keys = usedKeys();
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter(([k]) => !has(CATALOGS.de!, k)).map(([k, file]) => `${file}: ${k}`)).toEqual([]);
  });

  it('every call is one the check can read: a sentence in single quotes, never a template or a computed key', () => {
    expect(unreadableCalls(TRANSLATED.flatMap((d) => sources(join(ROOT, d))))).toEqual([]);
  });

  it('every sentence the code asks for is in the Arabic catalog too', () => {
    const keys = usedKeys();
    expect([...keys].filter(([k]) => !has(CATALOGS.ar!, k)).map(([k, file]) => `${file}: ${k}`)).toEqual([]);
  });

  it('no catalog entry is unused, each keeps its placeholders and writes a count as a number', () => {
    const keys = usedKeys();
    expect(Object.entries(CATALOGS).flatMap(([lng, catalog]) => entryProblems(lng, catalog, keys))).toEqual([]);
  });

  it('speaks the language of the locale, with its plurals and direction', () => {
    expect(languageOf('de-AT')).toBe('de');
    expect([canonicalLocale('de-at'), canonicalLocale('xx_YY'), canonicalLocale('')]).toEqual(['de-AT', null, null]);
    expect(translatorFor('de-DE')('Unlimited uses')).toBe('Beliebig oft einlösbar');
    expect(translatorFor('fr-FR')('Unlimited uses')).toBe('Unlimited uses');
    expect(pointsText(1, { locale: 'en-GB' })).toBe('1 point');
    expect(pointsText(1250, { locale: 'de-DE' })).toBe('1.250 Punkte');
    expect(pointsText(1, { locale: 'de-DE' })).toBe('1 Punkt');
    expect(translatorFor('de-DE')('{{count}} vouchers given back.', { count: 1250 })).toBe('1.250 Gutscheine zurückgegeben.');
    expect(translatorFor('en-GB')('{{count}} vouchers given back.', { count: 1250 })).toBe('1,250 vouchers given back.');
    // By the locale, not only its language: Swiss German groups with ’, Egyptian Arabic writes its own digits.
    expect(translatorFor('de-CH')('{{count}} vouchers given back.', { count: 1250 })).toBe(`${new Intl.NumberFormat('de-CH').format(1250)} Gutscheine zurückgegeben.`);
    expect(translatorFor('ar-EG')('{{count}} vouchers given back.', { count: 1250 })).toContain(new Intl.NumberFormat('ar-EG').format(1250));
    expect(new Intl.NumberFormat('ar-EG').format(1250)).not.toBe('1250');
    expect(pointsText(2, { locale: 'ar' })).toBe('نقطتان');
    expect(pointsText(5, { locale: 'ar' })).toBe(`${new Intl.NumberFormat('ar').format(5)} نقاط`);
    expect(textDirection('ar-EG')).toBe('rtl');
    expect(textDirection('de-DE')).toBe('ltr');
  });

  it('describes a voucher in German, dates and money in the German way', () => {
    const v = VoucherSchema.parse({
      code: 'HAPPY', type: 'DISCOUNT_VOUCHER', label: 'Happy hour', campaign: null, category: null, currency: 'EUR', redemption: { quantity: 3, redeemed_quantity: 1 },
      active: true, start_date: null, expiration_date: '2027-01-31', validity_day_of_week: null, validity_hours: { daily: [{ start_time: '17:00', expiration_time: '19:00', days_of_week: [1, 2] }] },
      validity_timeframe: null, customer_id: null, product_id: null, min_order_amount: 1000, offline_redeemable: true, metadata: {}, status: 'ACTIVE', used_at: null,
      created_at: '2026-12-01T00:00:00.000Z', updated_at: '2026-12-01T00:00:00.000Z', discount: { type: 'PERCENT', percent_off: 12.5, amount_limit: 2000 }, gift: null,
    });
    const d = { locale: 'de-DE', currency: 'EUR', timeZone: 'Europe/Berlin', offlinePolicy: DEFAULT_OFFLINE_POLICY, stacking: DEFAULT_STACKING };
    const plain = (s: string) => s.replace(/\u00a0/g, ' ');
    expect(plain(effectText(v, d))).toBe('12,5 % Rabatt (höchstens 20,00 €)');
    expect(conditionLines(v, d).map(plain)).toEqual(['Gültig bis 31. Jan. 2027', 'Mo, Di, 17:00–19:00 Uhr', 'Mindestbetrag 10,00 €', '1 von 3 Mal eingelöst']);
  });

  it('the pseudo-locale marks each sentence, keeps its placeholders and runs a third longer', () => {
    expect(pseudo('Pay {{amount}}')).toBe('⟦Þàý {{amount}} ~~⟧');
    expect(translatorFor(PSEUDO_LOCALE)('Unlimited uses')).toMatch(/^⟦Ûñļîɱîţéð ûšéš ~+⟧$/);
    const long = pseudo('Needs head office to confirm');
    expect(long.length).toBeGreaterThan('Needs head office to confirm'.length * 1.3);
  });
});

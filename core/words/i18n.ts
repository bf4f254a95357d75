// The words of every screen, receipt and printed voucher in the language of the till's locale setting
// (de-DE → German), through i18next. Keys are the English sentences themselves (gettext style): the
// source reads as what the cashier sees, an untranslated sentence falls back to English rather than to
// a key, and a language's catalog (core/words/locales/) maps each English sentence to its own.
// Plurals use i18next's suffixes (`_one`, `_other`; Arabic also `_zero`, `_two`, `_few`, `_many`), so
// the English catalog holds only plural forms. Pure: no I/O, the same words at the till, at HQ and in
// the back office. `en-XA` is a pseudo-locale (core/words/pseudo.ts) that tests use to find words that
// were never translated, were pieced together, or do not fit.
import i18next, { type i18n, type TOptions } from 'i18next';
import { EN } from './locales/en';
import { DE } from './locales/de';
import { AR } from './locales/ar';
import { pseudoCatalog, PSEUDO_LOCALE } from './pseudo';

export type Translate = (key: string, vars?: TOptions) => string;
export type Catalog = Readonly<Record<string, string>>;

/** The languages with a catalog; any other locale speaks English. */
export const CATALOGS: Readonly<Record<string, Catalog>> = { en: EN, de: DE, ar: AR };

/** The words of one product: `t` for a locale, and the i18next instance behind it. */
export type Words = { translatorFor(locale: string): Translate; i18n(): i18n };

/**
 * Words over these catalogs (the till's own, or the back office's on top of them). The pseudo-locale
 * speaks every key of the German catalog, the one kept complete. `{{count, number}}` in a catalog's
 * sentence formats the count as the language writes numbers ("1.250" in German).
 */
export function createWords(catalogs: Readonly<Record<string, Catalog>>): Words {
  let shared: i18n | undefined;
  const translators = new Map<string, Translate>();
  const words: Words = {
    i18n() {
      if (shared) return shared;
      const instance = i18next.createInstance();
      void instance.init({
        initAsync: false,
        lng: 'en',
        fallbackLng: 'en',
        resources: {
          ...Object.fromEntries(Object.entries(catalogs).map(([lng, catalog]) => [lng, { translation: catalog }])),
          [PSEUDO_LOCALE]: { translation: pseudoCatalog(Object.keys(catalogs.de ?? {})) },
        },
        keySeparator: false,
        nsSeparator: false,
        interpolation: { escapeValue: false },
        returnEmptyString: false,
      });
      shared = instance;
      return instance;
    },
    /**
     * `t` for a locale. A sentence without variables is looked up once per locale and kept (the
     * catalogs never change while the program runs): i18next's lookup costs tens of microseconds, and a
     * checkout screen asks for dozens of sentences on every scan. Numbers in a sentence are written the
     * locale's way, as its money and dates are ("1.250" in de-DE, "١٬٢٥٠" in ar-EG): every number
     * but the count is formatted here; the count must stay a number to choose the plural form, and
     * the catalogs write it `{{count, number}}`, which i18next formats in `locale`.
     */
    translatorFor(locale) {
      let t = translators.get(locale);
      if (!t) {
        const fixed = words.i18n().getFixedT(languageOf(locale));
        const intl = intlLocale(locale);
        const numbers = new Intl.NumberFormat(intl);
        const plain = new Map<string, string>();
        t = (key, vars) => {
          if (vars) {
            // A copy only when there is a number to write (most sentences carry text: a code, an amount already formatted).
            const given = vars as Record<string, unknown>;
            let written: Record<string, unknown> | undefined;
            for (const name in given) {
              const value = given[name];
              if (typeof value === 'number') (written ??= { ...given, locale: intl })[name] = name === 'count' ? value : numbers.format(value);
            }
            return fixed(key, (written ?? vars) as TOptions) as string;
          }
          let text = plain.get(key);
          if (text === undefined) plain.set(key, (text = fixed(key) as string));
          return text;
        };
        if (translators.size > 100) translators.clear(); // locales come from settings: a handful, never unbounded
        translators.set(locale, t);
      }
      return t;
    },
  };
  return words;
}

/** The canonical form of one language tag ("de-at" → "de-AT"), or null for what is none ("xx_YY", "", "de,en"). */
export function canonicalLocale(value: string): string | null {
  try {
    const tags = Intl.getCanonicalLocales(value);
    return tags.length === 1 ? tags[0]! : null;
  } catch {
    return null;
  }
}

/** A locale Intl takes: the tag itself if it is one, else English (a setting is checked, a stored value may not be). */
const intlLocale = (locale: string): string => canonicalLocale(locale) ?? 'en';

const languages = new Map<string, string>();
/** The language i18next looks up for a locale: the pseudo-locale as itself, else its language ("de-AT" → "de"). */
export function languageOf(locale: string): string {
  let lng = languages.get(locale);
  if (lng === undefined) {
    try {
      lng = locale.toLowerCase() === PSEUDO_LOCALE.toLowerCase() ? PSEUDO_LOCALE : new Intl.Locale(locale).language;
    } catch {
      lng = 'en';
    }
    if (languages.size > 100) languages.clear(); // locales come from settings: a handful, never unbounded
    languages.set(locale, lng);
  }
  return lng;
}

/** The till's words (and core's: refusals, a voucher in words). */
const TILL_WORDS = createWords(CATALOGS);
export const translatorFor = (locale: string): Translate => TILL_WORDS.translatorFor(locale);

/** Whether a locale's script runs right to left (Arabic, Hebrew, Persian …). */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  return TILL_WORDS.i18n().dir(languageOf(locale)) === 'rtl' ? 'rtl' : 'ltr';
}

export { msg } from './msg';

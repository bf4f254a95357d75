// The console's words: the till's catalogs with the back office's own on top (core/words/i18n.ts
// explains the mechanism: English sentences as keys, i18next, plurals per language), in the language
// the person chose (a picker on the sign-in page and in the header; kept in this browser), or else the
// browser's own. The navigation, the forms, the numbers, dates and money all follow it, and `lang` and
// `dir` on the page.
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import { canonicalLocale, CATALOGS, createWords, languageOf, textDirection, type Translate } from '../../core/words/i18n';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING } from '../../core/validation-context';
import type { DisplayContext } from '../../core/words/display-context';
import { formatInstant } from '../../core/words/date-format';
import { formatMoney } from '../../core/words/money-format';
import { PSEUDO_LOCALE } from '../../core/words/pseudo';
import { BACKOFFICE_DE } from './locales/de';
import { BACKOFFICE_EN } from './locales/en';

export const BACKOFFICE_CATALOGS = { en: BACKOFFICE_EN, de: BACKOFFICE_DE } as const;
const WORDS = createWords({ ...CATALOGS, en: { ...CATALOGS.en, ...BACKOFFICE_EN }, de: { ...CATALOGS.de, ...BACKOFFICE_DE } });

/** The languages the console is complete in, each named in itself (a person looks for their own). */
export const LANGUAGES: readonly { locale: string; name: string }[] = [
  { locale: 'en-GB', name: 'English' },
  { locale: 'de-DE', name: 'Deutsch' },
];

/** Where this browser keeps the chosen language. */
export const LOCALE_KEY = 'voucher-till.backoffice.locale';

/** Whether the console is complete in this locale's language ("de-AT" is: German). */
export function spoken(locale: string): boolean {
  if (canonicalLocale(locale) === null) return false; // a broken stored tag ("xx_YY") would break every date on the page
  return LANGUAGES.some((l) => languageOf(l.locale) === languageOf(locale));
}

/**
 * The chosen language, else the browser's if the console speaks it (with its region's dates), else
 * English. The pseudo-locale (en-XA, core/words/pseudo.ts) only when chosen: tests set it in storage.
 */
export function startLocale(chosen: string | null, browser: readonly string[]): string {
  if (chosen && (spoken(chosen) || chosen === PSEUDO_LOCALE)) return chosen;
  return browser.find(spoken) ?? 'en-GB';
}

function storedLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) ?? null;
  } catch {
    return null; // storage refused (a locked-down browser): the browser's language it is
  }
}

type LanguageStore = { locale: string; choose(locale: string): void };

export const useLanguage = create<LanguageStore>((set) => ({
  locale: startLocale(storedLocale(), typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]),
  choose(locale) {
    try {
      globalThis.localStorage?.setItem(LOCALE_KEY, locale);
    } catch {
      // not kept across visits, but this visit still speaks it
    }
    set({ locale });
  },
}));

/** `t` for a locale, outside React (messages kept as data are translated where they are shown). */
export const backofficeT = (locale: string): Translate => WORDS.translatorFor(locale);

export type ConsoleWords = {
  t: Translate;
  locale: string;
  /** An instant in HQ's time zone, written the language's way. */
  when(at: string, timeZone: string): string;
  money(minor: number, currency?: string): string;
  displayContext(timeZone: string, currency?: string): DisplayContext;
};

export function wordsFor(locale: string): ConsoleWords {
  return {
    t: WORDS.translatorFor(locale),
    locale,
    when: (at, timeZone) => formatInstant(at, timeZone, locale),
    money: (minor, currency = 'EUR') => formatMoney(minor, currency, locale),
    displayContext: (timeZone, currency = 'EUR') => ({ locale, currency, timeZone, offlinePolicy: DEFAULT_OFFLINE_POLICY, stacking: DEFAULT_STACKING }),
  };
}

/** The words of the chosen language, for a component. */
export function useWords(): ConsoleWords {
  const locale = useLanguage((s) => s.locale);
  return useMemo(() => wordsFor(locale), [locale]);
}

/** Keeps the page's `lang` and `dir` on the chosen language (screen readers, hyphenation, mirroring). */
export function useDocumentLanguage(): void {
  const locale = useLanguage((s) => s.locale);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = textDirection(locale);
    const t = WORDS.translatorFor(locale);
    document.title = t('voucher-till back office');
  }, [locale]);
}

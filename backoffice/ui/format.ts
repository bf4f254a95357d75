// Words and numbers for the console, through core/words (the till's own formatting), in the browser's
// locale and HQ's time zone.
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING } from '../../core/validation-context';
import type { DisplayContext } from '../../core/words/display-context';
import { formatInstant } from '../../core/words/date-format';
import { formatMoney } from '../../core/words/money-format';

export const locale = typeof navigator === 'undefined' ? 'en-GB' : navigator.language || 'en-GB';

export function displayContext(timeZone: string, currency = 'EUR'): DisplayContext {
  return { locale, currency, timeZone, offlinePolicy: DEFAULT_OFFLINE_POLICY, stacking: DEFAULT_STACKING };
}

export const when = (at: string, timeZone: string) => formatInstant(at, timeZone, locale);
export const money = (minor: number, currency = 'EUR') => formatMoney(minor, currency, locale);

// Dates and times for the cashier, in the store's time zone and the till's locale.
import { readDateSpec } from '../date-spec';

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}) });
    cache.set(key, f);
  }
  return f;
}

/**
 * A voucher date as written on it. A plain date or a store-local date-time is a calendar value, shown
 * as is (formatted in UTC so no zone shifts it); an instant is shown in the store's zone.
 */
export function formatDateSpec(value: string, timeZone: string, locale: string): string {
  const spec = readDateSpec(value);
  switch (spec.kind) {
    case 'date':
      return fmt(locale, 'UTC', false).format(Date.parse(`${spec.date}T00:00:00Z`));
    case 'local':
      return fmt(locale, 'UTC', true).format(Date.parse(`${spec.dateTime}Z`));
    case 'instant':
      return fmt(locale, timeZone, true).format(spec.epochMs);
  }
}

/** An instant (epoch ms or ISO string) in the store's zone. */
export function formatInstant(at: number | string, timeZone: string, locale: string): string {
  return fmt(locale, timeZone, true).format(typeof at === 'string' ? Date.parse(at) : at);
}

/** Names of weekdays (0 = Sunday, as in the voucher model) in the till's locale. */
export function weekdayNames(days: readonly number[], locale: string): string {
  const f = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  // 2023-01-01 was a Sunday.
  return days.map((d) => f.format(Date.UTC(2023, 0, 1 + d))).join(', ');
}

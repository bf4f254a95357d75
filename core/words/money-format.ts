// Money on screen and from the keyboard. Amounts stay integers in minor units everywhere else; only
// here do they meet the locale (Intl), so "12,50 €" and "€12.50" are the same 1250.

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f;
}

const digits = new Map<string, number>();

/** Digits after the decimal point of a currency (EUR 2, JPY 0, BHD 3), from Intl's ISO 4217 data. */
export function currencyDigits(currency: string): number {
  // Cached: resolvedOptions() was the costliest call on the scan-to-screen path (every amount shown).
  let d = digits.get(currency);
  if (d === undefined) {
    d = formatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
    digits.set(currency, d);
  }
  return d;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  return formatter(locale, currency).format(minor / 10 ** currencyDigits(currency));
}

/**
 * What a cashier typed ("12", "12.5", "12,50", "1 234,50") in minor units, or null when it is not an
 * amount. The last '.' or ',' followed by at most the currency's digits is the decimal separator;
 * other separators and spaces group thousands. Done on the digits as text, so no float rounding.
 */
export function parseMoneyInput(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const cleaned = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(cleaned)) return null;
  const m = /^(.*?)(?:[.,](\d*))?$/.exec(cleaned);
  let whole = cleaned;
  let fraction = '';
  if (m && m[2] !== undefined && m[2].length <= digits && digits > 0) {
    whole = m[1] ?? '';
    fraction = m[2];
  }
  if (!/^\d{1,3}([.,]?\d{3})*$|^\d+$/.test(whole)) return null;
  const minor = Number(whole.replace(/[.,]/g, '') + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

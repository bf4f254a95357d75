// A voucher described for the cashier: what it gives, and what it asks for.
import type { Voucher } from '../voucher';
import { formatDateSpec, weekdayNames } from './date-format';
import { formatMoney } from './money-format';
import type { DisplayContext } from './display-context';
import { translatorFor } from './i18n';

const numberFormats = new Map<string, Intl.NumberFormat>();
/** Numbers (up to two decimals) in a locale; cached, as building one costs ~0.1 ms. */
function numberFormat(locale: string): Intl.NumberFormat {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return f;
}

export function effectText(voucher: Voucher, d: DisplayContext): string {
  const t = translatorFor(d.locale);
  const money = (minor: number) => formatMoney(minor, voucher.currency, d.locale);
  if (voucher.type === 'GIFT_VOUCHER') return t('Gift card, balance {{balance}} of {{amount}}', { balance: money(voucher.gift.balance), amount: money(voucher.gift.amount) });
  if (voucher.type === 'LOYALTY_CARD') return t('Loyalty card, {{points}}', { points: pointsText(voucher.loyalty.balance, d) });
  const discount = voucher.discount;
  const percent = (p: number) => numberFormat(d.locale).format(p);
  switch (discount.type) {
    case 'AMOUNT':
      return t('{{amount}} off', { amount: money(discount.amount_off) });
    case 'PERCENT':
      return discount.amount_limit
        ? t('{{percent}} % off (at most {{limit}})', { percent: percent(discount.percent_off), limit: money(discount.amount_limit) })
        : t('{{percent}} % off', { percent: percent(discount.percent_off) });
    case 'FIXED':
      return t('Pay {{amount}}', { amount: money(discount.fixed_amount) });
    case 'UNIT':
      return t('{{units}} free', { units: `${discount.unit_off} × ${d.productName?.(discount.product_id) ?? discount.product_id}` });
    case 'UNIT_MULTIPLE':
      return t('{{units}} free', { units: listText(discount.units.map((u) => `${u.unit_off} × ${d.productName?.(u.product_id) ?? u.product_id}`), 'and', d) });
  }
}

/** "a, b and c" (or "or") in the till's locale. */
export function listText(items: readonly string[], join: 'and' | 'or', d: Pick<DisplayContext, 'locale'>): string {
  return new Intl.ListFormat(d.locale, { type: join === 'and' ? 'conjunction' : 'disjunction' }).format(items);
}

/** "1 point", "1,250 points" in the till's locale. */
export function pointsText(points: number, d: Pick<DisplayContext, 'locale'>): string {
  const t = translatorFor(d.locale);
  return t('{{points}} points', { count: points, points: numberFormat(d.locale).format(points) });
}

export function statusText(voucher: Voucher, d: Pick<DisplayContext, 'locale'>): string {
  const t = translatorFor(d.locale);
  if (!voucher.active) return t('Switched off');
  if (voucher.status === 'CANCELLED') return t('Cancelled');
  if (voucher.status === 'REDEEMED') return t('Used up');
  return t('Active');
}

/** Restrictions and validity, one line each, for the voucher check screen and printed vouchers. */
export function conditionLines(voucher: Voucher, d: DisplayContext): string[] {
  const t = translatorFor(d.locale);
  const lines: string[] = [];
  const date = (v: string) => formatDateSpec(v, d.timeZone, d.locale);
  if (voucher.start_date) lines.push(t('Valid from {{date}}', { date: date(voucher.start_date) }));
  if (voucher.expiration_date) lines.push(t('Valid until {{date}}', { date: date(voucher.expiration_date) }));
  if (voucher.validity_day_of_week) lines.push(t('Only on {{days}}', { days: weekdayNames(voucher.validity_day_of_week, d.locale) }));
  for (const h of voucher.validity_hours?.daily ?? []) lines.push(t('{{days}}, {{from}}–{{until}}', { days: weekdayNames(h.days_of_week, d.locale), from: h.start_time, until: h.expiration_time }));
  if (voucher.validity_timeframe) lines.push(t('Open {{duration}} in every {{interval}}', { duration: voucher.validity_timeframe.duration, interval: voucher.validity_timeframe.interval }));
  if (voucher.min_order_amount != null) lines.push(t('Minimum ticket {{amount}}', { amount: formatMoney(voucher.min_order_amount, voucher.currency, d.locale) }));
  if (voucher.product_id) lines.push(t('Only for {{product}}', { product: d.productName?.(voucher.product_id) ?? voucher.product_id }));
  if (voucher.customer_id) lines.push(t('Only for customer {{customer}}', { customer: voucher.customer_id }));
  const q = voucher.redemption.quantity;
  if (voucher.type === 'DISCOUNT_VOUCHER') lines.push(q === null ? t('Unlimited uses') : t('Used {{used}} of {{count}} times', { used: voucher.redemption.redeemed_quantity, count: q }));
  if (!voucher.offline_redeemable) lines.push(t('Needs head office to confirm'));
  return lines;
}

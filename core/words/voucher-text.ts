// A voucher described for the cashier: what it gives, and what it asks for.
import type { Voucher } from '../voucher';
import { formatDateSpec, weekdayNames } from './date-format';
import { formatMoney } from './money-format';
import type { DisplayContext } from './display-context';

export function effectText(voucher: Voucher, d: DisplayContext): string {
  const money = (minor: number) => formatMoney(minor, voucher.currency, d.locale);
  if (voucher.type === 'GIFT_VOUCHER') return `Gift card, balance ${money(voucher.gift.balance)} of ${money(voucher.gift.amount)}`;
  if (voucher.type === 'LOYALTY_CARD') return `Loyalty card, ${pointsText(voucher.loyalty.balance, d)}`;
  const discount = voucher.discount;
  switch (discount.type) {
    case 'AMOUNT':
      return `${money(discount.amount_off)} off`;
    case 'PERCENT':
      return `${discount.percent_off} % off${discount.amount_limit ? ` (at most ${money(discount.amount_limit)})` : ''}`;
    case 'FIXED':
      return `Pay ${money(discount.fixed_amount)}`;
    case 'UNIT':
      return `${discount.unit_off} × ${d.productName?.(discount.product_id) ?? discount.product_id} free`;
    case 'UNIT_MULTIPLE':
      return `${listText(discount.units.map((u) => `${u.unit_off} × ${d.productName?.(u.product_id) ?? u.product_id}`), 'and', d)} free`;
  }
}

/** "a, b and c" (or "or") in the till's locale. */
export function listText(items: readonly string[], join: 'and' | 'or', d: Pick<DisplayContext, 'locale'>): string {
  return new Intl.ListFormat(d.locale, { type: join === 'and' ? 'conjunction' : 'disjunction' }).format(items);
}

/** "1 point", "1,250 points" in the till's locale. */
export function pointsText(points: number, d: Pick<DisplayContext, 'locale'>): string {
  return `${new Intl.NumberFormat(d.locale).format(points)} point${Math.abs(points) === 1 ? '' : 's'}`;
}

export function statusText(voucher: Voucher): string {
  if (!voucher.active) return 'Switched off';
  if (voucher.status === 'CANCELLED') return 'Cancelled';
  if (voucher.status === 'REDEEMED') return 'Used up';
  return 'Active';
}

/** Restrictions and validity, one line each, for the voucher check screen and printed vouchers. */
export function conditionLines(voucher: Voucher, d: DisplayContext): string[] {
  const lines: string[] = [];
  const date = (v: string) => formatDateSpec(v, d.timeZone, d.locale);
  if (voucher.start_date) lines.push(`Valid from ${date(voucher.start_date)}`);
  if (voucher.expiration_date) lines.push(`Valid until ${date(voucher.expiration_date)}`);
  if (voucher.validity_day_of_week) lines.push(`Only on ${weekdayNames(voucher.validity_day_of_week, d.locale)}`);
  for (const h of voucher.validity_hours?.daily ?? []) lines.push(`${weekdayNames(h.days_of_week, d.locale)}, ${h.start_time}–${h.expiration_time}`);
  if (voucher.validity_timeframe) lines.push(`Open ${voucher.validity_timeframe.duration} in every ${voucher.validity_timeframe.interval}`);
  if (voucher.min_order_amount != null) lines.push(`Minimum ticket ${formatMoney(voucher.min_order_amount, voucher.currency, d.locale)}`);
  if (voucher.product_id) lines.push(`Only for ${d.productName?.(voucher.product_id) ?? voucher.product_id}`);
  if (voucher.customer_id) lines.push(`Only for customer ${voucher.customer_id}`);
  const q = voucher.redemption.quantity;
  if (voucher.type === 'DISCOUNT_VOUCHER') lines.push(q === null ? 'Unlimited uses' : `Used ${voucher.redemption.redeemed_quantity} of ${q} time${q === 1 ? '' : 's'}`);
  if (!voucher.offline_redeemable) lines.push('Needs head office to confirm');
  return lines;
}

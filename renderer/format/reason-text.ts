// Every refusal reason in plain words for a cashier with a queue in front of them: what is wrong and,
// where there is one, what to do. The reason codes come from the core (core/reasons.ts); a test
// checks that every one of them has words here.
import type { ValidationReason } from '../../core/reasons';
import type { Voucher } from '../../core/voucher';
import { formatDateSpec, formatInstant, weekdayNames } from '../../core/words/date-format';
import { formatMoney } from '../../core/words/money-format';
import { listText } from '../../core/words/voucher-text';
import { discountProducts } from '../../core/discount';
import type { DisplayContext } from '../../core/words/display-context';

function when(voucher: Voucher, d: DisplayContext): string {
  const parts: string[] = [];
  if (voucher.validity_day_of_week) parts.push(`on ${weekdayNames(voucher.validity_day_of_week, d.locale)}`);
  for (const h of voucher.validity_hours?.daily ?? []) parts.push(`${weekdayNames(h.days_of_week, d.locale)} ${h.start_time}–${h.expiration_time}`);
  if (voucher.validity_timeframe) parts.push(`for ${voucher.validity_timeframe.duration.replace(/^PT?/, '').toLowerCase()} every ${voucher.validity_timeframe.interval.replace(/^PT?/, '').toLowerCase()}`);
  return parts.length ? ` It is valid ${parts.join('; ')}.` : '';
}

export function reasonText(reason: ValidationReason | string, code: string, voucher: Voucher | undefined, d: DisplayContext): string {
  const money = (minor: number) => formatMoney(minor, d.currency, d.locale);
  switch (reason as ValidationReason) {
    case 'invalid_code_format':
      return `“${code}” is not a voucher code. Codes have 4 to 32 letters, digits or dashes.`;
    case 'not_found':
      return `No voucher or gift card has the code ${code}.`;
    case 'disabled':
      return `Voucher ${code} has been switched off at head office.`;
    case 'cancelled':
      return `Voucher ${code} was cancelled and cannot be used.`;
    case 'not_active_yet':
      return voucher?.start_date ? `This voucher is valid from ${formatDateSpec(voucher.start_date, d.timeZone, d.locale)}.` : 'This voucher is not valid yet.';
    case 'expired':
      return voucher?.expiration_date ? `This voucher expired on ${formatDateSpec(voucher.expiration_date, d.timeZone, d.locale)}.` : 'This voucher has expired.';
    case 'not_active_now':
      return `This voucher cannot be used at this time.${voucher ? when(voucher, d) : ''}`;
    case 'quantity_exceeded': {
      const q = voucher?.redemption.quantity;
      if (q === 1) return voucher?.used_at ? `This voucher was already used on ${formatInstant(voucher.used_at, d.timeZone, d.locale)}.` : 'This voucher was already used.';
      return q ? `This voucher has been used all ${q} times it allows.` : 'This voucher has no uses left.';
    }
    case 'gift_balance_exhausted':
      return 'This gift card has no balance left.';
    case 'missing_customer':
      return 'This voucher is for a registered customer: scan their card first.';
    case 'customer_mismatch':
      return 'This voucher belongs to a different customer.';
    case 'product_not_in_ticket': {
      const ids = (voucher?.discount ? discountProducts(voucher.discount) : null) ?? (voucher?.product_id ? [voucher.product_id] : []);
      const name = ids.length ? listText(ids.map((id) => d.productName?.(id) ?? id), 'or', d) : 'the product it is for';
      return `Add ${name} to the ticket to use this voucher.`;
    }
    case 'min_order_not_met':
      return voucher?.min_order_amount != null ? `This voucher needs a ticket of at least ${money(voucher.min_order_amount)}.` : 'The ticket is below this voucher’s minimum.';
    case 'currency_mismatch':
      return `This voucher is in ${voucher?.currency ?? 'another currency'}; this till sells in ${d.currency}.`;
    case 'already_applied':
      return `Voucher ${code} is already on this ticket.`;
    case 'stacking_limit':
      if (voucher?.type === 'LOYALTY_CARD') return 'A ticket can take one loyalty card.';
      return voucher?.type === 'GIFT_VOUCHER'
        ? `A ticket can take at most ${d.stacking.maxGiftCards} gift cards.`
        : `A ticket can take at most ${d.stacking.maxDiscountVouchers} discount vouchers.`;
    case 'loyalty_program_unknown':
      return 'This till does not know this loyalty card’s programme yet. Reconnect to head office.';
    case 'offline_not_allowed':
      return voucher?.offline_redeemable === false
        ? 'Head office must confirm this voucher, and head office cannot be reached right now.'
        : 'This till has been offline too long to accept single-use vouchers safely. Reconnect to head office.';
    case 'offline_limit_exceeded':
      return d.offlinePolicy.maxGiftAmountPerTicket != null
        ? `While offline, gift cards can pay at most ${money(d.offlinePolicy.maxGiftAmountPerTicket)} of one ticket.`
        : 'While offline, no more gift-card value can go on this ticket.';
    default:
      return `Voucher ${code} cannot be used (${reason}).`;
  }
}

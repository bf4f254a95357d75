// Every refusal reason in plain words for a cashier with a queue in front of them: what is wrong and,
// where there is one, what to do — in the till's language. The reason codes come from the core
// (core/reasons.ts); a test checks that every one of them has words here.
import type { ValidationReason } from '../../core/reasons';
import type { Voucher } from '../../core/voucher';
import { formatDateSpec, formatInstant, weekdayNames } from '../../core/words/date-format';
import { formatMoney } from '../../core/words/money-format';
import { listText } from '../../core/words/voucher-text';
import { discountProducts } from '../../core/discount';
import type { DisplayContext } from '../../core/words/display-context';
import { translatorFor, type Translate } from '../../core/words/i18n';

function when(voucher: Voucher, d: DisplayContext, t: Translate): string {
  const parts: string[] = [];
  if (voucher.validity_day_of_week) parts.push(t('on {{days}}', { days: weekdayNames(voucher.validity_day_of_week, d.locale) }));
  for (const h of voucher.validity_hours?.daily ?? []) parts.push(t('{{days}} {{from}}–{{until}}', { days: weekdayNames(h.days_of_week, d.locale), from: h.start_time, until: h.expiration_time }));
  if (voucher.validity_timeframe) parts.push(t('for {{duration}} every {{interval}}', { duration: voucher.validity_timeframe.duration.replace(/^PT?/, '').toLowerCase(), interval: voucher.validity_timeframe.interval.replace(/^PT?/, '').toLowerCase() }));
  return parts.length ? ` ${t('It is valid {{when}}.', { when: parts.join('; ') })}` : '';
}

export function reasonText(reason: ValidationReason | string, code: string, voucher: Voucher | undefined, d: DisplayContext): string {
  const t = translatorFor(d.locale);
  const money = (minor: number) => formatMoney(minor, d.currency, d.locale);
  switch (reason as ValidationReason) {
    case 'invalid_code_format':
      return t('“{{code}}” is not a voucher code. Codes have 4 to 32 letters, digits or dashes.', { code });
    case 'not_found':
      return t('No voucher or gift card has the code {{code}}.', { code });
    case 'disabled':
      return t('Voucher {{code}} has been switched off at head office.', { code });
    case 'cancelled':
      return t('Voucher {{code}} was cancelled and cannot be used.', { code });
    case 'not_active_yet':
      return voucher?.start_date ? t('This voucher is valid from {{date}}.', { date: formatDateSpec(voucher.start_date, d.timeZone, d.locale) }) : t('This voucher is not valid yet.');
    case 'expired':
      return voucher?.expiration_date ? t('This voucher expired on {{date}}.', { date: formatDateSpec(voucher.expiration_date, d.timeZone, d.locale) }) : t('This voucher has expired.');
    case 'not_active_now':
      return `${t('This voucher cannot be used at this time.')}${voucher ? when(voucher, d, t) : ''}`;
    case 'quantity_exceeded': {
      const q = voucher?.redemption.quantity;
      if (q === 1) return voucher?.used_at ? t('This voucher was already used on {{date}}.', { date: formatInstant(voucher.used_at, d.timeZone, d.locale) }) : t('This voucher was already used.');
      return q ? t('This voucher has been used all {{count}} times it allows.', { count: q }) : t('This voucher has no uses left.');
    }
    case 'gift_balance_exhausted':
      return t('This gift card has no balance left.');
    case 'missing_customer':
      return t('This voucher is for a registered customer: scan their card first.');
    case 'customer_mismatch':
      return t('This voucher belongs to a different customer.');
    case 'product_not_in_ticket': {
      const ids = (voucher?.discount ? discountProducts(voucher.discount) : null) ?? (voucher?.product_id ? [voucher.product_id] : []);
      const name = ids.length ? listText(ids.map((id) => d.productName?.(id) ?? id), 'or', d) : t('the product it is for');
      return t('Add {{product}} to the ticket to use this voucher.', { product: name });
    }
    case 'min_order_not_met':
      return voucher?.min_order_amount != null ? t('This voucher needs a ticket of at least {{amount}}.', { amount: money(voucher.min_order_amount) }) : t('The ticket is below this voucher’s minimum.');
    case 'currency_mismatch':
      return t('This voucher is in {{currency}}; this till sells in {{till}}.', { currency: voucher?.currency ?? t('another currency'), till: d.currency });
    case 'already_applied':
      return t('Voucher {{code}} is already on this ticket.', { code });
    case 'stacking_limit':
      if (voucher?.type === 'LOYALTY_CARD') return t('A ticket can take one loyalty card.');
      return voucher?.type === 'GIFT_VOUCHER'
        ? t('A ticket can take at most {{count}} gift cards.', { count: d.stacking.maxGiftCards })
        : t('A ticket can take at most {{count}} discount vouchers.', { count: d.stacking.maxDiscountVouchers });
    case 'loyalty_program_unknown':
      return t('This till does not know this loyalty card’s programme yet. Reconnect to head office.');
    case 'offline_not_allowed':
      return voucher?.offline_redeemable === false
        ? t('Head office must confirm this voucher, and head office cannot be reached right now.')
        : t('This till has been offline too long to accept single-use vouchers safely. Reconnect to head office.');
    case 'offline_limit_exceeded':
      return d.offlinePolicy.maxGiftAmountPerTicket != null
        ? t('While offline, gift cards can pay at most {{amount}} of one ticket.', { amount: money(d.offlinePolicy.maxGiftAmountPerTicket) })
        : t('While offline, no more gift-card value can go on this ticket.');
    default:
      return t('Voucher {{code}} cannot be used ({{reason}}).', { code, reason });
  }
}

// Why a sale, refund or gift-card sale did not go through, in words. Nothing was written in any of
// these cases (sync/replica/local-sale.ts commits all or nothing).
import { SaleError } from '../../sync/till';
import type { Words } from '../state/selectors';

/** In the till's language, money and time (renderer/state/selectors.ts `words`). */
export function saleErrorText(error: unknown, { t, money, when }: Words): string {
  // An unexpected error's message is English for IT; one of the till's own (marked with msg) is translated.
  if (!(error instanceof SaleError)) return t('Something went wrong and nothing was saved: {{error}}', { error: error instanceof Error ? t(error.message) : String(error) });
  const code = error.details.code ?? '';
  switch (error.reason) {
    case 'voucher_invalid':
      return t('A voucher on this ticket can no longer be used ({{code}}). Nothing was charged.', { code });
    case 'underpaid':
      return t('The payment does not cover the amount due. Nothing was charged.');
    case 'unknown_ticket':
      return t('This till has no completed ticket with that number. Refunds are made at the till that sold the ticket.');
    case 'already_refunded':
      return error.details.refundedAt
        ? t('This ticket was already refunded on {{when}}. Nothing more to give back.', { when: when(error.details.refundedAt) })
        : t('This ticket was already refunded. Nothing more to give back.');
    case 'no_gift_codes':
      return t('No gift-card numbers are left at this till. Connect to head office to get more.');
    case 'bad_amount':
      return t('A gift card needs an amount above zero.');
    case 'gift_amount_too_high':
      return error.details.limit === undefined
        ? t('A gift card sold at this till may hold at most the amount in the settings. Nothing was sold.')
        : t('A gift card sold at this till may hold at most {{limit}}. Nothing was sold.', { limit: money(error.details.limit) });
    case 'nothing_to_credit':
      return t('Nothing was paid on this ticket beyond vouchers and gift cards, so there is no store credit to give. Nothing was refunded.');
    case 'credit_too_high':
      return error.details.limit === undefined
        ? t('Store credit at this till may be at most the gift-card amount in the settings. Give the money back instead. Nothing was refunded.')
        : t('Store credit at this till may be at most {{limit}}. Give the money back instead. Nothing was refunded.', { limit: money(error.details.limit) });
    case 'unknown_card':
      return t('This till does not know gift card {{code}}. Check the number, or put the credit on a new card. Nothing was refunded.', { code });
    case 'card_currency':
      return t('Gift card {{code}} holds another currency than this ticket was paid in. Put the credit on a new card. Nothing was refunded.', { code });
    case 'card_refused':
      return t('Gift card {{code}} cannot take store credit ({{why}}). Nothing was refunded.', {
        code,
        why: error.details.reason === 'cancelled' ? t('it is cancelled') : error.details.reason === 'not_a_gift_card' ? t('it is not a gift card') : t('the amount is too large'),
      });
  }
}

// Why a sale, refund or gift-card sale did not go through, in words. Nothing was written in any of
// these cases (sync/replica/local-sale.ts commits all or nothing).
import { SaleError } from '../../sync/till';

/** `money` words an amount in minor units (the till's currency and locale); plain digits without it. */
export function saleErrorText(error: unknown, money: (minor: number) => string = String): string {
  if (!(error instanceof SaleError)) return `Something went wrong and nothing was saved: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.reason) {
    case 'voucher_invalid':
      return `A voucher on this ticket can no longer be used (${error.details.code ?? ''}). Nothing was charged.`;
    case 'underpaid':
      return 'The payment does not cover the amount due. Nothing was charged.';
    case 'unknown_ticket':
      return 'This till has no completed ticket with that number. Refunds are made at the till that sold the ticket.';
    case 'already_refunded':
      return `${error.message.replace(/^Ticket \S+ was/, 'This ticket was')} Nothing more to give back.`;
    case 'no_gift_codes':
      return 'No gift-card numbers are left at this till. Connect to head office to get more.';
    case 'bad_amount':
      return 'A gift card needs an amount above zero.';
    case 'gift_amount_too_high':
      return `A gift card sold at this till may hold at most ${error.details.limit === undefined ? 'the amount in the settings' : money(error.details.limit)}. Nothing was sold.`;
    case 'nothing_to_credit':
      return 'Nothing was paid on this ticket beyond vouchers and gift cards, so there is no store credit to give. Nothing was refunded.';
    case 'credit_too_high':
      return `Store credit at this till may be at most ${error.details.limit === undefined ? 'the gift-card amount in the settings' : money(error.details.limit)}. Give the money back instead. Nothing was refunded.`;
    case 'unknown_card':
      return `This till does not know gift card ${error.details.code ?? ''}. Check the number, or put the credit on a new card. Nothing was refunded.`;
    case 'card_currency':
      return `Gift card ${error.details.code ?? ''} holds another currency than this ticket was paid in. Put the credit on a new card. Nothing was refunded.`;
    case 'card_refused':
      return `Gift card ${error.details.code ?? ''} cannot take store credit (${error.details.reason === 'cancelled' ? 'it is cancelled' : error.details.reason === 'not_a_gift_card' ? 'it is not a gift card' : 'the amount is too large'}). Nothing was refunded.`;
  }
}

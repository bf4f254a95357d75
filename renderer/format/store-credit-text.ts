// A refund's store credit in words: on the refund screen and in its notice alike.
import type { TicketRow } from '../../sync/till';
import type { Translate } from '../../core/words/i18n';

/** `money` words an amount in minor units; '' when the ticket's refund gave no store credit. */
export function storeCreditText(ticket: TicketRow, money: (minor: number) => string, t: Translate): string {
  return ticket.credit ? t('{{amount}} store credit on gift card {{code}}.', { amount: money(ticket.evaluation.amount_due), code: ticket.credit.code }) : '';
}

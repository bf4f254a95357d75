// A refund's store credit in words: on the refund screen and in its notice alike.
import type { TicketRow } from '../../sync/till';

/** `money` words an amount in minor units; '' when the ticket's refund gave no store credit. */
export function storeCreditText(ticket: TicketRow, money: (minor: number) => string): string {
  return ticket.credit ? `${money(ticket.evaluation.amount_due)} store credit on gift card ${ticket.credit.code}.` : '';
}

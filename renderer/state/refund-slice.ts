// Refund / void: find a ticket sold here (scan its receipt) and roll back its redemptions.
import { saleErrorText } from '../format/sale-error-text';
import { requireTill } from './selectors';
import { ticketIdIn } from './ticket-id';
import type { RefundSlice, SliceArgs } from './types';

export function createRefundSlice(...[set, get]: SliceArgs): RefundSlice {
  return {
    refundTicket: null,
    refundResult: null,
    async findRefundTicket(raw) {
      const id = ticketIdIn(raw) ?? raw.trim().toLowerCase();
      const ticket = await requireTill(get()).findTicket(id);
      set({ refundTicket: ticket ?? null, refundResult: null });
      if (!ticket) get().say('error', `This till has no completed ticket ${id}. Refunds are made at the till that sold the ticket.`);
      else if (ticket.refunded_at) get().say('info', 'This ticket was already refunded.');
      else get().say('info', 'Ticket found. Press Enter to refund it.');
    },
    async refund() {
      const ticket = get().refundTicket;
      if (!ticket) return get().say('error', 'Scan the receipt of the ticket to refund first.');
      try {
        const result = await requireTill(get()).refundTicket(ticket.id);
        set({ refundResult: result, refundTicket: result.ticket });
        get().say('success', result.rolledBack.length ? `Refunded. ${result.rolledBack.length} voucher${result.rolledBack.length === 1 ? '' : 's'} given back.` : 'Refunded. No vouchers were used on this ticket.');
      } catch (error) {
        get().say('error', saleErrorText(error));
      }
    },
  };
}

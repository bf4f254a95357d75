// Refund / void: find a ticket sold here (scan its receipt) and roll back its redemptions; what was paid
// goes back to cash or card, or as store credit onto a new or an existing gift card.
import { formatMoney } from '../../core/words/money-format';
import { saleErrorText } from '../format/sale-error-text';
import { storeCreditText } from '../format/store-credit-text';
import { requireTill, words } from './selectors';
import { ticketIdIn } from './ticket-id';
import { translatorFor } from '../../core/words/i18n';
import type { RefundSlice, SliceArgs } from './types';

export function createRefundSlice(...[set, get]: SliceArgs): RefundSlice {
  return {
    refundTicket: null,
    refundResult: null,
    async findRefundTicket(raw) {
      const id = ticketIdIn(raw) ?? raw.trim().toLowerCase();
      const t = translatorFor(get().settings.locale);
      const ticket = await requireTill(get()).findTicket(id);
      set({ refundTicket: ticket ?? null, refundResult: null });
      if (!ticket) get().say('error', t('This till has no completed ticket {{id}}. Refunds are made at the till that sold the ticket.', { id }));
      else if (ticket.refunded_at) get().say('info', t('This ticket was already refunded.'));
      else get().say('info', t('Ticket found. Press Enter to refund it.'));
    },
    async refund(credit) {
      const ticket = get().refundTicket;
      const t = translatorFor(get().settings.locale);
      if (!ticket) return get().say('error', t('Scan the receipt of the ticket to refund first.'));
      const { currency, locale } = get().settings;
      const money = (minor: number) => formatMoney(minor, currency, locale);
      try {
        const result = await requireTill(get()).refundTicket(ticket.id, credit);
        set({ refundResult: result, refundTicket: result.ticket });
        const vouchers = result.rolledBack.length ? t('{{count}} vouchers given back.', { count: result.rolledBack.length }) : t('No vouchers were used on this ticket.');
        get().say('success', [t('Refunded.'), vouchers, storeCreditText(result.ticket, money, t)].filter(Boolean).join(' '));
      } catch (error) {
        get().say('error', saleErrorText(error, words(get())));
      }
    },
  };
}

// The ticket being rung up: lines, customer, vouchers, payment. Every change re-evaluates the ticket
// through the core (evaluateTicket), exactly as the sale will be committed by the till API.
import { evaluateTicket, type TicketEvaluation } from '../../core/evaluate-ticket';
import type { Ticket } from '../../core/ticket';
import { SaleError, type Payment } from '../../sync/till';
import { reasonText } from '../format/reason-text';
import { formatMoney } from '../../core/words/money-format';
import { saleErrorText } from '../format/sale-error-text';
import { unknownScanText } from '../format/unknown-scan-text';
import { displayContext, requireTill, words } from './selectors';
import { ticketIdIn } from './ticket-id';
import type { SliceArgs, TicketSlice, TillState } from './types';

export const EMPTY_EVALUATION: TicketEvaluation = {
  results: [], total_before: 0, total_discount: 0, line_discounts: [], total_after_discounts: 0, gift_total: 0, amount_due: 0, tax: [],
};

export function currentTicket(s: Pick<TillState, 'lines' | 'customer' | 'settings'>): Ticket {
  return { currency: s.settings.currency, customer_id: s.customer?.id ?? null, lines: s.lines };
}

export function createTicketSlice(...[set, get]: SliceArgs): TicketSlice {
  // Evaluations are async (the context reads the replica's age offline); only the latest may land.
  let generation = 0;
  // Scans are handled one at a time and in order, and payment waits for them: a cashier who scans
  // and presses Pay at once must not pay for a ticket without the last item.
  let scans: Promise<void> = Promise.resolve();

  async function reevaluate(): Promise<void> {
    const mine = ++generation;
    const state = get();
    const till = requireTill(state);
    const ctx = await till.validationContext();
    const evaluation = evaluateTicket(currentTicket(state), state.applied, ctx);
    if (mine === generation) set({ evaluation });
  }

  async function handleScan(raw: string): Promise<void> {
    const state = get();
    if (state.phase !== 'ready') return;
    // Scanning a card at the gift-card desk shows its balance: the voucher check does that.
    if (state.screen === 'gift-card') state.go('voucher-check');
    if (state.screen === 'voucher-check' || state.screen === 'gift-card') return get().checkVoucher(raw);
    if (state.screen === 'refund' || ticketIdIn(raw)) {
      if (state.screen !== 'refund') state.go('refund');
      return get().findRefundTicket(raw);
    }
    if (state.screen !== 'checkout') state.go('checkout');
    const found = await requireTill(state).lookup(raw);
    switch (found.kind) {
      case 'product':
        return get().addProduct(found.product);
      case 'voucher':
        return get().addVoucher(found.code, found.voucher);
      case 'customer':
        return get().attachCustomer(found.customer);
      case 'unknown':
        return get().say('error', unknownScanText(found.reason, raw, words(get()).t));
    }
  }

  const slice: TicketSlice = {
    lines: [],
    customer: null,
    applied: [],
    refused: [],
    evaluation: EMPTY_EVALUATION,
    paying: false,
    lastReceipt: null,

    scan(raw) {
      const next = scans.then(() => handleScan(raw));
      scans = next.catch(() => undefined);
      return next;
    },

    async addProduct(product, quantity = 1) {
      if (!product.active) return get().say('error', words(get()).t('{{product}} is not for sale any more.', { product: product.name }));
      const lines = [...get().lines];
      const i = lines.findIndex((l) => l.product_id === product.id);
      const existing = lines[i];
      if (existing) lines[i] = { ...existing, quantity: existing.quantity + quantity };
      else lines.push({ product_id: product.id, barcode: product.barcode, name: product.name, quantity, unit_price: product.unit_price, tax_rate: product.tax_rate });
      set({ lines, paying: false, notice: null });
      await reevaluate();
    },

    async setQuantity(index, quantity) {
      const line = get().lines[index];
      if (!line) return;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100_000) return get().say('error', words(get()).t('A quantity is a whole number from 1 to 100,000.'));
      set({ lines: get().lines.map((l, i) => (i === index ? { ...l, quantity } : l)), paying: false });
      await reevaluate();
    },

    async removeLine(index) {
      set({ lines: get().lines.filter((_, i) => i !== index), paying: false });
      await reevaluate();
    },

    async attachCustomer(customer) {
      set({ customer, paying: false });
      if (customer) get().say('info', words(get()).t('Customer: {{name}}', { name: customer.name }));
      await reevaluate();
    },

    async addVoucher(code, scanned) {
      const state = get();
      const till = requireTill(state);
      const result = await till.validate(code, currentTicket(state), state.applied.map((a) => a.code), scanned);
      if (result.valid) {
        set({ applied: [...get().applied, { code: result.code, voucher: result.voucher }], refused: get().refused.filter((r) => r.code !== result.code), paying: false, notice: null });
        // A customer's loyalty card is their customer card too: the ticket becomes theirs.
        const owner = result.voucher?.type === 'LOYALTY_CARD' && !get().customer ? result.voucher.customer_id : null;
        const customer = owner ? (await till.findCustomers(owner, 1)).find((c) => c.id === owner) : undefined;
        if (customer) return get().attachCustomer(customer);
        await reevaluate();
        return;
      }
      const text = reasonText(result.reason, result.code, result.voucher, displayContext(get()));
      set({ refused: [{ code: result.code, voucher: result.voucher, reason: result.reason, text }, ...get().refused.filter((r) => r.code !== result.code)].slice(0, 4) });
      get().say('error', text);
    },

    async removeVoucher(code) {
      set({ applied: get().applied.filter((a) => a.code !== code), refused: get().refused.filter((r) => r.code !== code), paying: false });
      await reevaluate();
    },

    async togglePoints(code) {
      set({ applied: get().applied.map((a) => (a.code === code && a.voucher?.type === 'LOYALTY_CARD' ? { ...a, spend_points: !a.spend_points } : a)), paying: false });
      await reevaluate();
    },

    async startPayment() {
      await scans;
      if (get().lines.length === 0) return get().say('error', words(get()).t('The ticket is empty: scan a product first.'));
      set({ paying: true, notice: null });
    },

    cancelPayment: () => set({ paying: false }),

    async pay(tender) {
      await scans;
      await reevaluate();
      const state = get();
      const till = requireTill(state);
      const due = state.evaluation.amount_due;
      const money = (minor: number) => formatMoney(minor, state.settings.currency, state.settings.locale);
      let payments: Payment[];
      if (due === 0) payments = [];
      else if (tender.method === 'CARD') payments = [{ method: 'CARD', amount: due }];
      else if (tender.tendered < due) {
        state.say('error', words(state).t('Cash given ({{given}}) is less than the amount due ({{due}}).', { given: money(tender.tendered), due: money(due) }));
        return null;
      } else payments = [{ method: 'CASH', tendered: tender.tendered, change: tender.tendered - due }];
      // A voucher the ticket no longer qualifies for stays on screen with its reason but is not sold.
      const sold = state.applied.filter((_, i) => state.evaluation.results[i]?.valid);
      const codes = sold.map((a) => a.code);
      const spendPoints = sold.some((a) => a.spend_points === true);
      try {
        const row = await till.completeTicket({ ticket: currentTicket(state), codes, payments, spendPoints });
        const change = payments[0]?.method === 'CASH' ? payments[0].change : 0;
        set({ lastReceipt: row, screen: 'receipt', lines: [], customer: null, applied: [], refused: [], evaluation: EMPTY_EVALUATION, paying: false });
        get().say('success', change > 0 ? words(get()).t('Sale complete. Change due: {{amount}}', { amount: money(change) }) : words(get()).t('Sale complete.'));
        return row;
      } catch (error) {
        if (error instanceof SaleError && error.reason === 'voucher_invalid' && error.details.code && error.details.voucherReason) {
          const code = error.details.code;
          const found = await till.lookup(code);
          const voucher = found.kind === 'voucher' ? found.voucher : undefined;
          const text = reasonText(error.details.voucherReason, code, voucher, displayContext(get()));
          set({ applied: get().applied.filter((a) => a.code !== code), refused: [{ code, voucher, reason: error.details.voucherReason, text }, ...get().refused], paying: false });
          await reevaluate();
          get().say('error', words(get()).t('{{why}} It was taken off the ticket; check the total and take payment again.', { why: text }));
          return null;
        }
        get().say('error', saleErrorText(error, words(get())));
        return null;
      }
    },

    clearTicket() {
      generation++;
      set({ lines: [], customer: null, applied: [], refused: [], evaluation: EMPTY_EVALUATION, paying: false, notice: null });
    },
  };
  return slice;
}

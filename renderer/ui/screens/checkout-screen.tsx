import { EntryField } from '../widgets/entry-field';
import { PaymentPanel } from '../widgets/payment-panel';
import { TicketLines } from '../widgets/ticket-lines';
import { Totals } from '../widgets/totals';
import { VoucherChips } from '../widgets/voucher-chips';
import { useTill } from '../store-context';

export function CheckoutScreen() {
  const paying = useTill((s) => s.paying);
  const startPayment = useTill((s) => s.startPayment);
  const clearTicket = useTill((s) => s.clearTicket);
  return (
    <div className="checkout">
      <section className="ticket" aria-label="Ticket">
        {!paying && <EntryField />}
        <TicketLines />
        <VoucherChips />
      </section>
      <aside className="side">
        <Totals />
        {paying ? (
          <PaymentPanel />
        ) : (
          <div className="actions">
            <button type="button" className="primary big" onClick={() => void startPayment()} data-testid="pay">Pay (End)</button>
            <button type="button" onClick={clearTicket}>Clear ticket</button>
          </div>
        )}
      </aside>
    </div>
  );
}

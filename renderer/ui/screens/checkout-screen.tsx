import { EntryField } from '../widgets/entry-field';
import { PaymentPanel } from '../widgets/payment-panel';
import { TicketLines } from '../widgets/ticket-lines';
import { Totals } from '../widgets/totals';
import { VoucherChips } from '../widgets/voucher-chips';
import { useTill } from '../store-context';
import { useT } from '../use-format';

export function CheckoutScreen() {
  const paying = useTill((s) => s.paying);
  const startPayment = useTill((s) => s.startPayment);
  const clearTicket = useTill((s) => s.clearTicket);
  const t = useT();
  return (
    <div className="checkout">
      <section className="ticket" aria-label={t('Ticket')}>
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
            <button type="button" className="primary big" onClick={() => void startPayment()} data-testid="pay">{t('Pay (End)')}</button>
            <button type="button" onClick={clearTicket}>{t('Clear ticket')}</button>
          </div>
        )}
      </aside>
    </div>
  );
}

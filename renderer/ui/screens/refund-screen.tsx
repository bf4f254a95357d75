// Refund / void: scan the receipt (barcode or QR), check the ticket, Enter rolls back its vouchers; what
// was paid goes back to cash or card, or as store credit onto a new or an existing gift card.
import { formatInstant } from '../../../core/words/date-format';
import { storeCreditText } from '../../format/store-credit-text';
import { CodeForm } from '../widgets/code-form';
import { useTill } from '../store-context';
import { useMoney } from '../use-format';

export function RefundScreen() {
  const ticket = useTill((s) => s.refundTicket);
  const result = useTill((s) => s.refundResult);
  const find = useTill((s) => s.findRefundTicket);
  const refund = useTill((s) => s.refund);
  const settings = useTill((s) => s.settings);
  const money = useMoney();
  return (
    <section aria-labelledby="refund-title" className="desk">
      <h1 id="refund-title">Refund a ticket</h1>
      <CodeForm label="Scan the receipt or type the ticket number" onSubmit={(id) => void find(id)} testId="refund-input" />
      {ticket && (
        <div className="card" data-testid="refund-ticket">
          <h2>Ticket of {formatInstant(ticket.completed_at, settings.timeZone, settings.locale)}</h2>
          <p>{ticket.ticket.lines.length} lines, total {money(ticket.evaluation.total_after_discounts)}; vouchers: {ticket.codes.join(', ') || 'none'}</p>
          {ticket.refunded_at ? (
            <p data-testid="refund-state">
              Refunded {formatInstant(ticket.refunded_at, settings.timeZone, settings.locale)}.{result ? ` ${result.rolledBack.length} redemption(s) rolled back.` : ''}
              {ticket.credit ? ` ${storeCreditText(ticket, money)}` : ''}
            </p>
          ) : (
            <>
              <button type="button" className="primary" onClick={() => void refund()} data-testid="refund-button" autoFocus>Refund and give vouchers back</button>
              {ticket.evaluation.amount_due > 0 && (
                <div className="store-credit">
                  <p>Or give the {money(ticket.evaluation.amount_due)} paid as store credit:</p>
                  <button type="button" onClick={() => void refund({ to: 'new' })} data-testid="refund-credit-new">On a new gift card</button>
                  <CodeForm label="On this gift card (scan or type it)" onSubmit={(code) => void refund({ to: 'card', code })} testId="refund-credit-card" autoFocus={false} />
                </div>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}

// Refund / void: scan the receipt (barcode or QR), check the ticket, Enter rolls back its vouchers; what
// was paid goes back to cash or card, or as store credit onto a new or an existing gift card.
import { formatInstant } from '../../../core/words/date-format';
import { storeCreditText } from '../../format/store-credit-text';
import { CodeForm } from '../widgets/code-form';
import { useTill } from '../store-context';
import { useMoney, useT } from '../use-format';

export function RefundScreen() {
  const ticket = useTill((s) => s.refundTicket);
  const result = useTill((s) => s.refundResult);
  const find = useTill((s) => s.findRefundTicket);
  const refund = useTill((s) => s.refund);
  const settings = useTill((s) => s.settings);
  const money = useMoney();
  const t = useT();
  const at = (when: string) => formatInstant(when, settings.timeZone, settings.locale);
  return (
    <section aria-labelledby="refund-title" className="desk">
      <h1 id="refund-title">{t('Refund a ticket')}</h1>
      <CodeForm label={t('Scan the receipt or type the ticket number')} onSubmit={(id) => void find(id)} testId="refund-input" />
      {ticket && (
        <div className="card" data-testid="refund-ticket">
          <h2>{t('Ticket of {{when}}', { when: at(ticket.completed_at) })}</h2>
          <p>{t('{{count}} lines, total {{total}}; vouchers: {{vouchers}}', { count: ticket.ticket.lines.length, total: money(ticket.evaluation.total_after_discounts), vouchers: ticket.codes.join(', ') || t('none') })}</p>
          {ticket.refunded_at ? (
            <p data-testid="refund-state">
              {t('Refunded {{when}}.', { when: at(ticket.refunded_at) })}{result ? ` ${t('{{count}} redemptions rolled back.', { count: result.rolledBack.length })}` : ''}
              {ticket.credit ? ` ${storeCreditText(ticket, money, t)}` : ''}
            </p>
          ) : (
            <>
              <button type="button" className="primary" onClick={() => void refund()} data-testid="refund-button" autoFocus>{t('Refund and give vouchers back')}</button>
              {ticket.evaluation.amount_due > 0 && (
                <div className="store-credit">
                  <p>{t('Or give the {{amount}} paid as store credit:', { amount: money(ticket.evaluation.amount_due) })}</p>
                  <button type="button" onClick={() => void refund({ to: 'new' })} data-testid="refund-credit-new">{t('On a new gift card')}</button>
                  <CodeForm label={t('On this gift card (scan or type it)')} onSubmit={(code) => void refund({ to: 'card', code })} testId="refund-credit-card" autoFocus={false} />
                </div>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}

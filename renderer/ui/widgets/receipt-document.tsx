// The receipt: on screen and, rendered to static HTML, on paper. Plain markup, no store access, so it
// renders the same in both places. It says what each gift card has left and, for a loyalty card, the
// points earned, spent and the balance after the sale (TicketRow.balances: as this till saw them).
import type { TicketRow } from '../../../sync/till';
import { formatInstant } from '../../../core/words/date-format';
import { formatMoney } from '../../../core/words/money-format';
import { pointsText } from '../../../core/words/voucher-text';
import { translatorFor } from '../../../core/words/i18n';

export type ReceiptProps = { row: TicketRow; locale: string; timeZone: string; barcode: string; qr: string };

export function ReceiptDocument({ row, locale, timeZone, barcode, qr }: ReceiptProps) {
  const currency = row.ticket.currency;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const e = row.evaluation;
  const points = (n: number) => pointsText(n, { locale });
  // A receipt is in the till's language (it is a document of the shop), whatever screen prints it.
  const t = translatorFor(locale);
  const balanceOf = (code: string) => row.balances?.find((b) => b.code === code)?.balance;
  const loyalty = e.results.flatMap((r) => (r.valid && r.type === 'LOYALTY_CARD' ? [r] : []));
  return (
    <article className="receipt" data-testid="receipt">
      <h1>{t('Receipt')}</h1>
      <p className="muted">{formatInstant(row.completed_at, timeZone, locale)}</p>
      <table>
        <tbody>
          {row.ticket.lines.map((l, i) => (
            <tr key={l.product_id}>
              <td>{l.quantity} × {l.name}{(e.line_discounts[i] ?? 0) > 0 && <div className="muted">{t('discount −{{amount}}', { amount: money(e.line_discounts[i] ?? 0) })}</div>}</td>
              <td className="num">{money(l.quantity * l.unit_price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <hr />
      <table>
        <tbody>
          <tr><td>{t('Subtotal')}</td><td className="num">{money(e.total_before)}</td></tr>
          {e.results.filter((r) => r.valid && r.discount_amount > 0).map((r) => (
            <tr key={r.code} data-testid="receipt-voucher"><td>{t('Voucher {{code}}', { code: r.code })}</td><td className="num">−{money(r.discount_amount)}</td></tr>
          ))}
          <tr><th scope="row"><strong>{t('Total')}</strong></th><td className="num"><strong data-testid="receipt-total">{money(e.total_after_discounts)}</strong></td></tr>
          {e.results.map((r) => {
            if (!r.valid || r.gift_amount <= 0) return null;
            if (r.type === 'LOYALTY_CARD') return <tr key={r.code} data-testid="receipt-points"><td>{t('{{points}} from card {{code}}', { points: points(r.points_spent), code: r.code })}</td><td className="num">−{money(r.gift_amount)}</td></tr>;
            const left = balanceOf(r.code);
            return (
              <tr key={r.code} data-testid="receipt-gift">
                <td>{t('Gift card {{code}}', { code: r.code })}{left !== undefined && <div className="muted" data-testid="receipt-gift-left">{t('left on the card: {{amount}}', { amount: money(left) })}</div>}</td>
                <td className="num">−{money(r.gift_amount)}</td>
              </tr>
            );
          })}
          {row.payments.map((p, i) => (
            <tr key={i}>
              <td>{p.method === 'CASH' ? t('Cash') : t('Card')}</td>
              <td className="num">{money(p.method === 'CASH' ? p.tendered : p.amount)}</td>
            </tr>
          ))}
          {row.payments.map((p, i) => p.method === 'CASH' && p.change > 0 && <tr key={`c${i}`}><td>{t('Change')}</td><td className="num">{money(p.change)}</td></tr>)}
        </tbody>
      </table>
      {loyalty.map((r) => {
        const balance = balanceOf(r.code);
        return (
          <table key={r.code} data-testid="receipt-loyalty">
            <caption>{t('Loyalty card {{code}}', { code: r.code })}</caption>
            <tbody>
              <tr><td>{t('Points earned')}</td><td className="num">{points(r.points_earned)}</td></tr>
              <tr><td>{t('Points spent')}</td><td className="num">{points(r.points_spent)}</td></tr>
              {balance !== undefined && <tr><td>{t('Balance')}</td><td className="num" data-testid="receipt-points-balance">{points(balance)}</td></tr>}
            </tbody>
          </table>
        );
      })}
      <hr />
      <table data-testid="receipt-tax">
        <thead><tr><th>{t('VAT')}</th><th className="num">{t('Net')}</th><th className="num">{t('Tax')}</th><th className="num">{t('Gross')}</th></tr></thead>
        <tbody>
          {e.tax.map((b) => (
            <tr key={b.rate}><td>{b.rate} %</td><td className="num">{money(b.net)}</td><td className="num">{money(b.tax)}</td><td className="num">{money(b.gross)}</td></tr>
          ))}
        </tbody>
      </table>
      {row.refunded_at && <p><strong>{t('Refunded {{when}}', { when: formatInstant(row.refunded_at, timeZone, locale) })}</strong></p>}
      <div className="codes">
        <img src={barcode} alt={t('Ticket barcode {{id}}', { id: row.id })} data-testid="receipt-barcode" />
        <img src={qr} alt={t('Ticket QR code')} className="qr" data-testid="receipt-qr" />
        <p className="muted">{row.id}</p>
      </div>
    </article>
  );
}

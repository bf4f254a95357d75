import { lineGross } from '../../../core/ticket';
import { useTill } from '../store-context';
import { useMoney, useT } from '../use-format';

export function TicketLines() {
  const lines = useTill((s) => s.lines);
  const discounts = useTill((s) => s.evaluation.line_discounts);
  const selected = useTill((s) => s.selectedLine);
  const setQuantity = useTill((s) => s.setQuantity);
  const removeLine = useTill((s) => s.removeLine);
  const money = useMoney();
  const t = useT();
  if (lines.length === 0) return <p className="empty" data-testid="empty-ticket">{t('Scan a product to start a ticket.')}</p>;
  return (
    <table className="lines" data-testid="ticket-lines">
      <caption className="sr-only">{t('Ticket lines')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('Product')}</th>
          <th scope="col" className="num">{t('Qty')}</th>
          <th scope="col" className="num">{t('Price')}</th>
          <th scope="col" className="num">{t('Total')}</th>
          <th scope="col"><span className="sr-only">{t('Actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, i) => (
          <tr key={line.product_id} className={i === selected ? 'selected' : ''} data-testid="ticket-line">
            <td>{line.name}</td>
            <td className="num">
              <button type="button" tabIndex={-1} aria-label={t('One less {{name}}', { name: line.name })} onClick={() => void (line.quantity > 1 ? setQuantity(i, line.quantity - 1) : removeLine(i))}>−</button>
              <span data-testid="line-qty">{line.quantity}</span>
              <button type="button" tabIndex={-1} aria-label={t('One more {{name}}', { name: line.name })} onClick={() => void setQuantity(i, line.quantity + 1)}>+</button>
            </td>
            <td className="num">{money(line.unit_price)}</td>
            <td className="num">
              {money(lineGross(line))}
              {(discounts[i] ?? 0) > 0 && <div className="discount">−{money(discounts[i] ?? 0)}</div>}
            </td>
            <td>
              <button type="button" tabIndex={-1} aria-label={t('Remove {{name}}', { name: line.name })} onClick={() => void removeLine(i)}>✕</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

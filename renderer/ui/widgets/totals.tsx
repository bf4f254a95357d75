import { useTill } from '../store-context';
import { useMoney, useT } from '../use-format';

export function Totals() {
  const e = useTill((s) => s.evaluation);
  const customer = useTill((s) => s.customer);
  const money = useMoney();
  const t = useT();
  return (
    <section className="totals" aria-label={t('Totals')} data-testid="totals">
      {customer && <p data-testid="customer">{t('Customer:')} <strong>{customer.name}</strong></p>}
      <dl>
        <dt>{t('Subtotal')}</dt>
        <dd data-testid="subtotal">{money(e.total_before)}</dd>
        {e.total_discount > 0 && (
          <>
            <dt>{t('Discounts')}</dt>
            <dd data-testid="discount-total">−{money(e.total_discount)}</dd>
          </>
        )}
        <dt>{t('Total')}</dt>
        <dd data-testid="total">{money(e.total_after_discounts)}</dd>
        {e.tax.map((band) => (
          <div key={band.rate} className="tax">
            <dt>{t('incl. VAT {{rate}} %', { rate: band.rate })}</dt>
            <dd>{money(band.tax)}</dd>
          </div>
        ))}
        {e.gift_total > 0 && (
          <>
            <dt>{t('Gift cards')}</dt>
            <dd data-testid="gift-total">−{money(e.gift_total)}</dd>
          </>
        )}
        <dt className="due">{t('Amount due')}</dt>
        <dd className="due" data-testid="amount-due">{money(e.amount_due)}</dd>
      </dl>
    </section>
  );
}

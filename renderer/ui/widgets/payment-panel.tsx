// Taking payment: cash (with change due) or card (recorded as paid; no terminal integration).
import { useState, type KeyboardEvent } from 'react';
import { parseMoneyInput } from '../../../core/words/money-format';
import { useTill } from '../store-context';
import { useMoney, useT } from '../use-format';

export function PaymentPanel() {
  const due = useTill((s) => s.evaluation.amount_due);
  const currency = useTill((s) => s.settings.currency);
  const pay = useTill((s) => s.pay);
  const cancel = useTill((s) => s.cancelPayment);
  const say = useTill((s) => s.say);
  const money = useMoney();
  const t = useT();
  const [text, setText] = useState('');
  const tendered = text.trim() === '' ? due : parseMoneyInput(text, currency);

  function payCash() {
    if (tendered === null) return say('error', t('“{{text}}” is not an amount. Type what the customer gave, e.g. 20 or 20.50.', { text }));
    void pay({ method: 'CASH', tendered });
  }

  function onKeyDown(e: KeyboardEvent) {
    // Ctrl+Enter (card) is a page-wide shortcut (shortcuts.ts).
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      payCash();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    }
  }

  return (
    <section className="payment card" aria-labelledby="pay-title" onKeyDown={onKeyDown}>
      <h2 id="pay-title">{t('Payment — due {{amount}}', { amount: money(due) })}</h2>
      {due === 0 ? (
        <p>{t('Nothing to pay: vouchers and gift cards cover the ticket.')}</p>
      ) : (
        <label>
          {t('Cash given (empty = exact amount)')}
          <input data-testid="cash-input" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoFocus autoComplete="off" />
        </label>
      )}
      {due > 0 && tendered !== null && tendered >= due && <p data-testid="change-due">{t('Change due: {{amount}}', { amount: money(tendered - due) })}</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={payCash} autoFocus={due === 0}>
          {due === 0 ? t('Complete (Enter)') : t('Cash (Enter)')}
        </button>
        {due > 0 && <button type="button" onClick={() => void pay({ method: 'CARD' })}>{t('Card paid (Ctrl+Enter)')}</button>}
        <button type="button" onClick={cancel}>{t('Back (Esc)')}</button>
      </div>
    </section>
  );
}

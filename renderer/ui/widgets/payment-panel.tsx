// Taking payment: cash (with change due) or card (recorded as paid; no terminal integration).
import { useState, type KeyboardEvent } from 'react';
import { parseMoneyInput } from '../../../core/words/money-format';
import { useTill } from '../store-context';
import { useMoney } from '../use-format';

export function PaymentPanel() {
  const due = useTill((s) => s.evaluation.amount_due);
  const currency = useTill((s) => s.settings.currency);
  const pay = useTill((s) => s.pay);
  const cancel = useTill((s) => s.cancelPayment);
  const say = useTill((s) => s.say);
  const money = useMoney();
  const [text, setText] = useState('');
  const tendered = text.trim() === '' ? due : parseMoneyInput(text, currency);

  function payCash() {
    if (tendered === null) return say('error', `“${text}” is not an amount. Type what the customer gave, e.g. 20 or 20.50.`);
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
      <h2 id="pay-title">Payment — due {money(due)}</h2>
      {due === 0 ? (
        <p>Nothing to pay: vouchers and gift cards cover the ticket.</p>
      ) : (
        <label>
          Cash given (empty = exact amount)
          <input data-testid="cash-input" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoFocus autoComplete="off" />
        </label>
      )}
      {due > 0 && tendered !== null && tendered >= due && <p data-testid="change-due">Change due: {money(tendered - due)}</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={payCash} autoFocus={due === 0}>
          {due === 0 ? 'Complete (Enter)' : 'Cash (Enter)'}
        </button>
        {due > 0 && <button type="button" onClick={() => void pay({ method: 'CARD' })}>Card paid (Ctrl+Enter)</button>}
        <button type="button" onClick={cancel}>Back (Esc)</button>
      </div>
    </section>
  );
}

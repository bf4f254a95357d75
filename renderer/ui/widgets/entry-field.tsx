// The checkout's one text field: type or scan a barcode/voucher code (Enter), or search products (F2)
// or customers (F3). A wedge scanner works wherever focus is (scan/wedge-listener.ts); this field is
// for the cashier's own typing.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Customer, Product } from '../../../sync/protocol';
import { useTill } from '../store-context';
import { useMoney, useT } from '../use-format';
import { msg } from '../../../core/words/i18n';

const LABELS = { code: msg('Scan or type a barcode or voucher code'), product: msg('Search products (F2)'), customer: msg('Search customers (F3)') } as const;

export function EntryField() {
  const mode = useTill((s) => s.entryMode);
  const t = useT();
  const setMode = useTill((s) => s.setEntryMode);
  const scan = useTill((s) => s.scan);
  const till = useTill((s) => s.till);
  const addProduct = useTill((s) => s.addProduct);
  const attachCustomer = useTill((s) => s.attachCustomer);
  const selected = useTill((s) => s.selectedLine);
  const selectLine = useTill((s) => s.selectLine);
  const lines = useTill((s) => s.lines);
  const setQuantity = useTill((s) => s.setQuantity);
  const removeLine = useTill((s) => s.removeLine);
  const money = useMoney();
  const [text, setText] = useState('');
  const [products, setProducts] = useState<Product[]>([]);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [pick, setPick] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    setText('');
    setPick(0);
  }, [mode]);

  useEffect(() => {
    if (!till || mode === 'code') return;
    let live = true;
    const run = mode === 'product' ? till.findProducts(text, 8).then((r) => live && setProducts(r)) : till.findCustomers(text, 8).then((r) => live && setCustomers(r));
    void run;
    return () => {
      live = false;
    };
  }, [text, mode, till]);

  const results = mode === 'product' ? products : mode === 'customer' ? customers : [];

  function choose(i: number) {
    if (mode === 'product' && products[i]) void addProduct(products[i]);
    if (mode === 'customer' && customers[i]) void attachCustomer(customers[i]);
    setMode('code');
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    // Ctrl+Enter is the page's "pay by card" (shortcuts.ts): leave it alone.
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (mode !== 'code') return choose(pick);
      const value = text.trim();
      if (!value) return;
      setText('');
      void scan(value);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      if (mode === 'code') selectLine(selected === -1 && step === -1 ? lines.length - 1 : selected + step);
      else setPick(Math.max(0, Math.min(results.length - 1, pick + step)));
    } else if (e.key === '*' && mode === 'code' && /^\d{1,5}$/.test(text)) {
      // "3 *": set the selected (or last) line's quantity, as on most tills.
      e.preventDefault();
      void setQuantity(selected >= 0 ? selected : lines.length - 1, Number(text));
      setText('');
    } else if (e.key === 'Delete' && mode === 'code' && text === '' && lines.length > 0) {
      e.preventDefault();
      void removeLine(selected >= 0 ? selected : lines.length - 1);
    }
  }

  return (
    <div className="entry">
      <label htmlFor="entry-input">{t(LABELS[mode])}</label>
      <input
        id="entry-input"
        ref={input}
        data-testid="entry-input"
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
        aria-describedby="entry-help"
      />
      <p id="entry-help" className="help">
        {t('Enter: add · ↑↓: choose a line · 3 *: quantity 3 · Delete: remove line · F2 products · F3 customers · Esc: back')}
      </p>
      {mode !== 'code' && (
        <ul className="results" role="listbox" aria-label={mode === 'product' ? t('Products') : t('Customers')}>
          {mode === 'product' &&
            products.map((p, i) => (
              <li key={p.id} role="option" aria-selected={i === pick} onClick={() => choose(i)}>
                {p.name} <span className="num">{money(p.unit_price)}</span>
              </li>
            ))}
          {mode === 'customer' &&
            customers.map((c, i) => (
              <li key={c.id} role="option" aria-selected={i === pick} onClick={() => choose(i)}>
                {c.name} <span className="muted">{c.id}</span>
              </li>
            ))}
          {results.length === 0 && text && <li className="muted">{t('Nothing matches “{{text}}”.', { text })}</li>}
        </ul>
      )}
    </div>
  );
}

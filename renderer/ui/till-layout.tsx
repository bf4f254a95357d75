import { useEffect, useRef } from 'react';
import { receiptQrPayload } from '../print/codes';
import { CheckoutScreen } from './checkout-screen';
import { GiftCardScreen } from './gift-card-screen';
import { ReceiptDocument } from './receipt-document';
import { ReceiptScreen } from './receipt-screen';
import { RefundScreen } from './refund-screen';
import { SettingsScreen } from './settings-screen';
import { SHORTCUTS, handleShortcut } from './shortcuts';
import { StatusBadge } from './status-badge';
import { useTill, useTillStore } from './store-context';
import { SyncPanel } from './sync-panel';
import { usePrint } from './use-print';
import { VoucherCheckScreen } from './voucher-check-screen';
import { code128DataUrl, qrDataUrl } from '../print/codes';

const SCREENS = {
  checkout: CheckoutScreen,
  receipt: ReceiptScreen,
  'voucher-check': VoucherCheckScreen,
  'gift-card': GiftCardScreen,
  refund: RefundScreen,
  sync: SyncPanel,
  settings: SettingsScreen,
} as const;

export function TillLayout() {
  const store = useTillStore();
  const screen = useTill((s) => s.screen);
  const notice = useTill((s) => s.notice);
  const print = usePrint();
  // The key handler is installed once; it reads the latest print function through this ref.
  const printRef = useRef(print);
  printRef.current = print;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const state = store.getState();
      const printReceipt = () => {
        const row = state.lastReceipt;
        if (!row) return;
        void qrDataUrl(receiptQrPayload(row, row.ticket.currency)).then((qr) =>
          printRef.current('Receipt', <ReceiptDocument row={row} locale={state.settings.locale} timeZone={state.settings.timeZone} barcode={code128DataUrl(row.id)} qr={qr} />),
        );
      };
      if (handleShortcut(e, state, printReceipt)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const Screen = SCREENS[screen];
  return (
    <div className="till">
      <header className="topbar">
        <strong className="brand">voucher-till</strong>
        <nav aria-label="Screens">
          {SHORTCUTS.map((s) => (
            <button type="button" key={s.key} tabIndex={-1} onClick={() => s.run(store.getState())}>
              <kbd>{s.key}</kbd> {s.label}
            </button>
          ))}
        </nav>
        <StatusBadge />
      </header>
      <div className={`notice ${notice?.tone ?? ''}`} role={notice?.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
        {notice?.text ?? ''}
      </div>
      <main className="screen">
        <Screen />
      </main>
      <footer className="keys" aria-label="Keyboard shortcuts">
        <kbd>End</kbd> Pay · <kbd>Esc</kbd> Back · <kbd>P</kbd> Print receipt · A scanner works on every screen.
      </footer>
    </div>
  );
}

import { useEffect } from 'react';
import { CheckoutScreen } from '../screens/checkout-screen';
import { GiftCardScreen } from '../screens/gift-card-screen';
import { ReceiptScreen } from '../screens/receipt-screen';
import { RefundScreen } from '../screens/refund-screen';
import { SettingsScreen } from '../screens/settings-screen';
import { SHORTCUTS, handleShortcut } from '../shortcuts';
import { StatusBadge } from './status-badge';
import { useTill, useTillStore } from '../store-context';
import { SyncPanel } from './sync-panel';
import { VoucherCheckScreen } from '../screens/voucher-check-screen';
import { useT } from '../use-format';
import { BRAND } from '../brand';

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
  const t = useT();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (handleShortcut(e, store.getState())) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const Screen = SCREENS[screen];
  return (
    <div className="till">
      <header className="topbar">
        <strong className="brand">{BRAND}</strong>
        <nav aria-label={t('Screens')}>
          {SHORTCUTS.map((s) => (
            <button type="button" key={s.key} tabIndex={-1} onClick={() => s.run(store.getState())}>
              <kbd>{s.key}</kbd> {t(s.label)}
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
      <footer className="keys" aria-label={t('Keyboard shortcuts')}>
        <kbd>End</kbd> {t('Pay')} · <kbd>Esc</kbd> {t('Back')} · <kbd>P</kbd> {t('Print receipt')} · {t('A scanner works on every screen.')}
      </footer>
    </div>
  );
}

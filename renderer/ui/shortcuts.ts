// Keyboard shortcuts: every screen and action without a mouse. One table, shown on screen by the
// layout and used by the key handler, so the hints cannot drift from what the keys do.
import type { TillState } from '../state/types';
import { msg } from '../../core/words/i18n';

export type Shortcut = { key: string; /** An English sentence, translated where shown. */ label: string; run: (s: TillState) => void };

export const SHORTCUTS: Shortcut[] = [
  { key: 'F1', label: msg('Sale'), run: (s) => s.setEntryMode('code') },
  { key: 'F2', label: msg('Find product'), run: (s) => s.setEntryMode('product') },
  { key: 'F3', label: msg('Customer'), run: (s) => s.setEntryMode('customer') },
  { key: 'F6', label: msg('Check voucher'), run: (s) => s.go('voucher-check') },
  { key: 'F7', label: msg('Gift card'), run: (s) => s.go('gift-card') },
  { key: 'F8', label: msg('Refund'), run: (s) => s.go('refund') },
  { key: 'F9', label: msg('Sync'), run: (s) => s.go('sync') },
  { key: 'F10', label: msg('Settings'), run: (s) => s.go('settings') },
];

export function inTextField(el: Element | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

/** The page-level key handler; returns true when it used the key. */
export function handleShortcut(e: KeyboardEvent, state: TillState): boolean {
  if (state.phase !== 'ready' || e.altKey || e.metaKey || e.defaultPrevented) return false;
  // Card payment works from the sale screen whether or not the payment panel has opened (or has
  // focus) yet: a quick cashier's End, Ctrl+Enter must not lose the second key.
  if (e.key === 'Enter' && e.ctrlKey && state.screen === 'checkout') {
    void state.pay({ method: 'CARD' });
    return true;
  }
  if (e.key === 'Enter' && state.paying && !inTextField(document.activeElement) && !(document.activeElement instanceof HTMLButtonElement)) {
    void state.pay({ method: 'CASH', tendered: state.evaluation.amount_due });
    return true;
  }
  const shortcut = SHORTCUTS.find((s) => s.key === e.key);
  if (shortcut) {
    shortcut.run(state);
    return true;
  }
  if (e.key === 'Escape') {
    if (state.paying) state.cancelPayment();
    else if (state.entryMode !== 'code' || state.screen !== 'checkout') state.setEntryMode('code');
    return true;
  }
  if (e.key === 'End' && state.screen === 'checkout' && !state.paying) {
    void state.startPayment();
    return true;
  }
  return false;
}

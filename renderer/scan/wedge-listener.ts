// Listens to every key on the page and hands scanner bursts to the store, wherever focus is. The core's
// detector (core/scan/wedge-detector.ts) decides what a scan is from key timestamps alone; this file
// only wires it to the DOM: swallow the scan's Enter so it does not also submit a form or press a
// button, and take the scanned characters back out of a focused text field.
import { createWedgeDetector, type WedgeOptions } from '../../core/scan/wedge-detector';

export type WedgeTarget = Pick<Window, 'addEventListener' | 'removeEventListener'>;

function removeTypedChars(el: Element | null, count: number, typed: string): void {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) || count <= 0) return;
  const end = el.selectionStart ?? el.value.length;
  const start = Math.max(0, end - count);
  // Only what the scanner really typed: keys from other sources (or a field that refused them) must
  // not cost the cashier their own text.
  if (el.value.slice(start, end) !== typed.slice(-count)) return;
  const next = el.value.slice(0, start) + el.value.slice(end);
  // React tracks an input's value through the native setter; assigning el.value would be ignored.
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el) as object, 'value')?.set;
  setter?.call(el, next);
  el.setSelectionRange(start, start);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

export function listenForScans(target: WedgeTarget, onScan: (value: string) => void, options: Partial<WedgeOptions> = {}): () => void {
  const detector = createWedgeDetector(options);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    const event = detector.key({ key: e.key, at: e.timeStamp, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, shiftKey: e.shiftKey });
    if (event.type !== 'scan') return;
    if (event.endedBy === 'suffix') {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    removeTypedChars(document.activeElement, event.typedChars, event.value.replaceAll('\u001d', ''));
    onScan(event.value);
  };
  // Capture phase: the scan's Enter must be seen before any field's own Enter handler.
  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => target.removeEventListener('keydown', onKeyDown, { capture: true });
}

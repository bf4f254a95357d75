import { useEffect, useRef } from 'react';
import { receiptQrPayload } from '../../print/codes';
import { ReceiptDocument } from '../widgets/receipt-document';
import { useTill } from '../store-context';
import { useCodes } from '../use-codes';
import { usePrint } from '../use-print';
import { inTextField } from '../shortcuts';
import { useT } from '../use-format';

export function ReceiptScreen() {
  const row = useTill((s) => s.lastReceipt);
  const locale = useTill((s) => s.settings.locale);
  const timeZone = useTill((s) => s.settings.timeZone);
  const go = useTill((s) => s.go);
  const t = useT();
  const codes = useCodes(row?.id ?? null, row ? receiptQrPayload(row, row.ticket.currency) : null);
  const print = usePrint();
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const doc = row && codes && <ReceiptDocument row={row} locale={locale} timeZone={timeZone} barcode={codes.barcode} qr={codes.qr} />;
  // P prints the receipt on screen (the same document, not a second rendering of it).
  const printRef = useRef<(() => void) | null>(null);
  printRef.current = doc ? () => void print(t('Receipt'), doc) : null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'p' || e.key === 'P') && !e.ctrlKey && !e.altKey && !e.metaKey && !inTextField(document.activeElement) && printRef.current) {
        e.preventDefault();
        printRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!row) return <p>{t('No sale yet.')}</p>;
  return (
    <div className="receipt-screen">
      <div className="paper">{doc ?? <p>{t('Preparing the receipt…')}</p>}</div>
      <div className="actions">
        <button type="button" ref={next} className="primary big" onClick={() => go('checkout')}>{t('Next customer (Enter)')}</button>
        <button type="button" disabled={!doc} onClick={() => printRef.current?.()} data-testid="print-receipt">{t('Print receipt (P)')}</button>
      </div>
    </div>
  );
}

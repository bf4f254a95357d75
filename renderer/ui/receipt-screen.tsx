import { useEffect, useRef } from 'react';
import { receiptQrPayload } from '../print/codes';
import { ReceiptDocument } from './receipt-document';
import { useTill } from './store-context';
import { useCodes } from './use-codes';
import { usePrint } from './use-print';

export function ReceiptScreen() {
  const row = useTill((s) => s.lastReceipt);
  const locale = useTill((s) => s.settings.locale);
  const timeZone = useTill((s) => s.settings.timeZone);
  const go = useTill((s) => s.go);
  const codes = useCodes(row?.id ?? null, row ? receiptQrPayload(row, row.ticket.currency) : null);
  const print = usePrint();
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  if (!row) return <p>No sale yet.</p>;
  const doc = codes && <ReceiptDocument row={row} locale={locale} timeZone={timeZone} barcode={codes.barcode} qr={codes.qr} />;
  return (
    <div className="receipt-screen">
      <div className="paper">{doc ?? <p>Preparing the receipt…</p>}</div>
      <div className="actions">
        <button type="button" ref={next} className="primary big" onClick={() => go('checkout')}>Next customer (Enter)</button>
        <button type="button" disabled={!doc} onClick={() => doc && void print('Receipt', doc)} data-testid="print-receipt">Print receipt (P)</button>
      </div>
    </div>
  );
}

// Barcode and QR images for a text, computed once per text (QR generation is async).
import { useEffect, useMemo, useState } from 'react';
import { code128DataUrl, qrDataUrl } from '../print/codes';

export function useCodes(barcodeText: string | null, qrText: string | null): { barcode: string; qr: string } | null {
  const barcode = useMemo(() => (barcodeText ? code128DataUrl(barcodeText) : null), [barcodeText]);
  const [qr, setQr] = useState<{ text: string; url: string } | null>(null);
  useEffect(() => {
    if (!qrText) return;
    let live = true;
    void qrDataUrl(qrText).then((url) => live && setQr({ text: qrText, url }));
    return () => {
      live = false;
    };
  }, [qrText]);
  return barcode && qr && qr.text === qrText ? { barcode, qr: qr.url } : null;
}

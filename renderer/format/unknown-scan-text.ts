// What a scan that is no product, voucher or customer says to the cashier, by its reason (sync/till.ts
// lookup, core/scan/classify.ts) — in the till's language rather than the classifier's own detail.
import type { Translate } from '../../core/words/i18n';

export function unknownScanText(reason: string, raw: string, t: Translate): string {
  const code = raw.trim().slice(0, 64);
  switch (reason) {
    case 'unknown_product':
      return t('No product has the barcode {{code}}.', { code });
    case 'empty':
      return t('Nothing was scanned.');
    case 'bad_check_digit':
      return t('{{code}} has a wrong check digit: scan it again or type it.', { code });
    case 'gs1_invalid':
      return t('This GS1 barcode cannot be read. Scan it again or type the product number.');
    case 'url_rejected':
      return t('This QR code is not one of our vouchers.');
    default:
      return t('“{{code}}” is no product, voucher or customer card.', { code });
  }
}

// What a printed voucher says, in order — the one layout the till's print (renderer VoucherDocument) and
// HQ's print page (GET /v1/assets/{code}/print) both render: a title, what it gives (value or balance),
// its validity and conditions in words, and its code (shown as Code 128 and QR by each).
import type { Voucher } from '../voucher';
import type { DisplayContext } from './display-context';
import { conditionLines, effectText } from './voucher-text';
import { translatorFor } from './i18n';

/** How a voucher's code is drawn as Code 128 (bwip-js options), wherever it is printed. */
export const CODE128_OPTIONS = { bcid: 'code128', scale: 2, height: 12, includetext: true, textxalign: 'center' } as const;
/** How it is drawn as a QR code (qrcode options). */
export const QR_OPTIONS = { margin: 1, errorCorrectionLevel: 'M' } as const;

export type VoucherPrint = { title: string; headline: string; lines: string[]; code: string };

export function voucherPrint(voucher: Voucher, d: DisplayContext): VoucherPrint {
  const t = translatorFor(d.locale);
  const title = voucher.type === 'GIFT_VOUCHER' ? t('Gift card') : voucher.type === 'LOYALTY_CARD' ? t('Loyalty card') : voucher.label || t('Voucher');
  return { title, headline: effectText(voucher, d), lines: conditionLines(voucher, d), code: voucher.code };
}

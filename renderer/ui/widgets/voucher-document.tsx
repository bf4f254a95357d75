// A printed voucher or gift card: core's print layout (core/words/voucher-print.ts, which HQ's print
// page renders too), with its code as Code 128 and QR.
import type { Voucher } from '../../../core/voucher';
import type { DisplayContext } from '../../../core/words/display-context';
import { voucherPrint } from '../../../core/words/voucher-print';
import { translatorFor } from '../../../core/words/i18n';

export function VoucherDocument({ voucher, d, barcode, qr }: { voucher: Voucher; d: DisplayContext; barcode: string; qr: string }) {
  const print = voucherPrint(voucher, d);
  const t = translatorFor(d.locale);
  return (
    <article className="voucher-doc" data-testid="voucher-document">
      <h1>{print.title}</h1>
      <p><strong>{print.headline}</strong></p>
      <ul>
        {print.lines.map((line) => <li key={line}>{line}</li>)}
      </ul>
      <div className="codes">
        <img src={barcode} alt={t('Barcode {{code}}', { code: voucher.code })} data-testid="voucher-barcode" />
        <img src={qr} alt={t('QR code {{code}}', { code: voucher.code })} className="qr" data-testid="voucher-qr" />
      </div>
    </article>
  );
}

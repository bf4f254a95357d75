// A printed voucher or gift card: what it gives, its conditions, and its code as Code 128 and QR.
import type { Voucher } from '../../../core/voucher';
import type { DisplayContext } from '../../format/display-context';
import { conditionLines, effectText } from '../../format/voucher-text';

export function VoucherDocument({ voucher, d, barcode, qr }: { voucher: Voucher; d: DisplayContext; barcode: string; qr: string }) {
  return (
    <article className="voucher-doc" data-testid="voucher-document">
      <h1>{voucher.type === 'GIFT_VOUCHER' ? 'Gift card' : voucher.label || 'Voucher'}</h1>
      <p><strong>{effectText(voucher, d)}</strong></p>
      <ul>
        {conditionLines(voucher, d).map((line) => <li key={line}>{line}</li>)}
      </ul>
      <div className="codes">
        <img src={barcode} alt={`Barcode ${voucher.code}`} data-testid="voucher-barcode" />
        <img src={qr} alt={`QR code ${voucher.code}`} className="qr" data-testid="voucher-qr" />
      </div>
    </article>
  );
}

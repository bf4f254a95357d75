// Each voucher on the ticket as a chip: what it does now, or in words why it does not.
import { reasonText } from '../../format/reason-text';
import { effectText } from '../../format/voucher-text';
import { useTill } from '../store-context';
import { useDisplayContext, useMoney } from '../use-format';

export function VoucherChips() {
  const applied = useTill((s) => s.applied);
  const refused = useTill((s) => s.refused);
  const results = useTill((s) => s.evaluation.results);
  const removeVoucher = useTill((s) => s.removeVoucher);
  const d = useDisplayContext();
  const money = useMoney();
  if (applied.length === 0 && refused.length === 0) return null;
  return (
    <ul className="chips" aria-label="Vouchers" data-testid="voucher-chips">
      {applied.map((a, i) => {
        const r = results[i];
        const ok = r?.valid === true;
        const amount = r ? r.discount_amount + r.gift_amount : 0;
        const text = !r ? 'Checking…' : r.valid ? `${a.voucher ? effectText(a.voucher, d) : ''}: −${money(amount)}` : reasonText(r.reason, a.code, a.voucher, d);
        return (
          <li key={a.code} className={`chip ${ok ? 'ok' : 'refused'}`} data-testid="voucher-chip" data-code={a.code} data-state={ok ? 'applied' : 'refused'}>
            <strong>{a.code}</strong> <span>{text}</span>
            {r?.valid && r.type === 'GIFT_VOUCHER' && r.limited_by_offline_cap && <span className="muted"> (offline limit)</span>}
            <button type="button" tabIndex={-1} aria-label={`Remove voucher ${a.code}`} onClick={() => void removeVoucher(a.code)}>✕</button>
          </li>
        );
      })}
      {refused.map((r) => (
        <li key={`refused-${r.code}`} className="chip refused" data-testid="voucher-chip" data-code={r.code} data-state="refused" data-reason={r.reason}>
          <strong>{r.code}</strong> <span>{r.text}</span>
          <button type="button" tabIndex={-1} aria-label={`Dismiss ${r.code}`} onClick={() => void removeVoucher(r.code)}>✕</button>
        </li>
      ))}
    </ul>
  );
}

// Each voucher on the ticket as a chip: what it does now, or in words why it does not. A loyalty card's
// chip says what it earns and, when asked to, pays with its points.
import { reasonText } from '../../format/reason-text';
import { effectText, pointsText } from '../../../core/words/voucher-text';
import type { VoucherResult } from '../../../core/evaluate-ticket';
import type { DisplayContext } from '../../../core/words/display-context';
import { useTill } from '../store-context';
import { useDisplayContext, useMoney } from '../use-format';

function loyaltyText(r: Extract<VoucherResult, { type: 'LOYALTY_CARD' }>, d: DisplayContext, money: (minor: number) => string): string {
  const earns = `earns ${pointsText(r.points_earned, d)}`;
  return r.points_spent > 0 ? `${pointsText(r.points_spent, d)} pay −${money(r.gift_amount)}, ${earns}` : earns;
}

export function VoucherChips() {
  const applied = useTill((s) => s.applied);
  const refused = useTill((s) => s.refused);
  const results = useTill((s) => s.evaluation.results);
  const removeVoucher = useTill((s) => s.removeVoucher);
  const togglePoints = useTill((s) => s.togglePoints);
  const d = useDisplayContext();
  const money = useMoney();
  if (applied.length === 0 && refused.length === 0) return null;
  return (
    <ul className="chips" aria-label="Vouchers" data-testid="voucher-chips">
      {applied.map((a, i) => {
        const r = results[i];
        const ok = r?.valid === true;
        const amount = r ? r.discount_amount + r.gift_amount : 0;
        const what = a.voucher ? effectText(a.voucher, d) : '';
        const text = !r ? 'Checking…' : !r.valid ? reasonText(r.reason, a.code, a.voucher, d) : r.type === 'LOYALTY_CARD' ? `${what}: ${loyaltyText(r, d, money)}` : `${what}: −${money(amount)}`;
        return (
          <li key={a.code} className={`chip ${ok ? 'ok' : 'refused'}`} data-testid="voucher-chip" data-code={a.code} data-state={ok ? 'applied' : 'refused'}>
            <strong>{a.code}</strong> <span>{text}</span>
            {r?.valid && r.type !== 'DISCOUNT_VOUCHER' && r.limited_by_offline_cap && <span className="muted"> (offline limit)</span>}
            {a.voucher?.type === 'LOYALTY_CARD' && (r?.valid || a.spend_points) && (
              <button type="button" className="points" aria-pressed={a.spend_points === true} data-testid="pay-with-points" onClick={() => void togglePoints(a.code)}>
                {a.spend_points ? 'Stop paying with points' : 'Pay with points'}
              </button>
            )}
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

// Each voucher on the ticket as a chip: what it does now, or in words why it does not. A loyalty card's
// chip says what it earns and, when asked to, pays with its points.
import { reasonText } from '../../format/reason-text';
import { effectText, pointsText } from '../../../core/words/voucher-text';
import type { VoucherResult } from '../../../core/evaluate-ticket';
import type { DisplayContext } from '../../../core/words/display-context';
import { useTill } from '../store-context';
import { useDisplayContext, useMoney, useT } from '../use-format';
import type { Translate } from '../../../core/words/i18n';

function loyaltyText(r: Extract<VoucherResult, { type: 'LOYALTY_CARD' }>, d: DisplayContext, money: (minor: number) => string, t: Translate): string {
  const earned = pointsText(r.points_earned, d);
  return r.points_spent > 0 ? t('{{spent}} pay −{{amount}}, earns {{earned}}', { spent: pointsText(r.points_spent, d), amount: money(r.gift_amount), earned }) : t('earns {{earned}}', { earned });
}

export function VoucherChips() {
  const applied = useTill((s) => s.applied);
  const refused = useTill((s) => s.refused);
  const results = useTill((s) => s.evaluation.results);
  const removeVoucher = useTill((s) => s.removeVoucher);
  const togglePoints = useTill((s) => s.togglePoints);
  const d = useDisplayContext();
  const money = useMoney();
  const t = useT();
  if (applied.length === 0 && refused.length === 0) return null;
  return (
    <ul className="chips" aria-label={t('Vouchers')} data-testid="voucher-chips">
      {applied.map((a, i) => {
        const r = results[i];
        const ok = r?.valid === true;
        const amount = r ? r.discount_amount + r.gift_amount : 0;
        const what = a.voucher ? effectText(a.voucher, d) : '';
        const text = !r ? t('Checking…') : !r.valid ? reasonText(r.reason, a.code, a.voucher, d) : r.type === 'LOYALTY_CARD' ? t('{{what}}: {{how}}', { what, how: loyaltyText(r, d, money, t) }) : t('{{what}}: −{{amount}}', { what, amount: money(amount) });
        return (
          <li key={a.code} className={`chip ${ok ? 'ok' : 'refused'}`} data-testid="voucher-chip" data-code={a.code} data-state={ok ? 'applied' : 'refused'}>
            <strong>{a.code}</strong> <span>{text}</span>
            {r?.valid && r.type !== 'DISCOUNT_VOUCHER' && r.limited_by_offline_cap && <span className="muted"> {t('(offline limit)')}</span>}
            {a.voucher?.type === 'LOYALTY_CARD' && (r?.valid || a.spend_points) && (
              <button type="button" className="points" aria-pressed={a.spend_points === true} data-testid="pay-with-points" onClick={() => void togglePoints(a.code)}>
                {a.spend_points ? t('Stop paying with points') : t('Pay with points')}
              </button>
            )}
            <button type="button" tabIndex={-1} aria-label={t('Remove voucher {{code}}', { code: a.code })} onClick={() => void removeVoucher(a.code)}>✕</button>
          </li>
        );
      })}
      {refused.map((r) => (
        <li key={`refused-${r.code}`} className="chip refused" data-testid="voucher-chip" data-code={r.code} data-state="refused" data-reason={r.reason}>
          <strong>{r.code}</strong> <span>{r.text}</span>
          <button type="button" tabIndex={-1} aria-label={t('Dismiss {{code}}', { code: r.code })} onClick={() => void removeVoucher(r.code)}>✕</button>
        </li>
      ))}
    </ul>
  );
}

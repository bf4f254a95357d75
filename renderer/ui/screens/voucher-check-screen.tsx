// Voucher check: scan a code without a ticket → status, balance, validity, restrictions; print it.
import { reasonText } from '../../format/reason-text';
import { conditionLines, effectText, statusText } from '../../../core/words/voucher-text';
import { CodeForm } from '../widgets/code-form';
import { useTill } from '../store-context';
import { useCodes } from '../use-codes';
import { useDisplayContext, useT } from '../use-format';
import { usePrint } from '../use-print';
import { VoucherDocument } from '../widgets/voucher-document';

// Refusals that depend on the ticket, not the voucher: the check has no ticket, so these are conditions.
const TICKET_DEPENDENT = new Set(['min_order_not_met', 'product_not_in_ticket', 'missing_customer', 'customer_mismatch']);

export function VoucherCheckScreen() {
  const checked = useTill((s) => s.checked);
  const check = useTill((s) => s.checkVoucher);
  const d = useDisplayContext();
  const t = useT();
  const v = checked?.voucher;
  const codes = useCodes(v?.code ?? null, v?.code ?? null);
  const print = usePrint();
  const verdict = checked?.verdict;
  const usable = verdict && (verdict.valid || TICKET_DEPENDENT.has(verdict.reason));
  return (
    <section aria-labelledby="check-title" className="desk">
      <h1 id="check-title">{t('Check a voucher or gift card')}</h1>
      <CodeForm label={t('Scan or type the code')} onSubmit={(code) => void check(code)} testId="check-input" />
      {checked && (
        <div className="card" data-testid="check-result">
          <h2>{checked.code}</h2>
          {v ? (
            <>
              <p className={usable ? 'ok' : 'error'} data-testid="check-verdict">
                {usable ? (verdict && !verdict.valid ? t('Can be used now (if the ticket meets its conditions)') : t('Can be used now')) : verdict && !verdict.valid ? reasonText(verdict.reason, checked.code, v, d) : ''}
              </p>
              <dl>
                <dt>{t('Status')}</dt><dd>{statusText(v, d)}</dd>
                <dt>{t('What it gives')}</dt><dd data-testid="check-effect">{effectText(v, d)}</dd>
                {v.label && (<><dt>{t('Label')}</dt><dd>{v.label}</dd></>)}
              </dl>
              <ul>{conditionLines(v, d).map((l) => <li key={l}>{l}</li>)}</ul>
              <button type="button" disabled={!codes} onClick={() => codes && void print(t('Voucher {{code}}', { code: v.code }), <VoucherDocument voucher={v} d={d} barcode={codes.barcode} qr={codes.qr} />)}>{t('Print voucher')}</button>
            </>
          ) : (
            <p className="error" data-testid="check-verdict">{verdict && !verdict.valid ? reasonText(verdict.reason, checked.code, undefined, d) : ''}</p>
          )}
        </div>
      )}
    </section>
  );
}

// One voucher: what it gives and its rules in words (times in HQ's zone), its redemptions, its printable
// assets (barcode, QR code, print page), and — for managers — cancel and delete.
import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import { VoucherSchema } from '../../core/voucher';
import { conditionLines, effectText, statusText } from '../../core/words/voucher-text';
import { LedgerSchema, RedemptionSchema, type Redemption } from '../../sync/protocol';
import { parseMoneyInput } from '../../core/words/money-format';
import { pointsText } from '../../core/words/voucher-text';
import { href } from '../route';
import { api, apiVoid, query } from '../api';
import { can, useSession } from '../session';
import { ErrorNote, PushReason, useLoad } from '../ui/common';
import { msg, type Translate } from '../../core/words/i18n';
import { useWords } from '../words/words';

const RedemptionListSchema = z.object({ result: z.array(RedemptionSchema), total: z.int() });

/** A ledger entry's kind in words (gift: ISSUE … TOP_UP; loyalty: OPEN … SPEND_REVERSAL); a kind a newer HQ adds shows as itself. */
const LEDGER_TEXT: Readonly<Record<string, string>> = {
  ISSUE: msg('Issued'),
  DEBIT: msg('Paid'),
  ROLLBACK: msg('Rolled back'),
  ADJUST: msg('Adjusted'),
  TOP_UP: msg('Topped up'),
  OPEN: msg('Opening balance'),
  EARN: msg('Points earned'),
  SPEND: msg('Points spent'),
  EARN_REVERSAL: msg('Points earned, rolled back'),
  SPEND_REVERSAL: msg('Points spent, rolled back'),
};
function ledgerText(kind: string, t: Translate): string {
  return Object.hasOwn(LEDGER_TEXT, kind) ? t(LEDGER_TEXT[kind]!) : kind;
}
const REDEMPTION_TEXT: Readonly<Record<Redemption['kind'], string>> = { REDEMPTION: msg('Redemption'), LOYALTY_EARN: msg('Points earned'), LOYALTY_SPEND: msg('Points spent') };
const OUTCOME_TEXT: Readonly<Record<Redemption['outcome'], string>> = { ACCEPTED: msg('Accepted'), CONFLICT: msg('Conflict'), REJECTED: msg('Rejected') };

export function VoucherPage({ code, timeZone }: { code: string; timeZone: string }): ReactNode {
  const { t, when, money, displayContext } = useWords();
  const state = useSession((s) => s.state);
  const path = `/v1/vouchers/${encodeURIComponent(code)}`;
  const voucher = useLoad(() => api('GET', path, VoucherSchema), code);
  const redemptions = useLoad(() => api('GET', `/v1/redemptions${query({ code, limit: 100 })}`, RedemptionListSchema), code);
  const ledger = useLoad(
    () => (voucher.data && voucher.data.type !== 'DISCOUNT_VOUCHER' ? api('GET', `${path}/ledger`, LedgerSchema) : Promise.resolve(null)),
    `${code}|${voucher.data?.updated_at ?? ''}`,
  );
  const [error, setError] = useState<unknown>(null);
  const [deleted, setDeleted] = useState(false);
  const [topUp, setTopUp] = useState('');
  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
      voucher.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (deleted) return <p role="status">{t('Voucher {{code}} was deleted. Tills forget it at their next sync.', { code })}</p>;
  const v = voucher.data;
  const d = displayContext(timeZone, v?.currency);
  return (
    <section aria-labelledby="voucher-title">
      <h1 id="voucher-title">{t('Voucher {{code}}', { code })}</h1>
      <ErrorNote error={voucher.error ?? error} />
      {v ? (
        <>
          <p className="effect">{effectText(v, d)}</p>
          <dl>
            <dt>{t('Status')}</dt>
            <dd>{statusText(v, d)}</dd>
            {v.label ? (
              <>
                <dt>{t('Label')}</dt>
                <dd>{v.label}</dd>
              </>
            ) : null}
            {v.campaign ? (
              <>
                <dt>{t('Campaign')}</dt>
                <dd>{v.campaign}</dd>
              </>
            ) : null}
            <dt>{t('Rules')}</dt>
            <dd>
              <ul>
                {conditionLines(v, d).map((line) => (
                  <li key={line}>{line}</li>
                ))}
                <li>{t('Dates and times are in {{timeZone}}, or in the till\'s own zone at a till.', { timeZone })}</li>
              </ul>
            </dd>
          </dl>
          {can(state, 'manager') ? (
            <div className="actions">
              <a className="button" href={href({ page: 'edit', code })}>
                {t('Edit')}
              </a>
              {v.type === 'GIFT_VOUCHER' ? (
                <form
                  className="inline"
                  aria-label={t('Top up')}
                  onSubmit={(e) => {
                    e.preventDefault();
                    const amount = parseMoneyInput(topUp, v.currency);
                    if (amount === null || amount <= 0) return setError(new Error(t('"{{amount}}" is not an amount of money to add.', { amount: topUp })));
                    void act(async () => {
                      await api('POST', `${path}/top-up`, VoucherSchema, { amount });
                      setTopUp('');
                    });
                  }}
                >
                  <label>
                    {t('Add store credit ({{currency}})', { currency: v.currency })}
                    <input value={topUp} onChange={(e) => setTopUp(e.target.value)} inputMode="decimal" required />
                  </label>
                  <button type="submit">{t('Top up')}</button>
                </form>
              ) : null}
              {v.status !== 'CANCELLED' ? (
                <button type="button" onClick={() => window.confirm(t('Cancel {{code}}? Tills refuse it from their next sync.', { code })) && act(() => api('POST', `${path}/cancel`, VoucherSchema))}>
                  {t('Cancel voucher')}
                </button>
              ) : null}
              <button
                type="button"
                className="danger"
                onClick={() =>
                  window.confirm(t('Delete {{code}}? Its history stays at HQ; tills forget it.', { code })) &&
                  act(async () => {
                    await apiVoid('DELETE', path);
                    setDeleted(true);
                  })
                }
              >
                {t('Delete voucher')}
              </button>
            </div>
          ) : null}
          {v.assets ? (
            <section aria-labelledby="assets-title">
              <h2 id="assets-title">{t('Print and share')}</h2>
              <div className="assets">
                <img className="barcode" src={`${v.assets.barcode_url}&format=svg`} alt={t('Barcode of {{code}}', { code })} />
                <img src={`${v.assets.qr_url}&format=svg`} alt={t('QR code of {{code}}', { code })} width={160} height={160} />
              </div>
              <p>
                <a href={v.assets.print_url} target="_blank" rel="noreferrer noopener">
                  {t('Open the print page')}
                </a>{' '}
                {t('(the links are signed and expire).')}
              </p>
            </section>
          ) : null}
        </>
      ) : voucher.loading ? (
        <p role="status">{t('Loading…')}</p>
      ) : null}
      {ledger.data ? (
        <section aria-labelledby="ledger-title">
          <h2 id="ledger-title">{ledger.data.unit === 'money' ? t('Balance, entry by entry') : t('Points, entry by entry')}</h2>
          <table>
            <caption>{t('Oldest first; the last balance is the card\'s')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('When')}</th>
                <th scope="col">{t('Entry')}</th>
                <th scope="col">{t('Amount')}</th>
                <th scope="col">{t('Balance after')}</th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at, timeZone)}</td>
                  <td>{ledgerText(e.kind, t)}</td>
                  <td>{ledger.data!.unit === 'money' ? money(e.change, v?.currency) : pointsText(e.change, d)}</td>
                  <td>{ledger.data!.unit === 'money' ? money(e.balance, v?.currency) : pointsText(e.balance, d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section aria-labelledby="redemptions-title">
        <h2 id="redemptions-title">{t('Redemptions')}</h2>
        <ErrorNote error={redemptions.error} />
        {redemptions.data?.total === 0 ? <p>{t('None yet.')}</p> : null}
        {redemptions.data?.result.length ? (
          <table>
            <caption>{t('{{total}} in all, newest first', { total: redemptions.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('When')}</th>
                <th scope="col">{t('What')}</th>
                <th scope="col">{t('Amount')}</th>
                <th scope="col">{t('Outcome')}</th>
                <th scope="col">{t('Ticket')}</th>
              </tr>
            </thead>
            <tbody>
              {redemptions.data.result.map((r) => (
                <tr key={r.id}>
                  <td>{when(r.occurred_at, timeZone)}</td>
                  <td>
                    {t(REDEMPTION_TEXT[r.kind])}
                    {r.points !== null ? ` (${pointsText(r.points, d)})` : ''}
                  </td>
                  <td>{money(r.amount, v?.currency)}</td>
                  <td>
                    {t(OUTCOME_TEXT[r.outcome])}
                    {r.reason ? (
                      <>
                        {' — '}
                        <PushReason code={r.reason} />
                      </>
                    ) : null}
                    {r.overdraft ? ` — ${t('overdrawn')}` : ''}
                    {r.status === 'ROLLED_BACK' ? ` — ${t('rolled back')}` : ''}
                  </td>
                  <td>{r.ticket_id ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </section>
  );
}

// One voucher: what it gives and its rules in words (times in HQ's zone), its redemptions, its printable
// assets (barcode, QR code, print page), and — for managers — cancel and delete.
import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import { VoucherSchema } from '../../core/voucher';
import { conditionLines, effectText, statusText } from '../../core/words/voucher-text';
import { LedgerSchema, RedemptionSchema } from '../../sync/protocol';
import { parseMoneyInput } from '../../core/words/money-format';
import { pointsText } from '../../core/words/voucher-text';
import { href } from '../route';
import { api, apiVoid, query } from '../api';
import { can, useSession } from '../session';
import { ErrorNote, useLoad } from '../ui/common';
import { displayContext, money, when } from '../ui/format';

const RedemptionListSchema = z.object({ result: z.array(RedemptionSchema), total: z.int() });

export function VoucherPage({ code, timeZone }: { code: string; timeZone: string }): ReactNode {
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
  if (deleted) return <p role="status">Voucher {code} was deleted. Tills forget it at their next sync.</p>;
  const v = voucher.data;
  const d = displayContext(timeZone, v?.currency);
  return (
    <section aria-labelledby="voucher-title">
      <h1 id="voucher-title">Voucher {code}</h1>
      <ErrorNote error={voucher.error ?? error} />
      {v ? (
        <>
          <p className="effect">{effectText(v, d)}</p>
          <dl>
            <dt>Status</dt>
            <dd>{statusText(v, d)}</dd>
            {v.label ? (
              <>
                <dt>Label</dt>
                <dd>{v.label}</dd>
              </>
            ) : null}
            {v.campaign ? (
              <>
                <dt>Campaign</dt>
                <dd>{v.campaign}</dd>
              </>
            ) : null}
            <dt>Rules</dt>
            <dd>
              <ul>
                {conditionLines(v, d).map((line) => (
                  <li key={line}>{line}</li>
                ))}
                <li>Dates and times are in {timeZone}, or in the till's own zone at a till.</li>
              </ul>
            </dd>
          </dl>
          {can(state, 'manager') ? (
            <div className="actions">
              <a className="button" href={href({ page: 'edit', code })}>
                Edit
              </a>
              {v.type === 'GIFT_VOUCHER' ? (
                <form
                  className="inline"
                  aria-label="Top up"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const amount = parseMoneyInput(topUp, v.currency);
                    if (amount === null || amount <= 0) return setError(new Error(`"${topUp}" is not an amount of money to add.`));
                    void act(async () => {
                      await api('POST', `${path}/top-up`, VoucherSchema, { amount });
                      setTopUp('');
                    });
                  }}
                >
                  <label>
                    Add store credit ({v.currency})
                    <input value={topUp} onChange={(e) => setTopUp(e.target.value)} inputMode="decimal" required />
                  </label>
                  <button type="submit">Top up</button>
                </form>
              ) : null}
              {v.status !== 'CANCELLED' ? (
                <button type="button" onClick={() => window.confirm(`Cancel ${code}? Tills refuse it from their next sync.`) && act(() => api('POST', `${path}/cancel`, VoucherSchema))}>
                  Cancel voucher
                </button>
              ) : null}
              <button
                type="button"
                className="danger"
                onClick={() =>
                  window.confirm(`Delete ${code}? Its history stays at HQ; tills forget it.`) &&
                  act(async () => {
                    await apiVoid('DELETE', path);
                    setDeleted(true);
                  })
                }
              >
                Delete voucher
              </button>
            </div>
          ) : null}
          {v.assets ? (
            <section aria-labelledby="assets-title">
              <h2 id="assets-title">Print and share</h2>
              <div className="assets">
                <img className="barcode" src={`${v.assets.barcode_url}&format=svg`} alt={`Barcode of ${code}`} />
                <img src={`${v.assets.qr_url}&format=svg`} alt={`QR code of ${code}`} width={160} height={160} />
              </div>
              <p>
                <a href={v.assets.print_url} target="_blank" rel="noreferrer noopener">
                  Open the print page
                </a>{' '}
                (the links are signed and expire).
              </p>
            </section>
          ) : null}
        </>
      ) : voucher.loading ? (
        <p role="status">Loading…</p>
      ) : null}
      {ledger.data ? (
        <section aria-labelledby="ledger-title">
          <h2 id="ledger-title">{ledger.data.unit === 'money' ? 'Balance, entry by entry' : 'Points, entry by entry'}</h2>
          <table>
            <caption>Oldest first; the last balance is the card's</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Entry</th>
                <th scope="col">Change</th>
                <th scope="col">Balance</th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at, timeZone)}</td>
                  <td>{e.kind}</td>
                  <td>{ledger.data!.unit === 'money' ? money(e.change, v?.currency) : pointsText(e.change, d)}</td>
                  <td>{ledger.data!.unit === 'money' ? money(e.balance, v?.currency) : pointsText(e.balance, d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section aria-labelledby="redemptions-title">
        <h2 id="redemptions-title">Redemptions</h2>
        <ErrorNote error={redemptions.error} />
        {redemptions.data?.total === 0 ? <p>None yet.</p> : null}
        {redemptions.data?.result.length ? (
          <table>
            <caption>{redemptions.data.total} in all, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Amount</th>
                <th scope="col">Outcome</th>
                <th scope="col">Ticket</th>
              </tr>
            </thead>
            <tbody>
              {redemptions.data.result.map((r) => (
                <tr key={r.id}>
                  <td>{when(r.occurred_at, timeZone)}</td>
                  <td>
                    {r.kind}
                    {r.points !== null ? ` (${r.points} points)` : ''}
                  </td>
                  <td>{money(r.amount, v?.currency)}</td>
                  <td>
                    {r.outcome}
                    {r.reason ? ` — ${r.reason}` : ''}
                    {r.overdraft ? ' — overdrawn' : ''}
                    {r.status === 'ROLLED_BACK' ? ' — rolled back' : ''}
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

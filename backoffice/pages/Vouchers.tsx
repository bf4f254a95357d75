// Vouchers: search by code, label or campaign; filter by type and status; page through with totals.
import { useState, type ReactNode } from 'react';
import { VoucherListSchema } from '../../sync/protocol';
import { effectText, statusText } from '../../core/words/voucher-text';
import { api, query } from '../api';
import { href } from '../route';
import { can, useSession } from '../session';
import { ErrorNote, Pager, useLoad } from '../ui/common';
import { displayContext } from '../ui/format';

const LIMIT = 25;
const TYPE_TEXT = { DISCOUNT_VOUCHER: 'Discount', GIFT_VOUCHER: 'Gift card', LOYALTY_CARD: 'Loyalty card' } as const;

export function Vouchers({ timeZone }: { timeZone: string }): ReactNode {
  const [filters, setFilters] = useState({ q: '', type: '', status: '' });
  const [offset, setOffset] = useState(0);
  const q = query({ ...filters, q: filters.q.trim(), limit: LIMIT, offset });
  const list = useLoad(() => api('GET', `/v1/vouchers${q}`, VoucherListSchema), q);
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => {
    setOffset(0);
    setFilters((f) => ({ ...f, [name]: event.target.value }));
  };
  const d = displayContext(timeZone);
  const state = useSession((s) => s.state);
  return (
    <section aria-labelledby="vouchers-title">
      <h1 id="vouchers-title">Vouchers</h1>
      {can(state, 'manager') ? (
        <p className="actions">
          <a className="button" href={href({ page: 'new' })}>
            New voucher
          </a>
          <a className="button" href={href({ page: 'generate' })}>
            Generate codes for an offer
          </a>
        </p>
      ) : null}
      <form className="filters" role="search" aria-label="Search vouchers" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={filters.q} onChange={set('q')} placeholder="Code, label or campaign" maxLength={64} />
        </label>
        <label>
          Type
          <select value={filters.type} onChange={set('type')}>
            <option value="">Any</option>
            {Object.entries(TYPE_TEXT).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={set('status')}>
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="REDEEMED">Used up</option>
            <option value="CANCELLED">Cancelled</option>
          </select>
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.data ? (
        <>
          <table>
            <caption>{list.data.total === 1 ? '1 voucher' : `${list.data.total} vouchers`}</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Type</th>
                <th scope="col">Label</th>
                <th scope="col">Campaign</th>
                <th scope="col">Gives</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.data.result.map((v) => (
                <tr key={v.code}>
                  <th scope="row">
                    <a href={href({ page: 'voucher', code: v.code })}>{v.code}</a>
                  </th>
                  <td>{TYPE_TEXT[v.type]}</td>
                  <td>{v.label ?? ''}</td>
                  <td>{v.campaign ?? ''}</td>
                  <td>{effectText(v, { ...d, currency: v.currency })}</td>
                  <td>{statusText(v, d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={LIMIT} total={list.data.total} onOffset={setOffset} label="Voucher pages" />
        </>
      ) : list.loading ? (
        <p role="status">Loading…</p>
      ) : null}
    </section>
  );
}

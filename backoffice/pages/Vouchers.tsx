// Vouchers: search by code, label or campaign; filter by type and status; page through with totals.
import { useState, type ReactNode } from 'react';
import { VoucherListSchema } from '../../sync/protocol';
import { effectText, statusText } from '../../core/words/voucher-text';
import { api, query } from '../api';
import { href } from '../route';
import { can, useSession } from '../session';
import { ErrorNote, Pager, useLoad } from '../ui/common';
import { msg } from '../../core/words/i18n';
import { useWords } from '../words/words';

const LIMIT = 25;
/** The voucher types in words, translated where shown: t(TYPE_TEXT[type]). */
const TYPE_TEXT = { DISCOUNT_VOUCHER: msg('Discount'), GIFT_VOUCHER: msg('Gift card'), LOYALTY_CARD: msg('Loyalty card') } as const;

export function Vouchers({ timeZone }: { timeZone: string }): ReactNode {
  const { t, displayContext } = useWords();
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
      <h1 id="vouchers-title">{t('Vouchers')}</h1>
      {can(state, 'manager') ? (
        <p className="actions">
          <a className="button" href={href({ page: 'new' })}>
            {t('New voucher')}
          </a>
          <a className="button" href={href({ page: 'generate' })}>
            {t('Generate codes for an offer')}
          </a>
        </p>
      ) : null}
      <form className="filters" role="search" aria-label={t('Search vouchers')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('Search')}
          <input type="search" value={filters.q} onChange={set('q')} placeholder={t('Code, label or campaign')} maxLength={64} />
        </label>
        <label>
          {t('Type')}
          <select value={filters.type} onChange={set('type')}>
            <option value="">{t('Any')}</option>
            {Object.entries(TYPE_TEXT).map(([value, text]) => (
              <option key={value} value={value}>
                {t(text)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Status')}
          <select value={filters.status} onChange={set('status')}>
            <option value="">{t('Any')}</option>
            <option value="ACTIVE">{t('Active')}</option>
            <option value="REDEEMED">{t('Used up')}</option>
            <option value="CANCELLED">{t('Cancelled')}</option>
          </select>
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.data ? (
        <>
          <table>
            <caption>{t('{{count}} vouchers', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Code')}</th>
                <th scope="col">{t('Type')}</th>
                <th scope="col">{t('Label')}</th>
                <th scope="col">{t('Campaign')}</th>
                <th scope="col">{t('Gives')}</th>
                <th scope="col">{t('Status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.result.map((v) => (
                <tr key={v.code}>
                  <th scope="row">
                    <a href={href({ page: 'voucher', code: v.code })}>{v.code}</a>
                  </th>
                  <td>{t(TYPE_TEXT[v.type])}</td>
                  <td>{v.label ?? ''}</td>
                  <td>{v.campaign ?? ''}</td>
                  <td>{effectText(v, { ...d, currency: v.currency })}</td>
                  <td>{statusText(v, d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={LIMIT} total={list.data.total} onOffset={setOffset} label={t('Voucher pages')} />
        </>
      ) : list.loading ? (
        <p role="status">{t('Loading…')}</p>
      ) : null}
    </section>
  );
}

// The landing page: what needs a person. Conflicts (a single-use code honoured twice: both tills, both
// tickets, times and amounts), overdrafts, rejected ops; counts per day; filters by kind, store and till;
// each item can be marked handled with a note (managers and admins; HQ audits it).
import { useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { ReconciliationItemSchema, ReconciliationListSchema, TillSummarySchema, type ReconciliationItem } from '../../sync/protocol';
import { api, apiVoid, query } from '../api';
import { can, useSession } from '../session';
import { href } from '../route';
import { ErrorNote, Pager, PushReason, useLoad } from '../ui/common';
import { msg } from '../../core/words/i18n';
import { useWords, type ConsoleWords } from '../words/words';

const KIND_TEXT = { conflict: msg('Honoured twice'), overdraft: msg('Overdrawn'), rejected: msg('Rejected') } as const;
const LIMIT = 25;

export function Reconciliation({ timeZone }: { timeZone: string }): ReactNode {
  const state = useSession((s) => s.state);
  const { t } = useWords();
  const [filters, setFilters] = useState({ kind: '', store: '', till_id: '', handled: 'false' });
  const [offset, setOffset] = useState(0);
  const q = query({ ...filters, limit: LIMIT, offset });
  const list = useLoad(() => api('GET', `/v1/reconciliation${q}`, ReconciliationListSchema), q);
  const tills = useLoad(() => api('GET', '/v1/tills', z.object({ result: z.array(TillSummarySchema) })), 'tills');
  const stores = [...new Set((tills.data?.result ?? []).flatMap((t) => (t.store ? [t.store] : [])))].sort();
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => {
    setOffset(0);
    setFilters((f) => ({ ...f, [name]: event.target.value }));
  };

  return (
    <section aria-labelledby="reconciliation-title">
      <h1 id="reconciliation-title">{t('Needs a person')}</h1>
      <form className="filters" aria-label={t('Filter')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('What')}
          <select value={filters.kind} onChange={set('kind')}>
            <option value="">{t('Everything')}</option>
            <option value="conflict">{t('Codes honoured twice')}</option>
            <option value="overdraft">{t('Overdrawn cards')}</option>
            <option value="rejected">{t('Rejected ops')}</option>
          </select>
        </label>
        <label>
          {t('Store')}
          <select value={filters.store} onChange={set('store')}>
            <option value="">{t('Any store')}</option>
            {stores.map((store) => (
              <option key={store} value={store} translate="no">
                {store}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Till')}
          <select value={filters.till_id} onChange={set('till_id')}>
            <option value="">{t('Any till')}</option>
            {(tills.data?.result ?? []).map((till) => (
              <option key={till.id} value={till.id} translate="no">
                {tillText(till)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Shown')}
          <select value={filters.handled} onChange={set('handled')}>
            <option value="false">{t('Still open')}</option>
            <option value="true">{t('Handled')}</option>
            <option value="all">{t('All')}</option>
          </select>
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.data ? (
        <>
          {list.data.days.length ? (
            <table className="days">
              <caption>{t('Per day ({{timeZone}})', { timeZone })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('Day')}</th>
                  <th scope="col">{t('Honoured twice')}</th>
                  <th scope="col">{t('Overdrawn')}</th>
                  <th scope="col">{t('Rejected')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.days.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{d.day}</th>
                    <td>{d.conflict}</td>
                    <td>{d.overdraft}</td>
                    <td>{d.rejected}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {list.data.total === 0 ? (
            <p role="status">{filters.handled === 'false' ? t('Nothing here: every till\'s sales reconciled cleanly, or someone has handled it.') : t('Nothing here: every till\'s sales reconciled cleanly.')}</p>
          ) : (
            <ul className="items" aria-label={t('Items')}>
              {list.data.result.map((item) => (
                <Item key={item.op_id} item={item} timeZone={timeZone} canHandle={can(state, 'manager')} onChanged={list.reload} />
              ))}
            </ul>
          )}
          <Pager offset={offset} limit={LIMIT} total={list.data.total} onOffset={setOffset} label={t('Items pages')} />
        </>
      ) : list.loading ? (
        <p role="status">{t('Loading…')}</p>
      ) : null}
    </section>
  );
}

/** A till's name with its store; a name and a store in brackets reads the same in every language we speak. */
function tillText(till: { name: string; store: string | null }): string {
  return till.store ? `${till.name} (${till.store})` : till.name;
}

/** Where and when: the till, the ticket, the time and what it was worth. */
function saleText(w: ConsoleWords, timeZone: string, s: { till: ReconciliationItem['till']; ticket_id: string | null; occurred_at: string; amount: number | null; points?: number | null }): string {
  const parts = [tillText(s.till), w.t('ticket {{id}}', { id: s.ticket_id ?? '—' }), w.when(s.occurred_at, timeZone)];
  if (s.amount !== null) parts.push(w.money(s.amount));
  if (s.points != null) parts.push(w.t('{{count}} points', { count: s.points }));
  return parts.join(', ');
}

function Item({ item, timeZone, canHandle, onChanged }: { item: ReconciliationItem; timeZone: string; canHandle: boolean; onChanged: () => void }): ReactNode {
  const words = useWords();
  const { t } = words;
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const url = `/v1/reconciliation/${item.op_id}/handled`;
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await api('PUT', url, ReconciliationItemSchema, { note: String(new FormData(event.currentTarget).get('note')) });
      setOpen(false);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const reopen = async () => {
    try {
      await apiVoid('DELETE', url);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const titleId = `item-${item.op_id}`;
  return (
    <li className={`item ${item.kind}`} aria-labelledby={titleId}>
      <h2 id={titleId}>
        {t(KIND_TEXT[item.kind])}: {item.code ? <a href={href({ page: 'voucher', code: item.code })}>{item.code}</a> : t('no voucher named')}
      </h2>
      <dl>
        <dt>{item.kind === 'conflict' ? t('Refused at') : t('Till')}</dt>
        <dd>{saleText(words, timeZone, item)}</dd>
        {item.winner ? (
          <>
            <dt>{t('Honoured first at')}</dt>
            <dd>{saleText(words, timeZone, item.winner)}</dd>
          </>
        ) : null}
        {item.reason ? (
          <>
            <dt>{t('HQ\'s reason')}</dt>
            <dd>
              <PushReason code={item.reason} /> ({item.op_type})
            </dd>
          </>
        ) : null}
        {item.handled ? (
          <>
            <dt>{t('Handled')}</dt>
            <dd>{t('by {{who}}, {{when}}: {{note}}', { who: item.handled.by, when: words.when(item.handled.at, timeZone), note: item.handled.note })}</dd>
          </>
        ) : null}
      </dl>
      {canHandle && !item.handled && !open ? (
        <button type="button" onClick={() => setOpen(true)}>
          {t('Mark handled…')}
        </button>
      ) : null}
      {canHandle && item.handled ? (
        <button type="button" onClick={reopen}>
          {t('Reopen')}
        </button>
      ) : null}
      {open ? (
        <form onSubmit={save} aria-label={item.code ? t('Mark {{code}} handled', { code: item.code }) : t('Mark this item handled')}>
          <label>
            {t('What was done')}
            <textarea name="note" required maxLength={2000} autoFocus />
          </label>
          <button type="submit">{t('Save')}</button>
          <button type="button" onClick={() => setOpen(false)}>
            {t('Cancel')}
          </button>
        </form>
      ) : null}
      <ErrorNote error={error} />
    </li>
  );
}

// The landing page: what needs a person. Conflicts (a single-use code honoured twice: both tills, both
// tickets, times and amounts), overdrafts, rejected ops; counts per day; filters by kind, store and till;
// each item can be marked handled with a note (managers and admins; HQ audits it).
import { useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { ReconciliationItemSchema, ReconciliationListSchema, TillSummarySchema, type ReconciliationItem } from '../../sync/protocol';
import { api, apiVoid, query } from '../api';
import { can, useSession } from '../session';
import { href } from '../route';
import { ErrorNote, Pager, useLoad } from '../ui/common';
import { money, when } from '../ui/format';

const KIND_TEXT = { conflict: 'Honoured twice', overdraft: 'Overdrawn', rejected: 'Rejected' } as const;
const LIMIT = 25;

export function Reconciliation({ timeZone }: { timeZone: string }): ReactNode {
  const state = useSession((s) => s.state);
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
      <h1 id="reconciliation-title">Needs a person</h1>
      <form className="filters" aria-label="Filter" onSubmit={(e) => e.preventDefault()}>
        <label>
          What
          <select value={filters.kind} onChange={set('kind')}>
            <option value="">Everything</option>
            <option value="conflict">Codes honoured twice</option>
            <option value="overdraft">Overdrawn cards</option>
            <option value="rejected">Rejected ops</option>
          </select>
        </label>
        <label>
          Store
          <select value={filters.store} onChange={set('store')}>
            <option value="">Any store</option>
            {stores.map((store) => (
              <option key={store} value={store}>
                {store}
              </option>
            ))}
          </select>
        </label>
        <label>
          Till
          <select value={filters.till_id} onChange={set('till_id')}>
            <option value="">Any till</option>
            {(tills.data?.result ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.store ? `${t.name} (${t.store})` : t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Shown
          <select value={filters.handled} onChange={set('handled')}>
            <option value="false">Still open</option>
            <option value="true">Handled</option>
            <option value="all">All</option>
          </select>
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.data ? (
        <>
          {list.data.days.length ? (
            <table className="days">
              <caption>Per day ({timeZone})</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Honoured twice</th>
                  <th scope="col">Overdrawn</th>
                  <th scope="col">Rejected</th>
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
            <p role="status">Nothing here: every till's sales reconciled cleanly{filters.handled === 'false' ? ', or someone has handled it' : ''}.</p>
          ) : (
            <ul className="items" aria-label="Items">
              {list.data.result.map((item) => (
                <Item key={item.op_id} item={item} timeZone={timeZone} canHandle={can(state, 'manager')} onChanged={list.reload} />
              ))}
            </ul>
          )}
          <Pager offset={offset} limit={LIMIT} total={list.data.total} onOffset={setOffset} label="Items pages" />
        </>
      ) : list.loading ? (
        <p role="status">Loading…</p>
      ) : null}
    </section>
  );
}

function tillText(t: ReconciliationItem['till']): string {
  return t.store ? `${t.name} (${t.store})` : t.name;
}

function Item({ item, timeZone, canHandle, onChanged }: { item: ReconciliationItem; timeZone: string; canHandle: boolean; onChanged: () => void }): ReactNode {
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
        {KIND_TEXT[item.kind]}: {item.code ? <a href={href({ page: 'voucher', code: item.code })}>{item.code}</a> : 'no voucher named'}
      </h2>
      <dl>
        <dt>{item.kind === 'conflict' ? 'Refused at' : 'Till'}</dt>
        <dd>
          {tillText(item.till)}, ticket {item.ticket_id ?? '—'}, {when(item.occurred_at, timeZone)}
          {item.amount !== null ? `, ${money(item.amount)}` : ''}
          {item.points !== null ? `, ${item.points} points` : ''}
        </dd>
        {item.winner ? (
          <>
            <dt>Honoured first at</dt>
            <dd>
              {tillText(item.winner.till)}, ticket {item.winner.ticket_id ?? '—'}, {when(item.winner.occurred_at, timeZone)}, {money(item.winner.amount)}
            </dd>
          </>
        ) : null}
        {item.reason ? (
          <>
            <dt>HQ's reason</dt>
            <dd>
              <code>{item.reason}</code> ({item.op_type})
            </dd>
          </>
        ) : null}
        {item.handled ? (
          <>
            <dt>Handled</dt>
            <dd>
              by {item.handled.by}, {when(item.handled.at, timeZone)}: {item.handled.note}
            </dd>
          </>
        ) : null}
      </dl>
      {canHandle && !item.handled && !open ? (
        <button type="button" onClick={() => setOpen(true)}>
          Mark handled…
        </button>
      ) : null}
      {canHandle && item.handled ? (
        <button type="button" onClick={reopen}>
          Reopen
        </button>
      ) : null}
      {open ? (
        <form onSubmit={save} aria-label={`Mark ${item.code ?? 'item'} handled`}>
          <label>
            What was done
            <textarea name="note" required maxLength={2000} autoFocus />
          </label>
          <button type="submit">Save</button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      ) : null}
      <ErrorNote error={error} />
    </li>
  );
}

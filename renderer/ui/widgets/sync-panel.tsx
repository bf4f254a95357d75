// Sync panel: connection, what waits to reach head office, the last sync, and every conflict with
// who won it.
import { formatInstant } from '../../../core/words/date-format';
import { unsentSalesText } from '../../state/session-slice';
import { useTill } from '../store-context';
import { reasonText } from '../../format/reason-text';
import { useDisplayContext, useMoney } from '../use-format';

export function SyncPanel() {
  const sync = useTill((s) => s.sync);
  const conflicts = useTill((s) => s.conflicts);
  const syncNow = useTill((s) => s.syncNow);
  const ack = useTill((s) => s.acknowledgeConflict);
  const hqUrl = useTill((s) => s.hqUrl);
  const unpair = useTill((s) => s.unpair);
  const unsentElsewhere = useTill((s) => s.unsentElsewhere);
  const { timeZone, locale } = useTill((s) => s.settings);
  const money = useMoney();
  const d = useDisplayContext();
  const at = (t: number | string) => formatInstant(t, timeZone, locale);
  return (
    <section aria-labelledby="sync-title" className="desk">
      <h1 id="sync-title">Sync with head office</h1>
      <dl className="card">
        <dt>Head office</dt><dd>{hqUrl}</dd>
        <dt>Connection</dt><dd data-testid="sync-online">{sync.online === null ? 'Not tried yet' : sync.online ? 'Online' : 'Offline — sales go on and wait here'}</dd>
        <dt>Waiting to sync</dt><dd data-testid="sync-pending">{sync.pendingOps}</dd>
        <dt>Last successful sync</dt><dd data-testid="sync-last">{sync.lastSyncAt ? at(sync.lastSyncAt) : 'Never'}</dd>
        {sync.lastError && (<><dt>Last error</dt><dd>{sync.lastError.message} ({at(sync.lastError.at)})</dd></>)}
        {sync.nextRetryAt && !sync.online && (<><dt>Next try</dt><dd>{at(sync.nextRetryAt)}</dd></>)}
      </dl>
      {unsentElsewhere.length > 0 && (
        <p className="warning" data-testid="unsent-elsewhere">
          {unsentSalesText(unsentElsewhere)}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void syncNow()} disabled={sync.syncing} data-testid="sync-now">{sync.syncing ? 'Syncing…' : 'Sync now'}</button>
        <button type="button" onClick={() => void unpair()}>Unpair this till</button>
      </div>
      <h2>Conflicts</h2>
      {conflicts.length === 0 ? (
        <p data-testid="no-conflicts">No conflicts.</p>
      ) : (
        <table className="conflicts-table" data-testid="conflicts">
          <thead>
            <tr><th scope="col">Voucher</th><th scope="col">Ticket</th><th scope="col">Amount</th><th scope="col">What happened</th><th scope="col">Winner</th><th scope="col">Seen</th></tr>
          </thead>
          <tbody>
            {conflicts.map((c) => (
              <tr key={c.op_id} data-testid="conflict-row" className={c.acknowledged ? 'muted' : ''}>
                <td>{c.code}</td>
                <td className="mono">{c.ticket_id.slice(0, 8)}</td>
                <td className="num">{money(c.amount)}</td>
                <td>{c.winner ? 'Another till used it first.' : reasonText(c.reason, c.code, undefined, d)} The sale stands; head office has the details. (noticed {at(c.detected_at)})</td>
                <td data-testid="conflict-winner">{c.winner ? `Till ${c.winner.till_id?.slice(0, 8) ?? '?'} at ${c.winner.occurred_at ? at(c.winner.occurred_at) : '?'}` : '—'}</td>
                <td>{c.acknowledged ? 'Yes' : <button type="button" onClick={() => void ack(c.op_id)}>Mark seen</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// Sync panel: connection, what waits to reach head office, the last sync, and every conflict with
// who won it.
import { formatInstant } from '../../../core/words/date-format';
import { unsentSalesText } from '../../state/session-slice';
import { useTill } from '../store-context';
import { reasonText } from '../../format/reason-text';
import { syncErrorText } from '../../format/sync-error-text';
import { useDisplayContext, useMoney, useT } from '../use-format';

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
  const t = useT();
  const at = (when: number | string) => formatInstant(when, timeZone, locale);
  return (
    <section aria-labelledby="sync-title" className="desk">
      <h1 id="sync-title">{t('Sync with head office')}</h1>
      <dl className="card">
        <dt>{t('Head office')}</dt><dd>{hqUrl}</dd>
        <dt>{t('Connection')}</dt><dd data-testid="sync-online">{sync.online === null ? t('Not tried yet') : sync.online ? t('Online') : t('Offline — sales go on and wait here')}</dd>
        <dt>{t('Waiting to sync')}</dt><dd data-testid="sync-pending">{sync.pendingOps}</dd>
        <dt>{t('Last successful sync')}</dt><dd data-testid="sync-last">{sync.lastSyncAt ? at(sync.lastSyncAt) : t('Never')}</dd>
        {sync.lastError && (
          <>
            <dt>{t('Last error')}</dt>
            <dd data-testid="sync-error">
              {t('{{why}} ({{when}})', { why: syncErrorText(sync.lastError, t), when: at(sync.lastError.at) })}
              <br /><small lang="en">{sync.lastError.message}</small>
            </dd>
          </>
        )}
        {sync.nextRetryAt && !sync.online && (<><dt>{t('Next try')}</dt><dd>{at(sync.nextRetryAt)}</dd></>)}
      </dl>
      {unsentElsewhere.length > 0 && (
        <p className="warning" data-testid="unsent-elsewhere">
          {unsentSalesText(unsentElsewhere, t)}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void syncNow()} disabled={sync.syncing} data-testid="sync-now">{sync.syncing ? t('Syncing…') : t('Sync now')}</button>
        <button type="button" onClick={() => void unpair()}>{t('Unpair this till')}</button>
      </div>
      <h2>{t('Conflicts')}</h2>
      {conflicts.length === 0 ? (
        <p data-testid="no-conflicts">{t('No conflicts.')}</p>
      ) : (
        <table className="conflicts-table" data-testid="conflicts">
          <thead>
            <tr><th scope="col">{t('Voucher')}</th><th scope="col">{t('Ticket')}</th><th scope="col">{t('Amount')}</th><th scope="col">{t('What happened')}</th><th scope="col">{t('Winner')}</th><th scope="col">{t('Seen')}</th></tr>
          </thead>
          <tbody>
            {conflicts.map((c) => (
              <tr key={c.op_id} data-testid="conflict-row" className={c.acknowledged ? 'muted' : ''}>
                <td>{c.code}</td>
                <td className="mono">{c.ticket_id.slice(0, 8)}</td>
                <td className="num">{money(c.amount)}</td>
                <td>{t('{{what}} The sale stands; head office has the details. (noticed {{when}})', { what: c.winner ? t('Another till used it first.') : reasonText(c.reason, c.code, undefined, d), when: at(c.detected_at) })}</td>
                <td data-testid="conflict-winner">{c.winner ? t('Till {{till}} at {{when}}', { till: c.winner.till_id?.slice(0, 8) ?? '?', when: c.winner.occurred_at ? at(c.winner.occurred_at) : '?' }) : '—'}</td>
                <td>{c.acknowledged ? t('Yes') : <button type="button" onClick={() => void ack(c.op_id)}>{t('Mark seen')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

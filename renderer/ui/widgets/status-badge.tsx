import { useTill } from '../store-context';
import { useT } from '../use-format';

/** Always visible: online/offline and what is waiting to reach head office. */
export function StatusBadge() {
  const sync = useTill((s) => s.sync);
  const go = useTill((s) => s.go);
  const t = useT();
  const label = sync.online === null ? t('Connecting') : sync.online ? t('Online') : t('Offline');
  const pending = t('{{count}} pending', { count: sync.pendingOps });
  const conflicts = t('{{count}} conflicts', { count: sync.unacknowledgedConflicts });
  return (
    <button type="button" className={`badge ${sync.online === false ? 'offline' : sync.online ? 'online' : ''}`} onClick={() => go('sync')} data-testid="sync-badge" aria-label={t('{{state}}, {{pending}}, {{conflicts}}. Open the sync panel (F9)', { state: label, pending, conflicts })}>
      <span data-testid="online-state">{label}</span>
      <span data-testid="pending-count">{pending}</span>
      {sync.unacknowledgedConflicts > 0 && <span className="conflicts">{conflicts}</span>}
    </button>
  );
}

import { useTill } from '../store-context';

/** Always visible: online/offline and what is waiting to reach head office. */
export function StatusBadge() {
  const sync = useTill((s) => s.sync);
  const go = useTill((s) => s.go);
  const label = sync.online === null ? 'Connecting' : sync.online ? 'Online' : 'Offline';
  return (
    <button type="button" className={`badge ${sync.online === false ? 'offline' : sync.online ? 'online' : ''}`} onClick={() => go('sync')} data-testid="sync-badge" aria-label={`${label}, ${sync.pendingOps} pending, ${sync.unacknowledgedConflicts} conflicts. Open the sync panel (F9)`}>
      <span data-testid="online-state">{label}</span>
      <span data-testid="pending-count">{sync.pendingOps} pending</span>
      {sync.unacknowledgedConflicts > 0 && <span className="conflicts">{sync.unacknowledgedConflicts} conflict{sync.unacknowledgedConflicts === 1 ? '' : 's'}</span>}
    </button>
  );
}

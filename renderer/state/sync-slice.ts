// The sync panel's state: the engine's status (pushed by till.subscribe) and the conflicts list.
import type { SliceArgs, SyncSlice } from './types';
import { translatorFor } from '../../core/words/i18n';

export function createSyncSlice(...[set, get]: SliceArgs): SyncSlice {
  return {
    sync: { online: null, syncing: false, pendingOps: 0, unacknowledgedConflicts: 0, lastSyncAt: null, lastError: null, nextRetryAt: null },
    conflicts: [],
    async refreshConflicts() {
      const till = get().till;
      if (till) set({ conflicts: await till.conflicts() });
    },
    async syncNow() {
      const till = get().till;
      if (!till) return;
      const status = await till.syncNow();
      const t = translatorFor(get().settings.locale);
      get().say(status.online ? 'success' : 'error', status.online ? t('Synced with head office.') : t('Head office cannot be reached. Sales go on; {{count}} waiting to sync.', { count: status.pendingOps }));
      await get().refreshConflicts();
    },
    async acknowledgeConflict(opId) {
      await get().till?.acknowledgeConflict(opId);
      await get().refreshConflicts();
    },
  };
}

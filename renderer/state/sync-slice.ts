// The sync panel's state: the engine's status (pushed by till.subscribe) and the conflicts list.
import type { SliceArgs, SyncSlice } from './types';

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
      get().say(status.online ? 'success' : 'error', status.online ? 'Synced with head office.' : `Head office cannot be reached. Sales go on; ${status.pendingOps} waiting to sync.`);
      await get().refreshConflicts();
    },
    async acknowledgeConflict(opId) {
      await get().till?.acknowledgeConflict(opId);
      await get().refreshConflicts();
    },
  };
}

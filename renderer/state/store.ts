// One zustand store of typed slices (vanilla: tests use it through getState(), no React needed).
import { createStore } from 'zustand/vanilla';
import { createUiSlice } from './ui-slice';
import { createSessionSlice } from './session-slice';
import { createTicketSlice } from './ticket-slice';
import { createVoucherCheckSlice } from './voucher-check-slice';
import { createGiftCardSlice } from './gift-card-slice';
import { createRefundSlice } from './refund-slice';
import { createSyncSlice } from './sync-slice';
import { createSettingsSlice } from './settings-slice';
import type { StoreDeps, TillState, TillStore } from './types';

export function createTillStore(deps: StoreDeps): TillStore {
  return createStore<TillState>()((set, get) => {
    const args = [set, get, deps] as const;
    return {
      ...createUiSlice(...args),
      ...createSessionSlice(...args),
      ...createTicketSlice(...args),
      ...createVoucherCheckSlice(...args),
      ...createGiftCardSlice(...args),
      ...createRefundSlice(...args),
      ...createSyncSlice(...args),
      ...createSettingsSlice(...args),
    };
  });
}

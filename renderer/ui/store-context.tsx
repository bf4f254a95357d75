// The store reaches components through context, so a test or a second window can mount its own.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { TillState, TillStore } from '../state/types';

const StoreContext = createContext<TillStore | null>(null);

export function StoreProvider({ store, children }: { store: TillStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useTillStore(): TillStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreProvider is missing');
  return store;
}

export function useTill<T>(selector: (state: TillState) => T): T {
  return useStore(useTillStore(), selector);
}

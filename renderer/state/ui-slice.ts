import type { SliceArgs, UiSlice } from './types';

export function createUiSlice(...[set, get, deps]: SliceArgs): UiSlice {
  return {
    screen: 'checkout',
    notice: null,
    entryMode: 'code',
    selectedLine: -1,
    setEntryMode: (entryMode) => set({ entryMode, screen: 'checkout' }),
    selectLine: (index) => set({ selectedLine: Math.max(-1, Math.min(index, get().lines.length - 1)) }),
    go: (screen) => set({ screen, notice: null }),
    say: (tone, text) => set({ notice: { tone, text, at: deps.now() } }),
  };
}

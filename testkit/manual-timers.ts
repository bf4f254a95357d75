// Timers that run only when a test fires them: the sync engine's timers (retries, the periodic
// cycle, debounces) made explicit, so no test decides a race by sleeping.
import type { Timers } from '../sync/engine/sync-engine';

export function manualTimers() {
  let id = 0;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(++id, { fn, ms });
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const run = (which: (ms: number) => boolean) => {
    for (const [key, t] of [...pending]) {
      if (!which(t.ms)) continue;
      pending.delete(key);
      t.fn();
    }
  };
  return {
    timers,
    pending,
    /** The delays of the timers now pending. */
    delays: () => [...pending.values()].map((t) => t.ms),
    /** Run (and remove) every pending timer with at most this delay. */
    fire: (maxMs = Infinity) => run((ms) => ms <= maxMs),
    /** Run (and remove) the pending timers of exactly this delay. */
    fireExactly: (ms: number) => run((d) => d === ms),
  };
}

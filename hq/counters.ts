// Abuse counters — failed authentications (hq/auth.ts) and pairing attempts (hq/routes/pairing.ts) —
// counted per key in fixed windows: a key's window starts with its first event and lasts `windowMs`.
// HQ on PostgreSQL may be several processes behind one load balancer, so there the counts live in the
// database (`abuse_counters`), shared by all; PGlite is one process, so there they live in memory.
//
// The fast path stays cheap: only the events counted (a failure, a pairing attempt) touch the store,
// one statement for all of an event's keys; a success never does. Each process remembers the keys it
// has seen reach their limit (createLimiter), so a blocked key is refused without any I/O for the
// rest of its window — the first attempt at another process costs that process one look-up, then it
// knows too.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db/connect';

/** A key's count in its current window (this event included) and the milliseconds left of the window. */
export type Hit = { count: number; leftMs: number };

export type CounterStore = {
  /** Count one event for each key (atomically per key); answers in the order of `keys`. */
  hit(keys: readonly string[], windowMs: number): Promise<Hit[]>;
  /** Take one event back from each key's current window (an attempt counted up front that succeeded). */
  forgive(keys: readonly string[], windowMs: number): Promise<void>;
};

/**
 * Counts per key in this process's memory. After `limit` events within `windowMs` of the first, the
 * key is blocked until the window has passed. Memory is bounded: past `maxKeys` keys the oldest
 * window is forgotten first (a Map iterates in insertion order, and a key is re-inserted when its
 * window restarts).
 */
export function createAuthThrottle({ limit = 20, windowMs = 60_000, now = () => Date.now(), maxKeys = 10_000 } = {}) {
  const windows = new Map<string, { count: number; since: number }>();
  const current = (key: string) => {
    const w = windows.get(key);
    if (w && now() - w.since >= windowMs) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  return {
    /** Seconds to wait, or 0 when the key may try. */
    blockedFor(key: string): number {
      const w = current(key);
      return w && w.count >= limit ? Math.ceil((windowMs - (now() - w.since)) / 1000) : 0;
    },
    /** Count one event (a failure): the key's count in its window and the time left of the window. */
    fail(key: string): Hit {
      let w = current(key);
      if (w) w.count += 1;
      else {
        w = { count: 1, since: now() };
        windows.set(key, w);
        if (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
      }
      return { count: w.count, leftMs: windowMs - (now() - w.since) };
    },
    /** Take one event back (never below zero). */
    forgive(key: string): void {
      const w = current(key);
      if (w && w.count > 0) w.count -= 1;
    },
  };
}

/** The store of one process on its own (PGlite). Counting happens when hit() is called, synchronously. */
export function memoryCounters({ now = () => Date.now(), maxKeys = 10_000 } = {}): CounterStore {
  const byWindow = new Map<number, ReturnType<typeof createAuthThrottle>>();
  return {
    async hit(keys, windowMs) {
      let counter = byWindow.get(windowMs);
      if (!counter) byWindow.set(windowMs, (counter = createAuthThrottle({ limit: Infinity, windowMs, now, maxKeys })));
      return keys.map((key) => counter.fail(key));
    },
    async forgive(keys, windowMs) {
      const counter = byWindow.get(windowMs);
      for (const key of keys) counter?.forgive(key);
    },
  };
}

/** Expired rows are deleted at most this often per process (on an event, never on a timer). */
const SWEEP_EVERY_MS = 60_000;

/**
 * The store shared by every HQ process on one PostgreSQL: one row per key (`abuse_counters`: key,
 * count, window_ends), bumped by one upsert per event that also starts a new window when the old one
 * has ended. Windows are measured by the database's clock (one clock for every machine), unless `now`
 * is given (tests move time with it). Keys are upserted in sorted order, so two events never wait
 * for each other's rows in opposite orders (no deadlock). Rows of ended windows are swept now and
 * then, skipping rows an upsert holds.
 */
export function postgresCounters(db: Db, { now }: { now?: () => number } = {}): CounterStore {
  let nextSweep = 0;
  const at = () => (now ? sql`to_timestamp(${now()}::double precision / 1000)` : sql`now()`);
  return {
    async hit(keys, windowMs) {
      const unique = [...new Set(keys)].sort();
      const rows = rowsOf<{ key: string; count: number; left_ms: string | number }>(
        await db.execute(sql`WITH t AS (SELECT ${at()} AS at)
          INSERT INTO abuse_counters AS c (key, count, window_ends)
          SELECT k, 1, t.at + ${windowMs} * interval '1 millisecond' FROM jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb) AS k, t ORDER BY k
          ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN c.window_ends <= (SELECT at FROM t) THEN 1 ELSE c.count + 1 END,
            window_ends = CASE WHEN c.window_ends <= (SELECT at FROM t) THEN excluded.window_ends ELSE c.window_ends END
          RETURNING c.key, c.count, round(extract(epoch FROM c.window_ends - (SELECT at FROM t)) * 1000) AS left_ms`),
      );
      const byKey = new Map(rows.map((r) => [r.key, { count: Number(r.count), leftMs: Number(r.left_ms) }]));
      const local = now?.() ?? Date.now();
      if (local >= nextSweep) {
        nextSweep = local + SWEEP_EVERY_MS;
        await db
          .execute(sql`DELETE FROM abuse_counters WHERE key IN (SELECT key FROM abuse_counters WHERE window_ends <= ${at()} FOR UPDATE SKIP LOCKED)`)
          .catch(() => {}); // a failed sweep is retried by a later one; the count above stands
      }
      return keys.map((key) => byKey.get(key)!);
    },
    async forgive(keys) {
      const unique = [...new Set(keys)].sort();
      await db.execute(sql`UPDATE abuse_counters SET count = greatest(count - 1, 0) WHERE key IN (SELECT jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb)) AND window_ends > ${at()}`);
    },
  };
}

/**
 * Limits on top of a store. knownWait() answers from this process's memory alone (no I/O): the keys
 * it has seen reach their limit, until their windows end (at most `maxKeys`, the oldest forgotten
 * first). count() counts one event and says, per key, how long to wait when this event is over the
 * key's limit (0 when it is within).
 */
export function createLimiter(store: CounterStore, { windowMs = 60_000, now = () => Date.now(), maxKeys = 10_000 } = {}) {
  const blockedUntil = new Map<string, number>();
  return {
    /** Seconds `key` must still wait as far as this process knows, or 0. */
    knownWait(key: string): number {
      const until = blockedUntil.get(key);
      if (until === undefined) return 0;
      const left = until - now();
      if (left > 0) return Math.ceil(left / 1000);
      blockedUntil.delete(key);
      return 0;
    },
    /** Count one event for each [key, limit]: per key, seconds to wait if this event is over the limit, else 0. */
    async count(entries: readonly (readonly [key: string, limit: number])[]): Promise<number[]> {
      const hits = await store.hit(
        entries.map(([key]) => key),
        windowMs,
      );
      return entries.map(([key, limit], i) => {
        const { count, leftMs } = hits[i]!;
        if (count >= limit && leftMs > 0) {
          blockedUntil.delete(key);
          blockedUntil.set(key, now() + leftMs);
          if (blockedUntil.size > maxKeys) blockedUntil.delete(blockedUntil.keys().next().value!);
        }
        return count > limit ? Math.max(1, Math.ceil(leftMs / 1000)) : 0;
      });
    },
    /** Take back one event counted by count() (it turned out fine): the keys are no longer known blocked here. */
    async forgive(keys: readonly string[]): Promise<void> {
      for (const key of keys) blockedUntil.delete(key);
      await store.forgive(keys, windowMs);
    },
  };
}

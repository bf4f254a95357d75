// When HQ last heard from each till, and whether its event stream is open — for the back office's tills
// screen. Written to till_contacts, not the tills row: the change feed's cache compares that row's
// version (hq/auth.ts), and a contact must not make every till's next page a cache miss.
//
// A till asks HQ every few seconds; recording each request would be one write per request across a
// fleet. Each process writes a till's contact at most once a minute (a Map of the last write, bounded),
// so "last contact" is accurate to a minute. Writes are fire-and-forget for the request (a failure is
// logged; the request is never slowed or failed by it), but one till's writes go one after another (an
// "opened" can never land after its "closed" on another pooled connection), and flush() — HQ's close —
// waits for all of them before the database closes. A stream that a process killed without closing
// leaves "open" recorded until the till's next stream opens or closes somewhere.
import { sql } from 'drizzle-orm';
import type { Db } from './db/connect';

const EVERY_MS = 60_000;
const MAX_REMEMBERED = 20_000;

export type TillContacts = {
  seen(tillId: string): void;
  /** Returns the moment recorded, to hand to streamClosed: a later stream of the same till is not marked closed by this one's end. */
  streamOpened(tillId: string): string;
  streamClosed(tillId: string, openedAt: string): void;
  /** Resolves when every write asked for so far has been made (or has failed and been logged). */
  flush(): Promise<void>;
};

export function createTillContacts(db: Db, log: (error: unknown) => void, now: () => number = Date.now): TillContacts {
  const lastWrite = new Map<string, number>();
  /** Each till's last write still in flight: its next one waits for it. */
  const chains = new Map<string, Promise<void>>();
  const run = (tillId: string, statement: ReturnType<typeof sql>) => {
    const next = (chains.get(tillId) ?? Promise.resolve()).then(
      () => db.execute(statement).then(() => undefined, log),
    );
    chains.set(tillId, next);
    void next.then(() => {
      if (chains.get(tillId) === next) chains.delete(tillId);
    });
  };
  return {
    seen(tillId) {
      const t = now();
      const last = lastWrite.get(tillId);
      if (last !== undefined && t - last < EVERY_MS) return;
      lastWrite.delete(tillId);
      lastWrite.set(tillId, t);
      if (lastWrite.size > MAX_REMEMBERED) lastWrite.delete(lastWrite.keys().next().value!);
      run(tillId, sql`INSERT INTO till_contacts (till_id, last_seen_at) VALUES (${tillId}::uuid, now()) ON CONFLICT (till_id) DO UPDATE SET last_seen_at = excluded.last_seen_at`);
    },
    streamOpened(tillId) {
      const at = new Date(now()).toISOString();
      run(tillId, sql`INSERT INTO till_contacts (till_id, last_seen_at, stream_opened_at) VALUES (${tillId}::uuid, ${at}, ${at})
        ON CONFLICT (till_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, stream_opened_at = excluded.stream_opened_at, stream_closed_at = NULL`);
      return at;
    },
    streamClosed(tillId, openedAt) {
      const at = new Date(now()).toISOString();
      run(tillId, sql`UPDATE till_contacts SET stream_closed_at = ${at}, last_seen_at = ${at} WHERE till_id = ${tillId}::uuid AND stream_opened_at = ${openedAt}::timestamptz`);
    },
    async flush() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}

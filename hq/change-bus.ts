// Announcements of new checkpoints, for the SSE stream (hq/routes/sync.ts) and anything that must know
// the newest one (`latest`). A writer calls announce(checkpoint) after its transaction commits; every
// subscriber hears the newest checkpoint at most once per ANNOUNCE_WINDOW_MS (trailing), so a burst
// of commits costs each connected till one wake-up and one pull, not one per commit.
//
// HQ on PostgreSQL may run as several processes (node:cluster workers, several machines behind a load
// balancer): createPgChangeBus carries announcements between them with LISTEN/NOTIFY. PGlite is one
// process by construction, so there the bus stays in process (createChangeBus).
import pg from 'pg';
import { HEAD_SQL } from './changes';

/** At most one announcement per subscriber per this many milliseconds (the newest checkpoint, trailing). */
export const ANNOUNCE_WINDOW_MS = 50;
/** The PostgreSQL channel; the payload is the checkpoint as decimal digits. */
export const CHANGE_CHANNEL = 'voucher_changes';

export type ChangeBus = {
  /** Changes up to `checkpoint` are committed (call after the commit). Raises `latest` at once. */
  announce(checkpoint: number): void;
  /** Hears the newest checkpoint, at most once per window; returns the unsubscribe function. */
  subscribe(listener: (checkpoint: number) => void): () => void;
  /**
   * The highest checkpoint announced by any process, raised as soon as it is known — before the
   * subscribers hear of it — so whatever a subscriber's wake-up leads to (a pull, a cache check) sees it.
   */
  readonly latest: number;
  /** Stops listening (PostgreSQL) and drops a pending announcement. */
  close(): Promise<void>;
};

/**
 * The in-process half every bus has: `latest`, the subscribers and the coalescing window. Every
 * observation schedules a wake-up, even one below `latest`: with change numbers handed out in commit
 * order (hq/changes.ts) that is only a spare pull for tills behind, but if numbers ever commit out of
 * order, a till whose pull stopped below a late commit needs that wake-up to come back for it.
 */
function createLocalBus(windowMs: number) {
  const listeners = new Set<(checkpoint: number) => void>();
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const emit = () => {
    timer = null;
    if (!latest) return;
    const checkpoint = latest;
    for (const listener of listeners) {
      try {
        listener(checkpoint);
      } catch {
        // one broken subscriber (a socket that just closed) must not keep the others from hearing
      }
    }
  };
  return {
    /** Raise `latest` and schedule a wake-up: subscribers hear the newest checkpoint when the window ends. */
    observe(checkpoint: number): void {
      if (!(checkpoint > 0)) return;
      if (checkpoint > latest) latest = checkpoint;
      if (windowMs <= 0) emit();
      else timer ??= setTimeout(emit, windowMs).unref();
    },
    subscribe(listener: (checkpoint: number) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get latest() {
      return latest;
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}

/** The bus for one HQ process on its own (PGlite, tests that build one server). */
export function createChangeBus({ windowMs = ANNOUNCE_WINDOW_MS } = {}): ChangeBus {
  const local = createLocalBus(windowMs);
  return {
    announce: (checkpoint) => local.observe(checkpoint),
    subscribe: (listener) => local.subscribe(listener),
    get latest() {
      return local.latest;
    },
    close: async () => local.close(),
  };
}

/**
 * The highest change number a pull can return now: the largest committed `change_seq` (four index
 * look-ups). Not `last_value` of the sequence: that may be a number drawn by a transaction that has
 * not committed yet (or rolled back), and announcing it would send every till to pull for nothing.
 */

export type PgChangeBusOptions = {
  url: string;
  windowMs?: number;
  /** Reconnect delays: from `minRetryMs`, doubling up to `maxRetryMs` (with jitter). */
  minRetryMs?: number;
  maxRetryMs?: number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
};

/**
 * The bus of one HQ process among several on one PostgreSQL. Each process holds one dedicated
 * connection (not from the pool: a LISTEN belongs to its session) that LISTENs on CHANGE_CHANNEL.
 * - announce(cp) raises `latest` here at once and NOTIFYs the others on that same connection. NOTIFY
 *   is sent after the commit, never inside the writing transaction: a transactional NOTIFY takes a
 *   database-wide lock at commit and would serialise every writer. One NOTIFY is in flight at a time,
 *   carrying the newest checkpoint, so a burst of commits is a few NOTIFYs, not one each.
 * - A notification raises `latest` and reaches local subscribers through the same window.
 * - When the connection drops (database restart, network, pg_terminate_backend) it reconnects with
 *   backoff, LISTENs again, then reads the head (HEAD_SQL) — in that order, so a change committed in
 *   between is heard one way or the other — wakes its subscribers with it, and, if this process
 *   announced anything while cut off, NOTIFYs the newest checkpoint it knows. What was missed in
 *   between is thereby covered: tills woken by the head pull from their own checkpoints.
 * A NOTIFY lost for good (a process that dies between its commit and its NOTIFY) delays that change
 * until the next announcement or the till's periodic pull; it never loses it, because a pull starts
 * from the till's own checkpoint, not from what was announced.
 */
export function createPgChangeBus(options: PgChangeBusOptions): ChangeBus & { ready: Promise<void>; readonly connected: boolean } {
  const local = createLocalBus(options.windowMs ?? ANNOUNCE_WINDOW_MS);
  const minRetryMs = options.minRetryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** This process announced something the others have not been told of yet. */
  let pending = false;
  let sending = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  /** One NOTIFY in flight at a time, carrying the newest checkpoint when it is sent. */
  const flush = () => {
    if (sending || !pending || !connected || !client) return;
    sending = true;
    pending = false;
    client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, String(local.latest)]).then(
      () => {
        sending = false;
        flush();
      },
      () => {
        sending = false;
        pending = true; // the connection's error handler reconnects; flush runs again after that
      },
    );
  };

  const reconnectLater = (c: pg.Client, error?: unknown) => {
    if (c !== client) return; // an old connection's late event
    client = null;
    connected = false;
    c.end().catch(() => {});
    if (closed) return;
    const delay = Math.min(maxRetryMs, minRetryMs * 2 ** failures) * (0.5 + Math.random() / 2);
    failures += 1;
    options.log?.warn({ err: error, retryInMs: Math.round(delay) }, 'change bus: LISTEN connection lost; reconnecting');
    retryTimer = setTimeout(connect, delay);
  };

  function connect() {
    retryTimer = null;
    if (closed) return;
    const c = new pg.Client({ connectionString: options.url, application_name: 'voucher-till hq listen', keepAlive: true });
    client = c;
    c.on('error', (error) => reconnectLater(c, error));
    c.on('end', () => reconnectLater(c));
    c.on('notification', (message) => {
      // This connection's own NOTIFYs come back to it too; local subscribers heard those already.
      if (message.processId === (c as unknown as { processID: number | null }).processID) return;
      if (message.channel !== CHANGE_CHANNEL || !/^\d{1,15}$/.test(message.payload ?? '')) return;
      local.observe(Number(message.payload));
    });
    (async () => {
      await c.connect();
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      const head = Number((await c.query<{ head: string }>(HEAD_SQL)).rows[0]?.head ?? 0);
      if (c !== client) return;
      connected = true;
      if (failures) options.log?.info({ head }, 'change bus: LISTEN connection back');
      failures = 0;
      local.observe(head);
      flush();
      resolveReady();
    })().catch((error: unknown) => reconnectLater(c, error));
  }

  connect();
  return {
    ready,
    get connected() {
      return connected;
    },
    announce(checkpoint) {
      if (!(checkpoint > 0)) return;
      local.observe(checkpoint);
      pending = true; // kept while cut off: sent once the connection is back
      flush();
    },
    subscribe: (listener) => local.subscribe(listener),
    get latest() {
      return local.latest;
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      local.close();
      const c = client;
      client = null;
      connected = false;
      resolveReady(); // nobody waits for a bus that will never connect
      await c?.end().catch(() => {});
    },
  };
}

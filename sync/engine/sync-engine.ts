// The till's sync loop. "Online" means the last request to HQ succeeded (navigator.onLine is only a
// hint that makes us retry at once). A cycle pushes the outbox oldest-first in batches, then pulls
// the change feed until has_more is false. Failures back off exponentially with jitter; a
// Retry-After from HQ is honoured; the browser's `online` event and a local sale retry at once; an
// SSE `changes` event triggers a pull within a second, and a `page` event is applied as it comes when
// it can stand in for a pull (sync/replica/apply-pull.ts, applyStreamPage), held for the pages that
// complete it when it is incomplete, else pulled for.
import type { ReplicaDb } from '../replica/db';
import { readMeta } from '../replica/meta';
import { applyPushResults, markSending } from '../replica/apply-push';
import { applyChangesPage, applyStreamPage } from '../replica/apply-pull';
import type { StreamPage } from '../protocol';
import type { HqClient, FetchLike } from './hq-client';
import { SyncError, type SyncErrorReason } from './sync-error';
import { nextDelayMs } from './backoff';
import { defaultLocks, type LockManagerLike } from './sender-lock';
import { readChangeStream, type StreamEvent } from './event-stream';
import { joinStreamPages } from './join-stream-pages';

/**
 * How long an incomplete stream page waits for the pages that complete it before the till pulls
 * instead (HQ's next fan-outs normally bring them within a second).
 */
export const HELD_PAGE_MS = 3_000;

export type SyncStatus = {
  /** null until the first request to HQ has finished. */
  online: boolean | null;
  syncing: boolean;
  pendingOps: number;
  unacknowledgedConflicts: number;
  lastSyncAt: number | null;
  /** The last failure: the engine's reason, HQ's problem code if it sent one, the technical message (English, for IT). */
  lastError: { reason: SyncErrorReason; code?: string; message: string; at: number } | null;
  nextRetryAt: number | null;
};

export type PullProgress = { pages: number; vouchers: number; products: number; customers: number; checkpoint: string; fraction: number | null };

export type Timers = { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };

export type SyncEngineOptions = {
  db: ReplicaDb;
  client: HqClient;
  /** Identifies the till's outbox for the one-sender lock. */
  lockName: string;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  locks?: LockManagerLike;
  pushBatchSize?: number;
  pullPageSize?: number;
  periodicMs?: number;
  /** Connect to GET /v1/sync/stream while online (needs a fetch with streaming bodies). */
  stream?: { fetch: FetchLike } | false;
  /** Browser `online` events, where there are any. */
  onlineEvents?: { addEventListener(type: 'online', fn: () => void): void; removeEventListener(type: 'online', fn: () => void): void };
};

export function createSyncEngine(o: SyncEngineOptions) {
  const now = o.now ?? (() => Date.now());
  const random = o.random ?? Math.random;
  const timers: Timers = o.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  const locks = o.locks ?? defaultLocks();
  // The protocol's largest push batch and change page: fewer round trips and transactions.
  const batchSize = o.pushBatchSize ?? 1000;
  const pageSize = o.pullPageSize ?? 10_000;
  const periodicMs = o.periodicMs ?? 30_000;

  let status: SyncStatus = { online: null, syncing: false, pendingOps: 0, unacknowledgedConflicts: 0, lastSyncAt: null, lastError: null, nextRetryAt: null };
  const listeners = new Set<(s: SyncStatus) => void>();
  let attempt = 0;
  let timer: unknown = null;
  let countTimer: unknown = null;
  let running = false;
  let streamAbort: AbortController | null = null;
  let inFlight: Promise<SyncStatus> | null = null;
  /** The next cycle must pull (see runCycle); the first one does. */
  let pullWanted = true;
  /** The cycle in flight has decided not to pull. */
  let skippingPull = false;
  /** HQ has answered the event stream and it has not ended since. */
  let streamOpen = false;
  /** A local change arrived since the current cycle began: it may have missed that cycle's push. */
  let changedSinceCycleStart = false;

  function set(patch: Partial<SyncStatus>) {
    status = { ...status, ...patch };
    for (const l of listeners) l(status);
  }

  async function refreshCounts() {
    const [pendingOps, unacknowledgedConflicts] = await Promise.all([o.db.outbox.count(), o.db.conflicts.where('acknowledged').equals(0).count()]);
    set({ pendingOps, unacknowledgedConflicts });
  }

  /**
   * Push what the outbox holds when the cycle begins. The next batch is sent while the previous
   * answer is being applied (HQ and IndexedDB then work at the same time); answers are applied in
   * order. HQ has applied a batch once it answered, so the next one continues its seqs without a gap;
   * a crash before an answer is applied re-sends those ops and HQ replays its stored answers.
   */
  async function pushAll(): Promise<void> {
    let sentUpTo = 0;
    // Only what is in the outbox now: sales made meanwhile go in the next cycle, which the sale asks
    // for. A till selling faster than HQ answers would otherwise stay in this loop and never reach
    // its pull — or let a stream page in (both wait for this cycle) — while the sales go on.
    const upTo = (await o.db.outbox.orderBy('seq').last())?.seq ?? 0;
    let applying: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const ops = await o.db.outbox.where('seq').between(sentUpTo, upTo, false, true).limit(batchSize).toArray();
        if (!ops.length) break;
        const firstSentAbove = await markSending(o.db, ops);
        const response = await o.client.push(ops);
        // HQ answers every op of a batch (contract: outcomes are per op). An answer that leaves some
        // unanswered is broken: applying it would delete nothing and this loop would re-push the same
        // batch at once, forever, while HQ keeps answering that way. Refuse it whole and back off.
        const answered = new Set(response.results.map((r) => r.op_id.toLowerCase()));
        const unanswered = ops.filter((op) => !answered.has(op.op_id.toLowerCase())).length;
        if (unanswered) throw new SyncError('invalid-schema', `HQ's answer to a push of ${ops.length} ops leaves ${unanswered} of them unanswered`);
        set({ online: true });
        await applying;
        applying = applyPushResults(o.db, ops, response, now(), firstSentAbove).then(refreshCounts);
        applying.catch(() => {}); // observed by the next turn or below, not "unhandled" meanwhile
        sentUpTo = ops[ops.length - 1]!.seq;
      }
    } finally {
      // Never leave an apply running (or its error unobserved) when a push fails.
      await applying.catch(() => {});
    }
    await applying;
    // Ops queued meanwhile (a sale in another window tells no one here): another cycle at once.
    if (await o.db.outbox.where('seq').above(upTo).count()) changedSinceCycleStart = true;
  }

  /** Pull pages until has_more is false; each page is applied with its checkpoint. */
  async function pullAll(onProgress?: (p: PullProgress) => void): Promise<PullProgress> {
    const startCp = Number((await readMeta(o.db, 'checkpoint')) ?? 0);
    const progress: PullProgress = { pages: 0, vouchers: 0, products: 0, customers: 0, checkpoint: String(startCp), fraction: null };
    let next = o.client.changes(progress.checkpoint, pageSize);
    for (;;) {
      const page = await next;
      set({ online: true });
      // HQ computes the next page while this one is written (the two take about as long in a first
      // load). A page fetched before this one is applied is still applied correctly: it carries its
      // own last_seq and is rebased on what is pending when it is applied.
      if (page.has_more) {
        next = o.client.changes(page.checkpoint, pageSize);
        next.catch(() => {}); // awaited on the next turn; if this page fails, that error is the one reported
      }
      await applyChangesPage(o.db, page, now());
      progress.pages += 1;
      progress.vouchers += page.vouchers.length;
      progress.products += page.products.length;
      progress.customers += page.customers.length;
      progress.checkpoint = page.checkpoint;
      const latest = page.latest_checkpoint === undefined ? null : Number(page.latest_checkpoint);
      progress.fraction = !page.has_more ? 1 : latest && latest > startCp ? Math.min(1, (Number(page.checkpoint) - startCp) / (latest - startCp)) : null;
      onProgress?.({ ...progress });
      if (!page.has_more) return progress;
    }
  }

  /** A cycle in `ms`; `pull`: it must pull even with the stream open (the periodic safety net). */
  function schedule(ms: number, pull = false) {
    if (!running) return;
    if (timer !== null) timers.clearTimeout(timer);
    set({ nextRetryAt: now() + ms });
    timer = timers.setTimeout(() => {
      timer = null;
      if (pull) pullWanted = true;
      void runCycle();
    }, ms);
  }

  function onFailure(error: unknown) {
    const e = error instanceof SyncError ? error : new SyncError('network', (error as Error)?.message ?? String(error));
    const hqUnreachable = e.reason === 'network' || e.reason === 'timeout' || e.reason === 'server';
    set({ online: hqUnreachable ? false : status.online ?? true, lastError: { reason: e.reason, ...(e.details.code ? { code: e.details.code } : {}), message: e.message, at: now() } });
    attempt += 1;
    pullWanted = true;
    schedule(nextDelayMs(attempt - 1, random, e.details.retryAfterMs));
  }

  /**
   * A cycle that pulls: the one in flight unless it has already decided not to pull — then one more
   * after it. Never throws.
   */
  function syncNow(onProgress?: (p: PullProgress) => void): Promise<SyncStatus> {
    pullWanted = true;
    if (!inFlight || !skippingPull) return runCycle(onProgress);
    return inFlight.then(() => runCycle(onProgress));
  }

  /**
   * One cycle under the till's sender lock: push the outbox, then pull — unless the stream is open and
   * nothing asked for a pull. A cycle started by a sale only pushes then: the sale's changes come back
   * on the stream as a page (its push answer names the checkpoint that holds them, see
   * applyStreamPage), like every other till's, so a fleet's sales do not each cost HQ a pull.
   * Announcements, refused pages, failures, the periodic timer and syncNow() ask for a pull.
   */
  function runCycle(onProgress?: (p: PullProgress) => void): Promise<SyncStatus> {
    if (inFlight) return inFlight;
    inFlight = locks
      .request(o.lockName, async () => {
        set({ syncing: true });
        changedSinceCycleStart = false;
        try {
          await pushAll();
          if (pullWanted || !streamOpen) {
            pullWanted = false;
            await pullAll(onProgress);
          } else skippingPull = true;
          attempt = 0;
          set({ online: true, lastSyncAt: now(), lastError: null });
          // A sale made while this cycle ran asked for a cycle at once, but that request joined this
          // cycle (it shares the one in flight) and may have come after the outbox was read: without
          // this its ops would wait for the periodic sync (30 s). Likewise a pull asked for too late.
          if (changedSinceCycleStart || pullWanted) schedule(0);
          else schedule(periodicMs, true);
          connectStream();
        } catch (error) {
          onFailure(error);
        } finally {
          await refreshCounts().catch(() => {});
          set({ syncing: false });
        }
        return status;
      })
      .finally(() => {
        skippingPull = false;
        inFlight = null;
      });
    return inFlight;
  }

  function connectStream() {
    if (!o.stream || !running || streamAbort) return;
    const { fetch: streamFetch } = o.stream;
    const controller = new AbortController();
    streamAbort = controller;
    let debounce: unknown = null;
    /** A pull soon (a burst of announcements is one pull), unless the replica already has `checkpoint`. */
    const pullFor = (checkpoint: string) => {
      void readMeta(o.db, 'checkpoint').then((held) => {
        if (Number(checkpoint) <= Number(held ?? 0) || debounce !== null) return;
        debounce = timers.setTimeout(() => {
          debounce = null;
          void syncNow();
        }, 200);
      });
    };
    // Pages are applied one at a time under the sender lock (applyStreamPage says why). Pages that
    // arrive meanwhile are joined into one (each starts where the one before ends), applied when the
    // lock is free. An incomplete page — sent before the fan-out that carries this till's last push,
    // or part of a backlog HQ sends over several fan-outs — is kept and joined with the pages after it
    // until the whole can be applied, which the next fan-outs bring; a pull if that has not happened
    // within HELD_PAGE_MS of the first page held (joins do not extend it).
    let waitingPage: StreamPage | null = null;
    let heldPage: StreamPage | null = null;
    let heldTimer: unknown = null;
    let applyingPages = false;
    const dropHeld = () => {
      heldPage = null;
      if (heldTimer !== null) timers.clearTimeout(heldTimer);
      heldTimer = null;
    };
    const applyPages = async () => {
      applyingPages = true;
      try {
        while (waitingPage && !controller.signal.aborted) {
          const page = (heldPage && joinStreamPages(heldPage, waitingPage)) || waitingPage;
          waitingPage = null;
          const outcome = await locks.request(o.lockName, () => applyStreamPage(o.db, page, now())).catch(() => 'refused' as const);
          if (outcome === 'incomplete') {
            heldPage = page;
            heldTimer ??= timers.setTimeout(() => {
              heldTimer = null;
              if (heldPage) pullFor(heldPage.checkpoint);
              heldPage = null;
            }, HELD_PAGE_MS);
            continue;
          }
          dropHeld();
          if (outcome === 'applied') set({ online: true, lastSyncAt: now() });
          else pullFor(page.checkpoint);
        }
      } finally {
        applyingPages = false;
      }
    };
    const onEvent = (event: StreamEvent) => {
      if (event.type === 'changes') return pullFor(event.checkpoint);
      waitingPage = (waitingPage && joinStreamPages(waitingPage, event.page)) || event.page;
      if (!applyingPages) void applyPages();
    };
    // Last-Event-ID: the checkpoint this replica has pulled to (HQ's event ids are checkpoints).
    o.db.meta
      .get('checkpoint')
      .then((row) =>
        readChangeStream(streamFetch, o.client.baseUrl, o.client.token, controller.signal, onEvent, row ? String(row.value) : undefined, () => {
          if (streamAbort === controller) streamOpen = true;
        }),
      )
      .catch(() => {})
      .finally(() => {
        dropHeld();
        if (streamAbort !== controller) return;
        streamAbort = null; // reconnected after the next successful cycle
        streamOpen = false;
        pullWanted = true; // what it would have brought
        // HQ ended the stream (a restart, another process taking over, a slow reader dropped): a cycle
        // soon — spread over 1–3 s so a fleet does not come back at once — pulls what was missed and
        // reconnects, instead of waiting for the next periodic one.
        const soon = 1_000 + random() * 2_000;
        if (!controller.signal.aborted && (status.nextRetryAt === null || status.nextRetryAt > now() + soon)) schedule(soon);
      });
  }

  const onOnline = () => {
    attempt = 0;
    void syncNow();
  };

  return {
    status: () => status,
    subscribe(listener: (s: SyncStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    syncNow,
    pullAll: (onProgress?: (p: PullProgress) => void) => locks.request(o.lockName, () => pullAll(onProgress)),
    refreshCounts,
    /**
     * After a local sale (`addedOps` ops queued): push soon, whatever the schedule. The badge counts
     * the new ops at once; the exact counts are read once per burst of sales, because a count read
     * after every sale queues in IndexedDB ahead of the next sale's transaction.
     */
    notifyLocalChange(addedOps = 0): void {
      changedSinceCycleStart = true;
      if (addedOps > 0) set({ pendingOps: status.pendingOps + addedOps });
      if (countTimer === null) {
        countTimer = timers.setTimeout(() => {
          countTimer = null;
          // Only the badge's counts: a closed database (a crash, another window's upgrade) must not
          // surface as an unhandled rejection after the sale itself has committed.
          void refreshCounts().catch(() => {});
        }, 250);
      }
      if (running) schedule(0);
    },
    start(): void {
      if (running) return;
      running = true;
      o.onlineEvents?.addEventListener('online', onOnline);
      void syncNow();
    },
    async stop(): Promise<void> {
      running = false;
      o.onlineEvents?.removeEventListener('online', onOnline);
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (countTimer !== null) timers.clearTimeout(countTimer);
      countTimer = null;
      streamAbort?.abort();
      streamAbort = null;
      streamOpen = false;
      await inFlight;
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;

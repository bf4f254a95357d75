// GET /v1/sync/stream's fan-out for one HQ process: what each connected till hears when data changes.
//
// A change must cost HQ O(1) database work whatever the number of tills. A bare announcement ("the
// feed is at N") made every till ask for the page after its checkpoint — thousands of authenticated
// requests per change, served from the page cache but each still a request. So the stream carries
// the page itself (event `page`, StreamPageSchema): the bus wakes this hub once per window
// (hq/change-bus.ts), the hub groups the streams by the checkpoint each was last sent, reads the page
// after that checkpoint once (the page cache, hq/change-pages.ts, rules 1–3 — rule 4 is the till's
// business here: sync/replica/apply-pull.ts, applyStreamPage) and writes the same bytes to every stream of the
// group. In the steady state every stream of a process sits at the checkpoint of the last fan-out,
// so one change is one page read and one buffer written N times. Writing is what grows with the
// fleet, so fan-outs are spaced to keep it under STREAM_WRITE_SHARE of HQ's time: thousands of tills
// get fewer, larger pages rather than a saturated HQ.
//
// What a till was sent (`known`) is what it will have once it acts on it: a page event's checkpoint,
// or the checkpoint of a `changes` announcement (it pulls to at least that). A till may end up further
// on (its own pull passed it): a page starting at or before its checkpoint still applies (the till
// checks since ≤ its checkpoint < page's checkpoint), so it stays on the page path.
//
// Announcements instead of pages, and the till pulls as before:
// - streams at checkpoint 0 (an empty replica: its first page is the whole catalogue);
// - groups beyond the STREAM_PAGE_GROUPS largest (each group is one page read);
// - a page whose event is larger than STREAM_PAGE_MAX_BYTES (vouchers with large metadata), or that
//   could not be read (the database is down: the tills' pulls then fail and back off on their own).
// A backlog of more than STREAM_PAGE_LIMIT changes goes as pages with has_more, one per fan-out: after
// a fan-out that sent one, another follows (paced) until every group has reached the tail.
// Pages from STREAM_GZIP_MIN_BYTES on go as `page-gzip` (the JSON gzipped, in base64, made once per
// page): a fan-out's bytes are what a fleet costs — every till gets every change.
// A stream whose reader stops reading is ended once STREAM_MAX_BUFFERED bytes wait unsent
// (eventWriter): it reconnects and pulls from its own checkpoint, nothing is lost.
import type { ServerResponse } from 'node:http';
import type { ChangeBus } from './change-bus';
import { streamPageEvent, streamPageEventGzip, type ChangePages } from './change-pages';

/** A comment line at least this often keeps proxies from closing an idle stream (the contract: ≤ 30 s). */
export const HEARTBEAT_MS = 15_000;
/**
 * Bytes a stream may have queued and unsent before HQ ends it. A till that reads too slowly, or is gone
 * without a FIN, would otherwise grow HQ's memory with every event; ended, it reconnects and pulls from
 * its own checkpoint.
 */
export const STREAM_MAX_BUFFERED = 128 * 1024;
/**
 * Items per stream page. A larger backlog goes as several pages (has_more), one per fan-out, paced like
 * any other: a burst of changes drains over a few fan-outs instead of turning into one page too large
 * to send — which, announced instead, would make every till pull at once.
 */
export const STREAM_PAGE_LIMIT = 200;
/** A stream page whose event is larger than this is announced instead (a fan-out writes it to every stream). */
export const STREAM_PAGE_MAX_BYTES = 32 * 1024;
/** Pages from this size on go as `page-gzip` (base64 of the gzipped JSON), smaller ones as `page`. */
export const STREAM_GZIP_MIN_BYTES = 2 * 1024;
/** Page reads per fan-out at most: the largest groups of streams get pages, the rest announcements. */
export const STREAM_PAGE_GROUPS = 3;
/**
 * The share of HQ's time fan-outs may take writing. A fan-out writes to every stream (~10 µs each): at
 * 5,000 streams and one fan-out per 50 ms that is the whole core. So after a fan-out whose writing took
 * w ms, the next begins no sooner than w × (1 / STREAM_WRITE_SHARE − 1) ms later — a large fleet hears
 * changes in fewer, larger pages (250 ms apart at 5,000 streams on this machine), a small one every
 * bus window (50 ms).
 */
export const STREAM_WRITE_SHARE = 0.25;

/**
 * Writes to an event stream and ends the stream (destroys the socket) once more than `maxBuffered`
 * bytes wait unsent in HQ: the kernel's socket buffers fill first, so this is a reader that has
 * stopped reading, not a slow network.
 */
export function eventWriter(res: ServerResponse, maxBuffered: number, end: () => void): (bytes: string | Buffer) => void {
  return (bytes) => {
    if (res.destroyed || res.writableEnded) return;
    res.write(bytes);
    if (res.writableLength > maxBuffered) end();
  };
}

/** The `changes` announcement of a checkpoint (its id is the checkpoint too). */
export function changesEvent(checkpoint: number): string {
  return `id: ${checkpoint}\nevent: changes\ndata: ${JSON.stringify({ checkpoint: String(checkpoint) })}\n\n`;
}

type Stream = { known: number; write: (bytes: string | Buffer) => void };

export type StreamHubOptions = {
  pageLimit?: number;
  maxPageBytes?: number;
  gzipMinBytes?: number;
  maxGroups?: number;
  heartbeatMs?: number;
  maxBuffered?: number;
  writeShare?: number;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void };
};

export function createStreamHub(pages: ChangePages, bus: Pick<ChangeBus, 'latest' | 'subscribe'>, options: StreamHubOptions = {}) {
  const pageLimit = options.pageLimit ?? STREAM_PAGE_LIMIT;
  const maxPageBytes = options.maxPageBytes ?? STREAM_PAGE_MAX_BYTES;
  const gzipMinBytes = options.gzipMinBytes ?? STREAM_GZIP_MIN_BYTES;
  const maxGroups = options.maxGroups ?? STREAM_PAGE_GROUPS;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const maxBuffered = options.maxBuffered ?? STREAM_MAX_BUFFERED;
  const writeShare = options.writeShare ?? STREAM_WRITE_SHARE;
  const now = options.now ?? (() => performance.now());
  const streams = new Map<Stream, () => void>();
  const stats = { fanouts: 0, pageEvents: 0, changesEvents: 0, pageReads: 0, writeMs: 0 };
  /** One fan-out at a time; a checkpoint heard meanwhile waits for it and its pause (only the newest). */
  let running: Promise<void> | null = null;
  let pause: ReturnType<typeof setTimeout> | null = null;
  let queued = 0;
  /** ms the last fan-out spent writing. */
  let lastWriteMs = 0;

  async function fanOut(checkpoint: number): Promise<void> {
    stats.fanouts += 1;
    const groups = new Map<number, Stream[]>();
    for (const stream of streams.keys()) {
      if (stream.known >= checkpoint) continue;
      const group = groups.get(stream.known);
      if (group) group.push(stream);
      else groups.set(stream.known, [stream]);
    }
    if (!groups.size) return;
    const withPages = [...groups.entries()]
      .filter(([since]) => since > 0)
      .sort((a, b) => b[1].length - a[1].length)
      .slice(0, maxGroups)
      .map(([since]) => since);
    const read = await Promise.all(
      withPages.map(async (since) => {
        stats.pageReads += 1;
        try {
          const page = await pages.page(since, pageLimit, null);
          // A tail page read before the announced change would lack it (the cache's rule 2 refuses such a
          // page; checked here too); a has_more page is good whatever came later (rule 3).
          if (!page.hasMore && page.checkpoint < checkpoint) return null;
          const event = (page.shared.length >= gzipMinBytes && (await streamPageEventGzip(page))) || streamPageEvent(page);
          return event.length <= maxPageBytes ? ([since, { checkpoint: page.checkpoint, hasMore: page.hasMore, event }] as const) : null;
        } catch (error) {
          options.log?.warn({ err: error, since }, 'change stream: page read failed; announcing instead');
          return null;
        }
      }),
    );
    const pageFor = new Map(read.flatMap((entry) => (entry ? [entry] : [])));
    let more = false;
    const announcement = changesEvent(checkpoint);
    const writing = now();
    for (const [since, group] of groups) {
      const page = pageFor.get(since);
      const bytes = page ? page.event : announcement;
      const known = page ? page.checkpoint : checkpoint;
      if (page?.hasMore) more = true;
      for (const stream of group) {
        if (!streams.has(stream)) continue; // closed while the page was read
        stream.known = known;
        stream.write(bytes);
      }
      if (page) stats.pageEvents += group.length;
      else stats.changesEvents += group.length;
    }
    lastWriteMs = now() - writing;
    stats.writeMs += lastWriteMs;
    // Streams that got a has_more page wait for the rest: the next fan-out brings it.
    if (more) queued = Math.max(queued, checkpoint);
  }

  function schedule(checkpoint: number) {
    if (running || pause) {
      queued = Math.max(queued, checkpoint);
      return;
    }
    lastWriteMs = 0;
    running = fanOut(checkpoint)
      .catch((error: unknown) => options.log?.warn({ err: error }, 'change stream: fan-out failed'))
      .finally(() => {
        running = null;
        const rest = lastWriteMs * (1 / writeShare - 1);
        const next = () => {
          pause = null;
          const checkpoint = queued;
          queued = 0;
          if (checkpoint) schedule(Math.max(checkpoint, bus.latest));
        };
        if (rest >= 1) (pause = setTimeout(next, rest)).unref();
        else next();
      });
  }

  const unsubscribe = bus.subscribe(schedule);

  return {
    /**
     * Serves one stream on `res` (headers already written). `lastEventId`: the checkpoint the till
     * knows (Last-Event-ID), or null. Returns the function that ends it (also called when it closes).
     */
    open(res: ServerResponse, lastEventId: number | null): () => void {
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        streams.delete(stream);
        // destroy, not end: a reader that stopped reading would keep what is queued (and the socket) alive.
        if (res.writableLength > 0) res.destroy();
        else res.end();
      };
      const stream: Stream = { known: lastEventId ?? 0, write: eventWriter(res, maxBuffered, end) };
      const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), heartbeatMs);
      res.on('close', end);
      stream.write('retry: 2000\n\n');
      // The current checkpoint at once if the till does not know it (never one it already has).
      const latest = bus.latest;
      if (latest > stream.known) {
        stream.known = latest;
        stream.write(changesEvent(latest));
      }
      if (!ended) streams.set(stream, end);
      return end;
    },
    /** Ends every stream (HQ closing). */
    close(): void {
      unsubscribe();
      if (pause) clearTimeout(pause);
      pause = null;
      queued = 0;
      for (const end of [...streams.values()]) end();
    },
    get connected(): number {
      return streams.size;
    },
    stats,
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;

// The simulated tills of `npm run bench:fleet` (bench/fleet.bench.ts starts this file as its own
// process, so the tills never share an event loop or a CPU account with HQ or the orchestrator).
//
// Each till speaks the sync protocol over plain HTTP/1.1 on 127.0.0.1, like the real till's engine
// (sync/engine) but without a replica:
//   - one SSE stream (GET /v1/sync/stream), reconnected with Last-Event-ID if it ends;
//   - an initial pull of everything (GET /v1/sync/changes, pages of `pageLimit` following has_more);
//   - a `page` event is applied as it comes when the real till would (sync/replica/apply-pull.ts,
//     applyStreamPage): no op in the outbox that may have reached HQ (none of a push unanswered or
//     failed; ops queued since are rebased on, which this till does not model), since ≤ its
//     checkpoint < the page's, and at or beyond the checkpoint named by the push answers that raise the
//     floor (ops sent before, or not all ACCEPTED; a first answer of accepted REDEMPTIONs does not: the
//     page is rebased on them). A page that is incomplete — short of the floor while the outbox is
//     empty, or with has_more below a first answer's checkpoint — is held and joined with the pages
//     after it, and pulled for if they do not complete it within HELD_PAGE_MS of the first held (the
//     engine's heldPage). One that comes while a pull or push is in flight waits for it (the real
//     till's sender lock), joined to the one already waiting if it follows it and ends at the head
//     (sync/engine/join-stream-pages.ts), else replacing it; a page the till already has is dropped;
//     otherwise, and after every `changes` event whose checkpoint is beyond its own, a pull from its
//     checkpoint until has_more is false — one pull in flight per till; events that arrive during a
//     pull make exactly one more pull after it;
//   - a REDEMPTION every `pushIntervalMs` (first one at a random offset), pushed with the till's own
//     contiguous seq; ops that pile up while a push round is in flight go in the next round (an outbox),
//     after a waiting page or a pull had its turn (the real till's cycle pushes what it found). No pull
//     follows a push while the stream is open (the real till's cycle does the same: its own changes come
//     back on the stream).
// Every pull sends `Accept-Encoding: gzip, br` and, when it asks again for a checkpoint it already has an
// ETag for, `If-None-Match` — HQ may or may not honour either; the tills handle 200, 304 and any
// Content-Encoding HQ picks, and count the bytes as they came off the socket (compressed if they were).
//
// Pages are not JSON-parsed: parsing 10,000 vouchers × thousands of tills would make this process the
// bottleneck. A page is scanned as bytes — its checkpoint and has_more from its tail, its vouchers
// counted by a key every voucher has once, and the labels the orchestrator sets ("<marker><k>") found by
// search. Till 0 checks the scanner: each of its pages is also parsed with the protocol's zod schema and
// any disagreement is counted as an error. A `page` or `page-gzip` event (the same page, gzipped, in
// base64) is read once per distinct payload and shared by this process's tills (see readPageShared).
import http from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { ChangesResponseSchema, StreamPageSchema } from '../sync/protocol';
import { HELD_PAGE_MS } from '../sync/engine/sync-engine';
import { MAX_JOINED_ROWS } from '../sync/engine/join-stream-pages';

export type FleetTillsConfig = {
  baseUrl: string;
  tills: { till_id: string; token: string }[];
  /** Index of this process's first till in the whole fleet (the tills may be split over processes). */
  firstIndex: number;
  /** Vouchers are counted in the initial pull of every countEvery-th till of the fleet (counting costs as much as decompressing). */
  countEvery: number;
  pageLimit: number;
  pushIntervalMs: number;
  /** Codes a redemption is drawn from (unlimited multi-use vouchers: every push is ACCEPTED). */
  pushCodes: string[];
  requestTimeoutMs: number;
  /** Tills start over this many ms (0: all at once). */
  rampMs: number;
  /** Labels the orchestrator gives changed vouchers: marker + change number. */
  marker: string;
};

/** Orchestrator → tills. */
export type FleetCommand =
  | { cmd: 'start'; cfg: FleetTillsConfig }
  | { cmd: 'pushes' }
  | { cmd: 'window' }
  | { cmd: 'window-end' }
  | { cmd: 'stop' };

export type Counters = {
  bytesIn: number;
  pulls: number;
  pages: number;
  notModified: number;
  events: number;
  /** `page` events applied as they came, and those that could not be (the till pulled instead). */
  streamPages: number;
  streamPagesRefused: number;
  /** Pages short of the push floor, kept to join with the next; those a join then completed; those pulled for after HELD_PAGE_MS. */
  streamPagesHeld: number;
  heldJoined: number;
  heldExpired: number;
  /** Streams HQ ended (it may drop a slow reader) and the till reopened: not errors, but worth knowing. */
  reconnects: number;
  opsOffered: number;
  opsAcked: number;
  outcomes: Record<string, number>;
  /** ms from an op's creation (its place in the outbox) to HQ's answer for it. */
  opLatencies: number[];
  /** ms per push request. */
  pushLatencies: number[];
  /** Content-Encoding of 200 pages. */
  encodings: Record<string, number>;
  /** Stream events by kind: `page`, `page-gzip` (each also counted as `… has_more` when it had more), `changes`. */
  eventKinds: Record<string, number>;
  /** Why pages were not applicable: an op that may have reached HQ, a gap, short of the floor with ops waiting. */
  refusedWhy: Record<string, number>;
  /** HTTP ≥ 400 and network errors, by kind. */
  errors: Record<string, number>;
};

export type StartupStatus = {
  startedAt: number;
  tills: number;
  initialDone: number;
  lastInitialDoneAt: number;
  sseConnected: number;
  /** Per till (in order): wire bytes of its initial pull, vouchers it counted (−1: not counted), ms it took. */
  initialBytes: number[];
  initialVouchers: number[];
  initialMs: number[];
  counters: Counters;
};

/** Tills → orchestrator. */
export type FleetEvent =
  | { evt: 'status'; status: StartupStatus }
  | { evt: 'window'; counters: Counters; outboxBacklog: number }
  | {
      evt: 'final'; arrivals: Record<string, (number | null)[]>; checkpoints: number[]; sseConnected: number; counters: Counters; cpuMs: number;
      /**
       * Over the whole run: ops HQ answered, ACCEPTED among them, ops never answered (in an outbox or in
       * flight at the stop) and, of those, ops in a push still in flight (HQ may have stored them).
       */
      totals: { acked: number; accepted: number; unanswered: number; inFlight: number };
    }
  | { evt: 'ready' }
  | { evt: 'done' }
  | { evt: 'fatal'; error: string };

/** Wall-clock ms with sub-ms resolution, comparable between processes on one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Synchronously, in 1 MiB pieces: a 600 kB page takes ~0.1 ms so. Asynchronously with the default 16 KiB
 * pieces (~40 round trips to the thread pool per page) it cost ~1.7 ms of CPU per page, and the
 * simulator, not HQ, was the limit of a large initial pull.
 */
const INFLATE = { chunkSize: 1 << 20 };

export function newCounters(): Counters {
  return { bytesIn: 0, pulls: 0, pages: 0, notModified: 0, events: 0, streamPages: 0, streamPagesRefused: 0, streamPagesHeld: 0, heldJoined: 0, heldExpired: 0, reconnects: 0, opsOffered: 0, opsAcked: 0, outcomes: {}, opLatencies: [], pushLatencies: [], encodings: {}, eventKinds: {}, refusedWhy: {}, errors: {} };
}
const bump = (map: Record<string, number>, key: string, n = 1) => void (map[key] = (map[key] ?? 0) + n);

// ---- page scanning --------------------------------------------------------------------------------

const VOUCHER_KEY = Buffer.from('"redeemed_quantity":');

function countOf(buf: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The change numbers of the marker labels in a page. */
function markersIn(buf: Buffer, marker: Buffer): number[] {
  const found: number[] = [];
  for (let i = buf.indexOf(marker); i >= 0; i = buf.indexOf(marker, i + marker.length)) {
    let k = 0;
    let j = i + marker.length;
    for (; j < buf.length && buf[j]! >= 0x30 && buf[j]! <= 0x39; j++) k = k * 10 + (buf[j]! - 0x30);
    if (j > i + marker.length) found.push(k);
  }
  return found;
}

type Scanned = { checkpoint: number; hasMore: boolean };
/** A stream page as a till saw it; several when joined (`bufs`, oldest first; `rows`: their vouchers). */
type StreamPageSeen = Scanned & { since: number; bufs: Buffer[]; rows: number };

/**
 * `b` after `a` as one page, as joinStreamPages does, or null if it does not start where `a` ends, has
 * more after it, or the whole would pass the engine's row limit (counted without the join's
 * deduplication: sooner).
 */
function joinSeen(a: StreamPageSeen, b: StreamPageSeen): StreamPageSeen | null {
  if (a.checkpoint !== b.since || b.hasMore || a.rows + b.rows > MAX_JOINED_ROWS) return null;
  return { since: a.since, checkpoint: b.checkpoint, hasMore: b.hasMore, bufs: [...a.bufs, ...b.bufs], rows: a.rows + b.rows };
}

/**
 * checkpoint and has_more from the page's tail (they follow the arrays). `"checkpoint":"` with its
 * opening quote does not match inside `"latest_checkpoint":"`; the last match is the top-level one.
 */
function scanPage(buf: Buffer): Scanned | null {
  const tail = buf.subarray(Math.max(0, buf.length - 4096)).toString('utf8');
  const cps = [...tail.matchAll(/"checkpoint":"(\d+)"/g)];
  const more = [...tail.matchAll(/"has_more":(true|false)/g)];
  const cp = cps.at(-1)?.[1];
  const hm = more.at(-1)?.[1];
  if (cp === undefined || hm === undefined) return null;
  return { checkpoint: Number(cp), hasMore: hm === 'true' };
}

// ---- HTTP ----------------------------------------------------------------------------------------

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; wire: number; endedAt: number };

/** Bytes read from a socket since the last call for it: a keep-alive socket serves one response at a time. */
const seenBytes = new WeakMap<Socket, number>();
function wireBytes(socket: Socket | null): number {
  if (!socket) return 0;
  const before = seenBytes.get(socket) ?? 0;
  seenBytes.set(socket, socket.bytesRead);
  return socket.bytesRead - before;
}

export async function runTills(cfg: FleetTillsConfig, send: (e: FleetEvent) => void, commands: AsyncIterable<FleetCommand>): Promise<void> {
  const base = new URL(cfg.baseUrl);
  const N = cfg.tills.length;
  // Real tills each have their own connections: no pooling limit here beyond what the OS allows.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: N * 2 + 16, scheduling: 'lifo' });
  const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const marker = Buffer.from(cfg.marker);
  let counters = newCounters();
  let stopping = false;
  let pushesOn = false;
  let inFlightPushes = 0;
  let inFlightOps = 0;
  const totals = { acked: 0, accepted: 0 };
  const arrivals = new Map<number, (number | null)[]>();
  const streams = new Set<http.ClientRequest>();

  const error = (kind: string) => bump(counters.errors, kind);
  const networkKind = (e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    return `network ${err.code ?? err.message}`.slice(0, 80);
  };

  function request(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent, host: base.hostname, port: base.port, method, path, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          // Taken now: a keep-alive socket goes back to the agent (and off the response) when the body ends.
          const socket = res.socket;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), wire: wireBytes(socket), endedAt: wallNow() }));
          res.on('error', reject);
        },
      );
      req.setTimeout(cfg.requestTimeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: `timeout ${cfg.requestTimeoutMs} ms` })));
      req.on('error', reject);
      req.end(body);
    });
  }

  function decode(encoding: string, body: Buffer): Buffer {
    if (encoding === 'gzip') return zlib.gunzipSync(body, INFLATE);
    if (encoding === 'br') return zlib.brotliDecompressSync(body, INFLATE);
    if (encoding === 'deflate') return zlib.inflateSync(body, INFLATE);
    return body;
  }

  function arrived(k: number, till: number, at: number) {
    let row = arrivals.get(k);
    if (!row) arrivals.set(k, (row = new Array<number | null>(N).fill(null)));
    if (row[till] === null) row[till] = at;
  }

  // ---- one till ----

  type Till = {
    i: number; fleetIndex: number; counts: boolean; id: string; auth: string; checkpoint: number; etag: { checkpoint: number; tag: string } | null;
    pulling: boolean; again: boolean; initialDone: boolean;
    /** Stream pages below this checkpoint may predate its answered pushes (0: none since its last full pull). */
    floor: number; pushAnswers: number; streamOpen: boolean;
    /** A page that came while a pull or push was in flight; one short of the push floor, and its fallback timer. */
    waiting: StreamPageSeen | null; held: StreamPageSeen | null; heldTimer: NodeJS.Timeout | null;
    /** The last seq of the push in flight or last sent: ops up to it may have reached HQ. */
    sentUpTo: number;
    /** The highest checkpoint a first answer of accepted ops named (the real till's unreflected table). */
    unreflectedUpTo: number; initialStartedAt: number; initialBytes: number; initialVouchers: number; initialMs: number;
    connected: boolean; lastEventId: string | null; retryMs: number;
    seq: number; outbox: { op: object; createdAt: number }[]; pushing: boolean; timers: NodeJS.Timeout[]; rand: () => number;
  };

  const status: StartupStatus = { startedAt: 0, tills: N, initialDone: 0, lastInitialDoneAt: 0, sseConnected: 0, initialBytes: [], initialVouchers: [], initialMs: [], counters };

  const tills: Till[] = cfg.tills.map((t, i) => {
    let a = (cfg.firstIndex + i + 1) * 2654435761;
    return {
      i, fleetIndex: cfg.firstIndex + i, counts: (cfg.firstIndex + i) % cfg.countEvery === 0, id: t.till_id, auth: `Bearer ${t.token}`, checkpoint: 0, etag: null, pulling: false, again: false, initialDone: false, floor: Number.MAX_SAFE_INTEGER, pushAnswers: 0, streamOpen: false, waiting: null, held: null, heldTimer: null, sentUpTo: 0, unreflectedUpTo: 0, initialStartedAt: 0, initialBytes: 0, initialVouchers: 0, initialMs: 0,
      connected: false, lastEventId: null, retryMs: 2000, seq: 0, outbox: [], pushing: false, timers: [],
      rand: () => ((a = (Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296),
    };
  });

  /** One page; 'more' when HQ says has_more. Throws on an error (the caller retries). */
  async function pullPage(t: Till): Promise<'more' | 'done'> {
    const from = t.checkpoint;
    const headers: http.OutgoingHttpHeaders = { authorization: t.auth, accept: 'application/json', 'accept-encoding': 'gzip, br' };
    if (t.etag && t.etag.checkpoint === from) headers['if-none-match'] = t.etag.tag;
    counters.pulls += 1;
    const res = await request('GET', `/v1/sync/changes?checkpoint=${from}&limit=${cfg.pageLimit}`, headers);
    counters.bytesIn += res.wire;
    if (!t.initialDone) t.initialBytes += res.wire;
    if (res.status === 304) {
      counters.notModified += 1;
      return 'done';
    }
    if (res.status !== 200) throw Object.assign(new Error(`HTTP ${res.status}`), { http: res.status });
    const encoding = String(res.headers['content-encoding'] ?? 'identity');
    bump(counters.encodings, encoding);
    const body = decode(encoding, res.body);
    const page = scanPage(body);
    if (!page) throw Object.assign(new Error('page without checkpoint/has_more'), { code: 'unreadable page' });
    if (t.fleetIndex === 0) crossCheck(body, page);
    counters.pages += 1;
    // The orchestrator changes vouchers only after every till has finished its initial pull: the
    // initial pages (10,000 vouchers) need no search for its labels.
    if (t.initialDone) for (const k of markersIn(body, marker)) arrived(k, t.i, res.endedAt);
    if (!t.initialDone && t.counts) t.initialVouchers += countOf(body, VOUCHER_KEY);
    if (page.checkpoint < from) error('checkpoint went back');
    t.checkpoint = Math.max(from, page.checkpoint);
    const etag = res.headers.etag;
    t.etag = typeof etag === 'string' ? { checkpoint: from, tag: etag } : null;
    return page.hasMore ? 'more' : 'done';
  }

  function crossCheckStreamPage(data: string, page: Scanned, since: number) {
    const parsed = StreamPageSchema.safeParse(JSON.parse(data));
    if (!parsed.success) return error('page event does not match StreamPageSchema');
    const p = parsed.data;
    if (Number(p.checkpoint) !== page.checkpoint || Number(p.since) !== since || p.has_more !== page.hasMore) error('page event scanner disagrees with the schema');
  }

  function crossCheck(body: Buffer, page: Scanned) {
    const parsed = ChangesResponseSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return error('page does not match ChangesResponseSchema');
    const p = parsed.data;
    if (Number(p.checkpoint) !== page.checkpoint || p.has_more !== page.hasMore || p.vouchers.length !== countOf(body, VOUCHER_KEY)) error('page scanner disagrees with the schema');
  }

  /** A failed pull or push: counted by kind, then a jittered exponential wait (0.5 s … 10 s) before the next try. */
  async function backOff(t: Till, what: 'pull' | 'push', e: unknown, failures: number): Promise<void> {
    const status = (e as { http?: number }).http;
    error(status ? `${what} HTTP ${status}` : `${what} ${networkKind(e)}`);
    await sleep(Math.min(10_000, 500 * 2 ** Math.min(failures, 5)) * (0.5 + t.rand()));
  }

  async function pullUntilDone(t: Till): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        if ((await pullPage(t)) === 'done') return;
        failures = 0;
      } catch (e) {
        await backOff(t, 'pull', e, ++failures);
      }
    }
  }

  async function runPulls(t: Till): Promise<void> {
    t.pulling = true;
    try {
      do {
        t.again = false;
        const answersBefore = t.pushAnswers;
        await pullUntilDone(t);
        // At the tail, and no push answered meanwhile: the checkpoint is past every change of its pushes.
        if (!stopping && t.pushAnswers === answersBefore) t.floor = 0;
        if (!t.initialDone && !stopping) {
          t.initialDone = true;
          t.initialMs = wallNow() - t.initialStartedAt;
          status.initialDone += 1;
          status.lastInitialDoneAt = wallNow();
        }
      } while (t.again && !stopping);
    } finally {
      t.pulling = false;
    }
    settled(t);
  }

  /** A pull or push ended: a page that waited for it is looked at now. */
  function settled(t: Till) {
    if (t.pulling || t.pushing || !t.waiting || stopping) return;
    const page = t.waiting;
    t.waiting = null;
    takePage(t, page);
  }

  function dropHeld(t: Till) {
    t.held = null;
    if (t.heldTimer) clearTimeout(t.heldTimer);
    t.heldTimer = null;
  }

  function takePage(t: Till, incoming: StreamPageSeen) {
    if (incoming.checkpoint <= t.checkpoint) return; // it has all of it (a pull went further)
    if (t.pulling || t.pushing) {
      t.waiting = (t.waiting && joinSeen(t.waiting, incoming)) || incoming;
      return;
    }
    const joined = t.held && joinSeen(t.held, incoming);
    const page = joined || incoming;
    const maybeSent = t.outbox.length > 0 && (t.outbox[0]!.op as { seq: number }).seq <= t.sentUpTo;
    if (!maybeSent && page.since <= t.checkpoint) {
      // Incomplete (applyStreamPage): short of the floor while nothing waits to be pushed, or with
      // has_more below a first answer's checkpoint (it may end among that push's changes).
      const shortOfFloor = page.checkpoint < t.floor;
      const splitsPush = page.hasMore && page.checkpoint < t.unreflectedUpTo;
      if (!shortOfFloor && !splitsPush) {
        dropHeld(t);
        counters.streamPages += 1;
        if (joined) counters.heldJoined += 1;
        for (const buf of page.bufs) for (const k of markersIn(buf, marker)) arrived(k, t.i, wallNow());
        t.checkpoint = page.checkpoint;
        return;
      }
      // Held, to join with the pages after it, on the deadline of the first page held.
      if (!shortOfFloor || !t.outbox.length) {
        counters.streamPagesHeld += 1;
        t.held = page;
        t.heldTimer ??= setTimeout(() => {
          t.heldTimer = null;
          if (!t.held || stopping) return;
          t.held = null;
          counters.heldExpired += 1;
          wantPull(t);
        }, HELD_PAGE_MS);
        return;
      }
    }
    dropHeld(t);
    counters.streamPagesRefused += 1;
    bump(counters.refusedWhy, maybeSent ? 'op sent' : page.since > t.checkpoint ? 'gap' : 'floor, ops waiting');
    wantPull(t);
  }

  function wantPull(t: Till) {
    if (t.pulling) t.again = true;
    else void runPulls(t);
  }

  /**
   * A `page` or `page-gzip` event as read: its JSON (inflated), range and voucher count. Every till of
   * a fan-out gets the same bytes; each real till reads its copy on its own machine, so this process
   * reads each distinct payload once and shares the result (otherwise it alone would inflate and scan
   * hundreds of MB/s at 5,000 tills, measuring itself).
   */
  const readPages = new Map<string, StreamPageSeen | null>();
  function readPageShared(event: string, data: string): StreamPageSeen | null {
    const key = `${event}:${data}`;
    let seen = readPages.get(key);
    if (seen === undefined) {
      seen = null;
      try {
        const buf = event === 'page' ? Buffer.from(data) : zlib.gunzipSync(Buffer.from(data, 'base64'), INFLATE);
        const since = /^\{"since":"(\d+)"/.exec(buf.toString('latin1', 0, 40))?.[1];
        const page = scanPage(buf);
        if (since !== undefined && page) seen = { since: Number(since), checkpoint: page.checkpoint, hasMore: page.hasMore, bufs: [buf], rows: countOf(buf, VOUCHER_KEY) };
      } catch {
        // unreadable: null
      }
      readPages.set(key, seen);
      if (readPages.size > 8) readPages.delete(readPages.keys().next().value!);
    }
    return seen;
  }

  function onEvent(t: Till, event: string, data: string) {
    counters.events += 1;
    if (event === 'page' || event === 'page-gzip') {
      // The changes themselves (contract, "Fleet-scale sync"): scanned like a pulled page.
      const page = readPageShared(event, data);
      if (!page) return error(`unreadable ${event} event`);
      if (t.fleetIndex === 0) crossCheckStreamPage(page.bufs[0]!.toString('utf8'), page, page.since);
      bump(counters.eventKinds, page.hasMore ? `${event} has_more` : event);
      return takePage(t, page);
    }
    if (event !== 'changes') return;
    bump(counters.eventKinds, event);
    let checkpoint: unknown;
    try {
      checkpoint = (JSON.parse(data) as { checkpoint?: unknown }).checkpoint;
    } catch {
      return error(`unreadable ${event} event`);
    }
    if (Number(checkpoint) > t.checkpoint) wantPull(t);
  }

  function connectStream(t: Till) {
    if (stopping) return;
    const headers: http.OutgoingHttpHeaders = { authorization: t.auth, accept: 'text/event-stream', 'accept-encoding': 'identity' };
    if (t.lastEventId !== null) headers['last-event-id'] = t.lastEventId;
    const req = http.request({ agent: streamAgent, host: base.hostname, port: base.port, path: '/v1/sync/stream', headers });
    streams.add(req);
    let reconnecting = false;
    /** kind: an error to count, or null when HQ simply ended the stream. */
    const reconnect = (kind: string | null) => {
      streams.delete(req);
      t.streamOpen = false;
      if (reconnecting || stopping) return;
      reconnecting = true;
      if (kind) error(kind);
      else counters.reconnects += 1;
      const timer = setTimeout(() => connectStream(t), t.retryMs * (0.5 + t.rand()));
      t.timers.push(timer);
    };
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reconnect(`stream HTTP ${res.statusCode}`);
      }
      if (!t.connected) {
        t.connected = true;
        status.sseConnected += 1;
      }
      t.streamOpen = true;
      res.setEncoding('utf8');
      const socket = res.socket;
      let buffer = '';
      res.on('data', (chunk: string) => {
        counters.bytesIn += wireBytes(socket);
        buffer += chunk.includes('\r') ? chunk.replace(/\r\n?/g, '\n') : chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event = value;
            else if (field === 'data') data.push(value);
            else if (field === 'id') t.lastEventId = value;
            else if (field === 'retry' && /^\d+$/.test(value)) t.retryMs = Number(value);
          }
          if (data.length) onEvent(t, event, data.join('\n'));
        }
      });
      res.on('end', () => reconnect(null));
      res.on('error', (e) => reconnect(`stream ${networkKind(e)}`));
    });
    req.on('error', (e) => reconnect(`stream ${networkKind(e)}`));
    req.end();
  }

  // ---- pushes ----

  function newOp(t: Till) {
    t.seq += 1;
    const code = cfg.pushCodes[Math.floor(t.rand() * cfg.pushCodes.length)]!;
    t.outbox.push({ op: { op_id: randomUUID(), seq: t.seq, type: 'REDEMPTION', occurred_at: new Date().toISOString(), payload: { code, ticket_id: `F${t.fleetIndex}-${t.seq}`, amount: 250 } }, createdAt: wallNow() });
    counters.opsOffered += 1;
    if (!t.pushing) void pushOutbox(t);
  }

  async function pushOutbox(t: Till): Promise<void> {
    t.pushing = true;
    let failures = 0;
    // A round pushes what the outbox holds now, as the real till's cycle does (sync-engine.ts, pushAll);
    // sales made meanwhile go in the next round, after a waiting page or a pull had its turn.
    let left = t.outbox.length;
    try {
      while (left > 0 && !stopping) {
        const batch = t.outbox.slice(0, Math.min(1000, left));
        const t0 = wallNow();
        const firstSentAbove = t.sentUpTo;
        t.sentUpTo = Math.max(t.sentUpTo, (batch.at(-1)!.op as { seq: number }).seq);
        inFlightPushes += 1;
        inFlightOps += batch.length;
        try {
          const res = await request('POST', '/v1/sync/push', { authorization: t.auth, accept: 'application/json', 'accept-encoding': 'gzip, br' }, JSON.stringify({ ops: batch.map((b) => b.op) }));
          counters.bytesIn += res.wire;
          if (res.status !== 200) throw Object.assign(new Error(`HTTP ${res.status}`), { http: res.status });
          const body = decode(String(res.headers['content-encoding'] ?? 'identity'), res.body);
          const answer = JSON.parse(body.toString('utf8')) as { results: { op_id: string; outcome: string; reason?: string }[]; checkpoint?: string };
          counters.pushLatencies.push(res.endedAt - t0);
          if (answer.results.length !== batch.length || answer.results.some((r, i) => r.op_id !== (batch[i]!.op as { op_id: string }).op_id)) error('push answer does not match the ops sent');
          for (const [i, r] of answer.results.entries()) {
            bump(counters.outcomes, r.reason ? `${r.outcome} ${r.reason}` : r.outcome);
            counters.opLatencies.push(res.endedAt - batch[i]!.createdAt);
          }
          counters.opsAcked += batch.length;
          t.pushAnswers += 1;
          // REDEMPTIONs sent once and accepted: a page that predates them is rebased on them (the real
          // till's unreflected table); anything else raises the floor — without a checkpoint in the
          // answer nothing says which page has these ops: pull first.
          const firstAnswers = (batch[0]!.op as { seq: number }).seq > firstSentAbove && answer.results.every((r) => r.outcome === 'ACCEPTED');
          if (answer.checkpoint !== undefined && firstAnswers) t.unreflectedUpTo = Math.max(t.unreflectedUpTo, Number(answer.checkpoint));
          else t.floor = Math.max(t.floor, answer.checkpoint === undefined ? Number.MAX_SAFE_INTEGER : Number(answer.checkpoint));
          totals.acked += batch.length;
          totals.accepted += answer.results.filter((r) => r.outcome === 'ACCEPTED').length;
          t.outbox.splice(0, batch.length);
          left -= batch.length;
          failures = 0;
        } catch (e) {
          await backOff(t, 'push', e, ++failures);
        } finally {
          inFlightPushes -= 1;
          inFlightOps -= batch.length;
        }
      }
    } finally {
      t.pushing = false;
    }
    // Without a stream the real till's cycle pulls after pushing; with one, its changes come on it.
    if (!stopping && !t.streamOpen) wantPull(t);
    settled(t);
    if (t.outbox.length && !stopping && !t.pushing) void pushOutbox(t); // the next round (the sale asked for it)
  }

  function startPushes(t: Till) {
    const first = setTimeout(() => {
      if (!pushesOn || stopping) return;
      newOp(t);
      t.timers.push(setInterval(() => pushesOn && !stopping && newOp(t), cfg.pushIntervalMs));
    }, t.rand() * cfg.pushIntervalMs);
    t.timers.push(first);
  }

  // ---- the run ----

  const statusTimer = setInterval(() => send({ evt: 'status', status: { ...status, counters } }), 1000);
  function startupStatus(): StartupStatus {
    return { ...status, counters, initialBytes: tills.map((t) => t.initialBytes), initialVouchers: tills.map((t) => (t.counts ? t.initialVouchers : -1)), initialMs: tills.map((t) => t.initialMs) };
  }

  status.startedAt = wallNow();
  for (const t of tills) {
    const start = () => {
      t.initialStartedAt = wallNow();
      connectStream(t);
      void runPulls(t);
    };
    if (cfg.rampMs > 0) t.timers.push(setTimeout(start, (t.i / N) * cfg.rampMs));
    else start();
  }
  // Tell the orchestrator when every till has its initial pull and its stream (it decides how long to wait).
  const startupDone = setInterval(() => {
    if (status.initialDone === N && status.sseConnected === N) {
      clearInterval(startupDone);
      clearInterval(statusTimer);
      send({ evt: 'status', status: startupStatus() });
    }
  }, 50);

  for await (const command of commands) {
    if (command.cmd === 'pushes') {
      pushesOn = true;
      for (const t of tills) startPushes(t);
    } else if (command.cmd === 'window') {
      counters = newCounters();
    } else if (command.cmd === 'window-end') {
      pushesOn = false;
      send({ evt: 'window', counters, outboxBacklog: tills.reduce((s, t) => s + t.outbox.length, 0) });
      counters = newCounters();
    } else if (command.cmd === 'stop') {
      clearInterval(startupDone);
      clearInterval(statusTimer);
      pushesOn = false;
      // Let pushes in flight get their answers (so what HQ stored can be compared with what was acknowledged).
      for (let waited = 0; inFlightPushes > 0 && waited < 10_000; waited += 50) await sleep(50);
      stopping = true;
      for (const t of tills) {
        for (const timer of t.timers) clearTimeout(timer);
        dropHeld(t);
      }
      for (const req of streams) req.destroy();
      agent.destroy();
      streamAgent.destroy();
      const cpu = process.cpuUsage();
      send({
        evt: 'final', arrivals: Object.fromEntries(arrivals), checkpoints: tills.map((t) => t.checkpoint), sseConnected: status.sseConnected, counters,
        cpuMs: (cpu.user + cpu.system) / 1000, totals: { ...totals, unanswered: tills.reduce((sum, t) => sum + t.outbox.length, 0), inFlight: inFlightOps },
      });
      return;
    }
  }
}

// Child-process entry (started by bench/fleet.bench.ts with HQ_FLEET_CHILD=1 and an IPC channel).
if (process.env.HQ_FLEET_CHILD === '1' && process.send) {
  const queue: FleetCommand[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  async function* commands(): AsyncGenerator<FleetCommand> {
    for (;;) {
      while (queue.length) yield queue.shift()!;
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  }
  const send = (e: FleetEvent) => void (process.connected && process.send!(e));
  process.on('message', (m: FleetCommand) => {
    if (m.cmd === 'start') {
      runTills(m.cfg, send, commands()).then(
        () => process.send!({ evt: 'done' } satisfies FleetEvent, () => process.exit(0)),
        (error: unknown) => process.send!({ evt: 'fatal', error: String((error as Error)?.stack ?? error) } satisfies FleetEvent, () => process.exit(1)),
      );
      return;
    }
    queue.push(m);
    wake?.();
  });
  process.once('disconnect', () => {
    ended = true;
    wake?.();
    process.exit(0);
  });
  // Loaded (tsx has compiled this file and the protocol): the orchestrator starts measuring after this.
  send({ evt: 'ready' });
}

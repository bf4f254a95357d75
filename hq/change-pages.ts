// Pages of the change feed (GET /v1/sync/changes), read once and served to every till that asks for
// the same page. A change must cost HQ O(1) database work whatever the number of tills: after an
// announcement every till asks for the page after its checkpoint, and tills that were up to date ask
// for the same one. The page is read once per (checkpoint, limit) and its bytes — compressed too —
// are shared; concurrent identical requests share one in-flight read. Only `last_seq` is a till's
// own: it goes last in the JSON (readChangePage) and is appended per request, from the row the
// authentication query read anyway (hq/auth.ts), so it costs no query either.
//
// THE RULE: a cached page is never served after a change it does not contain. Why each check holds:
//
// 1. Numbers are handed out in commit order (hq/changes.ts): a transaction draws change numbers under
//    a lock it holds until it commits. So every change that commits after a snapshot S was taken has
//    a number above every number S can see — the lock could only be taken after every transaction S
//    sees had released it. Consequences for a page read in S, covering (checkpoint asked, page's
//    checkpoint P]:
//    - it holds every change ≤ P there is (a change ≤ P committed before the one numbered P, which S
//      sees), in its state as of S;
//    - whatever happens after S — a row changed again, deleted (a tombstone), re-created (its
//      tombstone goes, the row gets a new number) — gets a number above P: it lies further on in the
//      feed, after this page.
// 2. A tail page (has_more = false) saw the end of the feed: S holds no change above P. It is served
//    only while no change above P has been announced — `bus.latest <= P` at the moment the request
//    arrives. A writer announces after its commit (every write path calls bus.announce;
//    hq/change-bus.ts raises `latest` at once, and from other processes when their NOTIFY arrives),
//    so a change the page lacks is a committed change above P; as soon as it is announced the page is
//    refused and read again. Exact in both directions: bus.latest > P means there is an announced
//    change above P, which the page lacks. A change committed but not announced yet (between the
//    commit and the announce, or a NOTIFY still on its way from another process) is not "after" in
//    this sense: no till has been told of it, and the announcement then wakes them. A change never
//    announced (a write made with psql, a process that died between commit and NOTIFY) is caught by
//    age: a tail page is served as read for at most TAIL_MAX_AGE_MS after its read (or its last
//    check) began; then it is checked against the highest committed change number (readHead, four
//    index look-ups, one at a time per page): none above P means nothing committed since that the
//    page lacks, and it is good for another TAIL_MAX_AGE_MS; otherwise it is read again. A till's
//    periodic pull thereby sees an unannounced change within TAIL_MAX_AGE_MS, and a large tail page
//    (a first pull of the whole catalogue) is not read again every second while tills fetch it.
// 3. A page with has_more = true stays valid whatever happens later: by 1., everything after S comes
//    after P, and the till goes on pulling from P — which is exactly what it does with a freshly read
//    page while writes go on. Pages of different ages chain correctly for the same reason (a page from
//    P on, read in an older snapshot, still holds every change above P of its own snapshot, and
//    anything newer lies beyond its end). Checked against readChangePage: has_more means more than
//    `limit` items above the checkpoint in S (each table is read to limit + 1 rows, so the first
//    `limit` of the merge are exact), and P is the number of the last item served — a number S sees.
// 4. The till's own pushes. The till rebases its unsent ops on `last_seq` (sync/replica/apply-pull.ts):
//    the page must reflect exactly the till's ops up to last_seq, as a page and last_seq read in one
//    snapshot always did. A cached page read before the till's last push would bring the vouchers
//    that push changed in their earlier state, with a last_seq saying the push is in — the till would
//    show a redeemed card's old balance until a later page. So a cached page is served to a till only
//    if its snapshot saw the till's row as this request's authentication read it (the row's version,
//    its xmin, is visible in the page's snapshot: pg_current_snapshot()). Then the snapshot saw the
//    push that set this last_seq, and no later one (a later one would have been read by the
//    authentication, which came after) — the answer is byte for byte what reading page and last_seq
//    together in that snapshot would give. Otherwise it reads again (a read that starts after the
//    request arrived sees the row by construction). A till pushes and pulls one after the other (one
//    sender), so in practice this only refuses pages read before the till's latest push. (A till's
//    online rollback, POST /v1/redemptions/…/rollback, leaves its row alone: a has_more page read
//    before it may bring the card still redeemed until the page that follows — less money shown,
//    never more, and within the same pull.)
// 5. Coalescing: a request joins a read already in flight for its page. A read that began after the
//    request arrived is fresh for it by construction; one that began earlier is checked by 2. and 4.
//    when it ends, like a cached page, and the request reads again if it fails them.
// `latest_checkpoint` in a cached page is that of its snapshot: it may be behind. It only drives the
// till's progress bar, never what it applies.
// Everything above rests on 1. Numbering changes without the global lock (issue 12, part 3) must keep
// it — e.g. by publishing numbers only below the oldest running transaction, with readHead returning
// that published horizon.
//
// Memory is bounded: least recently used pages go first once the pages and their compressed forms
// exceed `maxBytes`. Compressed forms are made once per page, off the event loop (zlib's thread pool):
// compressing a 6 MB first page per till would cost more than reading it. The till's own last_seq is
// appended without recompressing: the shared part is compressed with a flush (it ends on a byte
// boundary, not finished) and the rest is appended as an uncompressed block of the same format
// (a deflate stored block inside gzip, a brotli uncompressed meta-block), which any decoder reads.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { Db } from './db/connect';
import { readChangePage, readHead } from './changes';

export type Encoding = 'identity' | 'gzip' | 'br';
export const COMPRESSED: readonly Exclude<Encoding, 'identity'>[] = ['br', 'gzip'];

/** The cache's size: pages and their compressed forms. */
export const FEED_CACHE_BYTES = 32 * 1024 * 1024;
/** A tail page is served as read for at most this long, then checked against readHead (changes nobody announced). */
export const TAIL_MAX_AGE_MS = 1_000;
/** Smaller pages are sent uncompressed (as @fastify/compress does for other answers). */
export const COMPRESS_MIN_BYTES = 1024;

/** A snapshot as pg_current_snapshot() gives it: ids below xmin are decided, ids from xmax on are not. */
type Snapshot = { xmin: bigint; xmax: bigint; running: Set<bigint> };

export function parseSnapshot(text: string): Snapshot {
  const [xmin, xmax, running = ''] = text.split(':');
  return { xmin: BigInt(xmin!), xmax: BigInt(xmax!), running: new Set(running ? running.split(',').map(BigInt) : []) };
}

/** Whether a committed transaction (64-bit id) had committed when the snapshot was taken. */
export function snapshotSees(snapshot: Snapshot, xid: bigint): boolean {
  return xid < snapshot.xmin || (xid < snapshot.xmax && !snapshot.running.has(xid));
}

/** What a request tells the cache about its till (hq/auth.ts reads both with the token). */
export type TillRow = { lastSeq: number; rowVersion: bigint };

export type CachedPage = {
  readonly key: string;
  /** The checkpoint the page starts after (what was asked for). */
  readonly since: number;
  /** Reads are numbered in the order they began. */
  readonly id: number;
  readonly checkpoint: number;
  readonly hasMore: boolean;
  readonly snapshot: Snapshot;
  /** When its read, or the last check that nothing has committed above it, began (ms). */
  readAt: number;
  /** The check of a tail page past TAIL_MAX_AGE_MS in flight: whether it is still the tail. */
  check?: Promise<boolean>;
  /** The JSON up to and including `"last_seq":`. */
  readonly shared: Buffer;
  /** Names the shared bytes in ETags. */
  readonly tag: string;
  readonly crc: number;
  readonly encoded: Partial<Record<Exclude<Encoding, 'identity'>, Promise<Buffer | null>>>;
  /** The page as an SSE `page` event, and as `page-gzip` (each made once, for the stream's fan-out). */
  event?: Buffer;
  eventGzip?: Promise<Buffer | null>;
  bytes: number;
};

const LAST_SEQ_KEY = ',"last_seq":';

/** The stream page's JSON (StreamPageSchema): `since` first, the shared JSON without its `last_seq`. */
function streamPageJson(page: CachedPage): string {
  const json = page.shared.toString('utf8');
  if (!json.endsWith(LAST_SEQ_KEY)) throw new Error('a shared page ends with "last_seq":');
  return `{"since":"${page.since}",${json.slice(1, -LAST_SEQ_KEY.length)}}`;
}

/**
 * The SSE `page` event of a page: its JSON as the data (JSON text holds no newline: one line), the
 * page's checkpoint as the event's id.
 */
export function streamPageEvent(page: CachedPage): Buffer {
  page.event ??= Buffer.from(`id: ${page.checkpoint}\nevent: page\ndata: ${streamPageJson(page)}\n\n`);
  return page.event;
}

/**
 * The same page as event `page-gzip`: the JSON gzipped and in base64 (SSE is text), made once per page
 * off the event loop. A fan-out writes a page to every stream, so its bytes are what a fleet costs:
 * a page of vouchers shrinks ~4× even with base64's third. Null if compressing failed.
 */
export function streamPageEventGzip(page: CachedPage): Promise<Buffer | null> {
  page.eventGzip ??= new Promise((resolve) => {
    zlib.gzip(streamPageJson(page), (error, out) => resolve(error ? null : Buffer.from(`id: ${page.checkpoint}\nevent: page-gzip\ndata: ${out.toString('base64')}\n\n`)));
  });
  return page.eventGzip;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

function gzipTail(page: CachedPage, suffix: Buffer): Buffer {
  // A final stored block (BFINAL=1, BTYPE=00: the byte 1), LEN and its complement, the bytes; then
  // the gzip trailer: CRC-32 and length (mod 2^32) of everything uncompressed.
  const tail = Buffer.alloc(5 + suffix.length + 8);
  tail[0] = 1;
  tail.writeUInt16LE(suffix.length, 1);
  tail.writeUInt16LE(~suffix.length & 0xffff, 3);
  suffix.copy(tail, 5);
  tail.writeUInt32LE(zlib.crc32(suffix, page.crc), 5 + suffix.length);
  tail.writeUInt32LE((page.shared.length + suffix.length) % 2 ** 32, 9 + suffix.length);
  return tail;
}

function brotliTail(suffix: Buffer): Buffer {
  // An uncompressed meta-block (RFC 7932 9.2): ISLAST=0, MNIBBLES=4 (code 0), MLEN-1 in 16 bits,
  // ISUNCOMPRESSED=1, zero bits to the byte boundary, the bytes; then an empty last meta-block
  // (ISLAST=1, ISLASTEMPTY=1: the byte 3).
  const header = ((suffix.length - 1) << 3) | (1 << 19);
  return Buffer.concat([Buffer.from([header & 0xff, (header >>> 8) & 0xff, header >>> 16]), suffix, Buffer.from([3])]);
}

/** The shared bytes compressed and flushed (byte-aligned, not finished), or null if that failed. */
function compressShared(shared: Buffer, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const done = (error: Error | null, out: Buffer) => resolve(error ? null : encoding === 'gzip' ? Buffer.concat([GZIP_HEADER, out]) : out);
    if (encoding === 'gzip') zlib.deflateRaw(shared, { finishFlush: zlib.constants.Z_SYNC_FLUSH }, done);
    else {
      zlib.brotliCompress(
        shared,
        {
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: shared.length },
        },
        done,
      );
    }
  });
}

export type ChangePagesOptions = { maxBytes?: number; tailMaxAgeMs?: number; now?: () => number };

/** The feed's page cache for one HQ process. `bus.latest` is the newest announced checkpoint. */
export function createChangePages(db: Db, bus: { readonly latest: number }, options: ChangePagesOptions = {}) {
  const maxBytes = options.maxBytes ?? FEED_CACHE_BYTES;
  const tailMaxAgeMs = options.tailMaxAgeMs ?? TAIL_MAX_AGE_MS;
  const now = options.now ?? (() => Date.now());
  /** In least-recently-used order (a Map iterates in insertion order; a hit re-inserts). */
  const pages = new Map<string, CachedPage>();
  const flights = new Map<string, { id: number; page: Promise<CachedPage> }>();
  let lastReadId = 0;
  let bytes = 0;

  type Arrival = { announced: number; at: number; firstFreshId: number };

  /**
   * Rules 2 and 4 of the header, for a page read before the request arrived ('aged': check it first).
   * Without a till (the stream's pages, which carry no last_seq) rule 4 has nothing to check.
   */
  const servable = (page: CachedPage, till: TillRow | null, arrival: Arrival): boolean | 'aged' => {
    if (till && !snapshotSees(page.snapshot, till.rowVersion)) return false;
    if (page.hasMore) return true;
    if (arrival.announced > page.checkpoint) return false;
    return arrival.at - page.readAt <= tailMaxAgeMs || 'aged';
  };

  /** Whether an aged tail page is still the tail: nothing committed above it (one check at a time per page). */
  function stillTail(page: CachedPage): Promise<boolean> {
    if (!page.check) {
      const startedAt = now();
      page.check = readHead(db)
        .then((head) => {
          if (head > page.checkpoint) return false;
          page.readAt = Math.max(page.readAt, startedAt);
          return true;
        })
        .finally(() => {
          page.check = undefined;
        });
    }
    return page.check;
  }

  function evict() {
    for (const [key, page] of pages) {
      if (bytes <= maxBytes) break;
      pages.delete(key);
      bytes -= page.bytes;
    }
  }

  function keep(page: CachedPage) {
    const old = pages.get(page.key);
    if (old && old.id > page.id) return; // a newer read of the same page is already kept
    if (!page.hasMore && bus.latest > page.checkpoint) return; // outdated already: rule 2 would refuse it
    if (page.bytes > maxBytes) return;
    if (old) {
      pages.delete(page.key);
      bytes -= old.bytes;
    }
    pages.set(page.key, page);
    bytes += page.bytes;
    evict();
  }

  function read(key: string, checkpoint: number, limit: number): Promise<CachedPage> {
    const id = ++lastReadId;
    const readAt = now();
    const promise = readChangePage(db, checkpoint, limit)
      .then((p): CachedPage => {
        const shared = Buffer.from(p.json);
        const tag = createHash('sha256').update(shared).digest('base64url').slice(0, 22);
        const page: CachedPage = { key, since: checkpoint, id, checkpoint: p.checkpoint, hasMore: p.hasMore, snapshot: parseSnapshot(p.snapshot), readAt, shared, tag, crc: zlib.crc32(shared), encoded: {}, bytes: shared.length };
        keep(page);
        return page;
      })
      .finally(() => {
        if (flights.get(key)?.id === id) flights.delete(key);
      });
    flights.set(key, { id, page: promise });
    return promise;
  }

  return {
    /**
     * The page after `checkpoint` for this till (null: for the stream, with no last_seq): cached,
     * shared with a read in flight, or read now.
     */
    async page(checkpoint: number, limit: number, till: TillRow | null): Promise<CachedPage> {
      const key = `${checkpoint}/${limit}`;
      const arrival: Arrival = { announced: bus.latest, at: now(), firstFreshId: lastReadId + 1 };
      const cached = pages.get(key);
      const verdict = cached && servable(cached, till, arrival);
      if (cached && verdict) {
        if (verdict === true || (await stillTail(cached))) {
          pages.delete(key); // most recently used
          pages.set(key, cached);
          return cached;
        }
      }
      const flight = flights.get(key);
      if (flight) {
        const page = await flight.page;
        if (flight.id >= arrival.firstFreshId || servable(page, till, arrival) === true) return page;
        const newer = flights.get(key);
        if (newer && newer.id >= arrival.firstFreshId) return newer.page;
      }
      return read(key, checkpoint, limit);
    },

    /** The ETag of the answer to a till: names the bytes it would be sent (last_seq and coding included). */
    etag(page: CachedPage, lastSeq: number, encoding: Encoding): string {
      return `"${page.tag}.${lastSeq}${encoding === 'identity' ? '' : `.${encoding}`}"`;
    },

    /** The coding to answer with: none for small pages. */
    encodingFor(page: CachedPage, accepted: Exclude<Encoding, 'identity'> | null): Encoding {
      return accepted && page.shared.length >= COMPRESS_MIN_BYTES ? accepted : 'identity';
    },

    /** The body for a till: the shared bytes (compressed once per page) and its last_seq. */
    async body(page: CachedPage, lastSeq: number, encoding: Encoding): Promise<{ body: Buffer; encoding: Encoding }> {
      const suffix = Buffer.from(`${lastSeq}}`);
      if (encoding === 'identity') return { body: Buffer.concat([page.shared, suffix]), encoding };
      let compressed = page.encoded[encoding];
      if (!compressed) {
        compressed = page.encoded[encoding] = compressShared(page.shared, encoding);
        void compressed.then((out) => {
          if (!out || pages.get(page.key) !== page) return;
          page.bytes += out.length;
          bytes += out.length;
          evict();
        });
      }
      const head = await compressed;
      if (!head) return { body: Buffer.concat([page.shared, suffix]), encoding: 'identity' };
      return { body: Buffer.concat([head, encoding === 'gzip' ? gzipTail(page, suffix) : brotliTail(suffix)]), encoding };
    },

    /** For tests and metrics. */
    get size() {
      return { pages: pages.size, bytes };
    },
  };
}

export type ChangePages = ReturnType<typeof createChangePages>;

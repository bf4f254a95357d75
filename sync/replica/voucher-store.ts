// Where the replica's vouchers live. The first full load writes pulled pages as chunks of CHUNK
// vouchers per record (voucherChunks, a multi-entry index on their codes): IndexedDB's cost is per
// record, so this loads ~10x faster than one record per voucher. Every later write — a sale, a push
// result, a pull after the first load — goes to the one-record-per-voucher table `vouchers`, which
// therefore always holds the newest state of any code it has: a read tries it first, then the
// newest chunk holding the code. Chunks are only written while `vouchers` is empty, so a chunk can
// never be newer than a record of the same code. A code changed during the first load can be in two
// chunks; chunk ids count down, so the newest one comes first in the index (a plain indexed get,
// where the highest id would need a reverse cursor).
//
// Callers inside a transaction must include db.vouchers and db.voucherChunks in it.
import { Dexie } from 'dexie';
import type { Voucher } from '../../core/voucher';
import type { ReplicaDb } from './db';
import { readMeta } from './meta';
import type { VoucherChunkRow } from './rows';

// A lookup reads one whole chunk, so chunks stay small: at most CHUNK vouchers and CHUNK_CHARS of
// JSON — Chromium stores a value over 64 KiB as a separate blob file, several times slower to read.
const CHUNK = 100;
const CHUNK_CHARS = 30_000;
const PUT_BATCH = 10_000; // Chromium and fake-indexeddb both slow down sharply on one giant bulkPut

// Stored only after validation against the protocol schema (hq-client.ts), so parsed without it.
const parse = (json: string) => JSON.parse(json) as Voucher;
const inChunk = (chunk: VoucherChunkRow | undefined, code: string) => {
  const i = chunk ? chunk.codes.indexOf(code) : -1;
  return i < 0 ? undefined : parse(chunk!.vouchers[i]!);
};

export async function getVoucher(db: ReplicaDb, code: string): Promise<Voucher | undefined> {
  return (await getVouchers(db, [code]))[0];
}

/**
 * The newest state of each code: its record if it has one, else the newest chunk holding it. Every
 * read is issued at once (IndexedDB runs them in order inside one transaction), so a lookup costs one
 * round trip to the database, not one per read.
 */
export async function getVouchers(db: ReplicaDb, codes: readonly string[]): Promise<(Voucher | undefined)[]> {
  if (!codes.length) return [];
  // Inside the caller's transaction (a sale, a refund): read in it, never open a nested one.
  if (Dexie.currentTransaction?.db === db) {
    const [records, chunks] = await Promise.all([db.vouchers.bulkGet([...codes]), Promise.all(codes.map((code) => db.voucherChunks.where('codes').equals(code).first()))]);
    return codes.map((code, i) => records[i] ?? inChunk(chunks[i], code));
  }
  // A scan: one native read-only transaction. Dexie's own transaction machinery cost about as much
  // as both reads together (measured in Chromium, bench/browser/sync-bench.ts).
  if (db.isOpen()) {
    try {
      const [records, chunks] = await readNative(db.backendDB(), codes);
      return codes.map((code, i) => records[i] ?? inChunk(chunks[i], code));
    } catch {
      // The connection is closing (another window's upgrade, a crash): Dexie reopens or reports it.
    }
  }
  return db.transaction('r', [db.vouchers, db.voucherChunks], () => getVouchers(db, codes));
}

function readNative(idb: IDBDatabase, codes: readonly string[]): Promise<[(Voucher | undefined)[], (VoucherChunkRow | undefined)[]]> {
  return new Promise((resolve, reject) => {
    const tx = idb.transaction(['vouchers', 'voucherChunks'], 'readonly');
    const records: (Voucher | undefined)[] = [];
    const chunks: (VoucherChunkRow | undefined)[] = [];
    const store = tx.objectStore('vouchers');
    const index = tx.objectStore('voucherChunks').index('codes');
    let left = codes.length * 2;
    // Requests of one transaction complete in the order they were made; resolving on the last
    // success rather than on `complete` saves the commit's round trip (nothing was written).
    const done = () => {
      if (--left === 0) resolve([records, chunks]);
    };
    codes.forEach((code, i) => {
      const r = store.get(code);
      r.onsuccess = () => ((records[i] = r.result as Voucher | undefined), done());
      const c = index.get(code);
      c.onsuccess = () => ((chunks[i] = c.result as VoucherChunkRow | undefined), done());
    });
    tx.onabort = () => reject(tx.error ?? new Error('voucher read aborted'));
  });
}

/** Whether a pulled page may go to chunks: only while nothing has been written one by one. */
export async function chunksAllowed(db: ReplicaDb): Promise<boolean> {
  return (await readMeta(db, 'last_pull_at')) === undefined && (await db.vouchers.count()) === 0;
}

/** Write pulled vouchers (already rebased) as chunks or as records; see chunksAllowed. */
export async function putPulledVouchers(db: ReplicaDb, vouchers: readonly Voucher[], chunked: boolean): Promise<void> {
  if (!chunked) {
    for (let i = 0; i < vouchers.length; i += PUT_BATCH) await db.vouchers.bulkPut(vouchers.slice(i, i + PUT_BATCH));
    return;
  }
  let id = (await db.voucherChunks.orderBy('id').first())?.id ?? 0;
  const chunks: VoucherChunkRow[] = [];
  let chunk: VoucherChunkRow = { id: --id, codes: [], vouchers: [] };
  let chars = 0;
  for (const v of vouchers) {
    const json = JSON.stringify(v);
    if (chunk.codes.length && (chunk.codes.length >= CHUNK || chars + json.length > CHUNK_CHARS)) {
      chunks.push(chunk);
      chunk = { id: --id, codes: [], vouchers: [] };
      chars = 0;
    }
    chunk.codes.push(v.code);
    chunk.vouchers.push(json);
    chars += json.length;
  }
  if (chunk.codes.length) chunks.push(chunk);
  if (chunks.length) await db.voucherChunks.bulkAdd(chunks);
}

/** Tombstones: gone from the records and from every chunk that holds them. */
export async function deleteVouchers(db: ReplicaDb, codes: readonly string[]): Promise<void> {
  await db.vouchers.bulkDelete([...codes]);
  const gone = new Set(codes);
  const chunks = new Map((await db.voucherChunks.where('codes').anyOf([...codes]).toArray()).map((c) => [c.id, c]));
  for (const chunk of chunks.values()) {
    const keep = chunk.codes.flatMap((code, i) => (gone.has(code) ? [] : [i]));
    if (keep.length) await db.voucherChunks.put({ id: chunk.id, codes: keep.map((i) => chunk.codes[i]!), vouchers: keep.map((i) => chunk.vouchers[i]!) });
    else await db.voucherChunks.delete(chunk.id);
  }
}

/** Every voucher the replica holds, newest state of each (tests and diagnostics; reads everything). */
export async function allVouchers(db: ReplicaDb): Promise<Voucher[]> {
  const byCode = new Map<string, Voucher>();
  await db.voucherChunks.orderBy('id').reverse().each((chunk) => chunk.vouchers.forEach((json, i) => byCode.set(chunk.codes[i]!, parse(json))));
  for (const v of await db.vouchers.toArray()) byCode.set(v.code, v);
  return [...byCode.values()];
}

/** How many distinct vouchers the replica holds, read from the keys only. */
export async function countVouchers(db: ReplicaDb): Promise<number> {
  const codes = new Set<string>((await db.voucherChunks.orderBy('codes').uniqueKeys()) as string[]);
  for (const code of await db.vouchers.toCollection().primaryKeys()) codes.add(code);
  return codes.size;
}

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
import type { Voucher } from '../../core/voucher';
import type { ReplicaDb } from './db';
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
  // Both reads at once, in one transaction: a voucher never changed here is only in a chunk.
  const [record, chunk] = await db.transaction('r', [db.vouchers, db.voucherChunks], () =>
    Promise.all([db.vouchers.get(code), db.voucherChunks.where('codes').equals(code).first()]),
  );
  return record ?? inChunk(chunk, code);
}

export async function getVouchers(db: ReplicaDb, codes: readonly string[]): Promise<(Voucher | undefined)[]> {
  return Promise.all(codes.map((code) => getVoucher(db, code)));
}

/** Whether a pulled page may go to chunks: only while nothing has been written one by one. */
export async function chunksAllowed(db: ReplicaDb): Promise<boolean> {
  return (await db.meta.get('last_pull_at')) === undefined && (await db.vouchers.count()) === 0;
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

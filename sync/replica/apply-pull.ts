// Apply one page of HQ's change feed in one transaction together with its checkpoint, so a crash
// between pages resumes exactly where it stopped. HQ's voucher state is rebased on this till's ops
// that HQ had not applied when it computed the page (seq > page.last_seq).
import type { ChangesResponse, StreamPage } from '../protocol';
import type { ReplicaDb } from './db';
import { readMeta, writeMeta, type MetaKey } from './meta';
import { pendingEffects, withUnreflected } from './pending';
import type { PendingEffect } from './rebase';
import { rebase } from './rebase';
import { chunksAllowed, deleteVouchers, putPulledVouchers } from './voucher-store';

/** The tables writing a page touches (one transaction). */
const PAGE_TABLES = (db: ReplicaDb) => [db.vouchers, db.voucherChunks, db.products, db.customers, db.loyaltyPrograms, db.outbox, db.unreflected, db.redemptions, db.meta];

/** A page from a pull: written, and at the tail the push floor is lifted (see applyStreamPage). */
export async function applyChangesPage(db: ReplicaDb, page: ChangesResponse, now: number): Promise<void> {
  await db.transaction('rw', [...PAGE_TABLES(db)], async () => {
    await writePage(db, page, now, await pendingEffects(db, page.last_seq));
    // A tail page of a pull is read after this till's last push (HQ's page cache, rule 4), so the
    // replica's checkpoint is now past every change this till's answered pushes made.
    if (!page.has_more) await db.meta.delete('push_floor' satisfies MetaKey);
  });
}

/** `pending`: the effects of this till's ops the page does not hold, by code (pending.ts). */
async function writePage(db: ReplicaDb, page: ChangesResponse, now: number, pending: Map<string, PendingEffect[]>): Promise<void> {
  const vouchers = pending.size ? page.vouchers.map((v) => rebase(v, pending.get(v.code) ?? [])) : page.vouchers;
  await putPulledVouchers(db, vouchers, await chunksAllowed(db));
  if (page.deleted.length) await deleteVouchers(db, page.deleted);
  if (page.products.length) await db.products.bulkPut(page.products);
  if (page.deleted_products.length) await db.products.bulkDelete(page.deleted_products);
  if (page.customers.length) await db.customers.bulkPut(page.customers);
  if (page.deleted_customers.length) await db.customers.bulkDelete(page.deleted_customers);
  if (page.loyalty_programs?.length) await db.loyaltyPrograms.bulkPut(page.loyalty_programs);
  await writeMeta(db, 'checkpoint', page.checkpoint);
  // Accepted ops whose changes are numbered up to here are in the data now.
  await db.unreflected.where('checkpoint').belowOrEqual(Number(page.checkpoint)).delete();
  // The highest of this till's seqs a pulled page already reflected: a push result for an op at or
  // below it (a replay of an answer that was lost) is older than what the replica holds; see apply-push.
  const [pulled, next] = await Promise.all([readMeta(db, 'pulled_last_seq'), readMeta(db, 'next_seq')]);
  if (page.last_seq > (pulled ?? 0)) await writeMeta(db, 'pulled_last_seq', page.last_seq);
  // HQ has applied this till's ops up to last_seq, so its next op is at least last_seq + 1. A replica
  // new to a till HQ already knows (paired again on new hardware, or after an unpair) would
  // otherwise number its ops from 1 again, and HQ refuses every one of them as seq_already_used.
  if (page.last_seq + 1 > (next ?? 1)) await writeMeta(db, 'next_seq', page.last_seq + 1);
  if (!page.has_more) await writeMeta(db, 'last_pull_at', now);
}


/** The push floor as stored (meta.ts; absent: 0, nothing to wait for). */
export async function pushFloor(db: ReplicaDb): Promise<number> {
  return (await readMeta(db, 'push_floor')) ?? 0;
}

/**
 * What became of a stream page: written; or 'incomplete' — it fits, but may lack this till's own
 * changes or end among them, and the pages after it on the stream, joined to it, complete it; or refused.
 */
export type StreamPageOutcome = 'applied' | 'incomplete' | 'refused';

/**
 * Applies a page HQ sent on its stream (event `page`, StreamPageSchema) if it can stand in for a pull.
 * Call it under the till's sender lock, so no push or pull of this till runs meanwhile, in any window.
 *
 * A stream page is the same for every till, so it has no `last_seq` — nothing says which of this
 * till's ops it reflects. It is applied only when that question has a safe answer:
 * - no op in the outbox may have reached HQ (none at or below sent_seq, meta.ts): an op in flight, or sent
 *   with its answer lost, may be in the page already, and rebasing on it would count it twice. The
 *   outbox's other ops never left the till, so the page is rebased on them, as a pull is;
 * - accepted ops whose answer named a checkpoint beyond the page's (the unreflected table) are not in
 *   it: a push's changes are numbered in commit order and commit together, so a page that ends at the
 *   feed's head holds all of them or none — none, as it ends below the last. The page is rebased on
 *   them. A page with has_more may end among one push's changes: 'incomplete' while such ops exist
 *   (joined with the page after it, which must end at the head — joinStreamPages —, it is one read
 *   at the head: a push that had not committed by then had not for the earlier page either);
 * - the page reaches the push floor, which answers the unreflected table cannot stand for raised (an
 *   op sent twice may be answered by a replay whose changes lie anywhere below the checkpoint; a
 *   refused op's answer wrote HQ's newer voucher): at or beyond it the page holds every change up to
 *   its checkpoint, so every effect of those answers. A page that fits but falls short of it is
 *   'incomplete' if the outbox is empty and the floor is a checkpoint (ops waiting would raise it past
 *   the pages on their way when pushed; an answer without a checkpoint put it past any: refused);
 * - a pull has reached the tail before (last_pull_at): a replica's first data is pulled;
 * - its range fits: since ≤ checkpoint < its checkpoint (no gap; changes up to ours come again as
 *   they are — a change number names one state of a row — and a page that ends at or before our
 *   checkpoint brings nothing).
 * Its last_seq is then the replica's own pulled_last_seq, which changes nothing. A page with has_more
 * is applied like any other (the next one follows on the stream); last_pull_at stays as it was. This
 * is what spares a till the pull after each push: its own changes come back on the stream like
 * everyone's, and pages that predate them are rebased until they do. 'refused' and 'incomplete'
 * leave the replica untouched; an 'incomplete' page is kept by the caller and joined with the pages
 * that follow it on the stream (joinStreamPages) until the whole is applied, instead of pulling.
 */
export async function applyStreamPage(db: ReplicaDb, page: StreamPage, now: number): Promise<StreamPageOutcome> {
  return db.transaction('rw', [...PAGE_TABLES(db)], async () => {
    const [stored, floor, pulled, pulledAt, sent] = await Promise.all([
      readMeta(db, 'checkpoint'), pushFloor(db), readMeta(db, 'pulled_last_seq'), readMeta(db, 'last_pull_at'), readMeta(db, 'sent_seq'),
    ]);
    const checkpoint = Number(stored ?? 0);
    const maybeSent = await (sent === undefined ? db.outbox.count() : db.outbox.where('seq').belowOrEqual(sent).count());
    // A replica that never finished a pull has not learnt this till's last_seq from HQ yet (next_seq
    // depends on it when a till is paired again): its first data comes by a pull.
    if (maybeSent > 0 || pulledAt === undefined) return 'refused';
    if (!(Number(page.since) <= checkpoint && checkpoint < Number(page.checkpoint))) return 'refused';
    // Incomplete only when nothing waits to be pushed (a push would raise the floor past the pages on
    // their way: a till selling faster than fan-outs come would wait forever) and some page can reach
    // the floor (an answer without a checkpoint puts it past any: only a pull lifts it).
    if (Number(page.checkpoint) < floor) return floor === Number.MAX_SAFE_INTEGER || (await db.outbox.count()) ? 'refused' : 'incomplete';
    if (page.has_more && (await db.unreflected.where('checkpoint').above(Number(page.checkpoint)).count())) return 'incomplete';
    const { since: _since, ...changes } = page;
    const lastSeq = pulled ?? 0;
    await writePage(db, { ...changes, last_seq: lastSeq }, now, await withUnreflected(db, await pendingEffects(db, lastSeq), Number(page.checkpoint)));
    return 'applied';
  });
}

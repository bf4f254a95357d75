// Apply one page of HQ's change feed in one transaction together with its checkpoint, so a crash
// between pages resumes exactly where it stopped. HQ's voucher state is rebased on this till's ops
// that HQ had not applied when it computed the page (seq > page.last_seq).
import type { ChangesResponse } from '../protocol';
import type { ReplicaDb } from './db';
import { pendingEffects } from './pending';
import { rebase } from './rebase';
import { chunksAllowed, deleteVouchers, putPulledVouchers } from './voucher-store';

export async function applyChangesPage(db: ReplicaDb, page: ChangesResponse, now: number): Promise<void> {
  await db.transaction('rw', [db.vouchers, db.voucherChunks, db.products, db.customers, db.outbox, db.redemptions, db.meta], async () => {
    const pending = await pendingEffects(db, page.last_seq);
    const vouchers = pending.size ? page.vouchers.map((v) => rebase(v, pending.get(v.code) ?? [])) : page.vouchers;
    await putPulledVouchers(db, vouchers, await chunksAllowed(db));
    if (page.deleted.length) await deleteVouchers(db, page.deleted);
    if (page.products.length) await db.products.bulkPut(page.products);
    if (page.deleted_products.length) await db.products.bulkDelete(page.deleted_products);
    if (page.customers.length) await db.customers.bulkPut(page.customers);
    if (page.deleted_customers.length) await db.customers.bulkDelete(page.deleted_customers);
    await db.meta.put({ key: 'checkpoint', value: page.checkpoint });
    // The highest of this till's seqs a pulled page already reflected: a push result for an op at or
    // below it (a replay of an answer that was lost) is older than what the replica holds; see apply-push.
    const [pulledRow, nextRow] = await Promise.all([db.meta.get('pulled_last_seq'), db.meta.get('next_seq')]);
    if (page.last_seq > Number(pulledRow?.value ?? 0)) await db.meta.put({ key: 'pulled_last_seq', value: page.last_seq });
    // HQ has applied this till's ops up to last_seq, so its next op is at least last_seq + 1. A replica
    // new to a till HQ already knows (paired again on new hardware, or after an unpair) would
    // otherwise number its ops from 1 again, and HQ refuses every one of them as seq_already_used.
    if (page.last_seq + 1 > Number(nextRow?.value ?? 1)) await db.meta.put({ key: 'next_seq', value: page.last_seq + 1 });
    if (!page.has_more) await db.meta.put({ key: 'last_pull_at', value: now });
  });
}

// The chunked first load (sync/replica/voucher-store.ts): newest copy wins, records win over chunks,
// tombstones reach chunks, and chunks stop once anything is written one by one.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openReplica } from '../../sync/replica/db';
import { allVouchers, chunksAllowed, countVouchers, deleteVouchers, getVoucher, getVouchers, putPulledVouchers } from '../../sync/replica/voucher-store';
import { discountVoucher } from '../../testkit/fixtures';

const v = (code: string, label = 'first') => discountVoucher({ type: 'AMOUNT', amount_off: 100 }, { code, label });
const codes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `C${String(from + i).padStart(5, '0')}`);

async function replica() {
  const db = openReplica('store-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.open();
  return db;
}

describe('voucher store', () => {
  it('splits a page into small chunks and finds every voucher in them', async () => {
    const db = await replica();
    await putPulledVouchers(db, codes(250).map((c) => v(c)), true);
    const chunks = await db.voucherChunks.toArray();
    expect(chunks.length).toBeLessThan(10);
    for (const c of chunks) expect(c.codes.length <= 100 && c.vouchers.join('').length <= 30_000).toBe(true);
    expect(await countVouchers(db)).toBe(250);
    expect((await getVoucher(db, 'C00249'))?.code).toBe('C00249');
    expect((await getVouchers(db, ['C00000', 'NOPE1', 'C00100'])).map((x) => x?.code)).toEqual(['C00000', undefined, 'C00100']);
  });

  it('reads the newest copy: a later chunk over an earlier one, a record over any chunk', async () => {
    const db = await replica();
    await putPulledVouchers(db, codes(10).map((c) => v(c)), true);
    await putPulledVouchers(db, [v('C00003', 'second')], true);
    expect((await getVoucher(db, 'C00003'))?.label).toBe('second');
    await db.vouchers.put(v('C00003', 'sold here'));
    expect((await getVoucher(db, 'C00003'))?.label).toBe('sold here');
    expect(await chunksAllowed(db)).toBe(false);
    const all = await allVouchers(db);
    expect(all).toHaveLength(10);
    expect(all.find((x) => x.code === 'C00003')?.label).toBe('sold here');
  });

  it('removes a tombstoned code from every chunk and record that holds it', async () => {
    const db = await replica();
    await putPulledVouchers(db, codes(3).map((c) => v(c)), true);
    await putPulledVouchers(db, [v('C00001', 'second'), v('C00009')], true);
    await db.vouchers.put(v('C00001', 'sold here'));
    await deleteVouchers(db, ['C00001', 'C00009']);
    expect(await getVoucher(db, 'C00001')).toBeUndefined();
    expect(await getVoucher(db, 'C00009')).toBeUndefined();
    expect(await db.voucherChunks.count()).toBe(1); // the chunk left empty is gone
    expect((await allVouchers(db)).map((x) => x.code).sort()).toEqual(['C00000', 'C00002']);
  });

  it('reads inside the caller\'s transaction (its own uncommitted writes), and in one of its own outside', async () => {
    const db = await replica();
    await putPulledVouchers(db, codes(3).map((c) => v(c)), true);
    const seen = await db.transaction('rw', [db.vouchers, db.voucherChunks], async () => {
      await db.vouchers.put(v('C00001', 'in this transaction'));
      return getVouchers(db, ['C00001', 'C00002', 'NOPE1']);
    });
    expect(seen.map((x) => x?.label)).toEqual(['in this transaction', 'first', undefined]);
    expect((await getVouchers(db, ['C00002', 'C00001'])).map((x) => x?.label)).toEqual(['first', 'in this transaction']);
    expect(await getVouchers(db, [])).toEqual([]);
  });

  it('writes records, not chunks, once the first load has finished', async () => {
    const db = await replica();
    expect(await chunksAllowed(db)).toBe(true);
    await db.meta.put({ key: 'last_pull_at', value: 1 });
    expect(await chunksAllowed(db)).toBe(false);
  });
});

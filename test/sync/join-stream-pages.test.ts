// joinStreamPages (sync/engine/join-stream-pages.ts): two stream pages that follow each other as one,
// the second ending at the feed's head (no has_more: one that has more is refused — it may lack a row
// of the first that changed again beyond it). The rule: applying the joined page leaves a replica
// exactly as applying the two in turn would — for
// vouchers, products and customers alike — and it still holds one word per row (HQ's pages never put
// and delete the same row; a joined page must not either, since a replica writes puts before deletes).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinStreamPages, MAX_JOINED_ROWS } from '../../sync/engine/join-stream-pages';
import type { StreamPage } from '../../sync/protocol';
import { giftVoucher } from '../../testkit/fixtures';

const KEYS = ['GC-A', 'GC-B', 'GC-C', 'GC-D', 'GC-E', 'GC-F'];

/** A page's word on each of a few keys: put (with a version), delete, or nothing. */
const words = fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.constant<'delete'>('delete'), fc.integer({ min: 1, max: 999 }))), { maxLength: 6 }).map((ws) => new Map(ws));

function page(since: number, checkpoint: number, vouchers: Map<string, 'delete' | number>, products: Map<string, 'delete' | number>, customers: Map<string, 'delete' | number>): StreamPage {
  const puts = (m: Map<string, 'delete' | number>) => [...m].flatMap(([k, w]) => (w === 'delete' ? [] : [[k, w] as const]));
  const dels = (m: Map<string, 'delete' | number>) => [...m].flatMap(([k, w]) => (w === 'delete' ? [k] : []));
  return {
    since: String(since),
    checkpoint: String(checkpoint),
    has_more: false,
    vouchers: puts(vouchers).map(([code, balance]) => giftVoucher(1_000, balance, { code })),
    deleted: dels(vouchers),
    products: puts(products).map(([id, price]) => ({ id, barcode: null, name: id, unit_price: price, tax_rate: 7, currency: 'EUR', active: true })),
    deleted_products: dels(products),
    customers: puts(customers).map(([id, points]) => ({ id, card_code: null, name: `${id}-${points}` }) as unknown as StreamPage['customers'][number]),
    deleted_customers: dels(customers),
  };
}

/** A replica's tables as a replica writes a page: puts, then deletions. */
type Model = { vouchers: Map<string, unknown>; products: Map<string, unknown>; customers: Map<string, unknown> };
function apply(m: Model, p: StreamPage): Model {
  const write = <T>(table: Map<string, unknown>, puts: T[], key: (t: T) => string, deleted: string[]) => {
    const next = new Map(table);
    for (const row of puts) next.set(key(row), row);
    for (const k of deleted) next.delete(k);
    return next;
  };
  return {
    vouchers: write(m.vouchers, p.vouchers, (v) => v.code, p.deleted),
    products: write(m.products, p.products, (x) => x.id, p.deleted_products),
    customers: write(m.customers, p.customers, (x) => x.id, p.deleted_customers),
  };
}

describe('joinStreamPages', () => {
  it('applying the joined page = applying the two in turn, from any replica; the joined page spans since…checkpoint and says one word per row', () => {
    fc.assert(
      fc.property(words, words, words, words, words, words, words, words, words, fc.boolean(), (v0, p0, c0, va, pa, ca, vb, pb, cb, hasMoreA) => {
        const start = apply({ vouchers: new Map(), products: new Map(), customers: new Map() }, page(0, 10, v0, p0, c0));
        const a = { ...page(10, 12, va, pa, ca), has_more: hasMoreA };
        const b = { ...page(12, 15, vb, pb, cb), latest_checkpoint: '40' };
        const joined = joinStreamPages(a, b)!;
        expect(apply(start, joined)).toEqual(apply(apply(start, a), b));
        expect(joined).toMatchObject({ since: '10', checkpoint: '15', has_more: false, latest_checkpoint: '40' });
        for (const [puts, deleted] of [[joined.vouchers.map((v) => v.code), joined.deleted], [joined.products.map((x) => x.id), joined.deleted_products], [joined.customers.map((x) => x.id), joined.deleted_customers]] as const) {
          expect(new Set([...puts, ...deleted]).size).toBe(puts.length + deleted.length);
        }
      }),
      { seed: 4242, numRuns: 500 },
    );
  });

  it('refuses pages that do not follow each other (a gap or an overlap), a second page with has_more, and a join that would grow past its row limit', () => {
    const empty = new Map<string, 'delete' | number>();
    const a = page(10, 12, new Map([['GC-A', 1]]), empty, empty);
    // Cut at has_more, the second page may lack a row of the first that changed again beyond it.
    expect(joinStreamPages(a, { ...page(12, 15, empty, empty, empty), has_more: true })).toBeNull();
    expect(joinStreamPages(a, page(13, 15, empty, empty, empty))).toBeNull();
    expect(joinStreamPages(a, page(11, 15, empty, empty, empty))).toBeNull();
    expect(joinStreamPages(a, page(12, 15, new Map([['GC-B', 2]]), empty, empty), 2)).not.toBeNull();
    expect(joinStreamPages(a, page(12, 15, new Map([['GC-B', 2], ['GC-C', 3]]), empty, empty), 2)).toBeNull();
    expect(MAX_JOINED_ROWS).toBeGreaterThan(1_000); // a stream page holds up to 200 changes (hq/change-stream.ts)
  });
});

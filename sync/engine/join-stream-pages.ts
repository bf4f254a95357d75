// Two stream pages that follow each other (the second starts where the first ends) as one page, so a
// till can take a run of pages in one transaction: the ones that came while it was pushing, or one
// that was incomplete together with the next (sync/replica/apply-pull.ts, applyStreamPage). The second
// must end at the feed's head (no has_more): read after the first, from where it ends, it then holds
// every row that changed since the first was read, so for every row the later page's word wins — a
// row it brings replaces one the first page brought or deleted, a deletion in it removes one the first
// brought — and the result is the page HQ would have sent from the first's `since` when it read the
// second. A second page cut at has_more would not hold a row of the first whose newest change lies
// beyond it, and the first's older copy of that row would be written (behind a push floor the second
// page reaches, a voucher older than a push answer the till already has). Pure.
import type { StreamPage } from '../protocol';

/** Rows a joined page may hold before the join is refused (a pull is cheaper than an ever-growing page). */
export const MAX_JOINED_ROWS = 5_000;

/** `a` then `b` as one page; null if `b` does not start where `a` ends, has more after it, or the result would exceed `maxRows`. */
export function joinStreamPages(a: StreamPage, b: StreamPage, maxRows = MAX_JOINED_ROWS): StreamPage | null {
  if (a.checkpoint !== b.since || b.has_more) return null;
  const [vouchers, deleted] = joinRows(a.vouchers, a.deleted, b.vouchers, b.deleted, (v) => v.code);
  const [products, deletedProducts] = joinRows(a.products, a.deleted_products, b.products, b.deleted_products, (p) => p.id);
  const [customers, deletedCustomers] = joinRows(a.customers, a.deleted_customers, b.customers, b.deleted_customers, (c) => c.id);
  const [programs] = joinRows(a.loyalty_programs ?? [], [], b.loyalty_programs ?? [], [], (p) => p.id);
  const rows = vouchers.length + deleted.length + products.length + deletedProducts.length + customers.length + deletedCustomers.length + programs.length;
  if (rows > maxRows) return null;
  return {
    ...b,
    since: a.since,
    vouchers,
    deleted,
    products,
    deleted_products: deletedProducts,
    customers,
    deleted_customers: deletedCustomers,
    loyalty_programs: programs,
  };
}

function joinRows<T>(putA: readonly T[], deletedA: readonly string[], putB: readonly T[], deletedB: readonly string[], key: (row: T) => string): [T[], string[]] {
  const touchedByB = new Set([...putB.map(key), ...deletedB]);
  return [
    [...putA.filter((row) => !touchedByB.has(key(row))), ...putB],
    [...deletedA.filter((k) => !touchedByB.has(k)), ...deletedB],
  ];
}

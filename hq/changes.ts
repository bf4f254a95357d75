// The change feed tills pull from. Every write to replicated data (vouchers, products, customers,
// loyalty programs, tombstones) ends with `stampChanges` (a push and a rollback do the same in SQL, push_ops() and
// rollback_redemption(), which write each voucher once, with its number). It takes one transaction-scoped advisory lock and
// only then draws numbers from the `change_seq` sequence. The lock is held until commit, so numbers are
// handed out in commit order: when a reader sees change N it has also seen every change below N. A
// plain sequence or a wall-clock timestamp would let a transaction that started early but commits late
// appear below a checkpoint a till has already passed, and that change would never reach the till.
import { sql } from 'drizzle-orm';
import type { Db } from './db/connect';
import { rowsOf } from './db/connect';
import { VOUCHER_JSON_SQL } from './db/rows';
import type { ChangesResponse } from '../sync/protocol';
import type { LoyaltyProgram } from '../core/loyalty';
import { PROGRAM_JSON_SQL } from './loyalty-program-store';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;


export type Touched = { vouchers?: Iterable<string>; products?: Iterable<string>; customers?: Iterable<string>; loyaltyPrograms?: Iterable<string> };

/**
 * Take the change lock (idempotent within a transaction). Call before drawing from change_seq. Its key
 * is written once, in hq/db/functions/lock_changes.sql; push_ops() and rollback_redemption() call it too.
 */
async function lockChanges(tx: Executor): Promise<void> {
  await tx.execute(sql`SELECT lock_changes()`);
}

/** Stamp the touched rows with fresh change numbers; returns the highest number drawn (0 if none). */
export async function stampChanges(tx: Executor, touched: Touched): Promise<number> {
  const lists = {
    vouchers: [...new Set(touched.vouchers ?? [])],
    products: [...new Set(touched.products ?? [])],
    customers: [...new Set(touched.customers ?? [])],
    loyaltyPrograms: [...new Set(touched.loyaltyPrograms ?? [])],
  };
  if (!lists.vouchers.length && !lists.products.length && !lists.customers.length && !lists.loyaltyPrograms.length) return 0;
  await lockChanges(tx);
  let max = 0;
  const stamp = async (table: 'vouchers' | 'products' | 'customers' | 'loyalty_programs', key: 'code' | 'id', ids: string[]) => {
    if (!ids.length) return;
    const rows = rowsOf<{ m: string | number | null }>(
      await tx.execute(
        sql`WITH s AS (UPDATE ${sql.identifier(table)} SET change_seq = nextval('change_seq')
            WHERE ${sql.identifier(key)} IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) RETURNING change_seq)
            SELECT max(change_seq) AS m FROM s`,
      ),
    );
    max = Math.max(max, Number(rows[0]?.m ?? 0));
  };
  await stamp('vouchers', 'code', lists.vouchers);
  await stamp('products', 'id', lists.products);
  await stamp('customers', 'id', lists.customers);
  await stamp('loyalty_programs', 'id', lists.loyaltyPrograms);
  return max;
}

/** Record a deletion so tills that replicated the row remove it. Takes the lock itself. */
export async function writeTombstone(tx: Executor, kind: 'voucher' | 'product' | 'customer', id: string): Promise<number> {
  await lockChanges(tx);
  const rows = rowsOf<{ change_seq: string | number }>(
    await tx.execute(sql`INSERT INTO tombstones (kind, id, change_seq, deleted_at) VALUES (${kind}, ${id}, nextval('change_seq'), now())
      ON CONFLICT (kind, id) DO UPDATE SET change_seq = excluded.change_seq, deleted_at = excluded.deleted_at RETURNING change_seq`),
  );
  return Number(rows[0]?.change_seq ?? 0);
}

/** A re-created row supersedes its tombstone (so one page never holds both for one id). */
export async function clearTombstones(tx: Executor, kind: 'voucher' | 'product' | 'customer', ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx.execute(sql`DELETE FROM tombstones WHERE kind = ${kind} AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);
}

type Page = Omit<ChangesResponse, 'vouchers' | 'last_seq' | 'loyalty_programs'> & { vouchers: string[]; loyalty_programs: LoyaltyProgram[] };
type Item = { seq: number; apply: (page: Page) => void };

/**
 * A page of the feed as every till shares it: the JSON text of a ChangesResponse up to and including
 * `"last_seq":` — the one field that is each till's own goes last, so a till's answer is
 * `json + last_seq + '}'` (hq/change-pages.ts). `snapshot` is the page's repeatable-read snapshot
 * (pg_current_snapshot(), "xmin:xmax:xip,…"): which transactions the page sees.
 */
export type SharedPage = { json: string; checkpoint: number; hasMore: boolean; snapshot: string };

/**
 * The highest committed change number: five index look-ups. Numbers are handed out in commit order,
 * so no change above it has committed yet (numbers drawn by transactions still running, or rolled
 * back, are not in any table). The sequence's last_value would count those too.
 */
export async function readHead(db: Db): Promise<number> {
  const rows = rowsOf<{ head: string | number | null }>(await db.execute(sql.raw(HEAD_SQL)));
  return Number(rows[0]?.head ?? 0);
}

/** readHead's query as text, for a plain pg client (the change bus reads the head after reconnecting). */
export const HEAD_SQL = `SELECT greatest(
  coalesce((SELECT max(change_seq) FROM vouchers), 0), coalesce((SELECT max(change_seq) FROM tombstones), 0),
  coalesce((SELECT max(change_seq) FROM products), 0), coalesce((SELECT max(change_seq) FROM customers), 0),
  coalesce((SELECT max(change_seq) FROM loyalty_programs), 0)) AS head`;

/** Page reads since the process started (tests count them: N tills asking the same → 1 read). */
export const pageReads = { count: 0 };

/**
 * One page of changes after `checkpoint`, read in a single repeatable-read snapshot (five tables read
 * at different moments could otherwise pass a change that commits in between). Vouchers arrive from
 * the database already as JSON (VOUCHER_JSON_SQL). Nothing in it depends on who asks.
 */
export async function readChangePage(db: Db, checkpoint: number, limit: number): Promise<SharedPage> {
  pageReads.count += 1;
  return db.transaction(
    async (tx) => {
      const after = checkpoint;
      const take = limit + 1;
      const [vouchers, tombs, products, customers, programs] = [
        rowsOf<{ change_seq: string | number; json: string }>(
          await tx.execute(sql`SELECT change_seq, ${sql.raw(VOUCHER_JSON_SQL)} AS json FROM vouchers WHERE change_seq > ${after} ORDER BY change_seq LIMIT ${take}`),
        ),
        rowsOf<{ kind: string; id: string; change_seq: string | number }>(
          await tx.execute(sql`SELECT kind, id, change_seq FROM tombstones WHERE change_seq > ${after} ORDER BY change_seq LIMIT ${take}`),
        ),
        rowsOf<{ id: string; barcode: string | null; name: string; unit_price: string | number; tax_rate: string | number; currency: string; active: boolean; change_seq: string | number }>(
          await tx.execute(sql`SELECT id, barcode, name, unit_price, tax_rate, currency, active, change_seq FROM products WHERE change_seq > ${after} ORDER BY change_seq LIMIT ${take}`),
        ),
        rowsOf<{ id: string; name: string; card_code: string | null; change_seq: string | number }>(
          await tx.execute(sql`SELECT id, name, card_code, change_seq FROM customers WHERE change_seq > ${after} ORDER BY change_seq LIMIT ${take}`),
        ),
        rowsOf<{ json: string; change_seq: string | number }>(
          await tx.execute(sql`SELECT ${sql.raw(PROGRAM_JSON_SQL)} AS json, p.change_seq FROM loyalty_programs p WHERE p.change_seq > ${after} ORDER BY p.change_seq LIMIT ${take}`),
        ),
      ];
      const head = rowsOf<{ last_value: string | number | null; snapshot: string }>(await tx.execute(sql`SELECT last_value, pg_current_snapshot()::text AS snapshot FROM change_seq`));
      const items: Item[] = [
        ...vouchers.map((r) => ({ seq: Number(r.change_seq), apply: (p: Page) => void p.vouchers.push(r.json) })),
        ...tombs.map((r) => ({
          seq: Number(r.change_seq),
          apply: (p: Page) => void (r.kind === 'voucher' ? p.deleted : r.kind === 'product' ? p.deleted_products : p.deleted_customers).push(r.id),
        })),
        ...products.map((r) => ({
          seq: Number(r.change_seq),
          apply: (p: Page) =>
            void p.products.push({ id: r.id, barcode: r.barcode, name: r.name, unit_price: Number(r.unit_price), tax_rate: Number(r.tax_rate), currency: r.currency, active: r.active }),
        })),
        ...customers.map((r) => ({ seq: Number(r.change_seq), apply: (p: Page) => void p.customers.push({ id: r.id, name: r.name, card_code: r.card_code }) })),
        ...programs.map((r) => ({ seq: Number(r.change_seq), apply: (p: Page) => void p.loyalty_programs.push(JSON.parse(r.json) as LoyaltyProgram) })),
      ].sort((a, b) => a.seq - b.seq);
      const page: Page = {
        vouchers: [], deleted: [], products: [], deleted_products: [], customers: [], deleted_customers: [], loyalty_programs: [],
        checkpoint: String(checkpoint), has_more: items.length > limit,
        latest_checkpoint: String(Math.max(checkpoint, Number(head[0]?.last_value ?? 0))),
      };
      for (const item of items.slice(0, limit)) {
        item.apply(page);
        page.checkpoint = String(item.seq);
      }
      const { vouchers: voucherJson, ...rest } = page;
      return {
        json: `{"vouchers":[${voucherJson.join(',')}],${JSON.stringify(rest).slice(1, -1)},"last_seq":`,
        checkpoint: Number(page.checkpoint),
        hasMore: page.has_more,
        snapshot: head[0]!.snapshot,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

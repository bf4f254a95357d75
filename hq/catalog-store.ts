// Products and customers: the catalog data tills replicate next to vouchers.
import { sql } from 'drizzle-orm';
import type { Customer, Product } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { clearTombstones, stampChanges, writeTombstone, type Executor } from './changes';

export async function upsertProducts(tx: Executor, products: Product[]): Promise<number> {
  if (!products.length) return 0;
  await tx.execute(sql`INSERT INTO products (id, barcode, name, unit_price, tax_rate, currency, active, change_seq)
    SELECT r.id, r.barcode, r.name, r.unit_price, r.tax_rate, r.currency, r.active, 0
    FROM jsonb_to_recordset(${JSON.stringify(products)}::jsonb) AS r(id text, barcode text, name text, unit_price bigint, tax_rate numeric, currency text, active boolean)
    ON CONFLICT (id) DO UPDATE SET barcode = excluded.barcode, name = excluded.name, unit_price = excluded.unit_price,
      tax_rate = excluded.tax_rate, currency = excluded.currency, active = excluded.active`);
  const ids = products.map((p) => p.id);
  await clearTombstones(tx, 'product', ids);
  return stampChanges(tx, { products: ids });
}

export async function upsertCustomers(tx: Executor, customers: Customer[]): Promise<number> {
  if (!customers.length) return 0;
  await tx.execute(sql`INSERT INTO customers (id, name, card_code, change_seq)
    SELECT r.id, r.name, r.card_code, 0 FROM jsonb_to_recordset(${JSON.stringify(customers)}::jsonb) AS r(id text, name text, card_code text)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, card_code = excluded.card_code`);
  const ids = customers.map((c) => c.id);
  await clearTombstones(tx, 'customer', ids);
  return stampChanges(tx, { customers: ids });
}

/** Delete a product or customer; false when it did not exist. */
export async function deleteCatalogRow(db: Db, kind: 'product' | 'customer', id: string): Promise<number | false> {
  return db.transaction(async (tx) => {
    const table = kind === 'product' ? sql`products` : sql`customers`;
    const gone = rowsOf(await tx.execute(sql`DELETE FROM ${table} WHERE id = ${id} RETURNING id`));
    if (!gone.length) return false;
    return writeTombstone(tx, kind, id);
  });
}

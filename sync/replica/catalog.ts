// The product catalog, held in memory. A product scan must not wait on IndexedDB: after a key press
// that changes the screen Chromium holds every IndexedDB result back until it has drawn a frame (see
// electron/chromium-switches.ts), which a till in a plain browser cannot turn off, and a product
// read from memory answers within the key press itself. A catalog is small next to the voucher
// replica (thousands to tens of thousands of rows), the screen needs every product's name anyway,
// and it changes rarely. The copy is read again after every committed write to the products table,
// from this window or another, through Dexie's 'storagemutated' event (what its liveQuery is built on;
// liveQuery itself only runs where a global indexedDB exists, and the tests give each till its own),
// so it follows pulls without the sync engine knowing about it. From a write's commit until that
// re-read lands the copy is not current, and a lookup reads IndexedDB instead (never an old price).
import { Dexie } from 'dexie';
import type { Product } from '../protocol';
import type { ReplicaDb } from './db';

export type Catalog = {
  /**
   * False from the moment a write to the products table commits until the copy has been read again (or
   * while a re-read keeps failing): a caller that must not act on an old price or a deleted product
   * reads IndexedDB meanwhile.
   */
  isCurrent(): boolean;
  /** The product with this GTIN-14; with several, the one with the lowest id (as the barcode index orders them). */
  byBarcode(gtin14: string): Product | undefined;
  byId(id: string): Product | undefined;
  /** Active products whose name contains the query, or whose id is it, or whose barcode ends with it; in id order. */
  search(query: string, limit: number): Product[];
  close(): void;
};

/** The same test as Catalog.search, for a product read from IndexedDB. */
export function matchesSearch(p: Product, q: string, lowerName = p.name.toLowerCase()): boolean {
  return p.active && (lowerName.includes(q) || p.id.toLowerCase() === q || p.barcode?.endsWith(q) === true);
}

type Index = { products: Product[]; names: string[]; byId: Map<string, Product>; byBarcode: Map<string, Product> };

function indexProducts(products: Product[]): Index {
  // IndexedDB returns the table in primary-key order, the order the barcode index breaks ties in.
  const byId = new Map<string, Product>();
  const byBarcode = new Map<string, Product>();
  for (const p of products) {
    byId.set(p.id, p);
    if (p.barcode !== null && !byBarcode.has(p.barcode)) byBarcode.set(p.barcode, p);
  }
  return { products, names: products.map((p) => p.name.toLowerCase()), byId, byBarcode };
}

/** Resolves once the catalog holds the replica's products; rejects when they cannot be read. */
export async function openCatalog(db: ReplicaDb): Promise<Catalog> {
  const changed = `idb://${db.name}/products/`;
  let index = indexProducts([]);
  let current = false;
  // One read at a time; a write during a read asks for one more after it, and only the last read of a
  // burst makes the copy current again.
  let reading: Promise<void> | null = null;
  let again = false;
  let failure: unknown;
  function reread(): Promise<void> {
    current = false;
    if (reading) {
      again = true;
      return reading;
    }
    reading = db.products
      .toArray()
      .then(
        (products) => {
          index = indexProducts(products);
          failure = undefined;
          if (!again) current = true;
        },
        // A failed read leaves the copy not current (callers read IndexedDB); the next write reads again.
        (error: unknown) => void (failure = error),
      )
      .finally(() => {
        reading = null;
        if (again) {
          again = false;
          void reread();
        }
      });
    return reading;
  }
  const onMutated = (parts: Record<string, unknown>) => {
    if (Object.keys(parts).some((key) => key.startsWith(changed))) void reread();
  };
  // Listen before the first read, so a write committed during it is not missed.
  Dexie.on('storagemutated', onMutated);
  await reread();
  if (failure !== undefined) {
    Dexie.on('storagemutated').unsubscribe(onMutated);
    throw failure;
  }

  return {
    isCurrent: () => current,
    byBarcode: (gtin14) => index.byBarcode.get(gtin14),
    byId: (id) => index.byId.get(id),
    search(query, limit) {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      const found: Product[] = [];
      for (let i = 0; i < index.products.length && found.length < limit; i++) {
        const p = index.products[i]!;
        if (matchesSearch(p, q, index.names[i])) found.push(p);
      }
      return found;
    },
    close: () => Dexie.on('storagemutated').unsubscribe(onMutated),
  };
}

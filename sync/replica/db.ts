// The till's local replica in IndexedDB (Dexie). Versioned: a new version() with an upgrade function
// is how the schema changes — never edit an existing version's stores.
//
// Sales are committed with durability "strict" (Chromium flushes to disk before reporting success),
// so a power cut right after "sale complete" cannot lose the sale or its outbox ops.
import { Dexie, type EntityTable } from 'dexie';
import type { MetaKey } from './meta';
import type { Voucher } from '../../core/voucher';
import type { LoyaltyProgram } from '../../core/loyalty';
import type { Customer, Product } from '../protocol';
import type { CodeLeaseRow, ConflictRow, MetaRow, OutboxRow, RedemptionRow, TicketRow, UnreflectedRow, VoucherChunkRow } from './rows';

export type ReplicaDb = Dexie & {
  /** One record per voucher changed after the first full load; read through voucher-store.ts. */
  vouchers: EntityTable<Voucher, 'code'>;
  /** The first full load, many vouchers per record (see voucher-store.ts). */
  voucherChunks: EntityTable<VoucherChunkRow, 'id'>;
  products: EntityTable<Product, 'id'>;
  customers: EntityTable<Customer, 'id'>;
  /** What loyalty cards' points earn and are worth (core/loyalty.ts); from the change feed. */
  loyaltyPrograms: EntityTable<LoyaltyProgram, 'id'>;
  tickets: EntityTable<TicketRow, 'id'>;
  redemptions: EntityTable<RedemptionRow, 'op_id'>;
  outbox: EntityTable<OutboxRow, 'seq'>;
  unreflected: EntityTable<UnreflectedRow, 'seq'>;
  conflicts: EntityTable<ConflictRow, 'op_id'>;
  codeLeases: EntityTable<CodeLeaseRow, 'code'>;
  meta: EntityTable<MetaRow, 'key'>;
};


export type ReplicaDeps = { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };

export function openReplica(name: string, deps: ReplicaDeps = {}): ReplicaDb {
  const db = new Dexie(name, {
    chromeTransactionDurability: 'strict',
    ...(deps.indexedDB ? { indexedDB: deps.indexedDB } : {}),
    ...(deps.IDBKeyRange ? { IDBKeyRange: deps.IDBKeyRange } : {}),
  }) as ReplicaDb;
  db.version(1).stores({
    vouchers: '&code',
    products: '&id, barcode, name',
    customers: '&id, card_code',
    tickets: '&id, completed_at',
    redemptions: '&op_id, code, ticket_id, status',
    outbox: '&seq, &op_id',
    conflicts: '&op_id, acknowledged',
    codeLeases: '&code, used',
    meta: '&key',
  });
  // IndexedDB costs ~100 µs per record written whatever its size, which alone kept a 1M-voucher first
  // load over a minute; a record of 100 vouchers with a multi-entry index on their codes costs ~10x less.
  // redemptions by seq: a push result reads its batch's rows as one range (apply-push.ts).
  db.version(2).stores({ voucherChunks: '&id, *codes', redemptions: '&op_id, code, ticket_id, status, seq' });
  // Accepted ops a stream page may not reflect yet, by the checkpoint their answer named (rows.ts).
  db.version(3).stores({ unreflected: '&seq, checkpoint' });
  // Loyalty programs (contract v1 additions).
  db.version(4).stores({ loyaltyPrograms: '&id' });
  // A new replica has sent nothing (meta.ts, sent_seq).
  db.on('populate', (tx) => void tx.table('meta').add({ key: 'sent_seq' satisfies MetaKey, value: 0 }));
  return db;
}

// The till's local replica in IndexedDB (Dexie). Versioned: a new version() with an upgrade function
// is how the schema changes — never edit an existing version's stores.
//
// Sales are committed with durability "strict" (Chromium flushes to disk before reporting success),
// so a power cut right after "sale complete" cannot lose the sale or its outbox ops.
import { Dexie, type EntityTable } from 'dexie';
import type { Voucher } from '../../core/voucher';
import type { Customer, Product } from '../protocol';
import type { CodeLeaseRow, ConflictRow, MetaRow, OutboxRow, RedemptionRow, TicketRow } from './rows';

export type ReplicaDb = Dexie & {
  vouchers: EntityTable<Voucher, 'code'>;
  products: EntityTable<Product, 'id'>;
  customers: EntityTable<Customer, 'id'>;
  tickets: EntityTable<TicketRow, 'id'>;
  redemptions: EntityTable<RedemptionRow, 'op_id'>;
  outbox: EntityTable<OutboxRow, 'seq'>;
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
  return db;
}

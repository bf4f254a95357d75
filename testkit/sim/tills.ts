// Tills for the fault and crash tests and the simulation: a till whose network is a fault-injecting
// fetch, and "crash + restart" = close the database and open a new till on the same IndexedDB
// (same fake IDBFactory, database name and token), as a restarted process would.
import { withoutAssets } from '../fixtures';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../hq/db/connect';
import { openTillInternals as openTill, type TillOptions, type TillInternals as Till } from '../../sync/till';
import type { Voucher } from '../../core/voucher';
import type { LiveHq } from '../till-harness';
import { createFaultFetch, type FaultFetch } from '../fault-fetch';

export type FaultyTill = Till & { tillId: string; token: string; dbName: string; factory: IDBFactory; net: FaultFetch; options: Partial<TillOptions> };

let counter = 0;

export const TILL_SETTINGS = { timeZone: 'Europe/Berlin', currency: 'EUR', giftCodeReserve: 3 } as const;

async function open(hq: LiveHq, ids: { tillId: string; token: string; dbName: string; factory: IDBFactory; net: FaultFetch }, options: Partial<TillOptions>): Promise<FaultyTill> {
  const till = await openTill({
    hqUrl: hq.url,
    token: ids.token,
    dbName: ids.dbName,
    liveUpdates: false,
    settings: TILL_SETTINGS,
    ...options,
    fetch: ids.net.fetch,
    replica: { indexedDB: ids.factory, IDBKeyRange },
  });
  return Object.assign(till, ids, { options });
}

/** A newly registered till (own IndexedDB) whose every request goes through a fault-injecting fetch. */
export async function newFaultyTill(hq: LiveHq, options: Partial<TillOptions> & { name?: string; net?: FaultFetch } = {}): Promise<FaultyTill> {
  const { name, net, ...rest } = options;
  const { till_id, token } = await hq.newTill(name ?? `Faulty till ${++counter}`, 'Europe/Berlin');
  return open(hq, { tillId: till_id, token, dbName: `till-${till_id}`, factory: new IDBFactory(), net: net ?? createFaultFetch() }, rest);
}

/**
 * The restarted process after a crash: a new till on the same device (IndexedDB), the same token and
 * the same network. The caller has closed (or is closing) the previous one's database.
 */
export async function reopenTill(hq: LiveHq, previous: FaultyTill, options: Partial<TillOptions> = previous.options): Promise<FaultyTill> {
  return open(hq, { tillId: previous.tillId, token: previous.token, dbName: previous.dbName, factory: previous.factory, net: previous.net }, options);
}

/** Crash: the database connection goes away at once (no orderly engine stop), then restart. */
export async function crashAndReopen(hq: LiveHq, till: FaultyTill, options?: Partial<TillOptions>): Promise<FaultyTill> {
  till.db.close();
  return reopenTill(hq, till, options);
}

// ---- reading HQ's database directly ------------------------------------------------------------

export async function hqRows<T>(hq: LiveHq, query: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await hq.database.db.execute(query));
}

export type OpRow = { op_id: string; till_id: string; seq: number; type: string; outcome: string; n: number };

/** HQ's ops rows for these op_ids, with how many rows each op_id has. */
export async function hqOps(hq: LiveHq, opIds: readonly string[]): Promise<Map<string, OpRow>> {
  if (!opIds.length) return new Map();
  const rows = await hqRows<{ op_id: string; till_id: string; seq: string | number; type: string; outcome: string; n: string | number }>(
    hq,
    sql`SELECT op_id::text AS op_id, till_id::text AS till_id, seq, type, outcome, count(*) OVER (PARTITION BY op_id) AS n
        FROM ops WHERE op_id::text IN (SELECT jsonb_array_elements_text(${JSON.stringify(opIds.map((id) => id.toLowerCase()))}::jsonb))`,
  );
  return new Map(rows.map((r) => [r.op_id, { ...r, seq: Number(r.seq), n: Number(r.n) }]));
}

/** Every ops row HQ holds for these tills. */
export async function hqOpsOfTills(hq: LiveHq, tillIds: readonly string[]): Promise<OpRow[]> {
  if (!tillIds.length) return [];
  const rows = await hqRows<{ op_id: string; till_id: string; seq: string | number; type: string; outcome: string }>(
    hq,
    sql`SELECT op_id::text AS op_id, till_id::text AS till_id, seq, type, outcome FROM ops
        WHERE till_id::text IN (SELECT jsonb_array_elements_text(${JSON.stringify(tillIds)}::jsonb)) ORDER BY till_id, seq`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), n: 1 }));
}

export async function hqLastSeq(hq: LiveHq, tillId: string): Promise<number> {
  const rows = await hqRows<{ last_seq: string | number }>(hq, sql`SELECT last_seq FROM tills WHERE id = ${tillId}::uuid`);
  return Number(rows[0]?.last_seq ?? -1);
}

export type LedgerSums = { debits: number; rollbacks: number; debitRows: number; rollbackRows: number };

export async function giftLedger(hq: LiveHq, code: string): Promise<LedgerSums> {
  const rows = await hqRows<{ kind: string; s: string | number; n: string | number }>(hq, sql`SELECT kind, sum(amount) AS s, count(*) AS n FROM gift_ledger WHERE code = ${code} GROUP BY kind`);
  const of = (kind: string) => rows.find((r) => r.kind === kind);
  return { debits: 0 - Number(of('DEBIT')?.s ?? 0) || 0, rollbacks: Number(of('ROLLBACK')?.s ?? 0), debitRows: Number(of('DEBIT')?.n ?? 0), rollbackRows: Number(of('ROLLBACK')?.n ?? 0) };
}

/** A card's ledger rows in the order HQ wrote them (points as `amount`), with the overdraft flag of the op each belongs to. */
export async function ledgerReplay(hq: LiveHq, code: string, ledger: 'gift_ledger' | 'loyalty_ledger'): Promise<{ kind: string; amount: number; redemption_id: string | null; overdraft: boolean | null }[]> {
  const amount = ledger === 'gift_ledger' ? sql`l.amount` : sql`l.points`;
  const rows = await hqRows<{ kind: string; amount: string | number; redemption_id: string | null; overdraft: boolean | null }>(
    hq,
    sql`SELECT l.kind, ${amount} AS amount, l.redemption_id::text AS redemption_id, r.overdraft FROM ${sql.identifier(ledger)} l LEFT JOIN redemptions r ON r.id = l.redemption_id
        WHERE l.code = ${code} ORDER BY l.id`,
  );
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** Accepted redemptions of a code that are still in force (not rolled back). */
export async function activeAccepted(hq: LiveHq, code: string): Promise<number> {
  const rows = await hqRows<{ n: string | number }>(hq, sql`SELECT count(*) AS n FROM redemptions WHERE code = ${code} AND outcome = 'ACCEPTED' AND status = 'ACTIVE'`);
  return Number(rows[0]?.n ?? 0);
}

/** HQ's voucher as the API returns it (what the till replicates). */
export async function hqVoucher(hq: LiveHq, code: string): Promise<Voucher | undefined> {
  const res = await hq.admin({ method: 'GET', url: `/v1/vouchers/${encodeURIComponent(code)}` });
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) throw new Error(`GET /v1/vouchers/${code}: ${res.statusCode} ${res.body}`);
  return withoutAssets(res.json() as Voucher);
}

/** JSON round trip, so an object read from IndexedDB and one from HTTP compare by value only. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// openTill — the one API the cashier UI uses. Lookups and validation read the local replica through
// the core, never the network, so the cashier gets an answer in milliseconds whether HQ is reachable
// or not. The sync engine runs beside it.
import { classifyScan } from '../core/scan/classify';
import { normaliseCode } from '../core/code';
import type { Ticket } from '../core/ticket';
import type { Voucher } from '../core/voucher';
import { validateVoucher, type Validation } from '../core/validate';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING, type OfflinePolicy, type StackingPolicy, type ValidationContext } from '../core/validation-context';
import type { Customer, Product } from './protocol';
import { matchesSearch, openCatalog } from './replica/catalog';
import { openReplica, type ReplicaDb, type ReplicaDeps } from './replica/db';
import { readMeta, writeMeta } from './replica/meta';
import type { TillAtHq } from './device-pairing';
import type { ConflictRow, StoreCredit, TicketRow } from './replica/rows';
import { completeSale, issueGiftCard, refundSale, saleMoves, type SaleInput } from './replica/local-sale';
import { openProgramCache } from './replica/loyalty-programs';
import { getVoucher, getVouchers } from './replica/voucher-store';
import { createHqClient, type FetchLike } from './engine/hq-client';
import { createSyncEngine, type PullProgress, type SyncStatus, type Timers } from './engine/sync-engine';
import type { LockManagerLike } from './engine/sender-lock';

// The rest of sync/ the UI may use comes through this file only (tools/eslint-layers.js): the till's
// façade below, and these.
export type { CardBalance, ConflictRow, Payment, RedemptionRow, StoreCredit, TicketRow } from './replica/rows';
export { SaleError } from './replica/sale-error';
export { SyncError, type SyncErrorReason } from './engine/sync-error';
export type { PullProgress, SyncStatus } from './engine/sync-engine';
export { createHqClient, redeemPairingCode } from './engine/hq-client';
export { choosePairingReplica, legacyReplicaName, openDevicePairing, tokenDigest, withUnsentOps, type DevicePairing, type DevicePairingStore, type ReplicaSummary, type TillAtHq } from './device-pairing';

export type TillSettings = {
  timeZone: string;
  currency: string;
  offlinePolicy: OfflinePolicy;
  stacking: StackingPolicy;
  /** Keep at least this many unused gift-card codes leased while online. */
  giftCodeReserve: number;
  /** Most a gift card sold at this till may hold, minor units (online or not: HQ accepts it later). */
  maxGiftCardAmount: number;
};

export const DEFAULT_TILL_SETTINGS: TillSettings = {
  timeZone: 'UTC',
  currency: 'EUR',
  offlinePolicy: { ...DEFAULT_OFFLINE_POLICY, maxGiftAmountPerTicket: 20_000, maxPointsAmountPerTicket: 10_000, maxReplicaAgeMs: 24 * 3_600_000 },
  stacking: DEFAULT_STACKING,
  giftCodeReserve: 20,
  maxGiftCardAmount: 50_000,
};

export type TillOptions = {
  hqUrl: string;
  token: string;
  /** IndexedDB database name; one per till. */
  dbName?: string;
  settings?: Partial<TillSettings>;
  fetch?: FetchLike;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  locks?: LockManagerLike;
  replica?: ReplicaDeps;
  /** Live updates over SSE (default on when a global fetch exists). */
  liveUpdates?: boolean;
  pushBatchSize?: number;
  pullPageSize?: number;
  onlineEvents?: Parameters<typeof createSyncEngine>[0]['onlineEvents'];
};

export type ScanLookup =
  | { kind: 'product'; product: Product }
  | { kind: 'voucher'; code: string; voucher: Voucher | undefined }
  | { kind: 'customer'; customer: Customer }
  | { kind: 'unknown'; reason: string; detail: string };

export type CheckedVoucher = Validation & { voucher: Voucher | undefined };

/**
 * The till with its replica and sync engine in reach (`db`, `engine`): for tests and benchmarks that look
 * inside. The UI gets openTill's façade, which has everything a screen needs and nothing else.
 */
export async function openTillInternals(options: TillOptions) {
  const settings: TillSettings = { ...DEFAULT_TILL_SETTINGS, ...options.settings };
  const now = options.now ?? (() => Date.now());
  const db: ReplicaDb = openReplica(options.dbName ?? 'voucher-till', options.replica);
  await db.open();
  const client = createHqClient({ baseUrl: options.hqUrl, token: options.token, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const streamFetch = options.fetch ?? (typeof fetch === 'function' ? (input: string, init?: RequestInit) => fetch(input, init) : undefined);
  const engine = createSyncEngine({
    db,
    client,
    lockName: `voucher-till:sender:${db.name}`,
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.locks ? { locks: options.locks } : {}),
    ...(options.pushBatchSize ? { pushBatchSize: options.pushBatchSize } : {}),
    ...(options.pullPageSize ? { pullPageSize: options.pullPageSize } : {}),
    ...(options.onlineEvents ? { onlineEvents: options.onlineEvents } : {}),
    stream: options.liveUpdates !== false && streamFetch ? { fetch: streamFetch } : false,
  });
  await engine.refreshCounts();
  const catalog = await openCatalog(db);
  const programs = await openProgramCache(db);

  async function context(): Promise<ValidationContext> {
    const online = engine.status().online === true;
    // The replica's age only matters offline (core/evaluate-ticket.ts): no storage read on the
    // online scan path.
    const lastPull = online ? undefined : await readMeta(db, 'last_pull_at');
    return {
      now: now(),
      timeZone: settings.timeZone,
      online,
      offlinePolicy: settings.offlinePolicy,
      stacking: settings.stacking,
      replicaAgeMs: online ? 0 : typeof lastPull === 'number' ? now() - lastPull : Infinity,
      loyaltyPrograms: programs.programs(),
    };
  }

  async function lookupVoucherOrCard(code: string): Promise<ScanLookup> {
    const voucher = await getVoucher(db, code);
    if (voucher) return { kind: 'voucher', code, voucher };
    const customer = await db.customers.where('card_code').equals(code).first();
    if (customer) return { kind: 'customer', customer };
    return { kind: 'voucher', code, voucher: undefined };
  }

  const till = {
    db,
    engine,
    /** The replica's name (IndexedDB database), as the device's pairing records it. */
    replicaName: db.name,
    /** Which till at which HQ this replica belongs to, as recorded at pairing (undefined: an older replica). */
    identity: () => readMeta(db, 'till_identity'),
    setIdentity: (identity: TillAtHq) => writeMeta(db, 'till_identity', identity),
    settings,
    status: (): SyncStatus => engine.status(),
    /**
     * What validation and a sale use right now (clock, zone, online, offline policy, replica age), so
     * a screen can evaluate the whole ticket with the core exactly as completeTicket will.
     */
    validationContext: context,
    subscribe: (listener: (s: SyncStatus) => void) => engine.subscribe(listener),

    /** Whether the replica has been loaded at least once (the till is usable offline from then on). */
    async isLoaded(): Promise<boolean> {
      return (await readMeta(db, 'last_pull_at')) !== undefined;
    },

    /** First run: pull everything, reporting progress per page. Throws SyncError when HQ is unreachable. */
    async initialLoad(onProgress?: (p: PullProgress) => void): Promise<PullProgress> {
      const result = await engine.pullAll(onProgress);
      await till.ensureGiftCodes().catch(() => 0);
      return result;
    },

    /** What did the cashier scan? Classified by the core, looked up in the replica. */
    async lookup(raw: string): Promise<ScanLookup> {
      const scan = classifyScan(raw);
      switch (scan.kind) {
        case 'product':
        case 'gs1': {
          // From memory (replica/catalog.ts) while the copy is current; from IndexedDB right after a
          // products write until the copy has caught up, and on a miss (another window's write is
          // announced a moment after it commits). Eight digits can be read two ways (EAN-8 and UPC-E):
          // both keys are tried, in the scan's order.
          const keys = [scan.gtin14, scan.kind === 'product' ? scan.alternativeGtin14 : undefined].filter((k): k is string => k !== undefined);
          let product = catalog.isCurrent() ? keys.map((k) => catalog.byBarcode(k)).find((p) => p !== undefined) : undefined;
          for (const key of keys) product ??= await db.products.where('barcode').equals(key).first();
          if (product) return { kind: 'product', product };
          // Digits that are also a well-formed code: a voucher or card with that code, if there is one.
          if (scan.voucherCandidate) {
            const other = await lookupVoucherOrCard(scan.voucherCandidate);
            if (other.kind !== 'voucher' || other.voucher) return other;
          }
          return { kind: 'unknown', reason: 'unknown_product', detail: `No product has the barcode ${scan.gtin14 ?? raw}.` };
        }
        case 'voucher':
          return lookupVoucherOrCard(scan.code);
        case 'unknown':
          return { kind: 'unknown', reason: scan.reason, detail: scan.detail };
      }
    },

    async findProducts(query: string, limit = 20): Promise<Product[]> {
      if (catalog.isCurrent()) return catalog.search(query, limit);
      const q = query.trim().toLowerCase();
      return q ? db.products.filter((p) => matchesSearch(p, q)).limit(limit).toArray() : [];
    },

    /** The in-memory product catalog (replica/catalog.ts). */
    catalog,

    /** A product's name for the screen ("add Croissant to the ticket"), from the in-memory catalog. */
    productName: (id: string): string | undefined => catalog.byId(id)?.name,

    async findCustomers(query: string, limit = 20): Promise<Customer[]> {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      return db.customers.filter((c) => c.name.toLowerCase().includes(q) || c.id.toLowerCase() === q || c.card_code?.toLowerCase() === q).limit(limit).toArray();
    },

    /**
     * Can this code go on this ticket next to the ones already applied? Answered from the replica.
     * Only a voucher marked offline_redeemable: false asks HQ, and is refused when HQ cannot confirm.
     * `scanned` is the voucher lookup() just read, so a scan reads the replica once, not twice.
     */
    async validate(code: string, ticket: Ticket, appliedCodes: readonly string[], scanned?: Voucher): Promise<CheckedVoucher> {
      const normalised = normaliseCode(code);
      const [voucher, applied] = await Promise.all([
        scanned?.code === normalised ? scanned : getVoucher(db, normalised),
        appliedCodes.length ? getVouchers(db, appliedCodes.map(normaliseCode)) : Promise.resolve<(Voucher | undefined)[]>([]),
      ]);
      const ctx = await context();
      const local = validateVoucher({ code: normalised, voucher }, ticket, applied.filter((v): v is Voucher => v !== undefined), ctx);
      if (!local.valid || !voucher || voucher.offline_redeemable) return { ...local, voucher };
      try {
        const remote = await client.validate([...appliedCodes, normalised], ticket, settings.timeZone, 3_000);
        const mine = remote.results[remote.results.length - 1];
        if (mine && !mine.valid) return { valid: false, code: normalised, reason: (mine.reason ?? 'not_found') as never, voucher };
        return { ...local, voucher };
      } catch {
        return { valid: false, code: normalised, reason: 'offline_not_allowed', voucher };
      }
    },

    /** `spendPoints`: the ticket's loyalty card pays with its points too (it earns either way). */
    async completeTicket(input: SaleInput): Promise<TicketRow> {
      const row = await completeSale(db, input, await context());
      engine.notifyLocalChange(row.evaluation.results.reduce((n, r) => n + saleMoves(r).length, 0));
      return row;
    },

    /**
     * Refund a ticket sold here: its vouchers and gift cards get back what they gave. With `credit`, what
     * was paid in cash or by card goes onto a gift card instead (a new one from this till's leased codes,
     * or an existing card), within the till's gift-card limit — offline too.
     */
    async refundTicket(ticketId: string, credit?: StoreCredit) {
      const result = await refundSale(db, ticketId, now(), credit, settings.maxGiftCardAmount);
      engine.notifyLocalChange(result.rolledBack.length + (result.credited ? 1 : 0));
      if (credit?.to === 'new') void till.ensureGiftCodes().catch(() => 0);
      return result;
    },

    async findTicket(ticketId: string): Promise<TicketRow | undefined> {
      return db.tickets.get(ticketId);
    },

    async issueGiftCard(amount: number, currency = settings.currency): Promise<Voucher> {
      const voucher = await issueGiftCard(db, amount, currency, now(), settings.maxGiftCardAmount);
      engine.notifyLocalChange(1);
      void till.ensureGiftCodes().catch(() => 0);
      return voucher;
    },

    /** Lease gift-card codes from HQ while online so cards can be sold offline later. */
    async ensureGiftCodes(): Promise<number> {
      const unused = await db.codeLeases.where('used').equals(0).count();
      if (unused >= settings.giftCodeReserve) return unused;
      const codes = await client.leaseCodes(Math.min(1000, settings.giftCodeReserve * 2 - unused));
      await db.codeLeases.bulkPut(codes.map((code) => ({ code, used: 0 as const })));
      return unused + codes.length;
    },

    async codeLeaseCount(): Promise<number> {
      return db.codeLeases.where('used').equals(0).count();
    },

    async conflicts(): Promise<ConflictRow[]> {
      return (await db.conflicts.toArray()).sort((a, b) => b.detected_at.localeCompare(a.detected_at));
    },

    async acknowledgeConflict(opId: string): Promise<void> {
      await db.conflicts.update(opId, { acknowledged: 1 });
      await engine.refreshCounts();
    },

    syncNow: () => engine.syncNow(),
    start: () => engine.start(),
    async close(): Promise<void> {
      try {
        await engine.stop();
      } finally {
        catalog.close();
        programs.close();
        db.close();
      }
    },
    /** Close and delete the replica (unpairing, once nothing is pending: the caller checks). */
    async destroy(): Promise<void> {
      await till.close();
      await db.delete();
    },
  };
  return till;
}

export type TillInternals = Awaited<ReturnType<typeof openTillInternals>>;
/** What the UI gets of a till: the replica and engine stay inside (openTillInternals has them for tests). */
export type Till = Omit<TillInternals, 'db' | 'engine'>;

export async function openTill(options: TillOptions): Promise<Till> {
  const { db: _db, engine: _engine, ...facade } = await openTillInternals(options);
  return facade;
}

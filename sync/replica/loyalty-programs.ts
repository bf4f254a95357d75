// The loyalty programs the replica holds (from the change feed): what its cards' points earn and are
// worth. A sale reads the programs of its cards inside its own transaction (programsFor), so what it
// commits is valued by the programs it reads; the screen's evaluations use an in-memory copy
// (openProgramCache), read again after every committed write to the table, from this window or another
// — a copy kept like the product catalog's (catalog.ts), so a scan does not wait on IndexedDB. Programs
// are few (one per loyalty scheme), so the whole table is read each time.
import { Dexie } from 'dexie';
import type { LoyaltyProgram } from '../../core/loyalty';
import type { Voucher } from '../../core/voucher';
import type { ReplicaDb } from './db';

/** The programs of the loyalty cards among `vouchers`, by id (inside the caller's transaction if any). */
export async function programsFor(db: ReplicaDb, vouchers: readonly (Voucher | undefined)[]): Promise<Map<string, LoyaltyProgram>> {
  const ids = [...new Set(vouchers.flatMap((v) => (v?.type === 'LOYALTY_CARD' ? [v.campaign] : [])))];
  if (!ids.length) return new Map();
  const found = await db.loyaltyPrograms.bulkGet(ids);
  return new Map(found.flatMap((p) => (p ? [[p.id, p] as const] : [])));
}

export type ProgramCache = { programs(): ReadonlyMap<string, LoyaltyProgram>; close(): void };

/** Resolves once the copy holds the replica's programs. */
export async function openProgramCache(db: ReplicaDb): Promise<ProgramCache> {
  const changed = `idb://${db.name}/loyaltyPrograms/`;
  let programs: ReadonlyMap<string, LoyaltyProgram> = new Map();
  // Reads may overlap; only the latest started may land (an earlier one may hold older rows).
  let started = 0;
  const reread = async () => {
    const mine = ++started;
    const rows = await db.loyaltyPrograms.toArray();
    if (mine === started) programs = new Map(rows.map((p) => [p.id, p]));
  };
  const onMutated = (parts: Record<string, unknown>) => {
    if (Object.keys(parts).some((key) => key.startsWith(changed))) void reread().catch(() => undefined);
  };
  Dexie.on('storagemutated', onMutated);
  try {
    await reread();
  } catch (error) {
    Dexie.on('storagemutated').unsubscribe(onMutated);
    throw error;
  }
  return { programs: () => programs, close: () => Dexie.on('storagemutated').unsubscribe(onMutated) };
}

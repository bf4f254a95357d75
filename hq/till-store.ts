// Tills as HQ stores them: registration, identity, pairing codes and the gift-card codes leased to
// them. Route files (routes/tills.ts, routes/pairing.ts) go through here; auth.ts reads a till by its
// token hash for every request. Only hashes of tokens and pairing codes are stored.
import { sql } from 'drizzle-orm';
import type { TillSummary } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { isoUtc } from './db/iso-sql';

export type StoredTill = { id: string; name: string; time_zone: string };

export async function registerTill(db: Db, till: { id: string; name: string; timeZone: string; tokenHash: string; store?: string | undefined }): Promise<void> {
  await db.execute(sql`INSERT INTO tills (id, name, time_zone, token_hash, store) VALUES (${till.id}, ${till.name}, ${till.timeZone}, ${till.tokenHash}, ${till.store ?? null})`);
}

export async function findTill(db: Db, tillId: string): Promise<StoredTill | undefined> {
  return rowsOf<StoredTill>(await db.execute(sql`SELECT id, name, time_zone FROM tills WHERE id = ${tillId}::uuid`))[0];
}

/**
 * Replace the till's pairing code (hashed) and its expiry; false when no such till is registered. A
 * channel (an API key's, the back office's: tills.kind) is no device and cannot be paired.
 */
export async function setPairingCode(db: Db, tillId: string, codeHash: string, expiresAt: string): Promise<boolean> {
  return rowsOf(await db.execute(sql`UPDATE tills SET pairing_code_hash = ${codeHash}, pairing_expires_at = ${expiresAt} WHERE id = ${tillId}::uuid AND kind = 'till' RETURNING id`)).length === 1;
}

/**
 * Exchange a live pairing code for a new token: the code is used up and the till's previous token stops
 * working. One statement, so of two devices racing with one code exactly one gets the till.
 */
export async function exchangePairingCode(db: Db, codeHash: string, tokenHash: string): Promise<StoredTill | undefined> {
  return rowsOf<StoredTill>(
    await db.execute(sql`UPDATE tills SET token_hash = ${tokenHash}, pairing_code_hash = NULL, pairing_expires_at = NULL
      WHERE pairing_code_hash = ${codeHash} AND pairing_expires_at > now() AND kind = 'till' RETURNING id, name, time_zone`),
  )[0];
}

/** Lease those of `candidates` that are free both as a lease and as a voucher code; returns the ones leased. */
export async function leaseCodes(db: Db, tillId: string, candidates: string[]): Promise<string[]> {
  const rows = rowsOf<{ code: string }>(
    await db.execute(sql`INSERT INTO code_leases (code, till_id)
      SELECT c, ${tillId}::uuid FROM jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb) AS c
      WHERE NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.code = c)
      ON CONFLICT (code) DO NOTHING RETURNING code`),
  );
  return rows.map((r) => r.code);
}

/** Every device (not the channels of API keys or the back office), by store and name. */
export async function listTills(db: Db, openItems: Map<string, number>): Promise<TillSummary[]> {
  const rows = rowsOf<{ id: string; name: string; store: string | null; time_zone: string; created_at: string; last_seq: string | number; last_seen_at: string | null; opened: string | null; closed: string | null; pairing_expires_at: string | null; revoked: boolean }>(
    await db.execute(sql`SELECT t.id, t.name, t.store, t.time_zone, ${isoUtc('t.created_at')} AS created_at, t.last_seq, ${isoUtc('c.last_seen_at')} AS last_seen_at,
        ${isoUtc('c.stream_opened_at')} AS opened, ${isoUtc('c.stream_closed_at')} AS closed,
        CASE WHEN t.pairing_expires_at > now() THEN ${isoUtc('t.pairing_expires_at')} END AS pairing_expires_at, t.token_hash LIKE 'revoked:%' AS revoked
      FROM tills t LEFT JOIN till_contacts c ON c.till_id = t.id WHERE t.kind = 'till' ORDER BY t.store NULLS LAST, t.name, t.id`),
  );
  return rows.map((r) => ({
    id: r.id, name: r.name, store: r.store, time_zone: r.time_zone, created_at: r.created_at, last_seq: Number(r.last_seq), last_seen_at: r.last_seen_at,
    stream: { open: r.opened !== null && r.closed === null, since: r.closed === null ? r.opened : null },
    open_items: openItems.get(r.id) ?? 0, pairing_expires_at: r.pairing_expires_at, revoked: r.revoked,
  }));
}

/**
 * Revoke a device: its token stops signing in at once (the stored hash becomes one no token has: it is
 * marked, not a hash at all) and any pending pairing code is cleared. Issuing a pairing code brings
 * the till back, with its history and last_seq. False when no such device is registered.
 */
export async function revokeTill(db: Db, tillId: string): Promise<boolean> {
  return rowsOf(
    await db.execute(sql`UPDATE tills SET token_hash = 'revoked:' || gen_random_uuid()::text, pairing_code_hash = NULL, pairing_expires_at = NULL
      WHERE id = ${tillId}::uuid AND kind = 'till' RETURNING id`),
  ).length === 1;
}

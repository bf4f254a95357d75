// Bearer tokens for the two principals. Tokens are 32 random bytes; only their SHA-256 is stored, and
// the final comparison is constant-time. A till token is found by its hash (a lookup by a hash of a
// secret leaks nothing useful about the secret).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db/connect';

export type Principal = { kind: 'admin' } | { kind: 'till'; tillId: string; timeZone: string };

export function newToken(prefix: 'adm' | 'till'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The admin token's hash: from HQ_ADMIN_TOKEN when set; otherwise the one stored in the database;
 * on an empty database a new token is generated, stored hashed and returned once for printing.
 */
export async function resolveAdminToken(db: Db, configured: string | undefined): Promise<{ hash: string; generated?: string }> {
  if (configured) return { hash: hashToken(configured) };
  const stored = rowsOf<{ value: string }>(await db.execute(sql`SELECT value FROM settings WHERE key = 'admin_token_hash'`));
  if (stored[0]) return { hash: stored[0].value };
  const token = newToken('adm');
  const hash = hashToken(token);
  const inserted = rowsOf(await db.execute(sql`INSERT INTO settings (key, value) VALUES ('admin_token_hash', ${hash}) ON CONFLICT (key) DO NOTHING RETURNING key`));
  if (!inserted.length) return resolveAdminToken(db, configured); // another HQ process won the race
  return { hash, generated: token };
}

export async function authenticate(db: Db, adminHash: string, header: string | undefined): Promise<Principal | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const hash = hashToken(match[1]!);
  if (sameHash(hash, adminHash)) return { kind: 'admin' };
  const rows = rowsOf<{ id: string; time_zone: string; token_hash: string }>(await db.execute(sql`SELECT id, time_zone, token_hash FROM tills WHERE token_hash = ${hash}`));
  const till = rows[0];
  if (till && sameHash(till.token_hash, hash)) return { kind: 'till', tillId: till.id, timeZone: till.time_zone };
  return null;
}

/**
 * Slows down token guessing: after `limit` failed authentications from one address within
 * `windowMs`, that address gets 429 until the window has passed. Successful requests are not counted.
 */
export function createAuthThrottle({ limit = 20, windowMs = 60_000, now = () => Date.now() } = {}) {
  const failures = new Map<string, { count: number; since: number }>();
  return {
    /** Seconds to wait, or 0 when the address may try. */
    blockedFor(address: string): number {
      const f = failures.get(address);
      if (!f) return 0;
      const elapsed = now() - f.since;
      if (elapsed >= windowMs) {
        failures.delete(address);
        return 0;
      }
      return f.count >= limit ? Math.ceil((windowMs - elapsed) / 1000) : 0;
    },
    fail(address: string): void {
      const f = failures.get(address);
      if (!f || now() - f.since >= windowMs) failures.set(address, { count: 1, since: now() });
      else f.count += 1;
      if (failures.size > 10_000) failures.clear(); // bounded memory under a spray of addresses
    },
  };
}

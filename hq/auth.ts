// Bearer tokens for the three principals: the admin, tills, and integrations (API keys). Tokens are 32 random bytes; only their SHA-256 is stored, and
// the final comparison is constant-time. A till token is found by its hash (a lookup by a hash of a
// secret leaks nothing useful about the secret).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db/connect';
import { createLimiter, memoryCounters, type CounterStore } from './counters';
import type { Person } from './people/sessions';

/**
 * A till's principal carries its row as read by this request's authentication: `lastSeq` and
 * `rowVersion` (the 64-bit id of the transaction that last wrote the row — the push that set
 * last_seq). The change feed answers with this last_seq and serves a shared cached page only if the
 * page's snapshot saw this very row version (hq/change-pages.ts), so they must be read per request,
 * never cached.
 */
export type Principal =
  /** The back office: the HQ_ADMIN_TOKEN bearer (`person` null: every right), or a person signed in with a session cookie (their role's rights). */
  | { kind: 'admin'; person: Person | null }
  | { kind: 'till'; tillId: string; timeZone: string; lastSeq: number; rowVersion: bigint }
  /** An API key: its scopes, and the channel (a tills row of kind 'integration') its redemptions are ops of. */
  | { kind: 'integration'; keyId: string; keyName: string; scopes: readonly ApiScope[]; tillId: string; timeZone: string };

export const API_SCOPES = ['redeem', 'read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export function newToken(prefix: 'adm' | 'till' | 'key'): string {
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

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
}

/**
 * A 32-bit transaction id (a row's xmin) as the 64-bit id pg_current_snapshot() speaks, given a
 * 64-bit `horizon` it precedes (the xmax of a snapshot that saw the row): the epoch whose id is below
 * the horizon. Ids 0–2 are PostgreSQL's reserved ones (2 = frozen: older than any snapshot): 0. A row
 * last written more than 2^32 transactions ago (frozen since) may come out newer than it is: that only
 * makes the change feed read a page again for that till, never serve one that lacks its push.
 */
export function widenXid(xid: bigint, horizon: bigint): bigint {
  if (xid < 3n) return 0n;
  const full = (horizon & ~0xffffffffn) | xid;
  return full >= horizon ? full - 0x100000000n : full;
}

/** The principal whose token hashes to `hash`, or null. */
async function principalOf(db: Db, adminHash: string, hash: string): Promise<Principal | null> {
  if (sameHash(hash, adminHash)) return { kind: 'admin', person: null };
  // xmin is 32 bits; the snapshot's xmax (64 bits) tells which epoch it belongs to (widenXid).
  const rows = rowsOf<{ id: string; time_zone: string; token_hash: string; last_seq: string | number; xmin: string; horizon: string }>(
    await db.execute(sql`SELECT id, time_zone, token_hash, last_seq, xmin::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS horizon FROM tills WHERE token_hash = ${hash} AND kind = 'till'`),
  );
  const till = rows[0];
  if (till && sameHash(till.token_hash, hash)) {
    return { kind: 'till', tillId: till.id, timeZone: till.time_zone, lastSeq: Number(till.last_seq), rowVersion: widenXid(BigInt(till.xmin), BigInt(till.horizon)) };
  }
  // A revoked key is no key: refused like an unknown token, from the next request on.
  const keys = rowsOf<{ id: string; name: string; key_hash: string; scopes: ApiScope[]; till_id: string; time_zone: string }>(
    await db.execute(sql`SELECT k.id, k.name, k.key_hash, k.scopes, k.till_id, t.time_zone FROM api_keys k JOIN tills t ON t.id = k.till_id WHERE k.key_hash = ${hash} AND k.revoked_at IS NULL`),
  );
  const key = keys[0];
  if (key && sameHash(key.key_hash, hash)) return { kind: 'integration', keyId: key.id, keyName: key.name, scopes: key.scopes, tillId: key.till_id, timeZone: key.time_zone };
  return null;
}

// The in-memory window counter (used by memoryCounters), kept under its old name.
export { createAuthThrottle } from './counters';

export type AuthOutcome = { principal: Principal } | { refused: 401 } | { refused: 429; retryAfter: number };

/**
 * Bearer authentication that slows guessing without locking out the innocent. Failures are counted
 * per presented token (its hash) and per address, separately:
 * - a token that failed `limit` times is refused with 429 without asking the database again (a
 *   misconfigured device retrying an old token costs nothing and hurts nobody else);
 * - an address with `limit` failures gets 429 for every further bad token (a spray of guesses),
 *   but its tokens are still checked first and a valid one proceeds: the shop's other tills behind
 *   the same NAT keep syncing while one device fails.
 * The second rule means the 429 is load shedding, not secrecy: the defence against guessing is the
 * tokens' entropy (till tokens are 32 random bytes; HQ_ADMIN_TOKEN should be as strong).
 * A request without a bearer token is a 401, not a guess, and is not counted. The counts live in
 * `counters` (hq/counters.ts): in PostgreSQL, shared by every HQ process, when HQ runs on it.
 */
export function createAuthGate(
  db: Db,
  adminHash: string,
  { limit = 20, windowMs = 60_000, now = () => Date.now(), counters = memoryCounters({ now }) }: { limit?: number; windowMs?: number; now?: () => number; counters?: CounterStore } = {},
) {
  const limiter = createLimiter(counters, { windowMs, now });
  return async (address: string, header: string | undefined): Promise<AuthOutcome> => {
    const token = bearerToken(header);
    if (!token) return { refused: 401 };
    const hash = hashToken(token);
    const tokenKey = `auth:token:${hash}`;
    const tokenWait = limiter.knownWait(tokenKey);
    if (tokenWait > 0) return { refused: 429, retryAfter: tokenWait };
    const principal = await principalOf(db, adminHash, hash);
    if (principal) return { principal };
    // Only a failure is counted (one statement for both keys). A token over its limit here was
    // failing through other HQ processes: it is refused now, and by this process without a look-up
    // from now on. An address over its limit gets 429 for this bad token.
    const waits = await limiter.count([
      [tokenKey, limit],
      [`auth:address:${address}`, limit],
    ]);
    const wait = Math.max(...waits);
    return wait > 0 ? { refused: 429, retryAfter: wait } : { refused: 401 };
  };
}

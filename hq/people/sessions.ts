// Sessions of people signed in to the back office (contract: "People at HQ").
//
// The cookie holds 32 random bytes; the sessions table holds only their SHA-256, so neither a copy of
// the database nor a log line signs anybody in. The cookie is httpOnly (no script reads it),
// SameSite=Strict (no other site's page sends it) and Secure whenever the request came over https.
//
// Session fixation: a session id is only ever made by HQ at sign-in, each sign-in makes a new one
// (the id the browser presented before, if any, is deleted), and an id HQ does not know signs nobody
// in — so an id planted in a browser beforehand is worthless.
//
// CSRF: SameSite=Strict already keeps the cookie off other sites' requests; on top of it, a
// state-changing request authenticated by the cookie must come from HQ's own origin: its Origin header
// equals the origin the request was made to (or HQ_PUBLIC_URL's), or, when a browser sent no Origin,
// Sec-Fetch-Site says same-origin. Anything else is 403 csrf_refused. Bearer tokens need no such check:
// a browser never attaches them by itself.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../sync/protocol';
import { rowsOf, type Db } from '../db/connect';

export const SESSION_COOKIE = 'vt_session';
/** A session lasts one long shift, then its person signs in again. */
export const SESSION_HOURS = 12;

/** A signed-in person, as a request sees them. */
export type Person = { userId: string; email: string; role: Role; sessionHash: string };

const sessionHash = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/** Start a session for `userId`; answers the cookie's value. `replacing`: the id the browser held before, ended. */
export async function startSession(db: Db, userId: string, replacing: string | undefined): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await db.transaction(async (tx) => {
    if (replacing) await tx.execute(sql`DELETE FROM sessions WHERE id_hash = ${sessionHash(replacing)}`);
    // Expired sessions of this user go as they sign in again: the table holds live sessions and little else.
    await tx.execute(sql`DELETE FROM sessions WHERE user_id = ${userId}::uuid AND expires_at <= now()`);
    await tx.execute(sql`INSERT INTO sessions (id_hash, user_id, expires_at) VALUES (${sessionHash(id)}, ${userId}::uuid, now() + make_interval(hours => ${SESSION_HOURS}))`);
  });
  return id;
}

/** The person a cookie's session id belongs to: unexpired, and the user not disabled. */
export async function sessionPerson(db: Db, id: string): Promise<Person | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const hash = sessionHash(id);
  const rows = rowsOf<{ id: string; email: string; role: Role }>(
    await db.execute(sql`SELECT u.id, u.email, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ${hash} AND s.expires_at > now() AND NOT u.disabled`),
  );
  const row = rows[0];
  return row ? { userId: row.id, email: row.email, role: row.role, sessionHash: hash } : null;
}

export async function endSession(db: Db, person: Person): Promise<void> {
  await db.execute(sql`DELETE FROM sessions WHERE id_hash = ${person.sessionHash}`);
}

export const cookieOptions = (request: FastifyRequest) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: request.protocol === 'https',
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a cookie-authenticated request is refused as cross-site, or null when it may proceed (see the
 * header). `publicUrl`: HQ_PUBLIC_URL, the origin people reach HQ at behind a proxy.
 */
export function csrfRefusal(request: FastifyRequest, publicUrl: string | undefined): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.origin;
  if (origin === undefined) {
    return request.headers['sec-fetch-site'] === 'same-origin' ? null : 'A change made with a session cookie must say where it comes from (Origin).';
  }
  const own = new Set([`${request.protocol}://${request.host}`]);
  if (publicUrl) own.add(new URL(publicUrl).origin);
  return own.has(origin) ? null : `A change made with a session cookie must come from HQ's own pages, not ${origin.slice(0, 100)}.`;
}

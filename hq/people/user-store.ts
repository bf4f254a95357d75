// Back-office users (contract: "People at HQ"). Every change to a user ends all of that user's sessions
// when it changes what the sessions may do (role, password, disabled), so nobody keeps rights they lost.
// HQ always keeps one enabled admin: the change that would remove the last one is refused (409
// last_admin), checked under a lock so two admins demoting each other at once cannot both succeed.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Role, User } from '../../sync/protocol';
import { rowsOf, type Db } from '../db/connect';
import { isoUtc } from '../db/iso-sql';
import { HqError } from '../hq-error';
import { hashPassword } from './password';

const userColumns = sql`id, email, role, disabled, ${isoUtc('created_at')} AS created_at, ${isoUtc('updated_at')} AS updated_at`;

export type UserRow = User & { password_hash: string };

export async function listUsers(db: Db): Promise<User[]> {
  return rowsOf<User>(await db.execute(sql`SELECT ${userColumns} FROM users ORDER BY email`));
}

export async function findUser(db: Db, id: string): Promise<UserRow | null> {
  return rowsOf<UserRow>(await db.execute(sql`SELECT ${userColumns}, password_hash FROM users WHERE id = ${id}::uuid`))[0] ?? null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  return rowsOf<UserRow>(await db.execute(sql`SELECT ${userColumns}, password_hash FROM users WHERE email = ${email}`))[0] ?? null;
}

export async function createUser(db: Db, input: { email: string; password: string; role: Role }): Promise<User> {
  const hash = await hashPassword(input.password);
  const rows = rowsOf<User>(
    await db.execute(sql`INSERT INTO users (id, email, role, password_hash) VALUES (${randomUUID()}, ${input.email}, ${input.role}, ${hash})
      ON CONFLICT (email) DO NOTHING RETURNING ${userColumns}`),
  );
  if (!rows[0]) throw new HqError(409, 'email_taken', `A user with the e-mail ${input.email} exists already.`);
  return rows[0];
}

/**
 * Change a user's role, password or disabled flag (the caller has checked who may). Returns the user
 * before and after. Refuses (409 last_admin) what would leave HQ without an enabled admin.
 */
export async function updateUser(
  db: Db,
  id: string,
  change: { role?: Role; password?: string; disabled?: boolean },
  /** The session that asked, when it is the user's own: it stays signed in (their other sessions end). */
  keepSessionHash?: string,
): Promise<{ before: User; after: User }> {
  const passwordHash = change.password === undefined ? null : await hashPassword(change.password);
  return db.transaction(async (tx) => {
    // One lock for every admin-count check: two concurrent demotions see each other's result.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('vt_users_admins'))`);
    const before = rowsOf<User>(await tx.execute(sql`SELECT ${userColumns} FROM users WHERE id = ${id}::uuid FOR UPDATE`))[0];
    if (!before) throw new HqError(404, 'user_not_found', `No user ${id}.`);
    const role = change.role ?? before.role;
    const disabled = change.disabled ?? before.disabled;
    if (before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled)) {
      const others = rowsOf<{ n: number }>(await tx.execute(sql`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> ${id}::uuid`))[0]!.n;
      if (others === 0) throw new HqError(409, 'last_admin', 'This is the only enabled admin: make another admin first.');
    }
    const after = rowsOf<User>(
      await tx.execute(sql`UPDATE users SET role = ${role}, disabled = ${disabled}, password_hash = coalesce(${passwordHash}, password_hash), updated_at = now()
        WHERE id = ${id}::uuid RETURNING ${userColumns}`),
    )[0]!;
    if (role !== before.role || disabled !== before.disabled || passwordHash !== null) {
      await tx.execute(sql`DELETE FROM sessions WHERE user_id = ${id}::uuid AND id_hash IS DISTINCT FROM ${keepSessionHash ?? null}`);
    }
    return { before, after };
  });
}

/**
 * The first admin, on a database without users: from HQ_ADMIN_EMAIL + HQ_ADMIN_PASSWORD, or else
 * admin@hq.local with a generated password, returned once for printing. Nothing when users exist
 * (several HQ processes starting at once: one inserts, the others find it there).
 */
export async function ensureFirstAdmin(db: Db, configured: { email?: string; password?: string }): Promise<{ email: string; generatedPassword?: string } | null> {
  const any = rowsOf(await db.execute(sql`SELECT 1 FROM users LIMIT 1`));
  if (any.length) return null;
  const email = (configured.email ?? 'admin@hq.local').trim().toLowerCase();
  const generated = configured.password ? undefined : randomBytes(12).toString('base64url');
  const hash = await hashPassword(configured.password ?? generated!);
  const inserted = rowsOf(
    await db.execute(sql`INSERT INTO users (id, email, role, password_hash) SELECT ${randomUUID()}, ${email}, 'admin', ${hash}
      WHERE NOT EXISTS (SELECT 1 FROM users) ON CONFLICT (email) DO NOTHING RETURNING id`),
  );
  if (!inserted.length) return null;
  return generated ? { email, generatedPassword: generated } : { email };
}

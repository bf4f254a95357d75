// Opens HQ's database: a PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite
// (persisted in a directory, or in memory for tests). Both get the same migrations and the same
// drizzle API, so nothing above this file knows which one it runs on.
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';
import { installFunctions } from './functions';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /**
   * PostgreSQL: hold the advisory lock (classId, hashtext(name)) in a session of its own until the
   * returned function is called (or this process dies — PostgreSQL then releases it). Lets other HQ
   * processes tell work that is running from work whose process is gone. PGlite is one process: none.
   */
  holdLock?: (classId: number, name: string) => Promise<() => Promise<void>>;
};

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseOptions = { url?: string; dataDir?: string; poolSize?: number };

/** Session-level advisory lock held while migrating ("vtmg"); the change feed's lock is another key. */
export const MIGRATION_LOCK_KEY = 0x76746d67;

/**
 * Migrate under a session-level advisory lock on a connection of its own, so HQ processes starting
 * at once — workers of one machine are migrated by their primary, but several machines behind a load
 * balancer each migrate — apply each migration once: the others wait, then find nothing to do. Not on
 * a pool connection: with a pool of one the migration would wait for the lock's own connection. The SQL
 * functions (functions.ts) are installed under the same lock, right after.
 */
async function migrateLocked(url: string, migrate: () => Promise<void>): Promise<void> {
  const lock = new pg.Client({ connectionString: url, application_name: 'voucher-till hq migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrate();
    await installFunctions({ query: async (text) => (await lock.query(text)).rows, script: async (text) => void (await lock.query(text)) });
  } finally {
    // Ending the session releases the lock whatever happened.
    await lock.end().catch(() => {});
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 20 });
    // A pool error on an idle client (server restart) must not crash HQ; the next query reconnects.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    try {
      await migrateLocked(options.url, () => migratePg(db as never, { migrationsFolder }));
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    const holdLock = async (classId: number, name: string) => {
      const session = new pg.Client({ connectionString: options.url, application_name: 'voucher-till hq lock' });
      session.on('error', () => {}); // a lost session has lost its lock too; nothing else to do
      await session.connect();
      try {
        await session.query('SELECT pg_advisory_lock($1, hashtext($2))', [classId, name]);
      } catch (error) {
        await session.end().catch(() => {});
        throw error;
      }
      return () => session.end().catch(() => {});
    };
    return { db, kind: 'postgres', close: () => pool.end(), holdLock };
  }
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder });
  await installFunctions({ query: async (text) => (await client.query<Record<string, unknown>>(text)).rows, script: async (text) => void (await client.exec(text)) });
  return { db, kind: 'pglite', close: () => client.close() };
}

/** Rows of a raw query, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

// A database as an older HQ left it: migrated only up to (not including) a given migration, for tests
// of what a later migration does to rows the old code wrote. Written with SQL by the test (the old
// code's function bodies are not in the migrations any more), then opened by today's HQ, which applies
// the rest.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Db } from '../../hq/db/connect';
import type { Backend } from '../../testkit/hq-harness';
import { ownPostgresDatabase } from './helpers';

const MIGRATIONS = fileURLToPath(new URL('../../hq/db/migrations', import.meta.url));

export type OldDatabase = {
  db: Db;
  /** Close the old connection (before HQ opens the database). */
  close: () => Promise<unknown>;
  /** What startHq() opens it with. */
  target: { dataDir: string } | { url: string };
  /** Remove the database and the copied migrations. */
  remove: () => Promise<void>;
};

/** A copy of the migrations folder that stops before `tag`. */
async function migrationsBefore(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vt-migrations-'));
  await mkdir(path.join(dir, 'meta'));
  const journal = JSON.parse(await readFile(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((e) => e.tag === tag);
  if (stop < 1) throw new Error(`no migration ${tag} after the first`);
  journal.entries = journal.entries.slice(0, stop);
  await writeFile(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const file of await readdir(MIGRATIONS)) if (journal.entries.some((e) => file === `${e.tag}.sql`)) await copyFile(path.join(MIGRATIONS, file), path.join(dir, file));
  return dir;
}

/** A new database on `backend`, migrated up to the migration `tag` (not applied). */
export async function databaseBefore(backend: Backend, tag: string): Promise<OldDatabase> {
  const folder = await migrationsBefore(tag);
  if (backend === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vt-hq-upgrade-'));
    const client = new PGlite(dataDir);
    const db = drizzlePglite(client) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: folder });
    return {
      db,
      close: () => client.close(),
      target: { dataDir },
      remove: async () => {
        await rm(folder, { recursive: true, force: true });
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const own = await ownPostgresDatabase();
  const pool = new pg.Pool({ connectionString: own.url, max: 2 });
  const db = drizzlePg(pool) as unknown as Db;
  await migratePg(db as never, { migrationsFolder: folder });
  return {
    db,
    close: () => pool.end(),
    target: { url: own.url },
    remove: async () => {
      await rm(folder, { recursive: true, force: true });
      await own.drop();
    },
  };
}

// The database the till benchmarks seed and run HQ on: a fresh PostgreSQL database (dropped
// afterwards) when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, else PGlite in a temp directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../hq/db/connect';

export async function benchDatabase(prefix: string): Promise<{ db: Database; label: string; cleanup: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const db = await openDatabase({ url: u.toString() });
    const cleanup = async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
    return { db, label: 'PostgreSQL 15', cleanup };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const db = await openDatabase({ dataDir: dir });
  return { db, label: 'PGlite (no BENCH_DATABASE_URL/TEST_DATABASE_URL)', cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
}

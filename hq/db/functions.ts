// HQ's SQL functions (hq/db/functions/*.sql) are source files, not migrations: a change to a rule is a
// diff of its file that git shows and review reads. Migrations keep schema and data changes only.
//
// After the migrations, each file whose SHA-256 differs from the one recorded in `settings` (key
// `sql_function:<file name>`) is run, and its checksum recorded, in one transaction per file; files that
// did not change are not run again (CREATE OR REPLACE would invalidate every session's cached plans for
// nothing). Files run in name order. A file is a whole script: it may DROP a function whose signature
// changes before creating it anew; a function no file defines any more is dropped by a migration.
// On PostgreSQL this runs under the migration lock (connect.ts), so HQ processes starting together
// install each change once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FUNCTIONS_FOLDER = fileURLToPath(new URL('./functions', import.meta.url));

export type SqlFunctionFile = { name: string; text: string; checksum: string };

const NAME = /^[a-z][a-z0-9_]*$/;

/** The function files of `folder`, in name order. */
export function readFunctionFiles(folder = FUNCTIONS_FOLDER): SqlFunctionFile[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.sql'.length);
      // The name goes into SQL text below (the checksum is hex): only a plain identifier.
      if (!NAME.test(name)) throw new Error(`hq/db/functions: ${file}: a function file is named like an SQL identifier (a-z, 0-9, _)`);
      const text = readFileSync(`${folder}/${file}`, 'utf8');
      return { name, text, checksum: createHash('sha256').update(text, 'utf8').digest('hex') };
    });
}

/**
 * What installing needs of a connection: `query` for rows, `script` for text of several statements
 * (node-postgres' simple query, PGlite's exec).
 */
export type ScriptRunner = {
  query: (text: string) => Promise<Record<string, unknown>[]>;
  script: (text: string) => Promise<void>;
};

/** Install the files that changed since they were last installed; returns their names. */
export async function installFunctions(db: ScriptRunner, files: SqlFunctionFile[] = readFunctionFiles()): Promise<string[]> {
  const rows = await db.query(`SELECT key, value FROM settings WHERE key LIKE 'sql_function:%'`);
  const installed = new Map(rows.map((r) => [String(r.key).slice('sql_function:'.length), String(r.value)]));
  const changed = files.filter((f) => installed.get(f.name) !== f.checksum);
  for (const f of changed) {
    try {
      await db.script(`BEGIN;
${f.text}
;
INSERT INTO settings (key, value) VALUES ('sql_function:${f.name}', '${f.checksum}') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
COMMIT;`);
    } catch (error) {
      await db.script('ROLLBACK').catch(() => {}); // the connection goes on serving (PGlite's only one)
      throw new Error(`hq/db/functions/${f.name}.sql could not be installed: ${(error as Error).message}`, { cause: error });
    }
  }
  return changed.map((f) => f.name);
}

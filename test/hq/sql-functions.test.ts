// HQ's SQL functions are source files (hq/db/functions/*.sql), installed after the migrations whenever
// a file changes (hq/db/functions.ts); migrations hold schema and data changes only.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFunctions, readFunctionFiles, type ScriptRunner } from '../../hq/db/functions';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';

const MIGRATIONS = fileURLToPath(new URL('../../hq/db/migrations', import.meta.url));

/** The connection under HQ's drizzle instance, as installFunctions needs it. */
function runner(hq: Hq): ScriptRunner {
  const client = (hq.database.db as unknown as { $client: PGlite | { query: (text: string) => Promise<{ rows: Record<string, unknown>[] }> } }).$client;
  return {
    query: async (text) => (await client.query<Record<string, unknown>>(text)).rows,
    script: async (text) => void (client instanceof PGlite ? await client.exec(text) : await client.query(text)),
  };
}

describe('migrations', () => {
  it('hold schema and data changes only: no function body is written in one', () => {
    for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'))) {
      expect(readFileSync(join(MIGRATIONS, file), 'utf8'), file).not.toMatch(/^\s*CREATE\s+(OR\s+REPLACE\s+)?FUNCTION/im);
    }
  });
});

describe.each(BACKENDS)('SQL functions as source files on %s', (backend) => {
  let hq: Hq;
  let folder: string;
  beforeAll(async () => {
    hq = await startHq(backend);
    folder = mkdtempSync(join(tmpdir(), 'vt-functions-'));
  }, 60_000);
  afterAll(async () => {
    await hq?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const probe = (name: string, value: number) => writeFileSync(join(folder, `${name}.sql`), `-- a probe\nCREATE OR REPLACE FUNCTION ${name}() RETURNS int LANGUAGE sql AS $fn$ SELECT ${value} $fn$;\n`);
  const call = async (name: string) => Number((await runner(hq).query(`SELECT ${name}() AS v`))[0]!.v);

  it('a fresh database has every file installed, with its checksum recorded', async () => {
    const files = readFunctionFiles();
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['lock_changes', 'push_group', 'push_ops', 'rollback_redemption', 'voucher_json']));
    const recorded = await runner(hq).query(`SELECT key, value FROM settings WHERE key LIKE 'sql_function:%'`);
    expect(recorded.map((r) => `${String(r.key)} ${String(r.value)}`).sort()).toEqual(files.map((f) => `sql_function:${f.name} ${f.checksum}`).sort());
    // Each file defines the function it is named for.
    const defined = await runner(hq).query(`SELECT DISTINCT proname FROM pg_proc WHERE proname IN (${files.map((f) => `'${f.name}'`).join(',')})`);
    expect(defined.map((r) => r.proname).sort()).toEqual(files.map((f) => f.name));
    // Starting again installs nothing.
    expect(await installFunctions(runner(hq))).toEqual([]);
  });

  it('installs a file again only when it changed, and the new body is the one that runs', async () => {
    probe('vt_probe_a', 1);
    probe('vt_probe_b', 2);
    expect(await installFunctions(runner(hq), readFunctionFiles(folder))).toEqual(['vt_probe_a', 'vt_probe_b']);
    expect(await installFunctions(runner(hq), readFunctionFiles(folder))).toEqual([]);
    probe('vt_probe_b', 3);
    expect(await installFunctions(runner(hq), readFunctionFiles(folder))).toEqual(['vt_probe_b']);
    expect([await call('vt_probe_a'), await call('vt_probe_b')]).toEqual([1, 3]);
  });

  it('a file that fails is named, nothing of it is recorded, and the connection goes on serving', async () => {
    writeFileSync(join(folder, 'vt_probe_c.sql'), 'CREATE OR REPLACE FUNCTION vt_probe_c() RETURNS int LANGUAGE sql AS $fn$ SELECT 4 $fn$;\nSELECT no_such_column FROM settings;\n');
    await expect(installFunctions(runner(hq), readFunctionFiles(folder))).rejects.toThrow(/vt_probe_c\.sql could not be installed/);
    expect(await runner(hq).query(`SELECT key FROM settings WHERE key = 'sql_function:vt_probe_c'`)).toEqual([]);
    expect(await runner(hq).query(`SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'vt_probe_c'`)).toEqual([{ n: 0 }]);
    rmSync(join(folder, 'vt_probe_c.sql'));
    expect(await call('vt_probe_a')).toBe(1);
  });

  it('refuses a file name that is not a plain identifier (it goes into SQL text)', () => {
    const odd = mkdtempSync(join(tmpdir(), 'vt-functions-odd-'));
    try {
      writeFileSync(join(odd, "x'; DROP TABLE tills; --.sql"), 'SELECT 1;');
      expect(() => readFunctionFiles(odd)).toThrow(/named like an SQL identifier/);
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  });
});

// Bulk import in the background (POST /v1/vouchers/import). Each row is checked on its own and a bad
// row is reported by index without stopping the others. Valid rows go in with one multi-row INSERT per
// chunk (jsonb_to_recordset): row-by-row inserts are ~20× slower. Progress is stored after every
// chunk so GET /v1/async-actions/{id} can show it.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { generateCode, normaliseCode } from '../core/code';
import { VoucherImportInputSchema, type Voucher } from '../core/voucher';
import { isWellFormedText, truncateText } from '../core/text';
import { issuesText } from '../core/zod-issues';
import type { AsyncAction } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { stampChanges } from './changes';
import type { HqContext } from './context';
import { buildVoucher, insertVouchers, loyaltyProgramIssues } from './voucher-store';

const CHUNK = 2000;
type ImportError = AsyncAction['result']['errors'][number];

export async function getAsyncAction(db: Db, id: string): Promise<AsyncAction | undefined> {
  const rows = rowsOf<{ id: string; type: 'VOUCHERS_IMPORT'; status: AsyncAction['status']; progress: AsyncAction['progress']; result: AsyncAction['result'] }>(
    await db.execute(sql`SELECT id, type, status, progress, result FROM async_actions WHERE id = ${id}`),
  );
  return rows[0];
}

/**
 * The advisory-lock class a running import holds (with hashtext(its id)) on PostgreSQL, in a session
 * of its own, for as long as it runs ("vtim").
 */
export const IMPORT_LOCK_CLASS = 0x7674696d;

/**
 * An import whose HQ process stopped will never finish: say so instead of "in progress" forever. Run
 * at start. With several HQ processes on one PostgreSQL an import in progress may be another live
 * process's: it holds its lock (IMPORT_LOCK_CLASS), which this statement cannot take, so only imports
 * whose process is gone (PostgreSQL released their lock with their session) are failed. The lock is
 * taken per row for the statement's transaction only. On PGlite (one process) none is held.
 */
export async function failInterruptedImports(db: Db): Promise<void> {
  await db.execute(sql`UPDATE async_actions SET status = 'FAILED', updated_at = now(),
    result = jsonb_set(result, '{errors}', (result->'errors') || '[{"index": -1, "detail": "HQ stopped during this import; rows not listed as imported were not imported"}]'::jsonb)
    WHERE status = 'IN_PROGRESS' AND pg_try_advisory_xact_lock(${IMPORT_LOCK_CLASS}, hashtext(id))`);
}

export async function startImport(ctx: HqContext, rows: unknown[], log: FastifyBaseLogger): Promise<string> {
  const id = `aa_${randomBytes(9).toString('hex')}`;
  const result: AsyncAction['result'] = { imported: 0, failed: 0, errors: [] };
  // Held before the row says IN_PROGRESS, so a starting HQ never takes a live import for a dead one.
  const release = (await ctx.holdLock?.(IMPORT_LOCK_CLASS, id)) ?? (async () => {});
  try {
    await ctx.db.execute(sql`INSERT INTO async_actions (id, type, status, progress, result)
      VALUES (${id}, 'VOUCHERS_IMPORT', 'IN_PROGRESS', ${JSON.stringify({ processed: 0, total: rows.length })}::jsonb, ${JSON.stringify(result)}::jsonb)`);
  } catch (error) {
    await release();
    throw error;
  }
  // Not awaited: the client polls the async action.
  runImport(ctx, id, rows, result)
    .catch(async (error: unknown) => {
      log.error({ err: error, asyncAction: id }, 'voucher import failed');
      result.errors.push({ index: -1, detail: 'The import stopped on an internal error; rows not counted as imported were not imported.' });
      await ctx.db.execute(sql`UPDATE async_actions SET status = 'FAILED', result = ${JSON.stringify(result)}::jsonb, updated_at = now() WHERE id = ${id}`).catch(() => {});
    })
    .finally(() => release());
  return id;
}

/** Let other requests run: validating 100,000 rows in one go would block HQ for seconds. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const VALIDATE_SLICE = 1000;

async function runImport(ctx: HqContext, id: string, rows: unknown[], result: AsyncAction['result']): Promise<void> {
  await yieldToEventLoop(); // answer 202 first
  const now = new Date().toISOString();
  const seen = new Set<string>();
  const errors: ImportError[] = [];
  const valid: { index: number; voucher: Voucher }[] = [];

  for (let index = 0; index < rows.length; index++) {
    if (index % VALIDATE_SLICE === 0 && index > 0) await yieldToEventLoop();
    const parsed = VoucherImportInputSchema.safeParse(rows[index]);
    if (!parsed.success) {
      // The report is stored as JSON in the database: it may name the row's code only when that is
      // well-formed text, and zod's messages (which can quote a key the row had) are made well-formed.
      const sent = (rows[index] as { code?: unknown } | null)?.code;
      const code = typeof sent === 'string' && isWellFormedText(sent) ? normaliseCode(sent).slice(0, 64) : undefined;
      errors.push({ index, ...(code ? { code } : {}), detail: truncateText(issuesText(parsed.error.issues, '(row)'), 2000) });
      continue;
    }
    let code = parsed.data.code;
    if (code === undefined) do code = generateCode(); while (seen.has(code));
    if (seen.has(code)) {
      errors.push({ index, code, detail: 'the same code appears earlier in this import' });
      continue;
    }
    seen.add(code);
    valid.push({ index, voucher: buildVoucher(parsed.data, now, code) });
  }

  let processed = 0;
  for (let start = 0; start < valid.length; start += CHUNK) {
    await yieldToEventLoop(); // PGlite never yields inside its queries: let requests in between chunks
    const chunk = valid.slice(start, start + CHUNK);
    const inserted = await ctx.db.transaction(async (tx) => {
      // A loyalty card whose program is missing (or counts another currency) is that row's error.
      const issues = await loyaltyProgramIssues(tx, chunk.map((c) => c.voucher));
      for (const { index, voucher } of chunk) {
        const issue = issues.get(voucher.code);
        if (issue) errors.push({ index, code: voucher.code, detail: issue });
      }
      const codes = [...(await insertVouchers(tx, chunk.map((c) => c.voucher).filter((v) => !issues.has(v.code))))];
      // Stamped last, under the change lock, like every other writer (see changes.ts).
      return { codes: new Set(codes), issues, checkpoint: await stampChanges(tx, { vouchers: codes }) };
    });
    for (const { index, voucher } of chunk) {
      if (!inserted.codes.has(voucher.code) && !inserted.issues.has(voucher.code)) errors.push({ index, code: voucher.code, detail: 'a voucher with this code already exists' });
    }
    result.imported += inserted.codes.size;
    processed += chunk.length;
    if (inserted.checkpoint) ctx.bus.announce(inserted.checkpoint);
    const progress = { processed: Math.min(rows.length, processed + errors.length), total: rows.length };
    await ctx.db.execute(sql`UPDATE async_actions SET progress = ${JSON.stringify(progress)}::jsonb, result = ${JSON.stringify({ ...result, failed: errors.length, errors: [] })}::jsonb, updated_at = now() WHERE id = ${id}`);
  }
  errors.sort((a, b) => a.index - b.index);
  result.failed = errors.length;
  result.errors = errors;
  await ctx.db.execute(sql`UPDATE async_actions SET status = 'DONE', progress = ${JSON.stringify({ processed: rows.length, total: rows.length })}::jsonb,
    result = ${JSON.stringify(result)}::jsonb, updated_at = now() WHERE id = ${id}`);
}

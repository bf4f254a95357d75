// POST /v1/sync/push — reconciliation of a till's outbox (contract: "Push semantics").
//
// Batches of REDEMPTION ops go to the database as one statement, grouped with other tills' pushes under
// load (push-redemptions.ts); the rest here.
// One transaction per batch: lock the till's row (so two pushes of one till serialise), answer
// replays from the stored results, refuse a gap in seq (409, nothing applied), apply each new op in
// seq order, store every op with its result, advance the till's last_seq and stamp the changed
// vouchers for the change feed — all committed together or not at all. The vouchers a batch touches
// are locked up front in one order, so tills cannot deadlock each other; a deadlock or serialisation
// failure with some other writer is retried as a whole.
import { sql } from 'drizzle-orm';
import type { Op, PushReason, PushRequest, PushResult } from '../../sync/protocol';
import type { Voucher } from '../../core/voucher';
import { VOUCHER_JSON_SQL } from '../db/rows';
import { rowsOf, type Db } from '../db/connect';
import { readHead, stampChanges, type Executor } from '../changes';
import { HqError } from '../hq-error';
import { applyGiftIssue, rollbackRedemption } from './redemption-ops';
import { parseOp, type RawOp, type Step } from './steps';
import type { RedemptionPusher } from './redemption-pusher';
import { withRetry } from '../db/retry';

type Applied = { op_id: string; seq: number; type: string; result: PushResult; code?: string; /** false: answered, never stored (the op_id is another till's) */ store?: boolean };

/** A run of consecutive redemptions: one call of the apply_redemptions() database function. */
async function applyRedemptionRun(tx: Executor, tillId: string, run: Extract<Op, { type: 'REDEMPTION' }>[]): Promise<Applied[]> {
  const payload = run.map((op) => ({ op_id: op.op_id, code: op.payload.code, ticket_id: op.payload.ticket_id, amount: op.payload.amount, occurred_at: op.occurred_at }));
  const rows = rowsOf<{ op_id: string; outcome: PushResult['outcome']; reason: PushReason | null; code: string; overdraft: boolean; winner: PushResult['winner'] | null; voucher: string | null }>(
    await tx.execute(sql`SELECT * FROM apply_redemptions(${tillId}::uuid, ${JSON.stringify(payload)}::jsonb)`),
  );
  return run.map((op, i) => {
    const r = rows[i]!;
    const result: PushResult = {
      op_id: op.op_id,
      outcome: r.outcome,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.winner ? { winner: r.winner } : {}),
      ...(r.overdraft ? { overdraft: true } : {}),
      ...(r.voucher ? { voucher: JSON.parse(r.voucher) as Voucher } : {}),
    };
    return { op_id: op.op_id, seq: op.seq, type: op.type, result, ...(r.outcome === 'REJECTED' ? {} : { code: r.code }) };
  });
}

/** The voucher as it is now, in this transaction (the same JSON the change feed sends). */
async function voucherNow(tx: Executor, code: string): Promise<Voucher | undefined> {
  const row = rowsOf<{ json: string }>(await tx.execute(sql`SELECT ${sql.raw(VOUCHER_JSON_SQL)} AS json FROM vouchers WHERE code = ${code}`))[0];
  return row ? (JSON.parse(row.json) as Voucher) : undefined;
}

async function applyOther(tx: Executor, tillId: string, op: Exclude<Op, { type: 'REDEMPTION' }>, policy: PushPolicy): Promise<Applied> {
  const base = { op_id: op.op_id, seq: op.seq, type: op.type };
  let result: PushResult;
  let code: string | undefined;
  if (op.type === 'GIFT_ISSUE') {
    const effect = await applyGiftIssue(tx, op.op_id, tillId, op.occurred_at, op.payload, policy.maxGiftIssue);
    result = effect.result;
    code = effect.touched;
  } else {
    // A till rolls back only its own redemptions (not_own_redemption otherwise, nothing changes).
    const outcome = await rollbackRedemption(tx, op.payload.redemption_op_id, { kind: 'till', tillId });
    if (!outcome.ok) return { ...base, result: { op_id: op.op_id, outcome: 'REJECTED', reason: outcome.reason } };
    result = { op_id: op.op_id, outcome: 'ACCEPTED' };
    code = outcome.code;
  }
  const voucher = code ? await voucherNow(tx, code) : undefined;
  return { ...base, result: voucher ? { ...result, voucher } : result, ...(code ? { code } : {}) };
}

/**
 * Lock every voucher the batch's new ops may change — in one statement, in code order — before
 * applying any of them. Batches of different tills that touch the same vouchers in different orders
 * would otherwise deadlock; PostgreSQL breaks each deadlock only after deadlock_timeout (1 s), so a
 * burst of them eats the retries and reaches tills as 500s. With one lock order there is no cycle.
 * The order is: redemptions being rolled back, then vouchers — the order POST
 * /v1/redemptions/{id}/rollback (no retry) takes them in, so it cannot deadlock with a push either.
 *
 * Only what the parsed steps will apply is locked, from their parsed values: a malformed op never
 * reaches SQL (a NUL or a lone surrogate in a raw code made PostgreSQL refuse the whole batch), and a
 * rollback of another till's redemption (refused) locks neither that redemption nor its voucher.
 */
async function lockVouchers(tx: Executor, tillId: string, steps: Step[]): Promise<void> {
  const codes = new Set<string>();
  const rolledBack = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'redemption') codes.add(step.op.payload.code);
    else if (step.kind === 'other' && step.op.type === 'ROLLBACK') rolledBack.add(step.op.payload.redemption_op_id.toLowerCase());
  }
  if (!codes.size && !rolledBack.size) return;
  // `= ANY(ARRAY(…))` with typed values keeps both lookups on their primary keys; an `OR … IN (…)`
  // shape, or comparing id::text, made PostgreSQL scan the whole table on every push.
  const codeList = JSON.stringify([...codes]);
  if (!rolledBack.size) {
    await tx.execute(sql`SELECT code FROM vouchers WHERE code = ANY(ARRAY(SELECT jsonb_array_elements_text(${codeList}::jsonb))) ORDER BY code FOR UPDATE`);
    return;
  }
  const ids = JSON.stringify([...rolledBack]);
  await tx.execute(sql`SELECT id FROM redemptions WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(${ids}::jsonb)::uuid)) AND till_id = ${tillId}::uuid ORDER BY id FOR UPDATE`);
  await tx.execute(sql`SELECT code FROM vouchers WHERE code = ANY(ARRAY(
      SELECT jsonb_array_elements_text(${codeList}::jsonb)
      UNION SELECT r.code FROM redemptions r WHERE r.id = ANY(ARRAY(SELECT jsonb_array_elements_text(${ids}::jsonb)::uuid)) AND r.till_id = ${tillId}::uuid))
    ORDER BY code FOR UPDATE`);
}

/** What HQ's configuration allows a till to do in a push (ServerOptions). */
export type PushPolicy = {
  /** The largest gift card a till may issue (GIFT_ISSUE), minor units: HQ_MAX_GIFT_ISSUE. */
  maxGiftIssue: number;
};

/** Where a push goes: the database, its pushes of redemptions (grouped: push-redemptions.ts), what HQ allows. */
export type PushPath = { db: Db; redemptions: RedemptionPusher; policy: PushPolicy };

/**
 * Apply a push; returns the response as JSON text. A batch of REDEMPTION ops (and malformed ones) is
 * one statement (push-redemptions.ts); a batch with a ROLLBACK or GIFT_ISSUE runs here, op by op.
 */
export async function applyPush({ db, redemptions, policy }: PushPath, tillId: string, request: PushRequest, onChange: (cp: number) => void): Promise<string> {
  // A uuid is case-insensitive and the ops table hands op_ids back in lower case: compare them in that
  // form, or a replay sent in upper case misses its stored result and is refused as a reused seq (and
  // two spellings of one op in a batch look like two ops sharing a seq). Results echo the sent spelling.
  const ops = request.ops.map((op) => ({ ...op, op_id: op.op_id.toLowerCase() }));
  const seqs = new Map<number, string>();
  for (const op of ops) {
    const other = seqs.get(op.seq);
    if (other !== undefined && other !== op.op_id) throw new HqError(400, 'duplicate_seq', `Two ops in this batch share seq ${op.seq}.`);
    seqs.set(op.seq, op.op_id);
  }
  const distinct = new Map<string, RawOp>();
  for (const op of [...ops].sort((a, b) => a.seq - b.seq)) if (!distinct.has(op.op_id)) distinct.set(op.op_id, op);
  const steps = [...distinct.values()].map(parseOp);
  const { json, checkpoint } = steps.some((s) => s.kind === 'other')
    ? await applyInTransaction(db, tillId, request, ops, policy)
    : await redemptions.push(tillId, request.ops, steps);
  if (checkpoint) onChange(checkpoint);
  // The response's `checkpoint`: one the feed reaches only with every effect of these ops. A push that
  // drew numbers has it in them (numbers are handed out in commit order, so its highest is above every
  // earlier commit, a replayed op's included); one that drew none (replays, refusals) takes the
  // committed head, which is at or above any replayed op's change.
  const floor = checkpoint || (await readHead(db));
  return `${json.slice(0, -1)},"checkpoint":"${floor}"}`;
}

async function applyInTransaction(db: Db, tillId: string, request: PushRequest, ops: RawOp[], policy: PushPolicy): Promise<{ json: string; checkpoint: number }> {
  const { response, checkpoint } = await withRetry(() =>
    db.transaction(async (tx) => {
      const till = rowsOf<{ last_seq: string | number }>(await tx.execute(sql`SELECT last_seq FROM tills WHERE id = ${tillId}::uuid FOR UPDATE`));
      if (!till[0]) throw new HqError(401, 'unknown_till', 'This till is not registered.');
      let lastSeq = Number(till[0].last_seq);

      const ids = [...new Set(ops.map((o) => o.op_id))];
      const storedRows = rowsOf<{ op_id: string; till_id: string; result: string }>(
        await tx.execute(sql`SELECT op_id, till_id, result FROM ops WHERE op_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`),
      );
      const stored = new Map(storedRows.filter((r) => r.till_id === tillId).map((r) => [r.op_id, { ...(JSON.parse(r.result) as PushResult), op_id: r.op_id }]));
      // An op_id another till already used (uuids do not collide by chance: a till-side bug). It can
      // never be stored under this till, so it is refused — and, at its turn in seq order, still
      // advances last_seq so it does not block the till forever.
      const foreign = new Set(storedRows.filter((r) => r.till_id !== tillId).map((r) => r.op_id));

      const results = new Map<string, PushResult>();
      const fresh = [...ops].sort((a, b) => a.seq - b.seq).filter((op) => {
        const known = stored.get(op.op_id);
        if (known) {
          results.set(op.op_id, known); // a replay, by op_id, forever
          return false;
        }
        if (foreign.has(op.op_id) && op.seq <= lastSeq) {
          results.set(op.op_id, { op_id: op.op_id, outcome: 'REJECTED', reason: 'op_id_reused' });
          return false;
        }
        if (op.seq <= lastSeq) {
          // The till reused a seq HQ already applied for another op: a till-side bug; never apply it.
          results.set(op.op_id, { op_id: op.op_id, outcome: 'REJECTED', reason: 'seq_already_used' });
          return false;
        }
        return true;
      });

      // Check order and parse everything before touching data: a gap is refused with nothing applied.
      const steps: Step[] = [];
      const seen = new Set<string>();
      for (const op of fresh) {
        if (seen.has(op.op_id)) continue; // the same op twice in one batch
        seen.add(op.op_id);
        if (op.seq !== lastSeq + 1) {
          throw new HqError(409, 'seq_gap', `Expected seq ${lastSeq + 1} next but got ${op.seq}; push the missing ops first. Nothing was applied.`);
        }
        lastSeq = op.seq;
        const step = parseOp(op);
        // The type is parseOp's (safe to store), never the raw string: never stored anyway.
        const type = step.kind === 'done' ? step.type : step.op.type;
        steps.push(foreign.has(op.op_id) ? { kind: 'done', op_id: op.op_id, seq: op.seq, type, result: { op_id: op.op_id, outcome: 'REJECTED', reason: 'op_id_reused' }, store: false } : step);
      }

      await lockVouchers(tx, tillId, steps);
      // Apply in seq order; consecutive redemptions go to the database as one run (rejected ops in
      // between change nothing, so they do not break a run).
      const applied: Applied[] = [];
      let run: Extract<Op, { type: 'REDEMPTION' }>[] = [];
      const flush = async () => {
        if (run.length) applied.push(...(await applyRedemptionRun(tx, tillId, run)));
        run = [];
      };
      for (const step of steps) {
        if (step.kind === 'redemption') run.push(step.op);
        else if (step.kind === 'done') applied.push(step);
        else {
          await flush();
          applied.push(await applyOther(tx, tillId, step.op, policy));
        }
      }
      await flush();

      // Only accepted effects change what tills replicate (a conflict or rejection changes nothing).
      const touched = new Set(applied.flatMap((a) => (a.code && a.result.outcome === 'ACCEPTED' ? [a.code] : [])));
      for (const a of applied) results.set(a.op_id, a.result);
      const newRows = applied
        .filter((a) => a.store !== false)
        .sort((a, b) => a.seq - b.seq)
        .map(({ op_id, seq, type, result: { op_id: _, ...result } }) => ({ op_id, seq, type, outcome: result.outcome, result: JSON.stringify(result) })); // op_id is the row's key

      if (newRows.length) {
        await tx.execute(sql`INSERT INTO ops (op_id, till_id, seq, type, outcome, result)
          SELECT r.op_id::uuid, ${tillId}::uuid, r.seq, r.type, r.outcome, r.result
          FROM jsonb_to_recordset(${JSON.stringify(newRows)}::jsonb) AS r(op_id text, seq bigint, type text, outcome text, result text)`);
      }
      if (lastSeq !== Number(till[0].last_seq)) {
        await tx.execute(sql`UPDATE tills SET last_seq = ${lastSeq} WHERE id = ${tillId}::uuid`);
      }
      const cp = await stampChanges(tx, { vouchers: touched });
      return { response: { last_seq: lastSeq, results: request.ops.map((op) => ({ ...results.get(op.op_id.toLowerCase())!, op_id: op.op_id })) }, checkpoint: cp };
    }),
  );
  return { json: JSON.stringify(response), checkpoint };
}

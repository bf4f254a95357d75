// A till's push as one database statement: the function push_ops() (hq/db/functions/push_ops.sql)
// applies every op type in an implicit transaction, so no lock is held while the database waits for
// Node. The answer comes back as JSON text per op and is sent as is: the vouchers in it are never parsed
// or re-serialised by HQ.
//
// Group commit. A push of one op costs the database a transaction — a commit that waits for the WAL
// flush, the change lock, a round trip — several times what the op itself costs, and a fleet pushes one
// op at a time (a till pushes after each sale). So at most `maxInFlight` statements of pushes run at
// once; pushes that arrive meanwhile wait and go together as one statement, push_group()
// (hq/db/functions/push_group.sql), when one of those ends. Alone, a push goes at once; under load,
// groups grow with the queue and each push's share of a commit shrinks. Each push in a group is still
// push_ops(), so its answer is the same as if it had gone alone, after the pushes before it in the
// group. A push refused as a whole (seq gap, unknown till) is refused alone. Any other error of a group
// — one that no push causes, or one push's bad data — sends each of its pushes again on its own, so one
// push cannot fail the others.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/connect';
import { HqError } from '../hq-error';
import { dbError, withRetry } from '../db/retry';
import type { PushOp, RawOp } from './steps';

/** A push's response as JSON text, without its checkpoint, and the highest change number it drew (0: none). */
export type PushAnswer = { json: string; checkpoint: number };

/** A push refused as a whole by the database, as the HTTP error the till gets; undefined for any other code. */
function refusal(code: string | undefined, message: string): HqError | undefined {
  if (code === 'VT409') return new HqError(409, 'seq_gap', message);
  if (code === 'VT401') return new HqError(401, 'unknown_till', message);
  return undefined;
}

type Row = { r_op_id: string; r_result: string; r_last_seq: string | number; r_checkpoint: string | number };

/** The response to one push from its rows. `sent` is the request's ops as sent: their op_id spelling is echoed. */
function answer(sent: RawOp[], rows: Row[]): PushAnswer {
  const byId = new Map(rows.map((r) => [r.r_op_id, r.r_result]));
  // Each stored result is an object without op_id: the op_id as the till spelled it goes first.
  const results = sent.map((op) => `{"op_id":${JSON.stringify(op.op_id)},${byId.get(op.op_id.toLowerCase())!.slice(1)}`);
  return { json: `{"last_seq":${Number(rows[0]!.r_last_seq)},"results":[${results.join(',')}]}`, checkpoint: Number(rows[0]!.r_checkpoint) };
}

type Pending = { tillId: string; sent: RawOp[]; payload: PushOp[]; resolve: (push: PushAnswer) => void; reject: (error: unknown) => void };

/** One push in a statement of its own. */
async function pushAlone(db: Db, p: Pending): Promise<PushAnswer> {
  try {
    return answer(p.sent, rowsOf<Row>(await withRetry(() => db.execute(sql`SELECT * FROM push_ops(${p.tillId}::uuid, ${JSON.stringify(p.payload)}::jsonb)`))));
  } catch (error) {
    const e = dbError(error);
    throw refusal(e?.code, e?.message ?? '') ?? error;
  }
}

/** Several pushes in one statement; settles each. */
async function pushGroup(db: Db, group: Pending[]): Promise<void> {
  const pushes = JSON.stringify(group.map((p) => ({ till: p.tillId, ops: p.payload })));
  let rows: (Row & { r_push: number; r_error: string | null; r_message: string | null })[];
  try {
    rows = rowsOf(await withRetry(() => db.execute(sql`SELECT * FROM push_group(${pushes}::jsonb)`)));
  } catch {
    // Nothing of the group committed: each push again, alone, gets its own answer or its own error.
    for (const p of group) await pushAlone(db, p).then(p.resolve, p.reject);
    return;
  }
  const byPush = group.map(() => [] as typeof rows);
  for (const row of rows) byPush[row.r_push]!.push(row);
  group.forEach((p, i) => {
    const mine = byPush[i]!;
    const error = mine[0]?.r_error;
    if (error) return p.reject(refusal(error, mine[0]!.r_message ?? '') ?? new Error(`push_group: ${error}`));
    // Every push settles, whatever one answer holds (a push left pending would hang its till's request).
    try {
      p.resolve(answer(p.sent, mine));
    } catch (e) {
      p.reject(e);
    }
  });
}

export type Pusher = {
  /** Apply one till's push: `sent` as the till sent it, `ops` its distinct ops in seq order as push_ops() takes them. */
  push(tillId: string, sent: RawOp[], ops: PushOp[]): Promise<PushAnswer>;
};

/** Pushes one group may hold unless HQ_PUSH_GROUP says: well under PostgreSQL's 64 cached subtransactions (push_group.sql). */
export const DEFAULT_PUSH_GROUP = 32;

export type GroupOptions = {
  /** Statements of pushes running at once (the rest queue and go as groups); default 2, or no limit (the pool's) when maxPushes is 1. */
  maxInFlight?: number;
  /** Pushes in one group; 1: none grouped. */
  maxPushes?: number;
  /** Ops in one group (a push of 1,000 ops goes alone; a group stops growing past this). */
  maxOps?: number;
};

export function createPusher(db: Db, { maxPushes = DEFAULT_PUSH_GROUP, maxInFlight = maxPushes === 1 ? Infinity : 2, maxOps = 1000 }: GroupOptions = {}): Pusher {
  const queue: Pending[] = [];
  let inFlight = 0;
  const next = (): Pending[] => {
    const group = [queue.shift()!];
    let ops = group[0]!.payload.length;
    while (queue.length && group.length < maxPushes && ops + queue[0]!.payload.length <= maxOps) {
      ops += queue[0]!.payload.length;
      group.push(queue.shift()!);
    }
    return group;
  };
  const drain = () => {
    while (inFlight < maxInFlight && queue.length) {
      const group = next();
      inFlight += 1;
      const done = () => {
        inFlight -= 1;
        drain();
      };
      if (group.length === 1) pushAlone(db, group[0]!).then(group[0]!.resolve, group[0]!.reject).finally(done);
      else pushGroup(db, group).finally(done);
    }
  };
  return {
    push(tillId, sent, payload) {
      return new Promise((resolve, reject) => {
        queue.push({ tillId, sent, payload, resolve, reject });
        drain();
      });
    },
  };
}

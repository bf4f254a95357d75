// POST /v1/sync/push — reconciliation of a till's outbox (contract: "Push semantics").
//
// Every push, whatever its op types, is one statement: push_ops() (hq/db/functions/push_ops.sql),
// grouped with other tills' pushes under load (pusher.ts). Here only what needs no data: the batch's
// own consistency (two ops sharing a seq is a 400), its distinct ops in seq order, each checked against
// the wire schema and HQ's policy (steps.ts), and the checkpoint the response names.
import type { PushRequest } from '../../sync/protocol';
import type { Db } from '../db/connect';
import { readHead } from '../changes';
import { HqError } from '../hq-error';
import { toPushOp, type PushPolicy, type RawOp } from './steps';
import type { Pusher } from './pusher';

export type { PushPolicy } from './steps';

/** Where a push goes: the database, its pusher (grouped: pusher.ts), what HQ allows. */
export type PushPath = { db: Db; pusher: Pusher; policy: PushPolicy };

/** Apply a push; returns the response as JSON text. */
export async function applyPush({ db, pusher, policy }: PushPath, tillId: string, request: PushRequest, onChange: (cp: number) => void): Promise<string> {
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
  const { json, checkpoint } = await pusher.push(tillId, request.ops, [...distinct.values()].map((op) => toPushOp(op, tillId, policy)));
  if (checkpoint) onChange(checkpoint);
  // The response's `checkpoint`: one the feed reaches only with every effect of these ops. A push that
  // drew numbers has it in them (numbers are handed out in commit order, so its highest is above every
  // earlier commit, a replayed op's included); one that drew none (replays, refusals) takes the
  // committed head, which is at or above any replayed op's change.
  const floor = checkpoint || (await readHead(db));
  return `${json.slice(0, -1)},"checkpoint":"${floor}"}`;
}

// A pushed op, checked against the wire schema before anything touches the database: either ready to
// apply, or already answered (a malformed op is REJECTED with the reason, and still takes its seq).
import { OpSchema, type Op, type PushRequest, type PushResult } from '../sync/protocol';

export type RawOp = PushRequest['ops'][number];

export type Step =
  | { kind: 'done'; op_id: string; seq: number; type: string; result: PushResult; code?: string; store?: boolean }
  | { kind: 'redemption'; op: Extract<Op, { type: 'REDEMPTION' }> }
  | { kind: 'other'; op: Exclude<Op, { type: 'REDEMPTION' }> };

export function parseOp(raw: RawOp): Step {
  const parsed = OpSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(op)'}: ${i.message}`).join('; ');
    return { kind: 'done', op_id: raw.op_id, seq: raw.seq, type: raw.type, result: { op_id: raw.op_id, outcome: 'REJECTED', reason: `invalid_op: ${detail}`.slice(0, 500) } };
  }
  const op = parsed.data;
  return op.type === 'REDEMPTION' ? { kind: 'redemption', op } : { kind: 'other', op };
}

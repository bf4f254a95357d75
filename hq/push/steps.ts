// A pushed op, checked against the wire schema before anything touches the database: either ready to
// apply, or already answered (a malformed op is REJECTED with the reason, and still takes its seq).
import { OpSchema, OpTypes, type Op, type PushRequest, type PushResult } from '../../sync/protocol';
import { truncateText } from '../../core/text';

export type RawOp = PushRequest['ops'][number];

export type Step =
  | { kind: 'done'; op_id: string; seq: number; type: string; result: PushResult; code?: string; store?: boolean }
  | { kind: 'redemption'; op: Extract<Op, { type: 'REDEMPTION' }> }
  | { kind: 'other'; op: Exclude<Op, { type: 'REDEMPTION' }> };

const DETAIL_LENGTH = 500;

/**
 * The type a rejected op is stored under: one of the known types, else INVALID. What a till sent as
 * `type` may be anything (a NUL, a lone surrogate, 10 kB, a number, null): stored as is, the database
 * would refuse it on every retry and the till would never sync again.
 */
function storedType(type: unknown): string {
  return typeof type === 'string' && (OpTypes as readonly string[]).includes(type) ? type : 'INVALID';
}

/**
 * Why the op was refused, as storable text: zod's messages name paths and may quote keys the till sent
 * (an unknown key with a NUL in it), so the whole reason is made well-formed after it is cut to length.
 */
function invalidDetail(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const detail = issues.map((i) => `${i.path.map(String).join('.') || '(op)'}: ${i.message}`).join('; ');
  return truncateText(detail, DETAIL_LENGTH);
}

export function parseOp(raw: RawOp): Step {
  const parsed = OpSchema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'done', op_id: raw.op_id, seq: raw.seq, type: storedType(raw.type), result: { op_id: raw.op_id, outcome: 'REJECTED', reason: 'invalid_op', detail: invalidDetail(parsed.error.issues) } };
  }
  const op = parsed.data;
  return op.type === 'REDEMPTION' ? { kind: 'redemption', op } : { kind: 'other', op };
}

// A pushed op, checked against the wire schema and HQ's policy before anything touches the database,
// as push_ops() (hq/db/functions/push_ops.sql) takes it: an op to apply, or one already answered (a
// malformed op is REJECTED `invalid_op` with what is wrong; a gift card above HQ's maximum is REJECTED
// `amount_exceeds_maximum`) — an answered op still takes its seq and is stored like any other.
import { OpSchema, OpTypes, type Op, type PushReason, type PushRequest } from '../../sync/protocol';
import { VoucherSchema, voucherDefaults } from '../../core/voucher';
import { truncateText } from '../../core/text';
import { voucherRow } from '../db/rows';

export type RawOp = PushRequest['ops'][number];

/** What HQ's configuration allows a till to do in a push (ServerOptions). */
export type PushPolicy = {
  /** The largest gift card a till may issue (GIFT_ISSUE), or top-up it may make (GIFT_TOP_UP), minor units: HQ_MAX_GIFT_ISSUE. */
  maxGiftIssue: number;
};

type Base = { op_id: string; seq: number };
/** One op as push_ops() takes it (op_id in lower case). */
export type PushOp =
  | (Base & { type: 'REDEMPTION'; code: string; ticket_id: string; amount: number; occurred_at: string })
  | (Base & { type: 'ROLLBACK'; redemption: string })
  | (Base & { type: 'GIFT_ISSUE'; code: string; voucher: ReturnType<typeof voucherRow> })
  /** `max`: HQ_MAX_GIFT_ISSUE, checked by push_ops() so that a refusal carries the card. */
  | (Base & { type: 'GIFT_TOP_UP'; code: string; amount: number; max: number })
  /** `amount`: a spend's money value (0 for an earn). */
  | (Base & { type: 'LOYALTY_EARN' | 'LOYALTY_SPEND'; code: string; ticket_id: string; points: number; amount: number; occurred_at: string })
  /** Answered already: `answer` is the REJECTED result's JSON text without op_id, stored and sent as is. */
  | (Base & { type: Op['type'] | 'INVALID'; answer: string });

const DETAIL_LENGTH = 500;

/**
 * The type a rejected op is stored under: one of the known types, else INVALID. What a till sent as
 * `type` may be anything (a NUL, a lone surrogate, 10 kB, a number, null): stored as is, the database
 * would refuse it on every retry and the till would never sync again.
 */
function storedType(type: unknown): Op['type'] | 'INVALID' {
  return typeof type === 'string' && (OpTypes as readonly string[]).includes(type) ? (type as Op['type']) : 'INVALID';
}

/**
 * Why the op was refused, as storable text: zod's messages name paths and may quote keys the till sent
 * (an unknown key with a NUL in it), so the whole reason is made well-formed after it is cut to length.
 */
function invalidDetail(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const detail = issues.map((i) => `${i.path.map(String).join('.') || '(op)'}: ${i.message}`).join('; ');
  return truncateText(detail, DETAIL_LENGTH);
}

function rejected(base: Base, type: PushOp['type'], reason: PushReason, detail?: string): PushOp {
  return { ...base, type, answer: JSON.stringify({ outcome: 'REJECTED', reason, ...(detail === undefined ? {} : { detail }) }) };
}

/**
 * The gift card a till sold (GIFT_ISSUE), as HQ stores it: the model's checks run here, before SQL. A card
 * the model refuses is a malformed op (answered, never a 500 that the till would retry forever).
 */
function issuedCard(op: Extract<Op, { type: 'GIFT_ISSUE' }>, tillId: string) {
  return VoucherSchema.safeParse({
    ...voucherDefaults(),
    code: op.payload.code,
    type: 'GIFT_VOUCHER',
    label: 'Gift card',
    campaign: null,
    category: null,
    currency: op.payload.currency,
    discount: null,
    gift: { amount: op.payload.amount, balance: op.payload.amount },
    redemption: { quantity: null, redeemed_quantity: 0 },
    metadata: { issued_by_till: tillId },
    status: 'ACTIVE',
    used_at: null,
    created_at: op.occurred_at,
    updated_at: op.occurred_at, // push_ops() sets the time it stores the card
  });
}

/** `raw` (op_id in lower case) as push_ops() takes it from till `tillId`. */
export function toPushOp(raw: RawOp, tillId: string, policy: PushPolicy): PushOp {
  const base = { op_id: raw.op_id, seq: raw.seq };
  const parsed = OpSchema.safeParse(raw);
  if (!parsed.success) return rejected(base, storedType(raw.type), 'invalid_op', invalidDetail(parsed.error.issues));
  const op = parsed.data;
  switch (op.type) {
    case 'REDEMPTION':
      return { ...base, type: op.type, code: op.payload.code, ticket_id: op.payload.ticket_id, amount: op.payload.amount, occurred_at: op.occurred_at };
    case 'ROLLBACK':
      return { ...base, type: op.type, redemption: op.payload.redemption_op_id.toLowerCase() };
    case 'GIFT_ISSUE': {
      // Refused before the lease is used, so the till can still issue that code.
      if (op.payload.amount > policy.maxGiftIssue) return rejected(base, op.type, 'amount_exceeds_maximum');
      const card = issuedCard(op, tillId);
      if (!card.success) return rejected(base, op.type, 'invalid_op', invalidDetail(card.error.issues));
      return { ...base, type: op.type, code: op.payload.code, voucher: voucherRow(card.data) };
    }
    case 'GIFT_TOP_UP':
      // A top-up is money HQ must honour like a card sold: the same maximum.
      return { ...base, type: op.type, code: op.payload.code, amount: op.payload.amount, max: policy.maxGiftIssue };
    case 'LOYALTY_EARN':
    case 'LOYALTY_SPEND':
      return {
        ...base, type: op.type, code: op.payload.code, ticket_id: op.payload.ticket_id, points: op.payload.points,
        amount: op.type === 'LOYALTY_SPEND' ? op.payload.amount : 0, occurred_at: op.occurred_at,
      };
  }
}

// POST /v1/sync/push — the till's outbox ops and HQ's per-op outcomes (contract: "Push semantics").
import { z } from 'zod';
import { CheckpointSchema } from './changes';
import { CurrencySchema, MinorUnits, PositiveMinorUnits, VoucherCodeInput, VoucherSchema } from '../../core/voucher';
import { Text } from '../../core/text';

const OpBase = {
  op_id: z.uuid(),
  seq: z.int().min(1).describe("the till's own counter, contiguous from 1"),
  occurred_at: z.iso.datetime({ offset: true }),
};

// Codes are case-insensitive on input (contract): normalised here like everywhere else.
export const RedemptionPayload = z.strictObject({
  code: VoucherCodeInput,
  ticket_id: Text.min(1).max(128),
  /** Discount given, or gift amount debited, in minor units. */
  amount: MinorUnits,
});
export const RollbackPayload = z.strictObject({ redemption_op_id: z.uuid() });
export const GiftIssuePayload = z.strictObject({ code: VoucherCodeInput, amount: PositiveMinorUnits, currency: CurrencySchema });
/** Store credit onto an existing gift card (a refund, or money paid in): its amount and balance grow by `amount`. */
export const GiftTopUpPayload = z.strictObject({ code: VoucherCodeInput, amount: PositiveMinorUnits, ticket_id: Text.min(1).max(128).optional() });

const TicketId = Text.min(1).max(128);
const PositivePoints = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
/** Points a loyalty card earned on a sale (always accepted: HQ cannot recount them without the ticket). */
export const LoyaltyEarnPayload = z.strictObject({ code: VoucherCodeInput, ticket_id: TicketId, points: PositivePoints });
/** Points a loyalty card paid with, and the money they paid (minor units). */
export const LoyaltySpendPayload = z.strictObject({ code: VoucherCodeInput, ticket_id: TicketId, points: PositivePoints, amount: MinorUnits });

export const OpTypes = ['REDEMPTION', 'ROLLBACK', 'GIFT_ISSUE', 'GIFT_TOP_UP', 'LOYALTY_EARN', 'LOYALTY_SPEND'] as const;

export const OpSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...OpBase, type: z.literal('REDEMPTION'), payload: RedemptionPayload }),
  z.strictObject({ ...OpBase, type: z.literal('ROLLBACK'), payload: RollbackPayload }),
  z.strictObject({ ...OpBase, type: z.literal('GIFT_ISSUE'), payload: GiftIssuePayload }),
  z.strictObject({ ...OpBase, type: z.literal('GIFT_TOP_UP'), payload: GiftTopUpPayload }),
  z.strictObject({ ...OpBase, type: z.literal('LOYALTY_EARN'), payload: LoyaltyEarnPayload }),
  z.strictObject({ ...OpBase, type: z.literal('LOYALTY_SPEND'), payload: LoyaltySpendPayload }),
]);
export type Op = z.infer<typeof OpSchema>;

/**
 * The envelope is checked strictly, but each op only loosely: a malformed op must become a REJECTED
 * result that still advances last_seq (one bad op never blocks a till), not a 400 for the whole batch
 * that the till would send again on every retry. Only op_id and seq are required here — without them
 * there is no op to answer, nor a place in the till's order. Everything else may be anything (a `type`
 * of 7 or null, an `occurred_at` of 5): OpSchema judges it (hq/push/steps.ts).
 */
export const PushRequestSchema = z.strictObject({
  ops: z
    .array(
      z.looseObject({
        op_id: z.uuid(),
        seq: z.int().min(1),
        type: z.unknown().optional(),
        occurred_at: z.unknown().optional(),
        payload: z.unknown().optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const OutcomeSchema = z.enum(['ACCEPTED', 'CONFLICT', 'REJECTED']);
export type Outcome = z.infer<typeof OutcomeSchema>;

/**
 * For a CONFLICT, the redemption that won — as a till sees it: which till and when, never the winning
 * op's id (a till may roll back only its own redemptions, and must not learn ids it could try).
 */
export const ConflictWinnerSchema = z.object({
  till_id: z.string().nullable(),
  occurred_at: z.string().nullable(),
});
/** The back office's view of the winner (GET /v1/redemptions) also names the winning redemption. */
export const RedemptionWinnerSchema = ConflictWinnerSchema.extend({ op_id: z.uuid().nullable() });

/**
 * Why an op was not ACCEPTED — every reason HQ gives (README, "Push reasons"). A CONFLICT: `cancelled`,
 * `quantity_exceeded` (another redemption won: `winner`). REJECTED: the op could never apply —
 * `not_found` (no such voucher or redemption), `invalid_op` (the op does not match the protocol; `detail`
 * says where), `op_id_reused` (another till's op_id), `seq_already_used` (a seq HQ applied for another
 * op), `not_own_redemption` (a ROLLBACK of another till's sale), `already_rolled_back`,
 * `code_not_leased` / `code_exists` / `amount_exceeds_maximum` (a GIFT_ISSUE), `amount_out_of_range`
 * (a debit past the lowest balance a till can read), `not_a_gift_card` (a GIFT_TOP_UP of another
 * voucher), `not_a_loyalty_card` (points of another voucher), `wrong_voucher_type` (a REDEMPTION of a
 * loyalty card: its points move by LOYALTY_EARN / LOYALTY_SPEND).
 */
export const PushReasonSchema = z.enum([
  'cancelled', 'quantity_exceeded',
  'not_found', 'invalid_op', 'op_id_reused', 'seq_already_used', 'not_own_redemption', 'already_rolled_back',
  'code_not_leased', 'code_exists', 'amount_exceeds_maximum', 'amount_out_of_range', 'not_a_gift_card',
  'not_a_loyalty_card', 'wrong_voucher_type',
]);
export type PushReason = z.infer<typeof PushReasonSchema>;

export const PushResultSchema = z.object({
  op_id: z.uuid(),
  outcome: OutcomeSchema,
  reason: PushReasonSchema.optional(),
  /** For `invalid_op`: what in the op is wrong (field paths and messages, at most 500 characters). */
  detail: z.string().optional(),
  /** The voucher as HQ now has it, so the till can correct its replica at once. */
  voucher: VoucherSchema.optional(),
  /** For a CONFLICT: the redemption that won. */
  winner: ConflictWinnerSchema.optional(),
  /** For an ACCEPTED gift debit or points spend that took the balance below zero (already taken offline). */
  overdraft: z.boolean().optional(),
});
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushResponseSchema = z.object({
  last_seq: z.int().min(0),
  results: z.array(PushResultSchema),
  /**
   * Extension: a checkpoint of the change feed that includes every effect of this push's ops (replays
   * too). A till may take a stream `page` at or beyond it as its own data without pulling
   * (sync/replica/apply-pull.ts, applyStreamPage).
   */
  checkpoint: CheckpointSchema.optional(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

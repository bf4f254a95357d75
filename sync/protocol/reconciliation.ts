// Reconciliation (issue 15): what needs a person at head office after tills reconciled — single-use
// codes honoured twice (CONFLICT), gift cards and loyalty cards overdrawn, ops HQ rejected — and each
// item's "handled" mark with its note. Shared by HQ and the back-office console.
import { z } from 'zod';
import { Text } from '../../core/text';

export const ReconciliationKindSchema = z.enum(['conflict', 'overdraft', 'rejected']);
export type ReconciliationKind = z.infer<typeof ReconciliationKindSchema>;

const TillRef = z.object({ id: z.uuid(), name: z.string(), store: z.string().nullable() });

export const ReconciliationItemSchema = z.object({
  /** The op's id: one item is one op. */
  op_id: z.uuid(),
  kind: ReconciliationKindSchema,
  /** The op's type (REDEMPTION, LOYALTY_SPEND, GIFT_ISSUE …). */
  op_type: z.string(),
  /** The voucher's code; null for a rejected op whose answer named none. */
  code: z.string().nullable(),
  till: TillRef,
  ticket_id: z.string().nullable(),
  /** Money (minor units): the discount, gift debit or what points paid; null for a rejected op. */
  amount: z.int().nullable(),
  points: z.int().nullable(),
  /** HQ's reason: quantity_exceeded, cancelled, not_found … (README, "Push reasons"); null for an overdraft. */
  reason: z.string().nullable(),
  /** When it happened at the till, and when HQ received it. */
  occurred_at: z.string(),
  received_at: z.string(),
  /** A conflict's winner: the redemption HQ had applied first, with its till and ticket. */
  winner: z
    .object({ op_id: z.uuid(), till: TillRef, ticket_id: z.string().nullable(), amount: z.int(), occurred_at: z.string() })
    .nullable(),
  handled: z.object({ at: z.string(), by: z.string(), note: z.string() }).nullable(),
});
export type ReconciliationItem = z.infer<typeof ReconciliationItemSchema>;

export const ReconciliationQuerySchema = z.strictObject({
  kind: ReconciliationKindSchema.optional(),
  /** Default: only what still needs a person. */
  handled: z.enum(['false', 'true', 'all']).default('false'),
  till_id: z.uuid().optional(),
  store: Text.max(255).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ReconciliationQuery = z.infer<typeof ReconciliationQuerySchema>;

export const ReconciliationDaySchema = z.object({ day: z.string(), conflict: z.int(), overdraft: z.int(), rejected: z.int() });

export const ReconciliationListSchema = z.object({
  result: z.array(ReconciliationItemSchema),
  total: z.int(),
  /** Per day (in HQ's time zone, newest first, the last 30 days with any), for the same filters. */
  days: z.array(ReconciliationDaySchema),
});
export type ReconciliationList = z.infer<typeof ReconciliationListSchema>;

export const HandleItemSchema = z.strictObject({ note: Text.trim().min(1, 'say what was done').max(2000) });

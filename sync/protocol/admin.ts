// Bodies and responses of the remaining contract endpoints (tills, lists, imports, redemptions, code blocks).
import { z } from 'zod';
import { VoucherCode, VoucherSchema } from '../../core/voucher';
import { TimeZoneName } from '../../core/local-time';
import { Text } from '../../core/text';
import { OutcomeSchema, RedemptionWinnerSchema } from './push';

/** `store`: where the till stands (free text, e.g. "Berlin Mitte"); the back office filters by it. */
export const TillCreateSchema = z.strictObject({ name: Text.min(1).max(255), time_zone: TimeZoneName.optional(), store: Text.trim().min(1).max(255).optional() });
export const TillCreatedSchema = z.object({ till_id: z.uuid(), token: z.string() });

export const VoucherListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(25),
  offset: z.coerce.number().int().min(0).default(0),
  campaign: Text.max(255).optional(),
  status: z.enum(['ACTIVE', 'REDEEMED', 'CANCELLED']).optional(),
  type: z.enum(['DISCOUNT_VOUCHER', 'GIFT_VOUCHER', 'LOYALTY_CARD']).optional(),
  /** Search: vouchers whose code starts with it, or whose label or campaign contains it (any case). */
  q: Text.trim().min(1).max(64).optional(),
});
export const VoucherListSchema = z.object({
  query: z.object({ limit: z.int(), offset: z.int() }),
  result: z.array(VoucherSchema),
  total: z.int(),
});

export const AsyncActionSchema = z.object({
  id: z.string(),
  type: z.literal('VOUCHERS_IMPORT'),
  status: z.enum(['IN_PROGRESS', 'DONE', 'FAILED']),
  progress: z.object({ processed: z.int(), total: z.int() }).optional(),
  result: z.object({
    imported: z.int(),
    failed: z.int(),
    errors: z.array(z.object({ index: z.int(), code: z.string().optional(), detail: z.string() })),
  }),
});
export type AsyncAction = z.infer<typeof AsyncActionSchema>;

export const RedemptionKindSchema = z.enum(['REDEMPTION', 'LOYALTY_EARN', 'LOYALTY_SPEND']);

export const RedemptionSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  till_id: z.string().nullable(),
  ticket_id: z.string().nullable(),
  /** REDEMPTION (a voucher's use or a gift card's debit), or a loyalty card's LOYALTY_EARN / LOYALTY_SPEND. */
  kind: RedemptionKindSchema,
  /** Money: the discount, the gift debit, or what the points spent paid (0 for an earn). */
  amount: z.int(),
  /** A loyalty op's points; null for a REDEMPTION. */
  points: z.int().nullable(),
  outcome: OutcomeSchema,
  reason: z.string().nullable(),
  status: z.enum(['ACTIVE', 'ROLLED_BACK']),
  overdraft: z.boolean(),
  winner: RedemptionWinnerSchema.nullable(),
  occurred_at: z.string(),
  created_at: z.string(),
  /** When and by whom it was rolled back: 'admin' or the till's id (null before that was recorded). */
  rolled_back_at: z.string().nullable().optional(),
  rolled_back_by: z.string().nullable().optional(),
});
export type Redemption = z.infer<typeof RedemptionSchema>;

export const RedemptionListQuerySchema = z.strictObject({
  code: Text.max(64).optional(),
  till_id: Text.max(64).optional(),
  outcome: OutcomeSchema.optional(),
  kind: RedemptionKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CodeBlockRequestSchema = z.strictObject({ size: z.int().min(1).max(1000) });
export const CodeBlockSchema = z.object({ codes: z.array(VoucherCode) });

/** GET /v1/tills (back office): each device with what HQ knows of its health. */
export const TillSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  store: z.string().nullable(),
  time_zone: z.string(),
  created_at: z.string(),
  /** The last op number HQ applied from it. */
  last_seq: z.int(),
  /** When HQ last heard from it (accurate to a minute), or null if never. */
  last_seen_at: z.string().nullable(),
  /** Whether its live event stream is open (as HQ recorded it), and since when. */
  stream: z.object({ open: z.boolean(), since: z.string().nullable() }),
  /** Reconciliation items of this till that nobody has handled yet. */
  open_items: z.int(),
  /** A pairing code waiting to be used: until when (the code itself is shown only when issued). */
  pairing_expires_at: z.string().nullable(),
  /** Revoked: its token no longer signs in; a pairing code brings it back. */
  revoked: z.boolean(),
});
export type TillSummary = z.infer<typeof TillSummarySchema>;

/** GET /v1/vouchers/{code}/ledger (back office): a gift card's money or a loyalty card's points, entry by entry, oldest first. */
export const LedgerEntrySchema = z.object({
  id: z.int(),
  at: z.string(),
  /** Gift: ISSUE, DEBIT, ROLLBACK, ADJUST, TOP_UP. Loyalty: OPEN, EARN, SPEND and their reversals. */
  kind: z.string(),
  /** Signed: money (minor units) for a gift card, points for a loyalty card. */
  change: z.int(),
  /** The balance after this entry (the running sum). */
  balance: z.int(),
  redemption_id: z.uuid().nullable(),
});
export const LedgerSchema = z.object({ unit: z.enum(['money', 'points']), entries: z.array(LedgerEntrySchema) });
export type Ledger = z.infer<typeof LedgerSchema>;

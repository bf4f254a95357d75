// Online redemption for other channels (contract v1 additions): integration API keys and
// POST /v1/redemptions with an Idempotency-Key.
import { z } from 'zod';
import { TicketSchema } from '../../core/ticket';
import { VoucherSchema } from '../../core/voucher';
import { Text } from '../../core/text';
import { OutcomeSchema } from './push';

export const ApiScopeSchema = z.enum(['redeem', 'read']);

export const ApiKeyCreateSchema = z.strictObject({
  name: Text.min(1).max(255),
  scopes: z.array(ApiScopeSchema).min(1).refine((s) => new Set(s).size === s.length, 'scopes must not repeat'),
});
export const ApiKeySchema = z.object({ id: z.uuid(), name: z.string(), scopes: z.array(ApiScopeSchema), created_at: z.string() });
/** The one answer that holds the key: HQ keeps only its hash. */
export const ApiKeyCreatedSchema = ApiKeySchema.extend({ key: z.string() });

/** Idempotency-Key: 1..255 printable ASCII characters (the caller's own key for one redemption). */
export const IdempotencyKeySchema = z.string().regex(/^[\x20-\x7e]{1,255}$/, '1 to 255 printable ASCII characters');

export const OnlineRedemptionRequestSchema = z.strictObject({
  code: Text.max(64),
  ticket: TicketSchema,
  /** Where the redemption happens ("web-shop", "kiosk", …), kept for the back office. */
  channel: Text.min(1).max(64).optional(),
});

export const OnlineRedemptionSchema = z.object({
  /** The redemption's id: the one POST /v1/redemptions/{id}/rollback takes (a REJECTED answer redeemed nothing: it has no redemption to roll back). */
  id: z.uuid(),
  code: z.string(),
  outcome: OutcomeSchema,
  /** A validation reason (REJECTED) or a push reason (CONFLICT: quantity_exceeded, cancelled). */
  reason: z.string().optional(),
  discount_amount: z.int(),
  /** What a gift card, or a loyalty card's points, paid. */
  gift_amount: z.int(),
  /** A loyalty card: the points spent. */
  points: z.int().optional(),
  /** An ACCEPTED gift debit or points spend that took the balance below zero. */
  overdraft: z.boolean().optional(),
  /** The voucher as HQ has it after the redemption (absent for an unknown code). */
  voucher: VoucherSchema.optional(),
});
export type OnlineRedemption = z.infer<typeof OnlineRedemptionSchema>;

// POST /v1/validations — HQ runs the same core evaluation the till runs.
import { z } from 'zod';
import { TicketSchema } from '../../core/ticket';
import { TimeZoneName } from '../../core/local-time';
import { Text } from '../../core/text';

export const ValidationRequestSchema = z.strictObject({
  /** As scanned or typed: an ill-formed code is a result with reason invalid_code_format, not a 400. */
  codes: z.array(Text.max(64)).min(1).max(20),
  ticket: TicketSchema,
  /** Extension: the store's zone for date-only windows; defaults to the till's zone or HQ_TIME_ZONE. */
  time_zone: TimeZoneName.optional(),
  /** Extension: the loyalty card among `codes` pays with its points too (it always earns). */
  spend_points: z.boolean().optional(),
});

export const ValidationResultSchema = z.object({
  code: z.string(),
  valid: z.boolean(),
  reason: z.string().optional(),
  discount_amount: z.int(),
  /** What a gift card, or a loyalty card's points, pay (minor units). */
  gift_amount: z.int(),
  /** A loyalty card: the points its payment uses. */
  points: z.int().optional(),
  /** A loyalty card: the points this ticket earns it. */
  points_earned: z.int().optional(),
});

export const ValidationResponseSchema = z.object({
  valid: z.boolean(),
  results: z.array(ValidationResultSchema),
  total_discount: z.int(),
  amount_due: z.int(),
});
export type ValidationResponse = z.infer<typeof ValidationResponseSchema>;

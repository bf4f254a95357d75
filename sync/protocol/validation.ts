// POST /v1/validations — HQ runs the same core evaluation the till runs.
import { z } from 'zod';
import { TicketSchema } from '../../core/ticket';

export const ValidationRequestSchema = z.strictObject({
  codes: z.array(z.string().max(64)).min(1).max(20),
  ticket: TicketSchema,
  /** Extension: the store's zone for date-only windows; defaults to the till's zone or HQ_TIME_ZONE. */
  time_zone: z.string().optional(),
});

export const ValidationResultSchema = z.object({
  code: z.string(),
  valid: z.boolean(),
  reason: z.string().optional(),
  discount_amount: z.int(),
  gift_amount: z.int(),
});

export const ValidationResponseSchema = z.object({
  valid: z.boolean(),
  results: z.array(ValidationResultSchema),
  total_discount: z.int(),
  amount_due: z.int(),
});
export type ValidationResponse = z.infer<typeof ValidationResponseSchema>;

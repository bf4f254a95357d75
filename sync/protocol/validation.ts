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

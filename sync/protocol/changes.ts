// GET /v1/sync/changes — a checkpointed, commit-ordered page of what the till replicates.
import { z } from 'zod';
import { VoucherCode, VoucherSchema } from '../../core/voucher';
import { CustomerSchema, ProductSchema } from './catalog';
import { LoyaltyProgramSchema } from '../../core/loyalty';

/**
 * Checkpoints are opaque to the till: it stores the last one and sends it back. At most 15 digits, so
 * HQ reads one as an exact number (Number.MAX_SAFE_INTEGER has 16).
 */
export const CheckpointSchema = z.string().regex(/^\d{1,15}$/, 'a checkpoint from a previous response');

export const ChangesQuerySchema = z.strictObject({
  checkpoint: CheckpointSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const ChangesResponseSchema = z.object({
  vouchers: z.array(VoucherSchema),
  deleted: z.array(VoucherCode).describe('codes of vouchers deleted since the checkpoint (tombstones)'),
  products: z.array(ProductSchema),
  deleted_products: z.array(z.string()),
  customers: z.array(CustomerSchema),
  deleted_customers: z.array(z.string()),
  /** Loyalty programs changed since the checkpoint (a till values its cards' points with them; never deleted). */
  loyalty_programs: z.array(LoyaltyProgramSchema).optional(),
  checkpoint: CheckpointSchema,
  has_more: z.boolean(),
  /** The highest op seq of this till that HQ has applied: local changes above it are not yet in this data. */
  last_seq: z.int().min(0),
  /** Extension: roughly the newest checkpoint there is, so a till can show progress of a long initial load. */
  latest_checkpoint: CheckpointSchema.optional(),
});
export type ChangesResponse = z.infer<typeof ChangesResponseSchema>;

/**
 * GET /v1/sync/stream, event `page` (contract, "Fleet-scale sync"): a page of the change feed sent on
 * the stream, so an up-to-date till need not ask for it. The same JSON as a changes page, read once
 * and sent to every till of an HQ process alike, hence two differences: `since`, the checkpoint the
 * page starts after (a till applies it only if its own checkpoint lies in [since, checkpoint)), and no
 * `last_seq` (that is each till's own; sync/replica/apply-pull.ts, applyStreamPage, says why a till needs none). With
 * `has_more`, the next page follows on the stream.
 */
export const StreamPageSchema = ChangesResponseSchema.omit({ last_seq: true }).extend({ since: CheckpointSchema });
export type StreamPage = z.infer<typeof StreamPageSchema>;

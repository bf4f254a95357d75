// The catalog data a till replicates besides vouchers: products (looked up by barcode at the till)
// and customers (attached to tickets for customer-bound vouchers).
import { z } from 'zod';
import { CurrencySchema, EntityId, MinorUnits } from '../../core/voucher';
import { Text } from '../../core/text';

export const ProductSchema = z.strictObject({
  id: EntityId,
  /** GTIN normalised to 14 digits (core/scan/gtin.ts toGtin14), so EAN-13 and UPC-A scans both match. */
  barcode: Text.regex(/^\d{14}$/).nullable(),
  name: Text.min(1).max(255),
  unit_price: MinorUnits,
  tax_rate: z.number().min(0).max(100),
  currency: CurrencySchema,
  active: z.boolean(),
});
export type Product = z.infer<typeof ProductSchema>;

export const CustomerSchema = z.strictObject({
  id: EntityId,
  name: Text.min(1).max(255),
  /** What the customer's loyalty card scans as, if any. */
  card_code: Text.max(64).nullable(),
});
export type Customer = z.infer<typeof CustomerSchema>;

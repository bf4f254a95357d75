// Extension of the contract: the back office maintains the catalog tills replicate.
// PUT creates or replaces; DELETE leaves a tombstone in the change feed.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toGtin14 } from '../../core/scan/gtin';
import { CurrencyInput, EntityId, MinorUnits, Percent } from '../../core/voucher';
import { Text } from '../../core/text';
import { CustomerSchema, ProblemSchema, ProductSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { deleteCatalogRow, upsertCustomers, upsertProducts } from '../catalog-store';
import { HqError } from '../hq-error';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const IdParams = z.strictObject({ id: EntityId });

/** Any GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) with a valid check digit, stored as its 14-digit form. */
const BarcodeInput = Text.max(64).transform((value, ctx) => {
  const gtin = toGtin14(value.trim());
  if (gtin === null) {
    ctx.issues.push({ code: 'custom', message: 'a GTIN (EAN-8, UPC-A, EAN-13 or GTIN-14) with a valid check digit', input: value });
    return z.NEVER;
  }
  return gtin;
});

export const ProductInputSchema = z.strictObject({
  barcode: BarcodeInput.nullish(),
  name: Text.min(1).max(255),
  unit_price: MinorUnits,
  tax_rate: Percent.default(0),
  currency: CurrencyInput,
  active: z.boolean().default(true),
});
export const CustomerInputSchema = z.strictObject({ name: Text.min(1).max(255), card_code: Text.max(64).nullish() });

export const catalogRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const admin = { allow: ['admin'] } as const;
    const announce = (cp: number | false) => cp && ctx.bus.announce(cp);

    app.put('/v1/products/:id', { config: admin, schema: { params: IdParams, body: ProductInputSchema, response: { 200: ProductSchema, ...errors } } }, async (request) => {
      const product = { id: request.params.id, ...request.body, barcode: request.body.barcode ?? null };
      announce(await ctx.db.transaction((tx) => upsertProducts(tx, [product])));
      return product;
    });
    app.put('/v1/customers/:id', { config: admin, schema: { params: IdParams, body: CustomerInputSchema, response: { 200: CustomerSchema, ...errors } } }, async (request) => {
      const customer = { id: request.params.id, name: request.body.name, card_code: request.body.card_code ?? null };
      announce(await ctx.db.transaction((tx) => upsertCustomers(tx, [customer])));
      return customer;
    });
    for (const kind of ['product', 'customer'] as const) {
      app.delete(`/v1/${kind}s/:id`, { config: admin, schema: { params: IdParams } }, async (request, reply) => {
        const cp = await deleteCatalogRow(ctx.db, kind, request.params.id);
        if (cp === false) throw new HqError(404, 'not_found', `No ${kind} ${request.params.id}.`);
        announce(cp);
        return reply.code(204).send();
      });
    }
  };

// Voucher assets (contract v1 additions; hq/voucher-assets.ts): the images and the printable page behind
// signed, expiring links. No token: the signature is the permission.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normaliseCode } from '../../core/code';
import { discountProducts } from '../../core/discount';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING } from '../../core/validation-context';
import { Text } from '../../core/text';
import { ProblemSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { HqError } from '../hq-error';
import { getVoucher } from '../voucher-store';
import { ASSET_KINDS, codeImage, printPage } from '../voucher-assets';
import { rowsOf } from '../db/connect';
import { sql } from 'drizzle-orm';

const errors = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const assetRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/v1/assets/:code/:kind',
      {
        schema: {
          security: [],
          params: z.strictObject({ code: Text.max(64), kind: z.enum(ASSET_KINDS) }),
          querystring: z.strictObject({ exp: z.string().regex(/^\d{1,12}$/), sig: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/), format: z.enum(['svg', 'png']).default('svg') }),
          response: { 200: z.unknown().describe('an SVG or PNG image, or an HTML page'), ...errors },
        },
      },
      async (request, reply) => {
        const { kind } = request.params;
        const code = normaliseCode(request.params.code);
        const { exp, sig, format } = request.query;
        const verdict = ctx.assets.signer.check(kind, code, exp, sig, Date.now());
        if (verdict === 'invalid') throw new HqError(403, 'asset_link_invalid', 'This link is not one HQ signed (or it was changed).');
        if (verdict === 'expired') throw new HqError(403, 'asset_link_expired', 'This link has expired; ask for the voucher again for a new one.');
        const voucher = await getVoucher(ctx.db, code);
        if (!voucher) throw new HqError(404, 'not_found', `No voucher with code ${code}.`);
        // Signed links may be embedded anywhere; an answer may be cached for an hour (a print page shows a
        // gift card's balance as it was then).
        reply.header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff');
        if (kind !== 'print') {
          const image = await codeImage(kind, code, format);
          return reply.type(image.type).send(image.body);
        }
        const ids = [...(voucher.product_id === null ? [] : [voucher.product_id]), ...((voucher.discount && discountProducts(voucher.discount)) ?? [])];
        const names = new Map(
          ids.length ? rowsOf<{ id: string; name: string }>(await ctx.db.execute(sql`SELECT id, name FROM products WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`)).map((p) => [p.id, p.name]) : [],
        );
        const html = await printPage(voucher, {
          locale: 'en-GB', currency: voucher.currency, timeZone: ctx.defaultTimeZone, offlinePolicy: DEFAULT_OFFLINE_POLICY, stacking: DEFAULT_STACKING,
          productName: (id) => names.get(id),
        });
        // The page runs nothing and loads nothing but its inline images.
        return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'").send(html);
      },
    );
  };

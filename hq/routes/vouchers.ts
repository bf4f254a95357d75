import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normaliseCode } from '../../core/code';
import { PositiveMinorUnits, VoucherCreateInputSchema, VoucherSchema, VoucherUpdateInputSchema, type Voucher } from '../../core/voucher';
import { Text } from '../../core/text';
import { AsyncActionSchema, LedgerSchema, ProblemSchema, VoucherListQuerySchema, VoucherListSchema } from '../../sync/protocol';
import { voucherLedger } from '../ledger-store';
import type { HqContext } from '../context';
import { HqError } from '../hq-error';
import { cancelVoucher, createVoucher, deleteVoucher, getVoucher, listVouchers, topUpGiftCard, updateVoucher } from '../voucher-store';
import { getAsyncAction, startImport } from '../voucher-import';

// A code in the path is looked up as normalised: one that cannot be a code is simply not found (404).
const CodeParams = z.strictObject({ code: Text.max(64) });
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

export const voucherRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const announce = (cp: number) => ctx.bus.announce(cp);
    const admin = { allow: ['admin'] } as const;
    // For the audit log: the voucher as it was before a change to it.
    const changesVoucher = { ...admin, auditBefore: (r: FastifyRequest) => getVoucher(ctx.db, normaliseCode((r.params as { code: string }).code)) };

    // Every voucher these routes answer with carries its asset links (hq/voucher-assets.ts), signed now.
    const base = (request: FastifyRequest) => ctx.assets.publicUrl ?? `${request.protocol}://${request.host}`;
    const withAssets = (v: Voucher, at: string, now: number): Voucher => ({ ...v, assets: ctx.assets.signer.links(at, v.code, now) });
    app.addHook('preSerialization', async (request, reply, payload: unknown) => {
      if (reply.statusCode >= 300 || !payload || typeof payload !== 'object') return payload;
      const now = Date.now();
      if ('result' in payload && Array.isArray(payload.result)) return { ...payload, result: (payload.result as Voucher[]).map((v) => withAssets(v, base(request), now)) };
      if ('code' in payload && 'redemption' in payload) return withAssets(payload as Voucher, base(request), now);
      return payload;
    });

    app.get('/v1/vouchers', { config: admin, schema: { querystring: VoucherListQuerySchema, response: { 200: VoucherListSchema, ...errors } } }, async (request) => {
      const q = request.query;
      const { result, total } = await listVouchers(ctx.db, q);
      return { query: { limit: q.limit, offset: q.offset }, result, total };
    });

    app.post('/v1/vouchers', { config: admin, schema: { body: VoucherCreateInputSchema, response: { 201: VoucherSchema, ...errors } } }, async (request, reply) => {
      reply.code(201);
      return createVoucher(ctx.db, request.body, announce);
    });

    app.get('/v1/vouchers/:code', { config: { allow: ['admin', 'till', 'integration'], scope: 'read' }, schema: { params: CodeParams, response: { 200: VoucherSchema, ...errors } } }, async (request) => {
      const code = normaliseCode(request.params.code);
      const voucher = await getVoucher(ctx.db, code);
      if (!voucher) throw new HqError(404, 'not_found', `No voucher with code ${code}.`);
      return voucher;
    });

    // A card's ledger (gift money or loyalty points) with running balances; 404 for a discount voucher.
    app.get('/v1/vouchers/:code/ledger', { config: admin, schema: { params: CodeParams, response: { 200: LedgerSchema, ...errors } } }, async (request) => {
      const code = normaliseCode(request.params.code);
      const voucher = await getVoucher(ctx.db, code);
      const ledger = voucher && (await voucherLedger(ctx.db, code, voucher.type));
      if (!ledger) throw new HqError(404, 'not_found', voucher ? `${code} is a discount voucher: it has no ledger.` : `No voucher with code ${code}.`);
      return ledger;
    });

    app.put('/v1/vouchers/:code', { config: changesVoucher, schema: { params: CodeParams, body: VoucherUpdateInputSchema, response: { 200: VoucherSchema, ...errors } } }, async (request) =>
      updateVoucher(ctx.db, normaliseCode(request.params.code), request.body, announce),
    );

    app.delete('/v1/vouchers/:code', { config: changesVoucher, schema: { params: CodeParams } }, async (request, reply) => {
      await deleteVoucher(ctx.db, normaliseCode(request.params.code), announce);
      return reply.code(204).send();
    });

    app.post('/v1/vouchers/:code/cancel', { config: changesVoucher, schema: { params: CodeParams, response: { 200: VoucherSchema, ...errors } } }, async (request) =>
      cancelVoucher(ctx.db, normaliseCode(request.params.code), announce),
    );

    // Store credit: a gift card's amount and balance both grow (contract "v1 additions").
    app.post(
      '/v1/vouchers/:code/top-up',
      { config: changesVoucher, schema: { params: CodeParams, body: z.strictObject({ amount: PositiveMinorUnits }), response: { 200: VoucherSchema, ...errors } } },
      async (request) => topUpGiftCard(ctx.db, normaliseCode(request.params.code), request.body.amount, announce),
    );

    // A code against an offer (campaign): the body is a voucher input without code or campaign.
    app.post(
      '/v1/offers/:offer/vouchers',
      {
        config: admin,
        schema: {
          params: z.strictObject({ offer: Text.min(1).max(255) }),
          body: z.preprocess((body) => {
            // client_user_id is the offer endpoint's own field: lift it out before the strict voucher input sees it.
            if (body && typeof body === 'object' && 'client_user_id' in body) {
              const { client_user_id, ...rest } = body as Record<string, unknown>;
              return { ...rest, metadata: { ...((rest.metadata as object) ?? {}), client_user_id } };
            }
            return body;
          }, VoucherCreateInputSchema),
          response: { 201: VoucherSchema, ...errors },
        },
      },
      async (request, reply) => {
        if (request.body.code) throw new HqError(400, 'invalid_request', 'A voucher created against an offer gets a generated code.', [{ path: 'body.code', message: 'not allowed here' }]);
        if (request.body.campaign && request.body.campaign !== request.params.offer) {
          throw new HqError(400, 'invalid_request', 'The campaign is the offer in the path.', [{ path: 'body.campaign', message: 'must equal the offer' }]);
        }
        reply.code(201);
        return createVoucher(ctx.db, request.body, announce, request.params.offer);
      },
    );

    app.post(
      '/v1/vouchers/import',
      {
        config: admin,
        bodyLimit: 128 * 1024 * 1024,
        schema: { body: z.array(z.unknown()).min(1).max(1_000_000), response: { 202: z.object({ async_action_id: z.string() }), ...errors } },
      },
      async (request, reply) => {
        reply.code(202);
        return { async_action_id: await startImport(ctx, request.body, request.log) };
      },
    );

    app.get('/v1/async-actions/:id', { config: admin, schema: { params: z.strictObject({ id: Text.max(64) }), response: { 200: AsyncActionSchema, ...errors } } }, async (request) => {
      const action = await getAsyncAction(ctx.db, request.params.id);
      if (!action) throw new HqError(404, 'not_found', `No async action ${request.params.id}.`);
      return action;
    });
  };

import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluateTicket } from '../../core/evaluate-ticket';
import { programsById } from '../loyalty-program-store';
import { normaliseCode } from '../../core/code';
import {
  IdempotencyKeySchema, OnlineRedemptionRequestSchema, OnlineRedemptionSchema, ProblemSchema, RedemptionListQuerySchema, RedemptionSchema, ValidationRequestSchema, ValidationResponseSchema,
} from '../../sync/protocol';
import { redeemOnline } from '../online-redemption';
import { backOfficeChannel } from '../api-key-store';
import type { HqContext } from '../context';
import { listRedemptions, rollbackOne, type RollbackActor } from '../redemption-store';
import { getVouchers } from '../voucher-store';
import { HqError } from '../hq-error';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };


export const redemptionRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    // The same evaluation the till runs offline, here with HQ's authoritative data.
    app.post('/v1/validations', { config: { allow: ['admin', 'till', 'integration'], scope: 'read', role: 'viewer', audit: false }, schema: { body: ValidationRequestSchema, response: { 200: ValidationResponseSchema, ...errors } } }, async (request) => {
      const { codes, ticket } = request.body;
      // Every zone here was checked where it came in (TimeZoneName): the body's by the schema, the till's
      // when it was registered, HQ's at start.
      const p = request.principal;
      const timeZone = request.body.time_zone ?? (p?.kind === 'till' || p?.kind === 'integration' ? p.timeZone : ctx.defaultTimeZone);
      const normalised = codes.map(normaliseCode);
      const found = await getVouchers(ctx.db, normalised);
      const loyaltyPrograms = await programsById(ctx.db, [...found.values()].flatMap((v) => (v.type === 'LOYALTY_CARD' ? [v.campaign] : [])));
      const spend = request.body.spend_points === true;
      const evaluation = evaluateTicket(ticket, normalised.map((code) => ({ code, voucher: found.get(code), spend_points: spend })), { now: Date.now(), timeZone, online: true, loyaltyPrograms });
      const results = evaluation.results.map((r) => ({
        code: r.code, valid: r.valid, ...(r.valid ? {} : { reason: r.reason }), discount_amount: r.discount_amount, gift_amount: r.gift_amount,
        ...(r.valid && r.type === 'LOYALTY_CARD' ? { points: r.points_spent, points_earned: r.points_earned } : {}),
      }));
      return { valid: results.every((r) => r.valid), results, total_discount: evaluation.total_discount, amount_due: evaluation.amount_due };
    });

    // Another channel redeems (contract v1 additions; hq/online-redemption.ts says how it stays once).
    app.post(
      '/v1/redemptions',
      {
        config: { allow: ['admin', 'integration'], scope: 'redeem' },
        schema: {
          headers: z.looseObject({ 'idempotency-key': IdempotencyKeySchema.optional() }),
          body: OnlineRedemptionRequestSchema,
          response: { 200: OnlineRedemptionSchema, 201: OnlineRedemptionSchema, 422: ProblemSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (key === undefined) throw new HqError(400, 'idempotency_key_required', 'Send an Idempotency-Key header (1 to 255 printable ASCII characters) so a retry cannot redeem twice.');
        const principal = request.principal!;
        const channel =
          principal.kind === 'integration'
            ? { principal: principal.keyId, tillId: principal.tillId, timeZone: principal.timeZone, canRead: principal.scopes.includes('read') }
            : { principal: 'admin', tillId: await backOfficeChannel(ctx.db, ctx.defaultTimeZone), timeZone: ctx.defaultTimeZone, canRead: true };
        const answer = await redeemOnline(ctx.db, { maxGiftIssue: ctx.maxGiftIssue }, channel, key, request.body, (cp) => ctx.bus.announce(cp));
        if (answer.replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(answer.replayed ? 200 : 201).type('application/json; charset=utf-8').send(answer.json as never);
      },
    );

    app.post(
      '/v1/redemptions/:id/rollback',
      { config: { allow: ['admin', 'till', 'integration'], scope: 'redeem' }, schema: { params: z.strictObject({ id: z.uuid() }), response: { 200: z.object({ id: z.uuid(), status: z.literal('ROLLED_BACK') }), ...errors } } },
      async (request) => {
        // The admin may undo any till's redemption; a till only its own (403 not_own_redemption,
        // whatever the other till's redemption's status, so a till learns only that the id is not its own).
        const principal = request.principal!;
        // A key undoes only its own channel's redemptions, as a till does.
        const by: RollbackActor = principal.kind === 'admin' ? { kind: 'admin' } : { kind: 'till', tillId: principal.tillId };
        const { outcome, cp } = await rollbackOne(ctx.db, request.params.id, by);
        if (!outcome.ok) {
          if (outcome.reason === 'not_found') throw new HqError(404, 'not_found', `No redemption ${request.params.id}.`);
          if (outcome.reason === 'not_own_redemption') throw new HqError(403, 'not_own_redemption', `Redemption ${request.params.id} was made at another till; a till may roll back only its own.`);
          throw new HqError(409, 'already_rolled_back', `Redemption ${request.params.id} was already rolled back.`);
        }
        request.log.info({ redemption: request.params.id, code: outcome.code, rolled_back_by: by.kind === 'till' ? by.tillId : 'admin' }, 'redemption rolled back');
        if (cp) ctx.bus.announce(cp);
        return { id: request.params.id, status: 'ROLLED_BACK' as const };
      },
    );

    app.get(
      '/v1/redemptions',
      { config: { allow: ['admin'] }, schema: { querystring: RedemptionListQuerySchema, response: { 200: z.object({ result: z.array(RedemptionSchema), total: z.int() }), ...errors } } },
      async (request) => listRedemptions(ctx.db, request.query),
    );
  };

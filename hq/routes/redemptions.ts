import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluateTicket } from '../../core/evaluate-ticket';
import { programsById } from '../loyalty-program-store';
import { normaliseCode } from '../../core/code';
import { ProblemSchema, RedemptionListQuerySchema, RedemptionSchema, ValidationRequestSchema, ValidationResponseSchema } from '../../sync/protocol';
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
    app.post('/v1/validations', { config: { allow: ['admin', 'till'] }, schema: { body: ValidationRequestSchema, response: { 200: ValidationResponseSchema, ...errors } } }, async (request) => {
      const { codes, ticket } = request.body;
      // Every zone here was checked where it came in (TimeZoneName): the body's by the schema, the till's
      // when it was registered, HQ's at start.
      const timeZone = request.body.time_zone ?? (request.principal?.kind === 'till' ? request.principal.timeZone : ctx.defaultTimeZone);
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

    app.post(
      '/v1/redemptions/:id/rollback',
      { config: { allow: ['admin', 'till'] }, schema: { params: z.strictObject({ id: z.uuid() }), response: { 200: z.object({ id: z.uuid(), status: z.literal('ROLLED_BACK') }), ...errors } } },
      async (request) => {
        // The admin may undo any till's redemption; a till only its own (403 not_own_redemption,
        // whatever the other till's redemption's status, so a till learns only that the id is not its own).
        const principal = request.principal!;
        const by: RollbackActor = principal.kind === 'till' ? { kind: 'till', tillId: principal.tillId } : { kind: 'admin' };
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

// Loyalty programs (contract v1 additions): the admin defines what points earn and are worth; tills get
// the programs in the change feed.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EntityId } from '../../core/voucher';
import { LoyaltyProgramInputSchema, LoyaltyProgramSchema } from '../../core/loyalty';
import { ProblemSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { HqError } from '../hq-error';
import { createProgram, getProgram, listPrograms, updateProgram } from '../loyalty-program-store';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const IdParams = z.strictObject({ id: EntityId });

export const loyaltyRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const admin = { allow: ['admin'] } as const;
    const announce = (cp: number) => ctx.bus.announce(cp);

    app.post('/v1/loyalty-programs', { config: admin, schema: { body: LoyaltyProgramInputSchema, response: { 201: LoyaltyProgramSchema, ...errors } } }, async (request, reply) => {
      reply.code(201);
      return createProgram(ctx.db, request.body, announce);
    });
    app.get('/v1/loyalty-programs', { config: admin, schema: { response: { 200: z.object({ result: z.array(LoyaltyProgramSchema) }), ...errors } } }, async () => ({
      result: await listPrograms(ctx.db),
    }));
    app.get('/v1/loyalty-programs/:id', { config: admin, schema: { params: IdParams, response: { 200: LoyaltyProgramSchema, ...errors } } }, async (request) => {
      const program = await getProgram(ctx.db, request.params.id);
      if (!program) throw new HqError(404, 'not_found', `No loyalty program ${request.params.id}.`);
      return program;
    });
    app.put(
      '/v1/loyalty-programs/:id',
      { config: { ...admin, auditBefore: (r) => getProgram(ctx.db, (r.params as { id: string }).id) }, schema: { params: IdParams, body: LoyaltyProgramInputSchema.omit({ id: true }), response: { 200: LoyaltyProgramSchema, ...errors } } },
      async (request) => updateProgram(ctx.db, request.params.id, request.body, announce),
    );
  };

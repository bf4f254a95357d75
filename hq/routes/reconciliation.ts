// Reconciliation for people at head office (issue 15): the items that need someone, per day, and the
// "handled" mark with a note. Reading is for every role; marking for managers and admins. Each mark is
// in the audit log (hq/people/audit.ts) with the item before and after.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HandleItemSchema, ProblemSchema, ReconciliationItemSchema, ReconciliationListSchema, ReconciliationQuerySchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { actorOf } from '../people/audit';
import { getReconciliationItem, listReconciliation, markHandled, reopen } from '../reconciliation-store';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const OpParams = z.strictObject({ op_id: z.uuid() });

export const reconciliationRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const admin = { allow: ['admin'] } as const;
    const withBefore = { ...admin, auditBefore: (r: { params: unknown }) => getReconciliationItem(ctx.db, (r.params as { op_id: string }).op_id) };

    app.get('/v1/reconciliation', { config: admin, schema: { querystring: ReconciliationQuerySchema, response: { 200: ReconciliationListSchema, ...errors } } }, async (request) =>
      listReconciliation(ctx.db, request.query, ctx.defaultTimeZone),
    );
    app.put(
      '/v1/reconciliation/:op_id/handled',
      { config: withBefore, schema: { params: OpParams, body: HandleItemSchema, response: { 200: ReconciliationItemSchema, ...errors } } },
      async (request) => markHandled(ctx.db, request.params.op_id, actorOf(request.principal)!.label, request.body.note),
    );
    // Open it again (204, as every DELETE); the audit log keeps the mark that was removed.
    app.delete('/v1/reconciliation/:op_id/handled', { config: withBefore, schema: { params: OpParams } }, async (request, reply) => {
      await reopen(ctx.db, request.params.op_id);
      return reply.code(204).send();
    });
  };

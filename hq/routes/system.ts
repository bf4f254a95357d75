import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'drizzle-orm';
import type { HqContext } from '../context';
import { sendProblem } from '../problem';

export const systemRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
      try {
        await ctx.db.execute(sql`SELECT 1`);
        return { status: 'ok', database: ctx.dbKind };
      } catch {
        return sendProblem(reply, 503, 'database_unavailable', 'HQ is up but its database does not answer.');
      }
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };

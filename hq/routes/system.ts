import type { FastifyPluginAsync } from 'fastify';
import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ProblemSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { PROBLEM_TYPE, sendProblem, TITLES } from '../problem';

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

// Fastify parses a body on these methods whether or not the route declares one (hq/server.ts).
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const HEADERS: Record<number, Record<string, { type: 'string' | 'integer'; description: string }>> = {
  401: { 'www-authenticate': { type: 'string', description: 'Bearer' } },
  405: { allow: { type: 'string', description: 'The methods the path takes.' } },
  429: { 'retry-after': { type: 'integer', description: 'Seconds to wait before trying again.' } },
};

/**
 * The OpenAPI document says what HQ answers, in one place rather than in every route: a route's own
 * statuses plus those HQ's edge adds wherever they can happen — 401, 403 and 429 on every route that
 * takes a token (the onRequest hook in server.ts), 400, 413 and 415 wherever a body can be sent, 400
 * wherever path, query or body are validated, 404 wherever the path names something that may not
 * exist, 503 everywhere (any request that arrives while HQ closes: `shutting_down`, server.ts) —
 * every error as application/problem+json (what sendProblem sends), and a DELETE's 204 without a body.
 */
export const openApiTransform: SwaggerTransform = (document) => {
  const { schema, route } = document;
  if (!schema || (schema as { hide?: boolean }).hide) return jsonSchemaTransform(document as Parameters<typeof jsonSchemaTransform>[0]);
  const methods: string[] = [route.method].flat();
  const edge: number[] = [503];
  if (route.config?.allow) edge.push(401, 403, 429);
  if (methods.some((m) => BODY_METHODS.has(m))) edge.push(400, 413, 415);
  if (schema.params || schema.querystring || schema.body) edge.push(400);
  if (schema.params) edge.push(404);

  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const response: Record<string, unknown> = {};
  if (methods.includes('DELETE') && !Object.keys(declared).some((s) => s.startsWith('2'))) response['204'] = z.null().describe('No Content');
  for (const status of [...Object.keys(declared).map(Number), ...edge].sort((a, b) => a - b)) {
    response[status] =
      status < 400 ? declared[status] : { description: `${TITLES[status] ?? 'Error'} (problem details)`, content: { [PROBLEM_TYPE]: { schema: ProblemSchema } } };
  }
  const transformed = jsonSchemaTransform({ ...document, schema: { ...schema, response } } as Parameters<typeof jsonSchemaTransform>[0]);
  const responses = transformed.schema.response as Record<string, { headers?: unknown }>;
  for (const [status, headers] of Object.entries(HEADERS)) if (responses[status]) responses[status].headers = headers;
  return transformed;
};

// Integration API keys (contract v1 additions): the admin creates one per channel with its scopes; the
// key is in the 201 answer only. A key never reaches an admin or till route (403).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeySchema, ProblemSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { HqError } from '../hq-error';
import { createApiKey, listApiKeys, revokeApiKey } from '../api-key-store';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const apiKeyRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    // Keys are people-level power (a key redeems like a till): admins only, never a manager.
    const admin = { allow: ['admin'], role: 'admin' } as const;
    app.post('/v1/api-keys', { config: admin, schema: { body: ApiKeyCreateSchema, response: { 201: ApiKeyCreatedSchema, ...errors } } }, async (request, reply) => {
      reply.code(201);
      return createApiKey(ctx.db, request.body, ctx.defaultTimeZone);
    });
    app.get('/v1/api-keys', { config: admin, schema: { response: { 200: z.object({ result: z.array(ApiKeySchema) }), ...errors } } }, async () => ({ result: await listApiKeys(ctx.db) }));
    app.delete('/v1/api-keys/:id', { config: admin, schema: { params: z.strictObject({ id: z.uuid() }) } }, async (request, reply) => {
      if (!(await revokeApiKey(ctx.db, request.params.id))) throw new HqError(404, 'not_found', `No API key ${request.params.id} in force.`);
      return reply.code(204).send();
    });
  };

// Builds the HQ Fastify app on an open database. main.ts adds listening, signals and start-up output;
// tests call buildServer directly (with inject or a real port).
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import cors from '@fastify/cors';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/connect';
import { createAuthGate } from './auth';
import { createChangeBus } from './changes';
import { errorHandler, sendProblem } from './problem';
import type { HqContext } from './context';
import { DEFAULT_MAX_GIFT_ISSUE } from './config';
import { systemRoutes } from './routes/system';
import { voucherRoutes } from './routes/vouchers';
import { tillRoutes } from './routes/tills';
import { syncRoutes } from './routes/sync';
import { redemptionRoutes } from './routes/redemptions';
import { catalogRoutes } from './routes/catalog';
import { pairingRoutes, type PairingLimits } from './routes/pairing';

export type ServerOptions = {
  database: Database;
  adminHash: string;
  defaultTimeZone?: string;
  logger?: boolean | object;
  bodyLimit?: number;
  /** Failed authentications a minute per presented token and per address (hq/auth.ts createAuthGate). */
  authFailureLimit?: number;
  /** Pairing-code exchanges a minute, per address and overall (hq/routes/pairing.ts). */
  pairingLimits?: PairingLimits;
  /**
   * Origins allowed to call HQ from a browser (the till UI served from another origin, Electron's
   * app://till). Tokens travel in the Authorization header, never in cookies, so no credentials mode.
   */
  corsOrigins?: string[] | '*';
  /** The largest gift card a till may issue (GIFT_ISSUE), minor units; default DEFAULT_MAX_GIFT_ISSUE. */
  maxGiftIssue?: number;
};

export async function buildServer(options: ServerOptions): Promise<{ app: FastifyInstance; ctx: HqContext }> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
    // The admin and till tokens must never reach a log file.
    ...(options.logger ? { logger: { ...(typeof options.logger === 'object' ? options.logger : {}), redact: ['req.headers.authorization'] } } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  // HQ speaks JSON only: anything else is 415, not a string handed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed code; serialise them as plain JSON (zod response schemas are for
  // the OpenAPI document, not re-validated on every sync page).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));

  const ctx: HqContext = {
    db: options.database.db,
    dbKind: options.database.kind,
    bus: createChangeBus(),
    adminHash: options.adminHash,
    defaultTimeZone: options.defaultTimeZone ?? 'UTC',
    maxGiftIssue: options.maxGiftIssue ?? DEFAULT_MAX_GIFT_ISSUE,
  };

  await app.register(cors, {
    origin: options.corsOrigins === undefined || options.corsOrigins === '*' ? '*' : options.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'accept'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'voucher-till HQ', version: '1.0.0', description: 'The central API tills sync with (contract v1).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const authenticate = createAuthGate(ctx.db, ctx.adminHash, { limit: options.authFailureLimit ?? 20 });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const allow = request.routeOptions.config.allow;
    if (!allow) return;
    const outcome = await authenticate(request.ip, request.headers.authorization);
    if ('refused' in outcome) {
      if (outcome.refused === 401) return sendProblem(reply.header('www-authenticate', 'Bearer'), 401, 'unauthorized', 'A valid bearer token is required.');
      const wait = outcome.retryAfter;
      return sendProblem(reply.header('retry-after', String(wait)), 429, 'too_many_auth_failures', `Too many failed authentications; try again in ${wait} s.`);
    }
    const { principal } = outcome;
    if (!allow.includes(principal.kind)) return sendProblem(reply, 403, 'forbidden', `This endpoint is not available to ${principal.kind === 'admin' ? 'the admin' : 'a till'} token.`);
    request.principal = principal;
  });

  await app.register(systemRoutes(ctx));
  await app.register(voucherRoutes(ctx));
  await app.register(tillRoutes(ctx));
  await app.register(syncRoutes(ctx));
  await app.register(redemptionRoutes(ctx));
  await app.register(catalogRoutes(ctx));
  await app.register(pairingRoutes(ctx, options.pairingLimits));
  return { app, ctx };
}

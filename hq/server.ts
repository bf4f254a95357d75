// Builds the HQ Fastify app on an open database. main.ts adds listening, signals and start-up output;
// tests call buildServer directly (with inject or a real port).
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/connect';
import { createAuthGate, type Principal } from './auth';
import { roleAllows, type Role } from '../sync/protocol';
import { csrfRefusal, SESSION_COOKIE, sessionPerson } from './people/sessions';
import { actorOf, recordAudit } from './people/audit';
import { peopleRoutes, type SignInLimits } from './routes/people';
import { reconciliationRoutes } from './routes/reconciliation';
import { consoleRoutes } from './routes/console';
import { createTillContacts } from './till-contacts';
import { createTillStreams } from './till-streams';
import { createChangeBus, type ChangeBus } from './change-bus';
import { memoryCounters, postgresCounters, type CounterStore } from './counters';
import { clientErrorHandler, errorHandler, frameworkErrorHandler, sendProblem } from './problem';
import { HqError } from './hq-error';
import type { HqContext } from './context';
import { DEFAULT_MAX_GIFT_ISSUE } from './config';
import { DEFAULT_PUSH_GROUP } from './push/pusher';
import { openApiTransform, systemRoutes } from './routes/system';
import { voucherRoutes } from './routes/vouchers';
import { tillRoutes } from './routes/tills';
import { syncRoutes } from './routes/sync';
import type { StreamHubOptions } from './change-stream';
import { redemptionRoutes } from './routes/redemptions';
import { catalogRoutes } from './routes/catalog';
import { loyaltyRoutes } from './routes/loyalty';
import { apiKeyRoutes } from './routes/api-keys';
import { assetRoutes } from './routes/assets';
import { assetSigner, resolveAssetSecret } from './voucher-assets';
import type { AssetOptions } from './config';
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
  /** Pushes one transaction may hold (hq/push/pusher.ts, group commit); 1: none grouped. Default 32. */
  pushGroup?: number;
  /** Announcements of new checkpoints; default in-process (main.ts passes createPgChangeBus on PostgreSQL). The caller closes it. */
  bus?: ChangeBus;
  /** Abuse counters; default: in PostgreSQL (shared by HQ processes) on PostgreSQL, in memory on PGlite. */
  counters?: CounterStore;
  /** Behind a load balancer: whose X-Forwarded-For gives request.ip (the address the counters count). */
  trustProxy?: true | string[];
  /** The change stream's limits (hq/change-stream.ts); the defaults suit production. */
  stream?: StreamHubOptions;
  /** Voucher asset links (hq/voucher-assets.ts): public base URL, secret, lifetime in days (default 30). */
  assets?: AssetOptions;
  /** The built back-office console served at /admin/ (default dist/backoffice; hq/routes/console.ts). */
  consoleDir?: string;
  /** Failed sign-ins allowed per window (hq/routes/people.ts). */
  signInLimits?: SignInLimits;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The least role a person needs for a route: its own `role`, else viewer to read and manager to change. */
export function neededRole(method: string, role: Role | undefined): Role {
  return role ?? (SAFE_METHODS.has(method) ? 'viewer' : 'manager');
}

/** JSON nested deeper than this is refused before parsing (no legitimate body comes close). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests objects and arrays deeper than `max` — one linear pass, brackets inside
 * strings ignored. Run before parsing so a hostile body cannot exhaust the stack of the parser, the
 * prototype-poisoning scan or a schema. Malformed text is left for the parser to refuse.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** `/v1/vouchers/:code` as a pattern for a concrete path (to tell 405 from 404). */
function routePattern(url: string): RegExp {
  const literal = url.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal.replace(/:[^/]+/g, '[^/]+')}$`);
}

/** A route as registered: who may call it, and the least role a person needs (tests check every one). */
export type RouteEntry = { method: string; url: string; allow: readonly string[] | undefined; role: Role | undefined };

export async function buildServer(options: ServerOptions): Promise<{ app: FastifyInstance; ctx: HqContext; routeTable: RouteEntry[] }> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    // Our own 503 below, as problem+json.
    return503OnClosing: false,
    // Path parameters far longer than any schema allows still reach the schema, which answers 400
    // with the field (the default, 100, gave a bare 414 for ids the OpenAPI allows); beyond this,
    // frameworkErrorHandler answers 400 too.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // The admin and till tokens must never reach a log file.
    ...(options.logger ? { logger: { ...(typeof options.logger === 'object' ? options.logger : {}), redact: ['req.headers.authorization'] } } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  // HQ speaks JSON only: anything else is 415, not a string handed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  // Fastify's JSON parser (with its __proto__/constructor protection), after a depth check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDeeperThan(body as string, MAX_JSON_DEPTH)) {
      return done(new HqError(400, 'invalid_json', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, [{ path: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]), undefined);
    }
    parseJson(request, body as string, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed code; serialise them as plain JSON (zod response schemas are for
  // the OpenAPI document, not re-validated on every sync page).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  // 405 (with Allow) for a path HQ serves with other methods, 404 for a path it does not serve.
  const routes: { pattern: RegExp; method: string }[] = [];
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return; // the CORS preflight route matches every path
    for (const method of [route.method].flat()) {
      routes.push({ pattern: routePattern(route.url), method });
      const config = route.config as { allow?: readonly string[]; role?: Role } | undefined;
      routeTable.push({ method, url: route.url, allow: config?.allow, role: config?.role });
    }
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length) return sendProblem(reply.header('allow', allowed.join(', ')), 405, 'method_not_allowed', `${path} does not take ${request.method}; it takes ${allowed.join(', ')}.`);
    return sendProblem(reply, 404, 'route_not_found', `No route ${request.method} ${path}.`);
  });
  // While HQ closes, new requests get 503 (a till retries later) instead of work that may be cut off.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // After the streams closed (preClose) and requests finished: the till contacts they recorded are written before the database closes.
  app.addHook('onClose', async () => ctx.contacts.flush());
  app.addHook('onRequest', async (request, reply) => {
    if (closing) return sendProblem(reply.header('connection', 'close'), 503, 'shutting_down', 'HQ is shutting down; try again shortly.');
  });

  const ctx: HqContext = {
    db: options.database.db,
    dbKind: options.database.kind,
    holdLock: options.database.holdLock,
    bus: options.bus ?? createChangeBus(),
    counters: options.counters ?? (options.database.kind === 'postgres' ? postgresCounters(options.database.db) : memoryCounters()),
    adminHash: options.adminHash,
    defaultTimeZone: options.defaultTimeZone ?? 'UTC',
    maxGiftIssue: options.maxGiftIssue ?? DEFAULT_MAX_GIFT_ISSUE,
    pushGroup: options.pushGroup ?? DEFAULT_PUSH_GROUP,
    tillStreams: createTillStreams(),
    contacts: createTillContacts(options.database.db, (error) => app.log.warn({ err: error }, 'till contact not recorded')),
    assets: {
      signer: assetSigner(await resolveAssetSecret(options.database.db, options.assets?.secret), options.assets?.ttlDays ?? 30),
      publicUrl: options.assets?.publicUrl,
    },
  };

  await app.register(cors, {
    origin: options.corsOrigins === undefined || options.corsOrigins === '*' ? '*' : options.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    // last-event-id: a till resuming its event stream (GET /v1/sync/stream) says what it knows.
    allowedHeaders: ['authorization', 'content-type', 'accept', 'last-event-id', 'idempotency-key'],
    exposedHeaders: ['retry-after', 'idempotent-replayed'],
    maxAge: 600,
    // A preflight without Origin or Access-Control-Request-Method is no browser's; answer it like
    // any other rather than with @fastify/cors's text/plain 400.
    strictPreflight: false,
  });
  // gzip or br as Accept-Encoding asks, for answers of 1 KiB or more (JSON lists, the OpenAPI
  // document). The change feed compresses its own pages once per page (hq/change-pages.ts); the event
  // stream is hijacked, which this never touches. Request bodies stay uncompressed: a compressed
  // push would be a new way past the body limit's intent, for no till sends one.
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'voucher-till HQ', version: '1.0.0', description: 'The central API tills sync with (contract v1).' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // People in the back office (POST /v1/session); changes also need HQ's own Origin (CSRF).
          session: { type: 'apiKey', in: 'cookie', name: 'vt_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: openApiTransform,
  });

  await app.register(cookie);
  const authenticate = createAuthGate(ctx.db, ctx.adminHash, { limit: options.authFailureLimit ?? 20, counters: ctx.counters });
  app.decorateRequest('principal', null);
  app.decorateRequest('auditBefore', null);
  // Who asks, and whether they may. A bearer token (admin, till, API key) is checked first; without
  // an Authorization header, a back-office session cookie (hq/people/sessions.ts) makes a person an
  // 'admin' principal limited by their role, and its changes must pass the same-origin check.
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const allow = config.allow;
    if (!allow) return;
    const sessionId = request.headers.authorization === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    let principal: Principal;
    if (sessionId !== undefined) {
      const person = await sessionPerson(ctx.db, sessionId);
      if (!person) return sendProblem(reply.clearCookie(SESSION_COOKIE, { path: '/' }), 401, 'unauthorized', 'Your session has ended; sign in again.');
      principal = { kind: 'admin', person };
    } else {
      const outcome = await authenticate(request.ip, request.headers.authorization);
      if ('refused' in outcome) {
        if (outcome.refused === 401) return sendProblem(reply.header('www-authenticate', 'Bearer'), 401, 'unauthorized', 'A valid bearer token is required.');
        const wait = outcome.retryAfter;
        return sendProblem(reply.header('retry-after', String(wait)), 429, 'too_many_auth_failures', `Too many failed authentications; try again in ${wait} s.`);
      }
      principal = outcome.principal;
    }
    const who = principal.kind === 'admin' ? (principal.person ? 'a back-office session' : 'the admin token') : principal.kind === 'till' ? 'a till token' : 'an API key';
    if (!allow.includes(principal.kind)) return sendProblem(reply, 403, 'forbidden', `This endpoint is not available to ${who}.`);
    if (principal.kind === 'admin' && principal.person) {
      const refusal = csrfRefusal(request, ctx.assets.publicUrl);
      if (refusal) return sendProblem(reply, 403, 'csrf_refused', refusal);
      const needed = neededRole(request.method, config.role);
      if (!roleAllows(principal.person.role, needed)) return sendProblem(reply, 403, 'forbidden', `This needs the ${needed} role; you are signed in as a ${principal.person.role}.`);
    }
    const scope = config.scope;
    if (principal.kind === 'integration' && (!scope || !principal.scopes.includes(scope))) {
      return sendProblem(reply, 403, 'forbidden', `This API key lacks the scope this endpoint needs${scope ? ` (${scope})` : ''}.`);
    }
    if (principal.kind === 'till') ctx.contacts.seen(principal.tillId);
    request.principal = principal;
  });
  // The audit log (hq/people/audit.ts): every successful change by a person, the admin token or a key.
  const audited = (request: FastifyRequest) => !SAFE_METHODS.has(request.method) && request.routeOptions.config.audit !== false && actorOf(request.principal) !== null;
  app.addHook('preHandler', async (request) => {
    const before = request.routeOptions.config.auditBefore;
    if (before && audited(request)) request.auditBefore = await before(request).catch(() => null);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // A replayed answer (Idempotency-Key) changed nothing this time.
    if (reply.statusCode >= 400 || !audited(request) || reply.getHeader('idempotent-replayed') !== undefined) return payload;
    const params = Object.values((request.params ?? {}) as Record<string, string>);
    let after: unknown = null;
    try {
      if (typeof payload === 'string' && payload.length > 0 && payload.length <= 256 * 1024) after = JSON.parse(payload);
    } catch {
      after = null; // not JSON: the entry is kept without it
    }
    try {
      await recordAudit(ctx.db, {
        actor: actorOf(request.principal)!,
        action: `${request.method} ${request.routeOptions.url}`,
        target: params.length ? params.join('/') : null,
        before: request.auditBefore,
        after,
      });
    } catch (error) {
      // The change itself is committed: answering an error now would tell the caller it was not.
      request.log.error({ err: error, action: request.routeOptions.url }, 'audit log entry not written');
    }
    return payload;
  });

  await app.register(systemRoutes(ctx));
  await app.register(voucherRoutes(ctx));
  await app.register(tillRoutes(ctx));
  await app.register(syncRoutes(ctx, options.stream));
  await app.register(redemptionRoutes(ctx));
  await app.register(catalogRoutes(ctx));
  await app.register(loyaltyRoutes(ctx));
  await app.register(apiKeyRoutes(ctx));
  await app.register(assetRoutes(ctx));
  await app.register(pairingRoutes(ctx, options.pairingLimits));
  await app.register(peopleRoutes(ctx, options.signInLimits));
  await app.register(reconciliationRoutes(ctx));
  await app.register(consoleRoutes(options.consoleDir, ctx.assets.publicUrl));
  return { app, ctx, routeTable };
}

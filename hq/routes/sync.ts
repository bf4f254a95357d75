import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import negotiate from '@fastify/accept-negotiator';
import { ChangesQuerySchema, ChangesResponseSchema, ProblemSchema, PushRequestSchema, PushResponseSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { COMPRESSED, createChangePages } from '../change-pages';
import { createStreamHub, type StreamHubOptions } from '../change-stream';
import { applyPush } from '../push/apply-push';
import { createPusher } from '../push/pusher';
import { HqError } from '../hq-error';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema };
/** `If-None-Match` against an ETag (weak comparison, as RFC 9110 wants for If-None-Match). */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** Adds to Vary rather than replacing what CORS put there (Origin). */
function varyOnEncoding(reply: FastifyReply) {
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
}

/**
 * A `Last-Event-ID` the stream can use: the checkpoint of the last event the till heard (or the one
 * it has pulled to — the same kind of number). Anything else is ignored, as if absent.
 */
function lastEventId(header: string | string[] | undefined): number | null {
  return typeof header === 'string' && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : null;
}

export const syncRoutes =
  (ctx: HqContext, streamOptions: StreamHubOptions = {}): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const pages = createChangePages(ctx.db, ctx.bus);
    const hub = createStreamHub(pages, ctx.bus, { log: app.log, ...streamOptions });
    const pushPath = { db: ctx.db, pusher: createPusher(ctx.db, { maxPushes: ctx.pushGroup }), policy: { maxGiftIssue: ctx.maxGiftIssue } };
    // preClose: open event streams would otherwise keep the server from closing.
    app.addHook('preClose', async () => hub.close());

    app.get(
      '/v1/sync/changes',
      // Till-only, like push and the stream: the feed is a till's replica (with its own last_seq); the
      // back office reads the admin endpoints. Compressed here, once per page (hq/change-pages.ts),
      // not by @fastify/compress per answer.
      {
        compress: false,
        config: { allow: ['till'] },
        schema: { querystring: ChangesQuerySchema, response: { 200: ChangesResponseSchema, 304: z.null().describe('Not Modified: If-None-Match names the bytes HQ would send (no body)'), ...errors } },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till reads the change feed.');
        const page = await pages.page(Number(request.query.checkpoint ?? 0), request.query.limit, principal);
        const accepted = negotiate(request.headers['accept-encoding'] ?? '', [...COMPRESSED]);
        let encoding = pages.encodingFor(page, accepted);
        // The browser's HTTP cache revalidates with If-None-Match: 304 without compressing anything.
        reply.header('cache-control', 'private, no-cache');
        varyOnEncoding(reply);
        if (noneMatch(request.headers['if-none-match'], pages.etag(page, principal.lastSeq, encoding))) {
          return reply.header('etag', pages.etag(page, principal.lastSeq, encoding)).code(304).send(undefined as never);
        }
        const answer = await pages.body(page, principal.lastSeq, encoding);
        encoding = answer.encoding;
        reply.header('etag', pages.etag(page, principal.lastSeq, encoding));
        if (encoding !== 'identity') reply.header('content-encoding', encoding);
        // JSON text already (see readChangePage): sent as is.
        return reply.type('application/json; charset=utf-8').send(answer.body as never);
      },
    );

    app.post(
      '/v1/sync/push',
      // Not compressed: a push answer goes to one till once, and compressing it cost HQ ~9 % of its push
      // throughput in bench:hq (the hot write path); the change feed is where bytes are shared.
      { config: { allow: ['till'] }, compress: false, bodyLimit: 4 * 1024 * 1024, schema: { body: PushRequestSchema, response: { 200: PushResponseSchema, ...errors } } },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till pushes ops.');
        // Already JSON text (see applyPush): sent as is.
        return reply.type('application/json; charset=utf-8').send((await applyPush(pushPath, principal.tillId, request.body, (cp) => ctx.bus.announce(cp))) as never);
      },
    );

    // Server-Sent Events (hq/change-stream.ts): `page` events carrying the changes, or a `changes`
    // event with the newest checkpoint (also its `id:`). A reconnecting till sends Last-Event-ID (the
    // checkpoint it knows): it hears the current checkpoint at once if that is newer, nothing if not.
    // Without it, the current checkpoint comes at once (the till compares it with its own).
    app.get('/v1/sync/stream', { config: { allow: ['till'] }, schema: { hide: true } }, (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      // Hijacked replies skip Fastify's header handling (and @fastify/compress): carry over what hooks
      // set (the CORS headers a browser till needs to read the stream at all).
      const carried = Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined)) as OutgoingHttpHeaders;
      res.writeHead(200, { ...carried, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const end = hub.open(res, lastEventId(request.headers['last-event-id']));
      const tillId = (request.principal as { tillId: string }).tillId;
      const openedAt = ctx.contacts.streamOpened(tillId);
      // Revoking the till ends the stream from this side; either way its close is recorded once.
      const forget = ctx.tillStreams.add(tillId, () => {
        end();
        res.destroy();
      });
      request.raw.once('close', () => {
        forget();
        end();
        ctx.contacts.streamClosed(tillId, openedAt);
      });
    });
  };

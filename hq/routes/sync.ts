import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ChangesQuerySchema, ChangesResponseSchema, ProblemSchema, PushRequestSchema, PushResponseSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { readChanges } from '../changes';
import { applyPush } from '../push';
import { HqError } from '../hq-error';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema };
const HEARTBEAT_MS = 15_000;

export const syncRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const streams = new Set<() => void>();
    // preClose: open event streams would otherwise keep the server from closing.
    app.addHook('preClose', async () => {
      for (const end of streams) end();
    });

    app.get(
      '/v1/sync/changes',
      // Till-only, like push and the stream: the feed is a till's replica (with its own last_seq); the
      // back office reads the admin endpoints.
      { config: { allow: ['till'] }, schema: { querystring: ChangesQuerySchema, response: { 200: ChangesResponseSchema, ...errors } } },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till reads the change feed.');
        // Already JSON text (see readChanges): sent as is.
        return reply.type('application/json; charset=utf-8').send((await readChanges(ctx.db, Number(request.query.checkpoint ?? 0), request.query.limit, principal.tillId)) as never);
      },
    );

    app.post(
      '/v1/sync/push',
      { config: { allow: ['till'] }, bodyLimit: 4 * 1024 * 1024, schema: { body: PushRequestSchema, response: { 200: PushResponseSchema, ...errors } } },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till pushes ops.');
        // Already JSON text (see applyPush): sent as is.
        return reply.type('application/json; charset=utf-8').send((await applyPush(ctx.db, principal.tillId, request.body, (cp) => ctx.bus.announce(cp), { maxGiftIssue: ctx.maxGiftIssue })) as never);
      },
    );

    // Server-Sent Events: a `changes` event with the newest checkpoint whenever replicated data changes.
    app.get('/v1/sync/stream', { config: { allow: ['till'] }, schema: { hide: true } }, (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      // Hijacked replies skip Fastify's header handling: carry over what hooks set (the CORS headers a
      // browser till needs to read the stream at all).
      const carried = Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined)) as OutgoingHttpHeaders;
      res.writeHead(200, { ...carried, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (checkpoint: number) => res.write(`event: changes\ndata: ${JSON.stringify({ checkpoint: String(checkpoint) })}\n\n`);
      res.write('retry: 2000\n\n');
      if (ctx.bus.latest) send(ctx.bus.latest);
      const unsubscribe = ctx.bus.subscribe(send);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
        res.end();
      };
      streams.add(end);
      request.raw.on('close', end);
    });
  };

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { generateCode } from '../../core/code';
import { z } from 'zod';
import { CodeBlockRequestSchema, CodeBlockSchema, ProblemSchema, TillCreatedSchema, TillCreateSchema, TillIdentitySchema, TillIdParams, TillSummarySchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { findTill, leaseCodes, listTills, registerTill, revokeTill } from '../till-store';
import { openItemsByTill } from '../reconciliation-store';
import { hashToken, newToken } from '../auth';
import { HqError } from '../hq-error';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

export const tillRoutes =
  (ctx: HqContext): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.post('/v1/tills', { config: { allow: ['admin'] }, schema: { body: TillCreateSchema, response: { 201: TillCreatedSchema, ...errors } } }, async (request, reply) => {
      // The schema checks a given zone; HQ's own default was checked at start (hq/config.ts).
      const timeZone = request.body.time_zone ?? ctx.defaultTimeZone;
      const tillId = randomUUID();
      const token = newToken('till');
      await registerTill(ctx.db, { id: tillId, name: request.body.name, timeZone, tokenHash: hashToken(token), store: request.body.store });
      reply.code(201);
      return { till_id: tillId, token };
    });

    // The back office's tills screen: each device's last contact, last op, stream and open items.
    app.get('/v1/tills', { config: { allow: ['admin'] }, schema: { response: { 200: z.object({ result: z.array(TillSummarySchema) }), ...errors } } }, async () => ({
      result: await listTills(ctx.db, await openItemsByTill(ctx.db)),
    }));

    // A lost or stolen till: its token stops working at once; a pairing code brings the till back.
    const summary = async (tillId: string) => (await listTills(ctx.db, await openItemsByTill(ctx.db))).find((t) => t.id === tillId) ?? null;
    app.post(
      '/v1/tills/:till_id/revoke',
      { config: { allow: ['admin'], auditBefore: (r) => summary((r.params as { till_id: string }).till_id) }, schema: { params: TillIdParams, response: { 200: TillSummarySchema, 404: ProblemSchema, ...errors } } },
      async (request) => {
        if (!(await revokeTill(ctx.db, request.params.till_id))) throw new HqError(404, 'till_not_found', `No till ${request.params.till_id} is registered.`);
        ctx.tillStreams.end(request.params.till_id);
        return (await summary(request.params.till_id))!;
      },
    );

    // Which till a token belongs to: a till paired with a token (not a pairing code) asks, so that a
    // device re-paired as the same till opens the same replica and sends what its outbox still holds.
    app.get('/v1/tills/me', { config: { allow: ['till'] }, schema: { response: { 200: TillIdentitySchema, ...errors } } }, async (request) => {
      const principal = request.principal;
      if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till asks who it is.');
      const till = await findTill(ctx.db, principal.tillId);
      if (!till) throw new HqError(401, 'unknown_till', 'This till is not registered.');
      return { till_id: till.id, name: till.name, time_zone: till.time_zone, max_gift_issue: ctx.maxGiftIssue };
    });

    // Codes reserved for this till alone, for gift cards it sells while offline (GIFT_ISSUE ops).
    app.post('/v1/code-blocks', { config: { allow: ['till'] }, schema: { body: CodeBlockRequestSchema, response: { 201: CodeBlockSchema, ...errors } } }, async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till leases codes.');
      const wanted = request.body.size;
      const codes: string[] = [];
      for (let attempt = 0; codes.length < wanted && attempt < 5; attempt++) {
        const candidates = Array.from({ length: wanted - codes.length }, () => generateCode(8));
        codes.push(...(await leaseCodes(ctx.db, principal.tillId, candidates)));
      }
      reply.code(201);
      return { codes };
    });
  };

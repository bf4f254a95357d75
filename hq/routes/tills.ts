import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { generateCode } from '../../core/code';
import { CodeBlockRequestSchema, CodeBlockSchema, ProblemSchema, TillCreatedSchema, TillCreateSchema, TillIdentitySchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { rowsOf } from '../db/connect';
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
      await ctx.db.execute(sql`INSERT INTO tills (id, name, time_zone, token_hash) VALUES (${tillId}, ${request.body.name}, ${timeZone}, ${hashToken(token)})`);
      reply.code(201);
      return { till_id: tillId, token };
    });

    // Which till a token belongs to: a till paired with a token (not a pairing code) asks, so that a
    // device re-paired as the same till opens the same replica and sends what its outbox still holds.
    app.get('/v1/tills/me', { config: { allow: ['till'] }, schema: { response: { 200: TillIdentitySchema, ...errors } } }, async (request) => {
      const principal = request.principal;
      if (principal?.kind !== 'till') throw new HqError(403, 'forbidden', 'Only a till asks who it is.');
      const rows = rowsOf<{ id: string; name: string; time_zone: string }>(await ctx.db.execute(sql`SELECT id, name, time_zone FROM tills WHERE id = ${principal.tillId}::uuid`));
      const till = rows[0];
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
        // A leased code must be free both as a lease and as a voucher.
        const got = rowsOf<{ code: string }>(
          await ctx.db.execute(sql`INSERT INTO code_leases (code, till_id)
            SELECT c, ${principal.tillId}::uuid FROM jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb) AS c
            WHERE NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.code = c)
            ON CONFLICT (code) DO NOTHING RETURNING code`),
        );
        codes.push(...got.map((r) => r.code));
      }
      reply.code(201);
      return { codes };
    });
  };

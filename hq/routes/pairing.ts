// Pairing codes (core/pairing-code.ts): the back office asks for a short code for a till; whoever sets
// the till up types it instead of the 48-character token, and the till exchanges it for a new token.
// The code is the credential for that one exchange, so HQ keeps only its hash, lets it live minutes
// (15 by default, a day at most) and clears it when used. Guessing is bounded by counting every
// exchange attempt — before the code is looked up, so parallel guesses cannot slip past — per address
// (10 a minute) and for HQ as a whole (100 a minute): at that rate a code has about one chance in 10^7
// of being guessed in a day. The counters are pairing's own, so a cashier's typos never lock the
// shop's other tills out of syncing; they live in ctx.counters (in PostgreSQL, shared by every HQ
// process, so several processes do not multiply the rate). Redeeming replaces the till's token: a till
// re-paired on new hardware locks out the device it replaced (see README: sync that device first).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatPairingCode, generatePairingCode, normalisePairingCode } from '../../core/pairing-code';
import { PairingCodeIssuedSchema, PairingRequestSchema, PairingResultSchema, ProblemSchema, TillIdParams } from '../../sync/protocol';
import type { HqContext } from '../context';
import { exchangePairingCode, setPairingCode } from '../till-store';
import { hashToken, newToken } from '../auth';
import { createLimiter } from '../counters';
import { HqError } from '../hq-error';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema };
const MAX_VALID_MINUTES = 24 * 60;
const ALL_ADDRESSES = 'pairing:all';
const DEFAULT_VALID_MINUTES = 15;
// The body is optional: a POST without one (Fastify hands the schema null) asks for the default.
const PairingCodeRequestSchema = z.strictObject({ valid_minutes: z.int().min(1).max(MAX_VALID_MINUTES).optional() }).nullish();

export type PairingLimits = { perAddress?: number; overall?: number };

export const pairingRoutes =
  (ctx: HqContext, limits: PairingLimits = {}): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const perAddress = limits.perAddress ?? 10;
    const overall = limits.overall ?? 100;
    const limiter = createLimiter(ctx.counters);

    app.post(
      '/v1/tills/:till_id/pairing-code',
      { config: { allow: ['admin'] }, schema: { params: TillIdParams, body: PairingCodeRequestSchema, response: { 201: PairingCodeIssuedSchema, ...errors } } },
      async (request, reply) => {
        const minutes = request.body?.valid_minutes ?? DEFAULT_VALID_MINUTES;
        const expiresAt = new Date(Date.now() + minutes * 60_000).toISOString();
        // A new code replaces the till's previous unused one. Two pending codes hashing alike is a
        // one-in-10^11 event; it would fail the unique constraint, so draw again.
        for (let attempt = 0; ; attempt++) {
          const code = generatePairingCode();
          try {
            if (!(await setPairingCode(ctx.db, request.params.till_id, hashToken(code), expiresAt))) throw new HqError(404, 'till_not_found', `No till ${request.params.till_id} is registered.`);
            reply.code(201);
            return { till_id: request.params.till_id, pairing_code: formatPairingCode(code), expires_at: expiresAt };
          } catch (error) {
            if (error instanceof HqError || attempt >= 2 || !String((error as { cause?: unknown }).cause ?? error).includes('pairing_code_hash')) throw error;
          }
        }
      },
    );

    // No bearer token: the pairing code is the credential.
    app.post('/v1/pairings', { schema: { security: [], body: PairingRequestSchema, response: { 200: PairingResultSchema, 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema } } }, async (request, reply) => {
      const addressKey = `pairing:address:${request.ip}`;
      // Refused at once when this process knows a limit is reached; otherwise the attempt is counted
      // (one statement for both keys) and refused if it is over either limit.
      let wait = Math.max(limiter.knownWait(addressKey), limiter.knownWait(ALL_ADDRESSES));
      if (!wait) {
        wait = Math.max(
          ...(await limiter.count([
            [addressKey, perAddress],
            [ALL_ADDRESSES, overall],
          ])),
        );
      }
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HqError(429, 'too_many_pairing_attempts', `Too many pairing attempts; try again in ${wait} s.`);
      }
      const code = normalisePairingCode(request.body.pairing_code);
      if (!code) {
        throw new HqError(400, 'invalid_request', 'A pairing code is 8 letters and digits, such as K7QM-3XHD.', [{ path: 'body.pairing_code', message: '8 of A–Z (no I, L, O) and 2–9' }]);
      }
      const token = newToken('till');
      // Of two tills racing with the same code, exactly one gets the token (till-store.ts).
      const till = await exchangePairingCode(ctx.db, hashToken(code), hashToken(token));
      if (!till) {
        throw new HqError(404, 'pairing_code_invalid', 'This pairing code is unknown, already used or expired. Ask head office for a new one.');
      }
      return { till_id: till.id, name: till.name, time_zone: till.time_zone, token, max_gift_issue: ctx.maxGiftIssue };
    });
  };

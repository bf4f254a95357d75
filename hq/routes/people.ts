// People at HQ (contract v1 additions): sign-in and sign-out, the signed-in person, users, the audit log.
//
// Sign-in attempts are counted in ctx.counters (shared by HQ processes on PostgreSQL) over 15 minutes —
// per e-mail and address together (5: one person mistyping), per address (20: one machine trying many
// people) and per e-mail (50: many machines trying one person — high enough that a stranger cannot
// lock a colleague out for long by failing on purpose, low enough to stop a distributed guess), each
// counted before the password is checked and taken back when it was right. Past a limit every attempt
// is 429 with Retry-After, the right password too, until the window ends: a guesser must not learn that
// a guess was right. An unknown e-mail costs the same scrypt time as a
// wrong password (decoyHash), so timing does not reveal who has an account.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditLogQuerySchema, AuditLogSchema, ProblemSchema, SessionSchema, SignInSchema, UserCreateSchema, UserSchema, UserUpdateSchema } from '../../sync/protocol';
import type { HqContext } from '../context';
import { HqError } from '../hq-error';
import { createLimiter } from '../counters';
import { decoyHash, verifyPassword } from '../people/password';
import { cookieOptions, endSession, SESSION_COOKIE, SESSION_HOURS, startSession, type Person } from '../people/sessions';
import { createUser, findUser, findUserByEmail, listUsers, updateUser } from '../people/user-store';
import { listAudit, recordAudit } from '../people/audit';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 429: ProblemSchema };

export type SignInLimits = { perPair?: number; perAddress?: number; perEmail?: number; windowMs?: number };

function tooMany(reply: FastifyReply, wait: number): HqError {
  reply.header('retry-after', String(wait));
  return new HqError(429, 'too_many_sign_in_failures', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min.`);
}

/** The signed-in person of a request, or 403 for the admin token (a token is nobody's session). */
function personOf(request: FastifyRequest): Person {
  const p = request.principal;
  if (p?.kind === 'admin' && p.person) return p.person;
  throw new HqError(403, 'forbidden', 'Only a person signed in to the back office has a session; the admin token is not one.');
}

export const peopleRoutes =
  (ctx: HqContext, limits: SignInLimits = {}): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const limiter = createLimiter(ctx.counters, { windowMs: limits.windowMs ?? 15 * 60_000 });
    const anyone = { allow: ['admin'], role: 'viewer' } as const;
    const signInKeys = (email: string, ip: string) =>
      [
        [`signin:pair:${email}|${ip}`, limits.perPair ?? 5],
        [`signin:address:${ip}`, limits.perAddress ?? 20],
        [`signin:email:${email}`, limits.perEmail ?? 50],
      ] as const;
    const admins = { allow: ['admin'], role: 'admin' } as const;

    app.post('/v1/session', { schema: { security: [], body: SignInSchema, response: { 200: SessionSchema, ...errors } } }, async (request, reply) => {
      // Login CSRF (another site signing the browser in as someone else): a browser says where the
      // form came from; a script without Origin or Sec-Fetch-Site is no browser and carries no victim.
      const site = request.headers['sec-fetch-site'];
      const origin = request.headers.origin;
      if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== `${request.protocol}://${request.host}` && origin !== (ctx.assets.publicUrl && new URL(ctx.assets.publicUrl).origin))) {
        throw new HqError(403, 'csrf_refused', 'Sign in from HQ\'s own sign-in page.');
      }
      const { email, password } = request.body;
      const keys = signInKeys(email, request.ip);
      // Counted before the password is checked, in the store every HQ process shares: of many guesses
      // sent at once, only the first few are checked at all, whichever process they reach. A success
      // takes its attempt back, so signing in often never locks anybody out.
      const known = Math.max(...keys.map(([k]) => limiter.knownWait(k)));
      if (known > 0) throw tooMany(reply, known);
      const wait = Math.max(...(await limiter.count(keys)));
      if (wait > 0) throw tooMany(reply, wait);
      const user = await findUserByEmail(ctx.db, email);
      const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
      if (!user || !ok || user.disabled) throw new HqError(401, 'sign_in_failed', 'That e-mail and password do not match an enabled user.');
      await limiter.forgive(keys.map(([k]) => k));
      const id = await startSession(ctx.db, user.id, request.cookies[SESSION_COOKIE]);
      await recordAudit(ctx.db, { actor: { kind: 'user', id: user.id, label: user.email }, action: 'sign-in', target: user.email, before: null, after: { address: request.ip } });
      reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(request), maxAge: SESSION_HOURS * 3600 });
      return { user_id: user.id, email: user.email, role: user.role, time_zone: ctx.defaultTimeZone };
    });

    app.get('/v1/session', { config: anyone, schema: { response: { 200: SessionSchema, ...errors } } }, async (request) => {
      const person = personOf(request);
      return { user_id: person.userId, email: person.email, role: person.role, time_zone: ctx.defaultTimeZone };
    });

    app.delete('/v1/session', { config: anyone, schema: {} }, async (request, reply) => {
      await endSession(ctx.db, personOf(request));
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
    });

    app.get('/v1/users', { config: admins, schema: { response: { 200: z.object({ result: z.array(UserSchema) }), ...errors } } }, async () => ({ result: await listUsers(ctx.db) }));

    app.post('/v1/users', { config: admins, schema: { body: UserCreateSchema, response: { 201: UserSchema, ...errors } } }, async (request, reply) => {
      reply.code(201);
      return createUser(ctx.db, request.body);
    });

    // An admin changes anyone; everyone else only their own password, with the current one. Checked
    // here rather than by role alone, because the route serves both.
    app.put(
      '/v1/users/:id',
      { config: { ...anyone, auditBefore: async (r) => findUser(ctx.db, (r.params as { id: string }).id).then((u) => u && { ...u, password_hash: undefined }) }, schema: { params: z.strictObject({ id: z.uuid() }), body: UserUpdateSchema, response: { 200: UserSchema, ...errors } } },
      async (request, reply) => {
        const principal = request.principal!;
        const person = principal.kind === 'admin' ? principal.person : null;
        const { current_password, ...change } = request.body;
        const own = person?.userId === request.params.id.toLowerCase();
        if (person && person.role !== 'admin' && (!own || change.role !== undefined || change.disabled !== undefined)) {
          throw new HqError(403, 'forbidden', own ? 'Only an admin changes roles or disables users; you may change your own password.' : 'Only an admin changes other users.');
        }
        if (own && change.password !== undefined) {
          // Guessing the current password from a session left open counts like guessing at sign-in.
          const keys = signInKeys(person.email, request.ip);
          const wait = Math.max(...(await limiter.count(keys)));
          if (wait > 0) throw tooMany(reply, wait);
          const me = await findUser(ctx.db, person.userId);
          if (!current_password || !me || !(await verifyPassword(current_password, me.password_hash))) {
            throw new HqError(403, 'wrong_current_password', 'To change your password, give your current one too.');
          }
          await limiter.forgive(keys.map(([k]) => k));
        }
        return (await updateUser(ctx.db, request.params.id.toLowerCase(), change, own ? person.sessionHash : undefined)).after;
      },
    );

    app.get('/v1/audit-log', { config: admins, schema: { querystring: AuditLogQuerySchema, response: { 200: AuditLogSchema, ...errors } } }, async (request) => listAudit(ctx.db, request.query));
  };

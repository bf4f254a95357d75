// People at HQ (contract v1 additions; issue 15): sign-in and sessions, roles on every route, the same-
// origin check, sign-in throttling, escalation attempts, the first admin, and the audit log.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { ensureFirstAdmin } from '../../hq/people/user-store';
import { neededRole } from '../../hq/server';
import { recordAudit } from '../../hq/people/audit';
import { discountBody, expectProblem, uniqueCode } from './helpers';

/** inject() talks to http://localhost:80: HQ's own origin in these tests. */
const ORIGIN = 'http://localhost:80';
const PASSWORD = 'correct horse battery';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

describe.each(BACKENDS)('people at HQ on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const email = (role: string) => `${role}-${randomBytes(4).toString('hex')}@shop.example`;
  const newUser = async (role: 'admin' | 'manager' | 'viewer', password = PASSWORD) => {
    const address = email(role);
    const res = await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: address.toUpperCase(), password, role } });
    expect(res.statusCode, res.body).toBe(201);
    return { ...(res.json() as { id: string; email: string }), password };
  };
  const signIn = async (address: string, password: string, headers: Record<string, string> = {}) =>
    hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: address, password }, headers });
  /** The session cookie's value from a sign-in answer. */
  const cookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'vt_session')?.value;
  const session = async (role: 'admin' | 'manager' | 'viewer') => {
    const user = await newUser(role);
    const res = await signIn(user.email, user.password);
    expect(res.statusCode, res.body).toBe(200);
    return { user, cookie: cookieOf(res)! };
  };
  /** A request with the session cookie, from HQ's own pages (Origin set) unless told otherwise. */
  const withCookie = (cookie: string, method: Method, url: string, payload?: object, headers: Record<string, string> = { origin: ORIGIN }) =>
    hq.app.inject({ method, url, cookies: { vt_session: cookie }, headers, ...(payload === undefined ? {} : { payload }) });

  describe('sign-in and sessions', () => {
    it('sets an httpOnly, SameSite=Strict cookie (Secure over https), answers who is signed in, and ends at sign-out', async () => {
      const user = await newUser('manager');
      const res = await signIn(user.email.toUpperCase(), user.password);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ user_id: user.id, email: user.email, role: 'manager', time_zone: 'Europe/Berlin' });
      const set = res.cookies.find((c) => c.name === 'vt_session')!;
      expect(set).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(set.secure).toBeFalsy();
      expect(set.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await withCookie(set.value, 'GET', '/v1/session')).json()).toEqual({ user_id: user.id, email: user.email, role: 'manager', time_zone: 'Europe/Berlin' });
      // The table keeps a hash, never the id itself.
      expect(JSON.stringify(await hq.database.db.execute('SELECT * FROM sessions'))).not.toContain(set.value);
      expect((await withCookie(set.value, 'DELETE', '/v1/session')).statusCode).toBe(204);
      expectProblem(await withCookie(set.value, 'GET', '/v1/session'), 401, { code: 'unauthorized' });
    });

    it('marks the cookie Secure when the request came over https (behind a trusted proxy)', async () => {
      const behind = await startHq('pglite', { trustProxy: true });
      try {
        await behind.admin({ method: 'POST', url: '/v1/users', payload: { email: 'p@shop.example', password: PASSWORD, role: 'viewer' } });
        const res = await behind.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'p@shop.example', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.cookies.find((c) => c.name === 'vt_session')!.secure).toBe(true);
      } finally {
        await behind.close();
      }
    }, 60_000);

    it('refuses a wrong password and an unknown e-mail alike, and a disabled user', async () => {
      const user = await newUser('viewer');
      const wrong = expectProblem(await signIn(user.email, 'not the password'), 401, { code: 'sign_in_failed' });
      const unknown = expectProblem(await signIn(email('nobody'), PASSWORD), 401, { code: 'sign_in_failed' });
      expect(unknown.detail).toBe(wrong.detail);
      expect((await hq.admin({ method: 'PUT', url: `/v1/users/${user.id}`, payload: { disabled: true } })).statusCode).toBe(200);
      expectProblem(await signIn(user.email, user.password), 401, { code: 'sign_in_failed' });
    });

    it('session fixation: an id HQ did not issue signs nobody in, and signing in replaces the id the browser held', async () => {
      const planted = randomBytes(32).toString('base64url');
      expectProblem(await withCookie(planted, 'GET', '/v1/session'), 401, { code: 'unauthorized' });
      const user = await newUser('viewer');
      const first = cookieOf(await signIn(user.email, user.password))!;
      const res = await hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: user.password }, cookies: { vt_session: first } });
      const second = cookieOf(res)!;
      expect(second).not.toBe(first);
      expectProblem(await withCookie(first, 'GET', '/v1/session'), 401, { code: 'unauthorized' });
      expect((await withCookie(second, 'GET', '/v1/session')).statusCode).toBe(200);
    });

    it('an expired session signs nobody in', async () => {
      const { cookie } = await session('viewer');
      expect((await withCookie(cookie, 'GET', '/v1/session')).statusCode).toBe(200);
      await hq.database.db.execute(`UPDATE sessions SET expires_at = now() - interval '1 second'`);
      expectProblem(await withCookie(cookie, 'GET', '/v1/session'), 401, { code: 'unauthorized' });
    });

    it('the admin token keeps working for automation, and has no session', async () => {
      expect((await hq.admin({ method: 'GET', url: '/v1/vouchers' })).statusCode).toBe(200);
      expectProblem(await hq.admin({ method: 'GET', url: '/v1/session' }), 403, { code: 'forbidden' });
    });
  });

  describe('CSRF: changes made with the cookie must come from HQ\'s own origin', () => {
    it('refuses a change without Origin, with another origin, or sent by another site; allows its own', async () => {
      const { cookie } = await session('manager');
      const body = () => discountBody({ code: uniqueCode('CSRF') });
      expectProblem(await withCookie(cookie, 'POST', '/v1/vouchers', body(), {}), 403, { code: 'csrf_refused' });
      expectProblem(await withCookie(cookie, 'POST', '/v1/vouchers', body(), { origin: 'https://evil.example' }), 403, { code: 'csrf_refused' });
      expectProblem(await withCookie(cookie, 'POST', '/v1/vouchers', body(), { origin: 'null' }), 403, { code: 'csrf_refused' });
      expectProblem(await withCookie(cookie, 'POST', '/v1/vouchers', body(), { 'sec-fetch-site': 'cross-site' }), 403, { code: 'csrf_refused' });
      expect((await withCookie(cookie, 'POST', '/v1/vouchers', body(), { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
      expect((await withCookie(cookie, 'POST', '/v1/vouchers', body())).statusCode).toBe(201);
      // Reading needs no such check (SameSite=Strict keeps other sites' reads cookie-less anyway).
      expect((await withCookie(cookie, 'GET', '/v1/vouchers', undefined, {})).statusCode).toBe(200);
    });

    it('accepts changes from HQ_PUBLIC_URL\'s origin (HQ behind a proxy)', async () => {
      const behind = await startHq('pglite', { assets: { publicUrl: 'https://hq.example.com' } });
      try {
        await behind.admin({ method: 'POST', url: '/v1/users', payload: { email: 'm@shop.example', password: PASSWORD, role: 'manager' } });
        const signedIn = await behind.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'm@shop.example', password: PASSWORD }, headers: { origin: 'https://hq.example.com' } });
        const cookie = cookieOf(signedIn)!;
        const create = (origin: string) => behind.app.inject({ method: 'POST', url: '/v1/vouchers', cookies: { vt_session: cookie }, headers: { origin }, payload: discountBody({ code: uniqueCode('PUB') }) });
        expect((await create('https://hq.example.com')).statusCode).toBe(201);
        expectProblem(await create('https://other.example.com'), 403, { code: 'csrf_refused' });
      } finally {
        await behind.close();
      }
    }, 60_000);

    it('refuses a sign-in posted from another site (login CSRF)', async () => {
      const user = await newUser('viewer');
      expectProblem(await signIn(user.email, user.password, { origin: 'https://evil.example' }), 403, { code: 'csrf_refused' });
      expectProblem(await signIn(user.email, user.password, { 'sec-fetch-site': 'cross-site' }), 403, { code: 'csrf_refused' });
      expect((await signIn(user.email, user.password, { origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    });
  });

  describe('roles on every route, checked at the API', () => {
    /** A concrete path for a route pattern (its parameters filled with something well-formed). */
    const concrete = (url: string) => url.replace(/:[a-z_]+/g, '00000000-0000-4000-8000-000000000000');

    it('every back-office route states or derives the least role, and admins-only routes are the people and key ones', () => {
      const backOffice = hq.routeTable.filter((r) => r.allow?.includes('admin') && r.method !== 'HEAD');
      expect(backOffice.length).toBeGreaterThan(25);
      const adminOnly = backOffice.filter((r) => neededRole(r.method, r.role) === 'admin').map((r) => `${r.method} ${r.url}`).sort();
      expect(adminOnly, adminOnly.join(', ')).toEqual(['DELETE /v1/api-keys/:id', 'GET /v1/api-keys', 'GET /v1/audit-log', 'GET /v1/users', 'POST /v1/api-keys', 'POST /v1/users'].sort());
    });

    it('a viewer reaches no route that changes anything (403 before the body is even read), a manager none of the admin ones', async () => {
      const viewer = await session('viewer');
      const manager = await session('manager');
      // Signing out is checked above (it would end the session this loop uses).
      const backOffice = hq.routeTable.filter((r) => r.allow?.includes('admin') && r.method !== 'HEAD' && r.url !== '/v1/session');
      let checked = 0;
      for (const route of backOffice) {
        const needed = neededRole(route.method, route.role);
        for (const [who, s] of [['viewer', viewer], ['manager', manager]] as const) {
          // A user's own record is the one a non-admin may change (their password): ask about that one.
          const path = route.url === '/v1/users/:id' ? `/v1/users/${s.user.id}` : concrete(route.url);
          const res = await withCookie(s.cookie, route.method as Method, path, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
          const mayCall = who === 'manager' ? needed !== 'admin' : needed === 'viewer';
          const what = `${who} ${route.method} ${route.url}`;
          if (mayCall) expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).not.toBe(403);
          else expectProblem(res, 403, { code: 'forbidden', what });
          checked++;
        }
      }
      expect(checked).toBe(backOffice.length * 2);
      expect(checked).toBeGreaterThan(50);
    });

    it('refuses escalation: a manager cannot make users, raise their own role, or change another\'s password', async () => {
      const manager = await session('manager');
      const other = await newUser('admin');
      expectProblem(await withCookie(manager.cookie, 'POST', '/v1/users', { email: email('x'), password: PASSWORD, role: 'admin' }), 403, { code: 'forbidden' });
      expectProblem(await withCookie(manager.cookie, 'PUT', `/v1/users/${manager.user.id}`, { role: 'admin' }), 403, { code: 'forbidden' });
      expectProblem(await withCookie(manager.cookie, 'PUT', `/v1/users/${manager.user.id}`, { disabled: false }), 403, { code: 'forbidden' });
      expectProblem(await withCookie(manager.cookie, 'PUT', `/v1/users/${other.id}`, { password: 'a new password 123' }), 403, { code: 'forbidden' });
      expectProblem(await withCookie(manager.cookie, 'POST', '/v1/api-keys', { name: 'mine', scopes: ['redeem'] }), 403, { code: 'forbidden' });
      // Nothing changed: the other admin still signs in with their password; the manager is a manager.
      expect((await signIn(other.email, other.password)).statusCode).toBe(200);
      expect((await withCookie(manager.cookie, 'GET', '/v1/session')).json()).toMatchObject({ role: 'manager' });
    });

    it('changing your own password needs the current one, keeps this session and ends the others', async () => {
      const user = await newUser('viewer');
      const here = cookieOf(await signIn(user.email, user.password))!;
      const elsewhere = cookieOf(await signIn(user.email, user.password))!;
      expectProblem(await withCookie(here, 'PUT', `/v1/users/${user.id}`, { password: 'a brand new secret' }), 403, { code: 'wrong_current_password' });
      expectProblem(await withCookie(here, 'PUT', `/v1/users/${user.id}`, { password: 'a brand new secret', current_password: 'wrong one' }), 403, { code: 'wrong_current_password' });
      expectProblem(await withCookie(here, 'PUT', `/v1/users/${user.id}`, { password: 'short', current_password: user.password }), 400, { code: 'invalid_request' });
      const ok = await withCookie(here, 'PUT', `/v1/users/${user.id}`, { password: 'a brand new secret', current_password: user.password });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await withCookie(here, 'GET', '/v1/session')).statusCode).toBe(200);
      expectProblem(await withCookie(elsewhere, 'GET', '/v1/session'), 401, { code: 'unauthorized' });
      expectProblem(await signIn(user.email, user.password), 401, { code: 'sign_in_failed' });
      expect((await signIn(user.email, 'a brand new secret')).statusCode).toBe(200);
    });

    it('a role change or disabling ends the user\'s sessions at once; the last enabled admin cannot be removed', async () => {
      const admin = await session('admin');
      const target = await session('manager');
      const demoted = await withCookie(admin.cookie, 'PUT', `/v1/users/${target.user.id}`, { role: 'viewer' });
      expect(demoted.json()).toMatchObject({ role: 'viewer' });
      expectProblem(await withCookie(target.cookie, 'GET', '/v1/session'), 401, { code: 'unauthorized' });
      // Make every other admin a viewer (through the admin token), then this admin is the last.
      const users = (await hq.admin({ method: 'GET', url: '/v1/users' })).json() as { result: { id: string; role: string; disabled: boolean }[] };
      for (const u of users.result.filter((u) => u.role === 'admin' && !u.disabled && u.id !== admin.user.id)) {
        expect((await hq.admin({ method: 'PUT', url: `/v1/users/${u.id}`, payload: { disabled: true } })).statusCode).toBe(200);
      }
      expectProblem(await withCookie(admin.cookie, 'PUT', `/v1/users/${admin.user.id}`, { role: 'manager' }), 409, { code: 'last_admin' });
      expectProblem(await hq.admin({ method: 'PUT', url: `/v1/users/${admin.user.id}`, payload: { disabled: true } }), 409, { code: 'last_admin' });
      expect((await withCookie(admin.cookie, 'GET', '/v1/session')).json()).toMatchObject({ role: 'admin' });
    });

    it('your own id in upper case is still your own: the current password is still needed', async () => {
      const user = await newUser('admin');
      const here = cookieOf(await signIn(user.email, user.password))!;
      expectProblem(await withCookie(here, 'PUT', `/v1/users/${user.id.toUpperCase()}`, { password: 'a brand new secret' }), 403, { code: 'wrong_current_password' });
    });

    it('one e-mail is one user, whatever its case', async () => {
      const user = await newUser('viewer');
      expectProblem(await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: user.email.toUpperCase(), password: PASSWORD, role: 'admin' } }), 409, { code: 'email_taken' });
    });
  });

  describe('the audit log', () => {
    it('never keeps a secret, wherever it sits in the object', async () => {
      await recordAudit(hq.database.db, {
        actor: { kind: 'admin_token', id: null, label: 'admin token' }, action: 'test', target: 'redaction',
        before: { password: 'p1', nested: [{ current_password: 'p2', pairing_code: 'K7QM-3XHD' }] },
        after: { key: 'key_abc', token: 'till_abc', password_hash: 'scrypt$x', kept: 'visible' },
      });
      const entry = (await latest(1))[0]!;
      expect(entry).toMatchObject({ action: 'test', before: { password: '(secret)', nested: [{ current_password: '(secret)', pairing_code: '(secret)' }] }, after: { key: '(secret)', token: '(secret)', password_hash: '(secret)', kept: 'visible' } });
    });

    type Entry = { actor: { kind: string; id: string | null; label: string }; action: string; target: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
    const latest = async (n = 5) => ((await hq.admin({ method: 'GET', url: `/v1/audit-log?limit=${n}` })).json() as { result: Entry[]; total: number }).result;

    it('records who changed what, with before and after, for a person, the admin token and an API key; never a secret', async () => {
      const { user, cookie } = await session('manager');
      const code = uniqueCode('AUD');
      expect((await withCookie(cookie, 'POST', '/v1/vouchers', discountBody({ code }))).statusCode).toBe(201);
      const updated = await withCookie(cookie, 'PUT', `/v1/vouchers/${code}`, { label: 'Seven off' });
      expect(updated.statusCode, updated.body).toBe(200);
      const [put, post] = await latest(2);
      expect(post).toMatchObject({ actor: { kind: 'user', id: user.id, label: user.email }, action: 'POST /v1/vouchers', target: null, before: null, after: { code, label: 'Five off' } });
      expect(put).toMatchObject({ actor: { kind: 'user', label: user.email }, action: 'PUT /v1/vouchers/:code', target: code, before: { code, label: 'Five off' }, after: { code, label: 'Seven off' } });

      await hq.admin({ method: 'POST', url: `/v1/vouchers/${code}/cancel` });
      expect((await latest(1))[0]).toMatchObject({ actor: { kind: 'admin_token', id: null, label: 'admin token' }, action: 'POST /v1/vouchers/:code/cancel', target: code, after: { status: 'CANCELLED' } });

      const created = await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: email('new'), password: 'a password of mine', role: 'viewer' } });
      const till = await hq.admin({ method: 'POST', url: '/v1/tills', payload: { name: 'Audited till' } });
      const log = JSON.stringify(await latest(2));
      // The 201 of POST /v1/tills carries the till's token: the log keeps the answer without it.
      expect((till.json() as { token: string }).token).toMatch(/^till_/);
      expect(log).not.toContain((till.json() as { token: string }).token);
      expect(log).toContain('"token":"(secret)"');
      expect(log).toContain((created.json() as { email: string }).email);

      const key = (await hq.admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'Web shop', scopes: ['redeem'] } })).json() as { key: string; id: string };
      expect(JSON.stringify(await latest(1))).not.toContain(key.key);
      const voucher = uniqueCode('WEB');
      await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: discountBody({ code: voucher }) });
      const online = await hq.as(key.key, { method: 'POST', url: '/v1/redemptions', headers: { 'idempotency-key': uniqueCode('I') }, payload: { code: voucher, ticket: { currency: 'EUR', lines: [{ product_id: 'P', quantity: 1, unit_price: 2000 }] } } });
      expect(online.statusCode, online.body).toBeLessThan(300);
      expect((await latest(1))[0]).toMatchObject({ actor: { kind: 'api_key', id: key.id, label: 'API key Web shop' }, action: 'POST /v1/redemptions' });
    });

    it('records sign-ins, not refused requests, and is readable by admins only', async () => {
      const { user, cookie } = await session('viewer');
      expect((await latest(1))[0]).toMatchObject({ action: 'sign-in', actor: { kind: 'user', id: user.id } });
      const before = (await hq.admin({ method: 'GET', url: '/v1/audit-log?limit=1' })).json() as { total: number };
      await withCookie(cookie, 'POST', '/v1/vouchers', discountBody()); // 403: a viewer
      await hq.admin({ method: 'PUT', url: '/v1/vouchers/NO-SUCH-CODE', payload: { label: 'x' } }); // 404
      expect(((await hq.admin({ method: 'GET', url: '/v1/audit-log?limit=1' })).json() as { total: number }).total).toBe(before.total);
      expectProblem(await withCookie(cookie, 'GET', '/v1/audit-log'), 403, { code: 'forbidden' });
      const admin = await session('admin');
      expect((await withCookie(admin.cookie, 'GET', '/v1/audit-log?limit=3')).json()).toMatchObject({ total: expect.any(Number), result: expect.any(Array) });
    });
  });

  it('the first admin: made once on a database without users, from the configuration or with a printed password', async () => {
    const fresh = await startHq('pglite');
    try {
      const first = await ensureFirstAdmin(fresh.database.db, {});
      expect(first).toEqual({ email: 'admin@hq.local', generatedPassword: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
      expect(await ensureFirstAdmin(fresh.database.db, { email: 'other@shop.example', password: PASSWORD })).toBeNull();
      const res = await fresh.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'admin@hq.local', password: first!.generatedPassword } });
      expect(res.json(), res.body).toMatchObject({ email: 'admin@hq.local', role: 'admin' });
    } finally {
      await fresh.close();
    }
    const configured = await startHq('pglite');
    try {
      expect(await ensureFirstAdmin(configured.database.db, { email: 'Boss@Shop.example', password: PASSWORD })).toEqual({ email: 'boss@shop.example' });
      expect((await configured.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'boss@shop.example', password: PASSWORD } })).statusCode).toBe(200);
    } finally {
      await configured.close();
    }
  }, 60_000);
});

describe('sign-in throttling', () => {
  it('after 5 failures for one e-mail from one address every attempt is 429 with Retry-After, the right password too', async () => {
    const hq = await startHq('pglite', { signInLimits: { perPair: 5, perAddress: 100, perEmail: 100 } });
    try {
      await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: 'cashier@shop.example', password: PASSWORD, role: 'viewer' } });
      const attempt = (password: string, ip = '10.0.0.1') => hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'cashier@shop.example', password }, remoteAddress: ip });
      for (let i = 1; i <= 5; i++) expectProblem(await attempt(`guess ${i}`), 401, { code: 'sign_in_failed', what: `attempt ${i}` });
      const refused = expectProblem(await attempt(PASSWORD), 429, { code: 'too_many_sign_in_failures' });
      expect(refused.detail).toMatch(/try again in \d+ min/);
      expect(Number((await attempt('guess 7')).headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not blocked by this one's failures (the pair limit): the person can still sign in elsewhere.
      expect((await attempt(PASSWORD, '10.0.0.2')).statusCode).toBe(200);
    } finally {
      await hq.close();
    }
  }, 60_000);

  it('guesses sent at once are counted before any is checked: past the limit the right password is refused too', async () => {
    const hq = await startHq('pglite', { signInLimits: { perPair: 3, perAddress: 1000, perEmail: 1000 } });
    try {
      await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: 'target@shop.example', password: PASSWORD, role: 'admin' } });
      const attempt = (password: string) => hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'target@shop.example', password }, remoteAddress: '10.0.0.7' });
      const answers = await Promise.all([...Array.from({ length: 29 }, (_, i) => attempt(`guess ${i}`)), attempt(PASSWORD)]);
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 401).length + statuses.filter((s) => s === 200).length).toBe(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(27);
      expect((await attempt(PASSWORD)).statusCode).toBe(429);
    } finally {
      await hq.close();
    }
  }, 60_000);

  it('a right password takes its attempt back: signing in often never locks anybody out', async () => {
    const hq = await startHq('pglite', { signInLimits: { perPair: 2, perAddress: 2, perEmail: 2 } });
    try {
      await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: 'often@shop.example', password: PASSWORD, role: 'viewer' } });
      for (let i = 0; i < 6; i++) expect((await hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'often@shop.example', password: PASSWORD } })).statusCode).toBe(200);
    } finally {
      await hq.close();
    }
  }, 60_000);

  it('an address spraying many e-mails is stopped by the per-address limit', async () => {
    const hq = await startHq('pglite', { signInLimits: { perPair: 100, perAddress: 3, perEmail: 100 } });
    try {
      for (let i = 0; i < 3; i++) expect((await hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: `u${i}@shop.example`, password: 'x' }, remoteAddress: '10.0.0.9' })).statusCode).toBe(401);
      expectProblem(await hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'u9@shop.example', password: 'x' }, remoteAddress: '10.0.0.9' }), 429, { code: 'too_many_sign_in_failures' });
    } finally {
      await hq.close();
    }
  }, 60_000);
});

// Authentication throttling that cannot lock out the innocent (issue 11): failures are counted per
// presented token and per address, separately. One misconfigured device behind a shop's NAT no longer
// stops the shop's other tills syncing, and guessing still gets 429.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthGate, createAuthThrottle } from '../../hq/auth';
import { ADMIN_TOKEN, BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';

const SHOP = '10.20.30.40';
const ELSEWHERE = '10.99.99.99';

describe('createAuthThrottle', () => {
  it('blocks a key after `limit` failures within the window and forgets it after', () => {
    let now = 0;
    const throttle = createAuthThrottle({ limit: 2, windowMs: 1000, now: () => now });
    throttle.fail('a');
    expect(throttle.blockedFor('a')).toBe(0);
    throttle.fail('a');
    now = 250;
    expect(throttle.blockedFor('a')).toBe(1); // 750 ms left, rounded up
    expect(throttle.blockedFor('b')).toBe(0);
    now = 1000;
    expect(throttle.blockedFor('a')).toBe(0);
  });

  it('holds at most maxKeys keys, forgetting the oldest window first', () => {
    let now = 0;
    const throttle = createAuthThrottle({ limit: 1, windowMs: 1000, now: () => now, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) throttle.fail(key);
    now = 1000; // a's window restarts: a is now the newest
    throttle.fail('a');
    throttle.fail('d'); // over the bound: b (the oldest window) is forgotten
    expect(['a', 'b', 'c', 'd'].map((k) => throttle.blockedFor(k) > 0)).toEqual([true, false, false, true]);
  });
});

describe.each(BACKENDS)('auth throttling on %s', (backend) => {
  let hq: Hq;
  let till: { till_id: string; token: string };
  let neighbour: { till_id: string; token: string };
  const LIMIT = 20;
  const get = (token: string | null, address: string, url = '/v1/sync/changes?checkpoint=0&limit=1') =>
    hq.app.inject({ method: 'GET', url, remoteAddress: address, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const bad = (i: number | string) => `till_wrong_${i}_${'x'.repeat(40)}`;

  beforeAll(async () => {
    hq = await startHq(backend, { authFailureLimit: LIMIT });
    till = await hq.newTill('Shop till');
    neighbour = await hq.newTill('Neighbour till');
  }, 60_000);
  afterAll(async () => hq?.close());

  it('a valid till token is served from an address that sent 21+ bad tokens; the bad ones get 429 with Retry-After', async () => {
    const address = '10.0.0.1';
    for (let i = 0; i < LIMIT; i++) expect((await get(bad(`a${i}`), address)).statusCode).toBe(401);
    for (let i = LIMIT; i < LIMIT + 5; i++) {
      const blocked = await get(bad(`a${i}`), address);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.json()).toMatchObject({ status: 429, code: 'too_many_auth_failures' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    const ok = await get(till.token, address);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().last_seq).toBe(0);
    expect((await get(ADMIN_TOKEN, address, '/v1/vouchers?limit=1')).statusCode).toBe(200);
    // Another address is not affected by this one's failures.
    expect((await get(bad('a-other'), '10.0.0.2')).statusCode).toBe(401);
  });

  it('a misconfigured device retrying one bad token gets 429 for that token, without a database lookup, and harms nobody else', async () => {
    const stale = bad('stale-device');
    for (let i = 0; i < LIMIT; i++) expect((await get(stale, SHOP)).statusCode).toBe(401);
    const execute = vi.spyOn(hq.ctx.db, 'execute');
    try {
      for (let i = 0; i < 30; i++) {
        const res = await get(stale, SHOP);
        expect(res.statusCode).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      // The token is counted wherever it comes from.
      expect((await get(stale, ELSEWHERE)).statusCode).toBe(429);
      expect(execute).not.toHaveBeenCalled();
    } finally {
      execute.mockRestore();
    }
    // The shop's tills keep syncing, and a different bad token elsewhere is an ordinary 401.
    expect((await get(till.token, SHOP)).statusCode).toBe(200);
    expect((await get(neighbour.token, SHOP)).statusCode).toBe(200);
    expect((await get(neighbour.token, SHOP, '/v1/tills/me')).statusCode).toBe(200);
    expect((await get(bad('fresh'), ELSEWHERE)).statusCode).toBe(401);
  });

  it('brute force of distinct tokens from one address still gets 429, in parallel too', async () => {
    const address = '10.0.0.3';
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => get(bad(`brute${i}`), address)));
    const statuses = answers.map((a) => a.statusCode);
    // Each answer is decided when its lookup returns, counting synchronously: exactly LIMIT get through.
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - LIMIT);
    for (let i = 0; i < 5; i++) expect((await get(bad(`brute-late${i}`), address)).statusCode).toBe(429);
    expect((await get(till.token, address)).statusCode).toBe(200);
  });

  it('a request without a bearer token is a 401 and is not counted as a guess', async () => {
    const address = '10.0.0.4';
    for (let i = 0; i < LIMIT * 2; i++) {
      const res = await get(null, address);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await get('Basic', address)).statusCode).toBe(401);
    expect((await get(bad('after-anonymous'), address)).statusCode).toBe(401);
  });

  it('forgets failures after the window: a blocked token and address may try again', async () => {
    let now = 0;
    const gate = createAuthGate(hq.ctx.db, hq.ctx.adminHash, { limit: 2, windowMs: 60_000, now: () => now });
    const header = (token: string) => `Bearer ${token}`;
    expect(await gate(SHOP, header(bad('w1')))).toEqual({ refused: 401 });
    expect(await gate(SHOP, header(bad('w1')))).toEqual({ refused: 401 });
    expect(await gate(SHOP, header(bad('w1')))).toEqual({ refused: 429, retryAfter: 60 });
    expect(await gate(SHOP, header(bad('w2')))).toEqual({ refused: 429, retryAfter: 60 }); // the address is over its limit too
    expect(await gate(SHOP, header(till.token))).toEqual({ principal: { kind: 'till', tillId: till.till_id, timeZone: 'Europe/Berlin', lastSeq: 0, rowVersion: expect.any(BigInt) } });
    expect(await gate(SHOP, header(ADMIN_TOKEN))).toEqual({ principal: { kind: 'admin', person: null } });
    now = 30_500;
    expect(await gate(SHOP, header(bad('w1')))).toEqual({ refused: 429, retryAfter: 30 });
    now = 60_000;
    expect(await gate(SHOP, header(bad('w1')))).toEqual({ refused: 401 });
    expect(await gate(SHOP, header(bad('w3')))).toEqual({ refused: 401 });
  });
});

describe.each(BACKENDS)('behind a load balancer on %s', (backend) => {
  let hq: Hq;
  const BALANCER = '10.9.9.9';
  const LIMIT = 3;
  beforeAll(async () => {
    hq = await startHq(backend, { authFailureLimit: LIMIT, trustProxy: [BALANCER] });
  }, 60_000);
  afterAll(async () => hq?.close());
  const get = (token: string, from: string, forwardedFor?: string) =>
    hq.app.inject({ method: 'GET', url: '/v1/tills/me', remoteAddress: from, headers: { authorization: `Bearer ${token}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } });
  const bad = (i: number | string) => `till_lb_${i}_${'x'.repeat(40)}`;

  it("counts the till's address the trusted balancer forwards, not the balancer's (HQ_TRUST_PROXY)", async () => {
    for (let i = 0; i < LIMIT; i++) expect((await get(bad(`a${i}`), BALANCER, '192.0.2.1')).statusCode).toBe(401);
    expect((await get(bad('a-over'), BALANCER, '192.0.2.1')).statusCode).toBe(429);
    // Another shop behind the same balancer is counted on its own.
    expect((await get(bad('b0'), BALANCER, '192.0.2.2')).statusCode).toBe(401);
    // A peer that is not the balancer cannot choose its address by a header.
    for (let i = 0; i < LIMIT; i++) expect((await get(bad(`c${i}`), '203.0.113.7', `198.51.100.${i}`)).statusCode).toBe(401);
    expect((await get(bad('c-over'), '203.0.113.7', '198.51.100.99')).statusCode).toBe(429);
  });
});

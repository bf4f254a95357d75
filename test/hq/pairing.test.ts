// Pairing codes: issued by the back office for a till, exchanged once by the till for a new token.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';

describe.each(BACKENDS)('pairing codes on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const issue = (tillId: string, payload?: object) => hq.admin({ method: 'POST', url: `/v1/tills/${tillId}/pairing-code`, ...(payload ? { payload } : {}) });
  const redeem = (code: string) => hq.app.inject({ method: 'POST', url: '/v1/pairings', payload: { pairing_code: code } });
  const changes = (token: string) => hq.as(token, { method: 'GET', url: '/v1/sync/changes?checkpoint=0&limit=1' });

  it('exchanges a code, typed in any case and spacing, once for a new till token that replaces the old one', async () => {
    const till = await hq.newTill('Front till', 'Europe/Vienna');
    const issued = await issue(till.till_id);
    expect(issued.statusCode).toBe(201);
    const { pairing_code, expires_at } = issued.json();
    expect(pairing_code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    const minutes = (Date.parse(expires_at) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    const typed = ` ${pairing_code.toLowerCase().replace('-', ' ')} `;
    const res = await redeem(typed);
    expect(res.statusCode).toBe(200);
    const paired = res.json();
    expect(paired).toMatchObject({ till_id: till.till_id, name: 'Front till', time_zone: 'Europe/Vienna' });
    expect(paired.token).toMatch(/^till_/);
    expect((await changes(paired.token)).statusCode).toBe(200);
    // The device the till was paired with before is locked out.
    expect((await changes(till.token)).statusCode).toBe(401);

    const again = await redeem(pairing_code);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'pairing_code_invalid', detail: expect.stringContaining('Ask head office for a new one') });
  });

  it('keeps only the newest code of a till, refuses an expired one and says what a code looks like', async () => {
    const till = await hq.newTill();
    const first = (await issue(till.till_id)).json().pairing_code;
    const second = (await issue(till.till_id, { valid_minutes: 60 })).json().pairing_code;
    expect((await redeem(first)).statusCode).toBe(404);

    await hq.database.db.execute(sql`UPDATE tills SET pairing_expires_at = now() - interval '1 second' WHERE id = ${till.till_id}::uuid`);
    expect((await redeem(second)).json()).toMatchObject({ code: 'pairing_code_invalid' });

    const malformed = await redeem('K0QM-3XHD');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().detail).toContain('8 letters and digits');
    expect((await issue(till.till_id, { valid_minutes: 0 })).statusCode).toBe(400);
    expect((await issue('00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ code: 'till_not_found' });
    // Only the back office issues codes.
    expect((await hq.as(till.token, { method: 'POST', url: `/v1/tills/${till.till_id}/pairing-code` })).statusCode).toBe(403);
  });

  it('gives one code to exactly one of two tills that race with it', async () => {
    const till = await hq.newTill();
    const code = (await issue(till.till_id)).json().pairing_code;
    const answers = await Promise.all([redeem(code), redeem(code), redeem(code)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 404, 404]);
  });

  it('is in the OpenAPI document, the exchange without a bearer token', async () => {
    const doc = (await hq.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/tills/{till_id}/pairing-code'].post).toBeDefined();
    expect(doc.paths['/v1/pairings'].post.security).toEqual([]);
  });
});

// On PostgreSQL the counters are shared by every HQ process (shared-counters.test.ts has two of them).
describe.each(BACKENDS)('pairing code guessing on %s', (backend) => {
  const attempt = (hq: Hq, address: string, code = 'AAAA-AAAA') =>
    hq.app.inject({ method: 'POST', url: '/v1/pairings', payload: { pairing_code: code }, remoteAddress: address });

  it('counts every attempt before looking the code up, so parallel guesses cannot slip past the limit', async () => {
    const hq = await startHq(backend, { pairingLimits: { perAddress: 3, overall: 1000 } });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => attempt(hq, '10.0.0.1')));
      expect(answers.filter((a) => a.statusCode === 404)).toHaveLength(3);
      const blocked = answers.filter((a) => a.statusCode === 429);
      expect(blocked).toHaveLength(17);
      expect(Number(blocked[0]!.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked[0]!.json()).toMatchObject({ code: 'too_many_pairing_attempts' });
      // Another address may still try, and pairing's counter is its own: the address's tills still sync.
      expect((await attempt(hq, '10.0.0.2')).statusCode).toBe(404);
      const till = await hq.newTill();
      const sync = await hq.app.inject({ method: 'GET', url: '/v1/sync/changes?checkpoint=0&limit=1', headers: { authorization: `Bearer ${till.token}` }, remoteAddress: '10.0.0.1' });
      expect(sync.statusCode).toBe(200);
    } finally {
      await hq.close();
    }
  }, 60_000);

  it('caps attempts for HQ as a whole, so many addresses together cannot guess faster', async () => {
    const hq = await startHq(backend, { pairingLimits: { perAddress: 1000, overall: 5 } });
    try {
      for (let i = 0; i < 5; i++) expect((await attempt(hq, `10.0.1.${i}`)).statusCode).toBe(404);
      expect((await attempt(hq, '10.0.1.99')).statusCode).toBe(429);
    } finally {
      await hq.close();
    }
  }, 60_000);
});

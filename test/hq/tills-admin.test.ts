// The back office's view of tills (issue 15): each device's store, last contact, last op, event stream,
// open reconciliation items and pending pairing code; revoking a till; channels are not listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import type { TillSummary } from '../../sync/protocol';
import { createVoucher, discountBody, expectProblem, TestTill } from './helpers';
import { openStream } from './sse-stream';

describe.each(BACKENDS)('tills in the back office on %s', (backend) => {
  let hq: Hq;
  let base: string;
  beforeAll(async () => {
    hq = await startHq(backend);
    base = await hq.app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => hq?.close());

  const register = async (name: string, store?: string) => {
    const res = await hq.admin({ method: 'POST', url: '/v1/tills', payload: { name, ...(store ? { store } : {}) } });
    expect(res.statusCode, res.body).toBe(201);
    const { till_id, token } = res.json() as { till_id: string; token: string };
    return new TestTill(hq, till_id, token);
  };
  const summary = async (id: string) => {
    const res = await hq.admin({ method: 'GET', url: '/v1/tills' });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { result: TillSummary[] }).result.find((t) => t.id === id);
  };

  it('lists a new till with its store and nothing heard yet; API-key channels are not tills', async () => {
    const till = await register('Counter 1', 'Hamburg');
    expect(await summary(till.till_id)).toEqual({
      id: till.till_id, name: 'Counter 1', store: 'Hamburg', time_zone: 'Europe/Berlin', created_at: expect.any(String), last_seq: 0,
      last_seen_at: null, stream: { open: false, since: null }, open_items: 0, pairing_expires_at: null, revoked: false,
    } satisfies TillSummary);
    const key = (await hq.admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'Shop', scopes: ['redeem'] } })).json() as { id: string };
    const all = (await hq.admin({ method: 'GET', url: '/v1/tills' })).json() as { result: TillSummary[] };
    expect(all.result.some((t) => t.name.includes('API key'))).toBe(false);
    expect(key.id).toBeTruthy();
  });

  it('records its last contact, last op, open stream and open items', async () => {
    const till = await register('Counter 2', 'Hamburg');
    const rival = await register('Counter 3', 'Hamburg');
    expect((await till.hq.as(till.token, { method: 'GET', url: '/v1/tills/me' })).statusCode).toBe(200);
    await expect.poll(async () => (await summary(till.till_id))?.last_seen_at, { timeout: 10_000 }).not.toBeNull();

    const code = (await createVoucher(hq, discountBody({ redemption: { quantity: 1 } }))).code;
    await rival.one(rival.redeem(code, 500));
    expect((await till.one(till.redeem(code, 500))).outcome).toBe('CONFLICT');
    expect(await summary(till.till_id)).toMatchObject({ last_seq: 1, open_items: 1 });
    expect(await summary(rival.till_id)).toMatchObject({ last_seq: 1, open_items: 0 });

    const stream = await openStream(base, till.token);
    await expect.poll(async () => (await summary(till.till_id))?.stream.open, { timeout: 10_000 }).toBe(true);
    expect((await summary(till.till_id))?.stream.since).toEqual(expect.any(String));
    stream.close();
    await expect.poll(async () => (await summary(till.till_id))?.stream, { timeout: 10_000 }).toEqual({ open: false, since: null });
  });

  it('revoking a till stops its token at once (audited); a pairing code brings it back with its history', async () => {
    const till = await register('Lost till', 'Hamburg');
    await till.one(till.redeem((await createVoucher(hq, discountBody())).code, 100));
    const stream = await openStream(base, till.token);
    await stream.next((b) => b.event === 'changes' || b.event === 'page');
    const revoked = await hq.admin({ method: 'POST', url: `/v1/tills/${till.till_id}/revoke` });
    // Its open stream ends at once: a revoked till hears no more changes.
    await stream.ended();
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: till.till_id, revoked: true, last_seq: 1 });
    expectProblem(await till.hq.as(till.token, { method: 'GET', url: '/v1/tills/me' }), 401);
    const audit = ((await hq.admin({ method: 'GET', url: '/v1/audit-log?limit=1' })).json() as { result: { action: string; before: TillSummary; after: TillSummary }[] }).result[0]!;
    expect(audit).toMatchObject({ action: 'POST /v1/tills/:till_id/revoke', before: { revoked: false }, after: { revoked: true } });

    const issued = await hq.admin({ method: 'POST', url: `/v1/tills/${till.till_id}/pairing-code` });
    expect(issued.statusCode, issued.body).toBe(201);
    expect((await summary(till.till_id))?.pairing_expires_at).toEqual(expect.any(String));
    const paired = await hq.app.inject({ method: 'POST', url: '/v1/pairings', payload: { pairing_code: (issued.json() as { pairing_code: string }).pairing_code } });
    expect(paired.statusCode, paired.body).toBe(200);
    const again = new TestTill(hq, till.till_id, (paired.json() as { token: string }).token);
    again.seq = 1;
    expect((await again.hq.as(again.token, { method: 'GET', url: '/v1/tills/me' })).statusCode).toBe(200);
    expect(await summary(till.till_id)).toMatchObject({ revoked: false, last_seq: 1, pairing_expires_at: null });
    expectProblem(await hq.admin({ method: 'POST', url: '/v1/tills/00000000-0000-4000-8000-000000000000/revoke' }), 404, { code: 'till_not_found' });
  });
});

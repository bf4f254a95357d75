// Reconciliation for people at head office (issue 15): conflicts with both tills and tickets, gift and
// loyalty overdrafts, rejected ops; filters by kind, till and store; counts per day; the handled mark
// with its note — only for managers and admins, and in the audit log.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import type { ReconciliationItem, ReconciliationList } from '../../sync/protocol';
import { createVoucher, discountBody, expectProblem, giftBody, iso, TestTill } from './helpers';

const ORIGIN = 'http://localhost:80';

describe.each(BACKENDS)('reconciliation on %s', (backend) => {
  let hq: Hq;
  let store: string;
  let berlin: TestTill;
  let hamburg: TestTill;
  beforeAll(async () => {
    hq = await startHq(backend);
    store = `Store ${randomBytes(3).toString('hex')}`;
    const till = async (name: string, where: string) => {
      const res = await hq.admin({ method: 'POST', url: '/v1/tills', payload: { name, store: where } });
      expect(res.statusCode, res.body).toBe(201);
      const { till_id, token } = res.json() as { till_id: string; token: string };
      return new TestTill(hq, till_id, token);
    };
    berlin = await till('Till 1', store);
    hamburg = await till('Till 2', `${store} North`);
  }, 60_000);
  afterAll(async () => hq?.close());

  const list = async (query: string) => {
    const res = await hq.admin({ method: 'GET', url: `/v1/reconciliation?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ReconciliationList;
  };
  const find = (l: ReconciliationList, opId: string) => l.result.find((i) => i.op_id === opId);

  it('shows a single-use code honoured twice with both tills, both tickets, times and amounts', async () => {
    const code = (await createVoucher(hq, discountBody({ redemption: { quantity: 1 } }))).code;
    const first = berlin.redeem(code, 500, { ticket_id: 'B-101', occurred_at: iso(-60_000) });
    const second = hamburg.redeem(code, 500, { ticket_id: 'H-202', occurred_at: iso(-30_000) });
    expect((await berlin.one(first)).outcome).toBe('ACCEPTED');
    expect((await hamburg.one(second)).outcome).toBe('CONFLICT');
    const item = find(await list('kind=conflict&limit=500'), second.op_id)!;
    expect(item).toEqual({
      op_id: second.op_id, kind: 'conflict', op_type: 'REDEMPTION', code,
      till: { id: hamburg.till_id, name: 'Till 2', store: `${store} North` },
      ticket_id: 'H-202', amount: 500, points: null, reason: 'quantity_exceeded',
      occurred_at: second.occurred_at!, received_at: expect.any(String),
      winner: { op_id: first.op_id, till: { id: berlin.till_id, name: 'Till 1', store }, ticket_id: 'B-101', amount: 500, occurred_at: first.occurred_at! },
      handled: null,
    } satisfies ReconciliationItem);
    // The accepted one is no item.
    expect(find(await list('handled=all&limit=500'), first.op_id)).toBeUndefined();
  });

  it('shows overdrafts and rejected ops, filters by kind, till and store, and counts per day', async () => {
    const gift = (await createVoucher(hq, giftBody(1_000))).code;
    const a = berlin.redeem(gift, 800, { ticket_id: 'B-102' });
    const b = hamburg.redeem(gift, 800, { ticket_id: 'H-203' });
    await berlin.one(a);
    expect(await hamburg.one(b)).toMatchObject({ outcome: 'ACCEPTED', overdraft: true });
    const rejected = berlin.redeem('NO-SUCH-VOUCHER', 100);
    expect((await berlin.one(rejected)).outcome).toBe('REJECTED');

    const overdrafts = await list('kind=overdraft&limit=500');
    expect(find(overdrafts, b.op_id)).toMatchObject({ kind: 'overdraft', code: gift, amount: 800, reason: null, till: { id: hamburg.till_id }, winner: null });
    expect(overdrafts.result.every((i) => i.kind === 'overdraft')).toBe(true);
    const rej = find(await list('kind=rejected&limit=500'), rejected.op_id)!;
    expect(rej).toMatchObject({ kind: 'rejected', op_type: 'REDEMPTION', reason: 'not_found', amount: null, till: { id: berlin.till_id } });

    const byStore = await list(`store=${encodeURIComponent(store)}&limit=500`);
    expect(byStore.result.length).toBeGreaterThan(0);
    expect(byStore.result.every((i) => i.till.store === store)).toBe(true);
    expect(find(byStore, rejected.op_id)).toBeDefined();
    expect(find(byStore, b.op_id)).toBeUndefined();
    const byTill = await list(`till_id=${hamburg.till_id}&limit=500`);
    expect(byTill.result.every((i) => i.till.id === hamburg.till_id)).toBe(true);
    expect(byTill.total).toBe(byTill.result.length);

    const all = await list('limit=1');
    expect(all.result).toHaveLength(1);
    const today = all.days[0]!;
    expect(today.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(all.days.reduce((n, d) => n + d.conflict + d.overdraft + d.rejected, 0)).toBe(all.total);
    expect(today.overdraft).toBeGreaterThanOrEqual(1);
    expect(today.rejected).toBeGreaterThanOrEqual(1);
  });

  it('marks an item handled with a note (managers and admins, audited), hides it from the default list, and reopens it', async () => {
    const rejected = hamburg.redeem('NO-SUCH-VOUCHER-2', 100);
    await hamburg.one(rejected);
    const session = async (role: string) => {
      const email = `${role}-${randomBytes(4).toString('hex')}@shop.example`;
      await hq.admin({ method: 'POST', url: '/v1/users', payload: { email, password: 'a long password', role } });
      const res = await hq.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password: 'a long password' } });
      return { email, cookie: res.cookies.find((c) => c.name === 'vt_session')!.value };
    };
    const as = (cookie: string, method: 'PUT' | 'DELETE', url: string, payload?: object) => hq.app.inject({ method, url, cookies: { vt_session: cookie }, headers: { origin: ORIGIN }, ...(payload ? { payload } : {}) });
    const url = `/v1/reconciliation/${rejected.op_id}/handled`;

    const viewer = await session('viewer');
    expectProblem(await as(viewer.cookie, 'PUT', url, { note: 'looked' }), 403, { code: 'forbidden' });
    const manager = await session('manager');
    expectProblem(await as(manager.cookie, 'PUT', url, { note: '   ' }), 400, { code: 'invalid_request' });
    expectProblem(await as(manager.cookie, 'PUT', `/v1/reconciliation/${randomUUID()}/handled`, { note: 'x' }), 404, { code: 'not_found' });

    const marked = await as(manager.cookie, 'PUT', url, { note: 'Till 2 scanned a code from another chain; told the store.' });
    expect(marked.statusCode, marked.body).toBe(200);
    expect((marked.json() as ReconciliationItem).handled).toEqual({ at: expect.any(String), by: manager.email, note: 'Till 2 scanned a code from another chain; told the store.' });
    expect(find(await list('limit=500'), rejected.op_id)).toBeUndefined();
    expect(find(await list('handled=true&limit=500'), rejected.op_id)?.handled?.by).toBe(manager.email);

    const audit = ((await hq.admin({ method: 'GET', url: '/v1/audit-log?limit=1' })).json() as { result: { action: string; target: string; before: ReconciliationItem; after: ReconciliationItem; actor: { label: string } }[] }).result[0]!;
    expect(audit).toMatchObject({ action: 'PUT /v1/reconciliation/:op_id/handled', target: rejected.op_id, actor: { label: manager.email }, before: { handled: null }, after: { handled: { by: manager.email } } });

    expect((await as(manager.cookie, 'DELETE', url)).statusCode).toBe(204);
    expect(find(await list('limit=500'), rejected.op_id)).toBeDefined();
  });

  it('refuses a bad filter with the field that is wrong', async () => {
    expectProblem(await hq.admin({ method: 'GET', url: '/v1/reconciliation?kind=refund' }), 400, { code: 'invalid_request' });
    expectProblem(await hq.admin({ method: 'GET', url: '/v1/reconciliation?till_id=till-1' }), 400, { code: 'invalid_request' });
  });

  it('needs an account: a till token cannot read it', async () => {
    expectProblem(await berlin.hq.as(berlin.token, { method: 'GET', url: '/v1/reconciliation' }), 403, { code: 'forbidden' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startHq, type Hq } from './harness';

describe.each(BACKENDS)('HQ vouchers on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const percent = { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 10 } };

  it('creates a voucher with a generated code and reads it back (admin and till)', async () => {
    const created = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, label: 'Ten percent', campaign: 'WINTER' } });
    expect(created.statusCode).toBe(201);
    const voucher = created.json();
    expect(voucher.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(voucher).toMatchObject({ type: 'DISCOUNT_VOUCHER', label: 'Ten percent', campaign: 'WINTER', status: 'ACTIVE', redemption: { quantity: 1, redeemed_quantity: 0 }, offline_redeemable: true });
    expect(voucher.created_at).toMatch(/Z$/);
    const read = await hq.admin({ method: 'GET', url: `/v1/vouchers/${voucher.code.toLowerCase()}` });
    expect(read.json()).toEqual(voucher);
    const till = await hq.newTill();
    const byTill = await hq.as(till.token, { method: 'GET', url: `/v1/vouchers/${voucher.code}` });
    expect(byTill.statusCode).toBe(200);
  });

  it('refuses a duplicate code with 409 problem+json', async () => {
    const first = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code: 'dup-code-1' } });
    expect(first.json().code).toBe('DUP-CODE-1');
    const again = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code: 'DUP-CODE-1' } });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.json()).toMatchObject({ status: 409, code: 'code_exists', title: 'Conflict' });
  });
});

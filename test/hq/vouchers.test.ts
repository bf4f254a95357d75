import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormedText } from '../../core/text';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { settleImport } from './helpers';

const NUL = '\u0000';
const HIGH = '\uD800'; // a high surrogate with no low one after it

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

  it('a UNIT_MULTIPLE voucher gives several products’ units free; HQ validates it with the same core; a product twice is refused', async () => {
    const discount = { type: 'UNIT_MULTIPLE', units: [{ unit_off: 1, product_id: 'P-BREAD' }, { unit_off: 2, product_id: 'P-JAM' }] };
    const created = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { code: 'BREAKFAST-1', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().discount).toEqual(discount);
    const ticket = { currency: 'EUR', lines: [{ product_id: 'P-BREAD', quantity: 2, unit_price: 300 }, { product_id: 'P-JAM', quantity: 1, unit_price: 450 }, { product_id: 'P-TEA', quantity: 1, unit_price: 200 }] };
    const res = await hq.admin({ method: 'POST', url: '/v1/validations', payload: { codes: ['breakfast-1'], ticket } });
    expect(res.json()).toMatchObject({ valid: true, total_discount: 750, amount_due: 500, results: [{ code: 'BREAKFAST-1', valid: true, discount_amount: 750 }] });
    const teaOnly = await hq.admin({ method: 'POST', url: '/v1/validations', payload: { codes: ['BREAKFAST-1'], ticket: { ...ticket, lines: [ticket.lines[2]] } } });
    expect(teaOnly.json()).toMatchObject({ valid: false, results: [{ reason: 'product_not_in_ticket' }] });
    const twice = { type: 'UNIT_MULTIPLE', units: [{ unit_off: 1, product_id: 'P-BREAD' }, { unit_off: 2, product_id: 'P-BREAD' }] };
    const refused = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: twice } });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json().errors)).toContain('a product appears at most once');
    expect((await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'UNIT_MULTIPLE', units: [] } } })).statusCode).toBe(400);
  });

  it('refuses a duplicate code with 409 problem+json', async () => {
    const first = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code: 'dup-code-1' } });
    expect(first.json().code).toBe('DUP-CODE-1');
    const again = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code: 'DUP-CODE-1' } });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.json()).toMatchObject({ status: 409, code: 'code_exists', title: 'Conflict' });
  });

  it('codes and currencies are ASCII before they are upper-cased: look-alikes are refused, not folded into a real code', async () => {
    const real = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code: 'SALE-FIFTY-1' } });
    expect(real.statusCode).toBe(201);
    const count = async () => (await hq.admin({ method: 'GET', url: '/v1/vouchers?limit=1' })).json().total as number;
    const before = await count();
    for (const code of ['ſale-fifty-1', 'sale-fıfty-1', 'sale-ﬁfty-1']) {
      const created = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code } });
      expect(created.statusCode, code).toBe(400);
      expect(created.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.code']);
      expect((await hq.admin({ method: 'GET', url: `/v1/vouchers/${encodeURIComponent(code)}` })).statusCode, code).toBe(404);
    }
    const currency = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, currency: 'ſek' } });
    expect(currency.statusCode).toBe(400);
    expect(currency.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.currency']);
    expect(await count()).toBe(before);
    expect((await hq.admin({ method: 'GET', url: '/v1/vouchers/sale-fifty-1' })).json().code).toBe('SALE-FIFTY-1');
  });

  it('a bulk import reports rows with NUL, lone surrogates, oversized quantities or deep metadata by index, and finishes', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 9; i++) deep = { d: deep };
    const rows = [
      { ...percent, code: 'IMPB-0001' },
      { ...percent, code: `IMPB-${NUL}` }, // the code itself is not storable: reported without it
      { ...percent, code: 'IMPB-0003', label: `bad ${HIGH}` },
      { ...percent, code: 'IMPB-0004', metadata: { [`key${NUL}`]: 1 } }, // zod's message quotes the key
      { ...percent, code: 'IMPB-0005', redemption: { quantity: 2 ** 31 } },
      { ...percent, code: 'IMPB-0006', metadata: deep },
      { ...percent, code: 'ſALE-0007' },
      { ...percent, code: 'IMPB-0008' },
    ];
    const started = await hq.admin({ method: 'POST', url: '/v1/vouchers/import', payload: rows });
    expect(started.statusCode).toBe(202);
    const action = await settleImport(hq, started.json().async_action_id);
    expect(action).toMatchObject({ status: 'DONE', result: { imported: 2, failed: 6 } });
    const errors = action.result.errors;
    expect(errors.map((e) => [e.index, e.code])).toEqual([
      [1, undefined],
      [2, 'IMPB-0003'],
      [3, 'IMPB-0004'],
      [4, 'IMPB-0005'],
      [5, 'IMPB-0006'],
      [6, 'ſALE-0007'],
    ]);
    for (const e of errors) expect(isWellFormedText(e.detail), e.detail).toBe(true);
    expect(errors[1]!.detail).toMatch(/^label: must not contain NUL/);
    expect(errors[3]!.detail).toMatch(/^redemption\.quantity/);
    expect(errors[4]!.detail).toMatch(/nested deeper than 8 levels/);
    expect(errors[5]!.detail).toMatch(/^code/);
    expect((await hq.admin({ method: 'GET', url: '/v1/vouchers/IMPB-0008' })).statusCode).toBe(200);
    expect((await hq.admin({ method: 'GET', url: '/v1/vouchers/IMPB-0003' })).statusCode).toBe(404);
  });
});

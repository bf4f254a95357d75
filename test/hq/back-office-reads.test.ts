// What the back office reads besides reconciliation (issue 15): voucher search, and a card's ledger with
// running balances that end at the card's balance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import type { Ledger } from '../../sync/protocol';
import { createVoucher, discountBody, expectProblem, giftBody, loyaltyCardBody, programBody, TestTill } from './helpers';

describe.each(BACKENDS)('back-office reads on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
  }, 60_000);
  afterAll(async () => hq?.close());

  const search = async (q: string) => {
    const res = await hq.admin({ method: 'GET', url: `/v1/vouchers?limit=500&q=${encodeURIComponent(q)}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { result: { code: string }[]; total: number });
  };

  it('searches codes by their start, labels and campaigns by any part, in any case, with % and _ taken literally', async () => {
    const tag = randomBytes(3).toString('hex').toUpperCase();
    await createVoucher(hq, discountBody({ code: `SRCH${tag}-1`, label: `Summer ${tag} sale` }));
    await createVoucher(hq, discountBody({ code: `OTHER${tag}-2`, campaign: `AUTUMN_${tag}` }));
    await createVoucher(hq, discountBody({ code: `PCT${tag}-3`, label: `100% ${tag}` }));
    expect((await search(`srch${tag}`)).result.map((v) => v.code)).toEqual([`SRCH${tag}-1`]);
    expect((await search(`summer ${tag.toLowerCase()}`)).result.map((v) => v.code)).toEqual([`SRCH${tag}-1`]);
    expect((await search(`umn_${tag}`)).result.map((v) => v.code)).toEqual([`OTHER${tag}-2`]);
    expect((await search(`0% ${tag}`)).result.map((v) => v.code)).toEqual([`PCT${tag}-3`]);
    expect((await search(`% ${tag}`)).result.map((v) => v.code)).toEqual([`PCT${tag}-3`]); // a literal "%"
    expect((await search(`%${tag}`)).total).toBe(0); // as a wildcard it would match all three
    expect((await search(`${tag}`)).total).toBe(3);
    expectProblem(await hq.admin({ method: 'GET', url: `/v1/vouchers?q=${'x'.repeat(65)}` }), 400);
  });

  it('a gift card\'s ledger: every entry with the running balance, ending at the card\'s balance', async () => {
    const gift = await createVoucher(hq, giftBody(5_000));
    const till = await TestTill.create(hq, 'Ledger till');
    const debit = till.redeem(gift.code, 1_200);
    await till.one(debit);
    await till.one(till.rollback(debit.op_id));
    await till.one(till.redeem(gift.code, 700));
    const res = await hq.admin({ method: 'GET', url: `/v1/vouchers/${gift.code.toLowerCase()}/ledger` });
    expect(res.statusCode, res.body).toBe(200);
    const ledger = res.json() as Ledger;
    expect(ledger.unit).toBe('money');
    expect(ledger.entries.map((e) => [e.kind, e.change, e.balance])).toEqual([
      ['ISSUE', 5_000, 5_000],
      ['DEBIT', -1_200, 3_800],
      ['ROLLBACK', 1_200, 5_000],
      ['DEBIT', -700, 4_300],
    ]);
    expect(ledger.entries[1]!.redemption_id).toBe(debit.op_id);
    const now = (await hq.admin({ method: 'GET', url: `/v1/vouchers/${gift.code}` })).json() as { gift: { balance: number } };
    expect(now.gift.balance).toBe(4_300);
  });

  it('a loyalty card\'s ledger counts points; a discount voucher has none', async () => {
    const created = await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: programBody() });
    expect(created.statusCode, created.body).toBe(201);
    const card = await createVoucher(hq, loyaltyCardBody((created.json() as { id: string }).id, { loyalty: { balance: 50 } }));
    const till = await TestTill.create(hq, 'Points till');
    await till.one(till.earn(card.code, 30));
    const ledger = (await hq.admin({ method: 'GET', url: `/v1/vouchers/${card.code}/ledger` })).json() as Ledger;
    expect(ledger.unit).toBe('points');
    expect(ledger.entries.at(-1)!.balance).toBe(80);
    const discount = await createVoucher(hq, discountBody());
    expectProblem(await hq.admin({ method: 'GET', url: `/v1/vouchers/${discount.code}/ledger` }), 404, { code: 'not_found' });
    expectProblem(await hq.admin({ method: 'GET', url: '/v1/vouchers/NO-SUCH-CARD/ledger' }), 404, { code: 'not_found' });
  });
});

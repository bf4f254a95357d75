// Every refusal a cashier can meet online, as the chip shows it: in words, never as a reason code.
// (The offline reasons are in offline.spec.ts; `invalid_code_format` cannot come from a scan — the
// core classifies such input as "not a code" before any voucher is looked up, and says so.)
import { chip, createVoucher, EAN, expect, importVouchers, openPairedTill, payByCard, test, typeAndEnter } from './fixtures';

function berlinTimeIn(hours: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.now() + hours * 3_600_000);
}

test('each refusal reason is shown in words on its chip', async ({ page, hq }) => {
  const later = berlinTimeIn(12);
  const laterEnd = berlinTimeIn(12 + 1 / 60);
  await createVoucher(hq, { code: 'OFF-SWITCH', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 }, active: false });
  await createVoucher(hq, { code: 'CANCEL-ME', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 } });
  expect((await hq.admin('/v1/vouchers/CANCEL-ME/cancel', { method: 'POST', body: '{}' })).status).toBe(200);
  await createVoucher(hq, { code: 'NEXT-YEAR', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 }, start_date: '2099-01-01' });
  await createVoucher(hq, { code: 'LATER-TODAY', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 }, validity_hours: { daily: [{ start_time: later, expiration_time: laterEnd, days_of_week: [0, 1, 2, 3, 4, 5, 6] }] } });
  await importVouchers(hq, [{ code: 'EMPTY-CARD', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 1000, balance: 0 } }]);
  await createVoucher(hq, { code: 'DOLLARS', type: 'DISCOUNT_VOUCHER', currency: 'USD', discount: { type: 'AMOUNT', amount_off: 100 } });
  for (let i = 1; i <= 6; i++) await createVoucher(hq, { code: `STACK-${i}`, type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 1 }, redemption: { quantity: null } });
  await openPairedTill(page, hq, 'Reasons till');

  await typeAndEnter(page, EAN.croissant);
  const cases: [code: string, words: string][] = [
    ['NO-SUCH-CODE', 'No voucher or gift card has the code NO-SUCH-CODE.'],
    ['OFF-SWITCH', 'Voucher OFF-SWITCH has been switched off at head office.'],
    ['CANCEL-ME', 'Voucher CANCEL-ME was cancelled and cannot be used.'],
    ['NEXT-YEAR', 'This voucher is valid from 1 Jan 2099.'],
    ['XMAS-2025', 'This voucher expired on 26 Dec 2025.'],
    ['LATER-TODAY', `This voucher cannot be used at this time. It is valid Sun, Mon, Tue, Wed, Thu, Fri, Sat ${later}–${laterEnd}.`],
    ['EMPTY-CARD', 'This gift card has no balance left.'],
    ['VIP-ANNA', 'This voucher is for a registered customer: scan their card first.'],
    ['BEANS999', 'Add Espresso beans 500 g to the ticket to use this voucher.'],
    ['FIVEOFF', 'This voucher needs a ticket of at least €20.00.'],
    ['DOLLARS', 'This voucher is in USD; this till sells in EUR.'],
  ];
  for (const [code, words] of cases) {
    await typeAndEnter(page, code);
    await expect(await chip(page, code)).toHaveAttribute('data-state', 'refused');
    await expect(await chip(page, code)).toContainText(words);
  }

  await typeAndEnter(page, 'CARD-BEN-0002');
  await expect(page.getByTestId('customer')).toContainText('Ben Okafor');
  await typeAndEnter(page, 'VIP-ANNA');
  await expect(await chip(page, 'VIP-ANNA')).toContainText('This voucher belongs to a different customer.');

  for (let i = 1; i <= 5; i++) {
    await typeAndEnter(page, `STACK-${i}`);
    await expect(await chip(page, `STACK-${i}`)).toHaveAttribute('data-state', 'applied');
  }
  await typeAndEnter(page, 'STACK-6');
  await expect(await chip(page, 'STACK-6')).toContainText('A ticket can take at most 5 discount vouchers.');
  await typeAndEnter(page, 'STACK-1');
  await expect(page.getByTestId('notice')).toHaveText('Voucher STACK-1 is already on this ticket.');

  // A single-use voucher already used at HQ (its state reached this till through the change feed).
  await page.getByRole('button', { name: 'Clear ticket' }).click();
  await typeAndEnter(page, EAN.mug);
  await typeAndEnter(page, 'ONCE-0001');
  await payByCard(page);
  await page.keyboard.press('F1');
  await typeAndEnter(page, EAN.mug);
  await typeAndEnter(page, 'ONCE-0001');
  await expect(await chip(page, 'ONCE-0001')).toContainText(/^ONCE-0001 This voucher was already used on \d+ \w+ \d{4}, \d\d:\d\d\./);
  // Nothing on screen is a raw reason code.
  expect(await page.locator('main').textContent()).not.toMatch(/[a-z]+_[a-z]+/);
});

// Live updates: HQ announces new checkpoints over SSE and a browser till (another origin, so through
// CORS) pulls at once — a voucher created at HQ is usable at the till within seconds, long before
// the 30-second periodic sync.
import { EAN, chip, createVoucher, expect, openPairedTill, test, typeAndEnter } from './fixtures';

test('a voucher created at HQ reaches an online till within seconds', async ({ page, hq }) => {
  const streamed = page.waitForResponse((r) => r.url().includes('/v1/sync/stream') && r.status() === 200);
  await openPairedTill(page, hq, 'Live till');
  await streamed;
  await createVoucher(hq, { code: 'FRESH-10', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 }, redemption: { quantity: null } });
  await typeAndEnter(page, EAN.croissant);
  await expect(async () => {
    await page.getByRole('button', { name: 'Clear ticket' }).click();
    await typeAndEnter(page, EAN.croissant);
    await typeAndEnter(page, 'FRESH-10');
    await expect(await chip(page, 'FRESH-10')).toHaveAttribute('data-state', 'applied', { timeout: 500 });
  }).toPass({ timeout: 10_000 });
});

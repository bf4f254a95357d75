// A loyalty card at the till with head office gone: the card earns on the sale and pays with its points
// (within the offline cap), a gift card pays the rest, and the receipt says what each card has left.
// When HQ is back, it books the same points.
import { chip, createVoucher, EAN, expect, openPairedTill, payByCard, shot, test, typeAndEnter } from './fixtures';

test('offline: a loyalty card earns and spends, a gift card pays the rest, and the receipt shows both balances', async ({ page, hq }) => {
  const program = await hq.admin('/v1/loyalty-programs', {
    method: 'POST',
    body: JSON.stringify({ id: 'E2E-CLUB', name: 'E2E club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 } }),
  });
  expect(program.status).toBe(201);
  await createVoucher(hq, { code: 'CLUB-E2E-1', type: 'LOYALTY_CARD', currency: 'EUR', campaign: 'E2E-CLUB', loyalty: { balance: 500 } });
  await createVoucher(hq, { code: 'GIFT-E2E-30', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 3_000 } });
  await openPairedTill(page, hq, 'Loyalty till');

  await hq.stop();
  await typeAndEnter(page, EAN.espresso); // 12.99
  await typeAndEnter(page, EAN.mug); // 14.99
  await expect(page.getByTestId('online-state')).toHaveText('Offline', { timeout: 20_000 });
  await typeAndEnter(page, 'CLUB-E2E-1');
  const card = await chip(page, 'CLUB-E2E-1');
  await expect(card).toContainText('Loyalty card, 500 points: earns 27 points');
  await card.getByTestId('pay-with-points').click();
  await expect(card).toContainText('500 points pay −€5.00, earns 22 points');
  await expect(card.getByTestId('pay-with-points')).toHaveAttribute('aria-pressed', 'true');
  await typeAndEnter(page, 'GIFT-E2E-30');
  await expect(await chip(page, 'GIFT-E2E-30')).toContainText('−€22.98');
  await payByCard(page);

  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByTestId('receipt-points')).toContainText('500 points from card CLUB-E2E-1');
  await expect(receipt.getByTestId('receipt-points')).toContainText('−€5.00');
  await expect(receipt.getByTestId('receipt-gift-left')).toHaveText('left on the card: €7.02');
  const loyalty = receipt.getByTestId('receipt-loyalty');
  await expect(loyalty).toContainText('Points earned22 points');
  await expect(loyalty).toContainText('Points spent500 points');
  await expect(loyalty.getByTestId('receipt-points-balance')).toHaveText('22 points');
  await shot(page, 'receipt-loyalty');
  await expect(page.getByTestId('pending-count')).toHaveText('3 pending');

  await hq.start();
  await page.keyboard.press('F9');
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-pending')).toHaveText('0', { timeout: 20_000 });
  await expect(page.getByTestId('no-conflicts')).toBeVisible();
  const atHq = (await (await hq.admin('/v1/vouchers/CLUB-E2E-1')).json()) as { loyalty: unknown };
  expect(atHq.loyalty).toEqual({ balance: 22, earned: 22, spent: 500 });
  const gift = (await (await hq.admin('/v1/vouchers/GIFT-E2E-30')).json()) as { gift: unknown };
  expect(gift.gift).toEqual({ amount: 3_000, balance: 702 });
});

// HQ goes away mid-shift: the till keeps selling, says it is offline, queues what it sold, applies the
// offline rules in words, and drains the queue when HQ is back. Two tills that both sold the same
// single-use voucher offline: one of them shows the conflict after reconnecting.
import type { Page } from '@playwright/test';
import { chip, createVoucher, EAN, expect, openPairedTill, payByCard, shot, test, typeAndEnter } from './fixtures';

async function sell(page: Page, items: string[]): Promise<void> {
  for (const item of items) await typeAndEnter(page, item);
  await payByCard(page);
  await page.keyboard.press('F1');
}

async function syncNow(page: Page): Promise<void> {
  await page.keyboard.press('F9');
  await page.getByTestId('sync-now').click();
}

test('HQ stopped mid-shift: sales go on offline, pending grows, and drains when HQ is back', async ({ page, hq }) => {
  await createVoucher(hq, { code: 'GIFT-BIG', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 30_000 } });
  await createVoucher(hq, { code: 'GIFT-SMALL', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 5_000 } });
  await openPairedTill(page, hq, 'Offline till');
  await sell(page, [EAN.croissant]);
  await expect(page.getByTestId('pending-count')).toHaveText('0 pending');

  await hq.stop();
  await sell(page, [EAN.croissant, EAN.croissant, 'CROISSANT']);
  await expect(page.getByTestId('online-state')).toHaveText('Offline', { timeout: 20_000 });
  await expect(page.getByTestId('pending-count')).toHaveText('1 pending');

  // Offline rules, in words: a voucher that needs HQ, and the gift-card cap per ticket (200.00 here).
  await page.getByRole('button', { name: 'Clear ticket' }).click();
  for (let i = 0; i < 20; i++) await typeAndEnter(page, EAN.mug);
  await typeAndEnter(page, 'ONLINE-ONLY');
  await expect(await chip(page, 'ONLINE-ONLY')).toContainText('Head office must confirm this voucher, and head office cannot be reached right now.');
  await typeAndEnter(page, 'GIFT-BIG');
  await expect(await chip(page, 'GIFT-BIG')).toContainText('−€200.00');
  await expect(await chip(page, 'GIFT-BIG')).toContainText('offline limit');
  await typeAndEnter(page, 'GIFT-SMALL');
  await expect(await chip(page, 'GIFT-SMALL')).toContainText('While offline, gift cards can pay at most €200.00 of one ticket.');
  await shot(page, 'checkout-offline');
  await payByCard(page);
  await expect(page.getByTestId('pending-count')).toHaveText('2 pending');

  await hq.start();
  await syncNow(page);
  await expect(page.getByTestId('sync-pending')).toHaveText('0', { timeout: 20_000 });
  await expect(page.getByTestId('online-state')).toHaveText('Online');
  await expect(page.getByTestId('pending-count')).toHaveText('0 pending');
  await expect(page.getByTestId('no-conflicts')).toBeVisible();
});

test('two tills redeem one single-use voucher offline: after reconnecting, one shows the conflict', async ({ browser, hq }) => {
  const tills = await Promise.all(['Till A', 'Till B'].map(async (name) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openPairedTill(page, hq, name);
    return { context, page };
  }));
  await hq.stop();
  for (const { page } of tills) {
    await typeAndEnter(page, EAN.wine);
    await typeAndEnter(page, 'ONCE-0003');
    await expect(await chip(page, 'ONCE-0003')).toHaveAttribute('data-state', 'applied');
    await payByCard(page);
  }
  await hq.start();
  for (const { page } of tills) {
    await syncNow(page);
    await expect(page.getByTestId('sync-pending')).toHaveText('0', { timeout: 20_000 });
  }
  const rows = await Promise.all(tills.map(({ page }) => page.getByTestId('conflict-row').count()));
  // Either till may win (whichever push reached HQ first); sort a copy: sort() in place would make the
  // index below always point at the second till.
  expect([...rows].sort()).toEqual([0, 1]);
  const loser = tills[rows.indexOf(1)]!.page;
  const row = loser.getByTestId('conflict-row');
  await expect(row).toContainText('ONCE-0003');
  await expect(row).toContainText('Another till used it first.');
  await expect(loser.getByTestId('conflict-winner')).toContainText(/^Till \S+ at /);
  await expect(loser.getByTestId('sync-badge')).toContainText('1 conflict');
  await shot(loser, 'sync-panel-conflict');
  for (const { context } of tills) await context.close();
});

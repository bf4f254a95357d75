// The cashier's main flows in real Chromium against a real HQ (PGlite, demo data).
import AxeBuilder from '@axe-core/playwright';
import { chip, createVoucher, EAN, expect, openPairedTill, payByCard, shot, test, typeAndEnter, wedgeScan } from './fixtures';

test('pairing by hand: HQ address and till token, then a real initial load with counts', async ({ page, hq }) => {
  const { token } = await hq.registerTill('Pairing till', 'Europe/Berlin');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Connect this till to head office' })).toBeVisible();
  await page.getByLabel('Head office address').fill(hq.url);
  await shot(page, 'pairing');
  await page.getByLabel('Till token').fill('till_wrong-token');
  await page.getByRole('button', { name: /Connect and load/ }).click();
  await expect(page.getByRole('alert')).toHaveText(/did not accept this till token/);

  await page.getByLabel('Till token').fill(token);
  await page.getByRole('button', { name: /Connect and load/ }).click();
  await expect(page.getByTestId('notice')).toHaveText(/The till is ready/, { timeout: 30_000 });
  await expect(page.getByTestId('online-state')).toHaveText('Online');
  // The replica holds the demo catalog: a scan finds a product without asking HQ.
  await typeAndEnter(page, EAN.croissant);
  await expect(page.getByTestId('ticket-line')).toHaveCount(1);
  await expect(page.getByTestId('ticket-line')).toContainText('Croissant');
});

test('pairing with a short pairing code instead of the token', async ({ page, browser, hq }) => {
  const { till_id } = await hq.registerTill('Code till', 'Europe/Berlin');
  const { pairing_code } = (await (await hq.admin(`/v1/tills/${till_id}/pairing-code`, { method: 'POST', body: '{}' })).json()) as { pairing_code: string };
  await page.goto('/');
  await page.getByLabel('Head office address').fill(hq.url);
  await page.getByLabel('Till token or pairing code').fill(pairing_code.toLowerCase());
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('notice')).toHaveText(/The till is ready/, { timeout: 30_000 });
  // Used up: the same code typed at another till (its own browser profile) is refused in words.
  const context = await browser.newContext();
  const other = await context.newPage();
  await other.goto('/');
  await other.getByLabel('Head office address').fill(hq.url);
  await other.getByLabel('Till token or pairing code').fill(pairing_code);
  await other.keyboard.press('Enter');
  await expect(other.getByRole('alert')).toHaveText(/does not know this pairing code, or it was used or has expired/);
  await context.close();
});

test('the loading screen shows a progress bar and counts', async ({ page, hq }) => {
  const { token } = await hq.registerTill('Loading till', 'Europe/Berlin');
  // The change feed is held until the loading screen has been seen: the test orders it, not a delay.
  let release!: () => void;
  const seen = new Promise<void>((r) => (release = r));
  await page.route('**/v1/sync/changes**', async (route) => {
    await seen;
    await route.continue();
  });
  await page.goto(`/#hq=${encodeURIComponent(hq.url)}&token=${encodeURIComponent(token)}`);
  await expect(page.getByRole('progressbar', { name: 'Initial load' })).toBeVisible();
  await expect(page.getByTestId('load-counts')).toContainText('vouchers');
  release();
  await expect(page.getByTestId('entry-input')).toBeVisible({ timeout: 30_000 });
});

test('a full sale: percent and amount vouchers, a gift card partly used, cash with change, receipt with barcode and QR', async ({ page, hq }) => {
  await openPairedTill(page, hq);
  await typeAndEnter(page, EAN.espresso);
  await typeAndEnter(page, EAN.espresso);
  await typeAndEnter(page, EAN.wine);
  await expect(page.getByTestId('line-qty').first()).toHaveText('2');
  await expect(page.getByTestId('subtotal')).toHaveText('€34.97');

  await typeAndEnter(page, 'welcome10');
  await typeAndEnter(page, 'FIVEOFF');
  await typeAndEnter(page, 'GIFT-0020');
  await expect(await chip(page, 'WELCOME10')).toHaveAttribute('data-state', 'applied');
  await expect(await chip(page, 'WELCOME10')).toContainText('10 % off: −€3.50');
  await expect(await chip(page, 'FIVEOFF')).toContainText('−€5.00');
  await expect(await chip(page, 'GIFT-0020')).toContainText('−€7.50');
  // 34.97 − 3.50 (10 %, rounded once) − 5.00 = 26.47; the gift card pays 7.50 of it.
  await expect(page.getByTestId('total')).toHaveText('€26.47');
  await expect(page.getByTestId('gift-total')).toHaveText('−€7.50');
  await expect(page.getByTestId('amount-due')).toHaveText('€18.97');
  await typeAndEnter(page, 'XMAS-2025');
  await expect(await chip(page, 'XMAS-2025')).toContainText('This voucher expired on 26 Dec 2025.');
  await shot(page, 'checkout');
  await page.getByRole('button', { name: 'Dismiss XMAS-2025' }).click();

  await page.keyboard.press('End');
  await page.getByTestId('cash-input').fill('20');
  await expect(page.getByTestId('change-due')).toHaveText('Change due: €1.03');
  await shot(page, 'payment');
  await page.getByTestId('cash-input').press('Enter');

  await expect(page.getByTestId('notice')).toHaveText('Sale complete. Change due: €1.03');
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByTestId('receipt-total')).toHaveText('€26.47');
  await expect(receipt.getByTestId('receipt-voucher')).toHaveCount(2);
  await expect(receipt.getByTestId('receipt-gift')).toContainText('GIFT-0020');
  await expect(receipt.getByTestId('receipt-tax').locator('tbody tr')).toHaveCount(2);
  for (const id of ['receipt-barcode', 'receipt-qr']) {
    const img = receipt.getByTestId(id);
    await expect(img).toBeVisible();
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  await expect(page.getByTestId('pending-count')).toHaveText('0 pending', { timeout: 15_000 });
  await shot(page, 'receipt');

  // The gift card's remaining balance is 0 now: the voucher check says so.
  await page.keyboard.press('F6');
  await page.getByTestId('check-input').fill('GIFT-0020');
  await page.getByTestId('check-input').press('Enter');
  await expect(page.getByTestId('check-effect')).toHaveText('Gift card, balance €0.00 of €20.00');
  await expect(page.getByTestId('check-verdict')).toHaveText('This gift card has no balance left.');
  await shot(page, 'voucher-check');
});

test('a refund gives a single-use voucher back', async ({ page, hq }) => {
  await openPairedTill(page, hq);
  await typeAndEnter(page, EAN.mug);
  await typeAndEnter(page, 'ONCE-0002');
  await expect(await chip(page, 'ONCE-0002')).toHaveAttribute('data-state', 'applied');
  await payByCard(page);
  const ticketId = (await page.getByTestId('receipt-barcode').getAttribute('alt'))!.replace('Ticket barcode ', '');

  // Used once: the next ticket refuses it, in words.
  await page.getByRole('button', { name: /Next customer/ }).press('Enter');
  await typeAndEnter(page, EAN.mug);
  await typeAndEnter(page, 'ONCE-0002');
  await expect(await chip(page, 'ONCE-0002')).toHaveAttribute('data-state', 'refused');
  await expect(await chip(page, 'ONCE-0002')).toContainText('This voucher was already used on');

  // Scanning a receipt on the sale screen opens it for refund.
  await wedgeScan(page, ticketId);
  await expect(page.getByRole('heading', { name: 'Refund a ticket' })).toBeVisible();
  await expect(page.getByTestId('refund-ticket')).toContainText('ONCE-0002');
  await page.getByTestId('refund-button').click();
  await expect(page.getByTestId('refund-state')).toContainText('1 redemption rolled back');
  await shot(page, 'refund');

  await page.keyboard.press('F1');
  await page.getByRole('button', { name: 'Clear ticket' }).click();
  await typeAndEnter(page, EAN.mug);
  await typeAndEnter(page, 'ONCE-0002');
  await expect(await chip(page, 'ONCE-0002')).toHaveAttribute('data-state', 'applied');
});

test('a refund as store credit: what was paid goes onto the customer’s gift card, and the card shows it', async ({ page, hq }) => {
  await createVoucher(hq, { code: 'GIFT-CREDIT', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 1000 } });
  await openPairedTill(page, hq);
  await typeAndEnter(page, EAN.mug);
  await payByCard(page);
  const ticketId = (await page.getByTestId('receipt-barcode').getAttribute('alt'))!.replace('Ticket barcode ', '');
  await page.getByRole('button', { name: /Next customer/ }).press('Enter');

  await wedgeScan(page, ticketId);
  await expect(page.getByRole('heading', { name: 'Refund a ticket' })).toBeVisible();
  await expect(page.getByTestId('refund-ticket')).toContainText('store credit');
  const paid = (await page.getByTestId('refund-ticket').innerText()).match(/give the (€[\d.,]+) paid/)![1]!;
  await page.getByTestId('refund-credit-card').fill('gift-credit');
  await page.getByTestId('refund-credit-card').press('Enter');
  await expect(page.getByTestId('refund-state')).toContainText(`${paid} store credit on gift card GIFT-CREDIT`);
  await shot(page, 'refund-store-credit');

  // The card holds it at once (the till's replica; HQ books the top-up when the till syncs).
  const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;
  const total = euros(1000 + Number(paid.replace(/\D/g, '')));
  await page.keyboard.press('F6');
  await page.getByTestId('check-input').fill('GIFT-CREDIT');
  await page.getByTestId('check-input').press('Enter');
  await expect(page.getByTestId('check-effect')).toHaveText(`Gift card, balance ${total} of ${total}`);
});

test('wedge-speed scans work while a text field has focus, and leave the cashier’s typing alone', async ({ page, hq }) => {
  await openPairedTill(page, hq);
  const input = page.getByTestId('entry-input');
  await input.focus();
  await input.pressSequentially('12', { delay: 120 });
  await wedgeScan(page, EAN.croissant);
  await expect(page.getByTestId('ticket-line')).toContainText('Croissant');
  await expect(input).toHaveValue('12');

  // On the voucher check with its field focused and half-typed, a scanned card is checked at once.
  await page.keyboard.press('F6');
  const field = page.getByTestId('check-input');
  await field.pressSequentially('AB', { delay: 120 });
  await wedgeScan(page, 'GIFT-0050');
  await expect(page.getByTestId('check-result')).toContainText('GIFT-0050');
  await expect(page.getByTestId('check-effect')).toHaveText('Gift card, balance €50.00 of €50.00');
  await expect(field).toHaveValue('AB');

  // At the gift-card desk, scanning a card shows its balance on the voucher check.
  await page.keyboard.press('F7');
  await wedgeScan(page, 'GIFT-0020');
  await expect(page.getByTestId('check-result')).toContainText('GIFT-0020');
});

test('every screen is free of serious accessibility violations (axe)', async ({ page, hq, browser }) => {
  await openPairedTill(page, hq);
  await typeAndEnter(page, EAN.wine);
  await typeAndEnter(page, 'XMAS-2025');
  const serious = async (p: typeof page) => (await new AxeBuilder({ page: p }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  expect(await serious(page)).toEqual([]);
  await page.keyboard.press('End');
  await expect(page.getByTestId('cash-input')).toBeFocused();
  expect(await serious(page)).toEqual([]);
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('receipt-qr')).toBeVisible();
  expect(await serious(page)).toEqual([]);
  await page.keyboard.press('F6');
  await page.getByTestId('check-input').fill('GIFT-0050');
  await page.getByTestId('check-input').press('Enter');
  await expect(page.getByTestId('check-result')).toBeVisible();
  expect(await serious(page)).toEqual([]);
  await page.keyboard.press('F7');
  await page.getByTestId('gift-amount').fill('10');
  await page.getByTestId('gift-amount').press('Enter');
  await expect(page.getByTestId('issued-card')).toBeVisible();
  expect(await serious(page)).toEqual([]);
  await page.keyboard.press('F8');
  expect(await serious(page)).toEqual([]);
  await page.keyboard.press('F9');
  expect(await serious(page)).toEqual([]);
  await page.keyboard.press('F10');
  expect(await serious(page)).toEqual([]);
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto('/');
  await expect(fresh.getByRole('heading', { name: 'Connect this till to head office' })).toBeVisible();
  expect(await serious(fresh)).toEqual([]);
  await context.close();
});

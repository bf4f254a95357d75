// The renderer against the preload contract (renderer/shell/till-shell-api.ts) with a stand-in for
// Electron's window.tillShell: the token goes to the shell, printing goes to the chosen printer with
// self-contained HTML (barcode and QR inside), and gift cards are sold and printed offline.
import { EAN, expect, openPairedTill, shot, test, typeAndEnter } from './fixtures';

type Printed = { html: string; printer: string | undefined };

test('with a desktop shell: token kept by the shell, receipts and gift cards printed to the chosen printer, gift cards sold offline', async ({ page, hq }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __printed: Printed[]; __token: string | null; tillShell: unknown };
    w.__printed = [];
    w.__token = null;
    w.tillShell = {
      kind: 'electron',
      appVersion: async () => '9.9.9-test',
      listPrinters: async () => [{ name: 'receipt-80mm', displayName: 'Receipt printer 80 mm', isDefault: false }, { name: 'office', displayName: 'Office laser', isDefault: true }],
      printHtml: async (html: string, options?: { printer?: string }) => {
        w.__printed.push({ html, printer: options?.printer });
        return { ok: true };
      },
      readToken: async () => w.__token,
      storeToken: async (t: string) => void (w.__token = t),
      clearToken: async () => void (w.__token = null),
      readConfig: async () => null,
      onQuitRequested: () => () => undefined,
    };
  });
  await openPairedTill(page, hq, 'Desktop till');
  expect(await page.evaluate(() => (window as unknown as { __token: string | null }).__token)).toMatch(/^till_/);
  expect(await page.evaluate(() => localStorage.getItem('voucher-till:token'))).toBeNull();

  await page.keyboard.press('F10');
  await expect(page.getByText('voucher-till 9.9.9-test (electron)')).toBeVisible();
  await page.getByLabel('Printer').selectOption('receipt-80mm');
  await page.getByLabel('Store time zone').fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert')).toContainText('Store time zone: must be an IANA time zone');
  await page.getByLabel('Store time zone').fill('Europe/Berlin');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('notice')).toHaveText('Settings saved.');
  await shot(page, 'settings');

  await page.keyboard.press('F1');
  await typeAndEnter(page, EAN.croissant);
  await page.keyboard.press('End');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('receipt')).toBeVisible();
  await page.keyboard.press('p');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __printed: Printed[] }).__printed.length)).toBe(1);
  const receipt = (await page.evaluate(() => (window as unknown as { __printed: Printed[] }).__printed[0]))!;
  expect(receipt.printer).toBe('receipt-80mm');
  expect(receipt.html).toMatch(/^<!doctype html>/);
  expect(receipt.html.match(/<img src="data:image\/svg\+xml/g)).toHaveLength(2);
  expect(receipt.html).toContain('Croissant');

  // Offline: a gift card still sells from the codes leased to this till.
  await hq.stop();
  await page.keyboard.press('F7');
  const left = Number((await page.getByTestId('gift-codes-left').textContent())!.match(/\d+/)![0]);
  expect(left).toBeGreaterThan(0);
  await page.getByTestId('gift-amount').fill('25');
  await page.getByTestId('gift-amount').press('Enter');
  const card = page.getByTestId('issued-card');
  await expect(card).toContainText('Value €25.00');
  await expect(page.getByTestId('gift-codes-left')).toHaveText(`${left - 1} gift-card numbers left at this till.`);
  await shot(page, 'gift-card');
  const code = (await card.getByRole('heading', { level: 2 }).textContent())!.replace('Gift card ', '');
  await card.getByRole('button', { name: 'Print gift card' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __printed: Printed[] }).__printed.length)).toBe(2);
  const printed = (await page.evaluate(() => (window as unknown as { __printed: Printed[] }).__printed[1]))!;
  expect(printed.html).toContain(`Barcode ${code}`);
  expect(printed.html).toContain(`QR code ${code}`);
  await expect(page.getByTestId('pending-count')).toHaveText('1 pending');

  // The new card works at once, offline, on this till.
  await page.keyboard.press('F1');
  await typeAndEnter(page, EAN.espresso);
  await typeAndEnter(page, code);
  await expect(page.getByTestId('gift-total')).toHaveText('−€12.99');
  await hq.start();
});

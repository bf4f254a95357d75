// The till in the cashier's language (issue 16), in real Chromium: a full sale in German — vouchers,
// a refusal, payment and receipt, with a wedge scan and the keyboard shortcuts working as in English —
// and the pseudo-locale, which shows any word on the main screens that escaped translation or does not fit.
import type { Page } from '@playwright/test';
import { chip, EAN, expect, shot, test, typeAndEnter, wedgeScan } from './fixtures';
import type { HqProcess } from '../../scripts/hq-process';
import { brokenSentences, clippedButtons, untranslatedWords } from './pseudo-check';

async function openTillIn(page: Page, hq: HqProcess, locale: string): Promise<void> {
  const { token } = await hq.registerTill(`Till ${locale}`, 'Europe/Berlin');
  await page.addInitScript((loc) => {
    localStorage.setItem('voucher-till:settings', JSON.stringify({ timeZone: 'Europe/Berlin', currency: 'EUR', locale: loc, maxOfflineGiftPerTicket: 20000, maxReplicaAgeHours: 24, printer: null }));
  }, locale);
  await page.goto(`/#hq=${encodeURIComponent(hq.url)}&token=${encodeURIComponent(token)}`);
  await expect(page.getByTestId('entry-input')).toBeVisible({ timeout: 30_000 });
}

const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

test('a full sale in German: vouchers, a refusal, payment, receipt; scanner and shortcuts as ever', async ({ page, hq }) => {
  await openTillIn(page, hq, 'de-DE');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByTestId('online-state')).toHaveText('Online', { timeout: 15_000 });
  await expect(page.getByText('Barcode oder Gutscheincode scannen oder eingeben')).toBeVisible();
  await wedgeScan(page, EAN.espresso);
  await typeAndEnter(page, EAN.wine);
  await expect(page.getByTestId('ticket-line')).toHaveCount(2);
  await expect(page.getByRole('columnheader', { name: 'Menge' })).toBeVisible();
  await typeAndEnter(page, 'WELCOME10');
  await expect.poll(async () => plain(await (await chip(page, 'WELCOME10')).textContent())).toContain('10 % Rabatt: −');
  await typeAndEnter(page, 'XMAS-2025');
  await expect(await chip(page, 'XMAS-2025')).toContainText('Dieser Gutschein ist am 26. Dez. 2025 abgelaufen.');
  await typeAndEnter(page, 'NO-SUCH-CODE-1');
  await expect(await chip(page, 'NO-SUCH-CODE-1')).toContainText('Kein Gutschein und keine Geschenkkarte hat den Code NO-SUCH-CODE-1.');
  await expect(page.getByText('Zwischensumme')).toBeVisible();
  await shot(page, 'checkout-de');

  await page.keyboard.press('End');
  await expect(page.getByRole('heading', { name: /^Zahlung – offen / })).toBeVisible();
  await page.getByTestId('cash-input').fill('50');
  await expect.poll(async () => plain(await page.getByTestId('change-due').textContent())).toMatch(/^Rückgeld: \d+,\d\d €$/);
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('notice')).toHaveText(/^Verkauf abgeschlossen\. Rückgeld: /);
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByRole('heading', { name: 'Beleg' })).toBeVisible();
  await expect(receipt).toContainText('Zwischensumme');
  await expect(receipt).toContainText('Gutschein WELCOME10');
  await expect(receipt).toContainText('Bar');
  await expect(receipt.getByRole('img', { name: /^Barcode des Bons / })).toBeVisible();
  await shot(page, 'receipt-de');
  // F6 opens the voucher check, in German too.
  await page.keyboard.press('F6');
  await expect(page.getByRole('heading', { name: 'Gutschein oder Geschenkkarte prüfen' })).toBeVisible();
});

test('a full sale in Arabic, right to left: the layout mirrors, the receipt reads right to left', async ({ page, hq }) => {
  await openTillIn(page, hq, 'ar-EG');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.getByText('امسح أو اكتب الباركود أو رمز القسيمة')).toBeVisible();
  await wedgeScan(page, EAN.croissant);
  await typeAndEnter(page, 'WELCOME10');
  await expect(await chip(page, 'WELCOME10')).toContainText('خصم');
  await typeAndEnter(page, 'XMAS-2025');
  await expect(await chip(page, 'XMAS-2025')).toContainText('انتهت صلاحية هذه القسيمة في');
  // Mirrored: the ticket sits on the right of the totals, and numbers align to the left edge of their cells.
  const ticket = await page.getByRole('region', { name: 'الفاتورة' }).boundingBox();
  const totals = await page.getByTestId('totals').boundingBox();
  expect(ticket!.x).toBeGreaterThan(totals!.x);
  // A price cell's text hugs the left edge of its cell (its end, right to left).
  const cell = page.getByTestId('ticket-line').locator('td.num').nth(1);
  const [box, text] = await cell.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    const c = el.getBoundingClientRect();
    return [{ left: c.left, right: c.right }, { left: r.left, right: r.right }];
  });
  expect(text.left - box.left).toBeLessThan(box.right - text.right);
  await shot(page, 'checkout-ar');
  await page.keyboard.press('End');
  await expect(page.getByRole('heading', { name: /^الدفع — المستحق/ })).toBeVisible();
  await page.keyboard.press('Control+Enter');
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByRole('heading', { name: 'الإيصال' })).toBeVisible();
  await expect(receipt).toContainText('المجموع الفرعي');
  await expect(receipt).toContainText('بطاقة');
  expect(await receipt.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  await shot(page, 'receipt-ar');

  // Beyond the checkout: Settings refuse a bad value naming the field in Arabic; the sync panel speaks it too.
  await page.keyboard.press('Escape');
  await page.keyboard.press('F10');
  await expect(page.getByRole('heading', { name: 'الإعدادات' })).toBeVisible();
  await page.getByLabel('العملة').fill('E1');
  await page.getByRole('button', { name: 'احفظ الإعدادات' }).click();
  await expect(page.getByRole('alert')).toHaveText('العملة: يجب أن يكون رمز ISO 4217 من ثلاثة أحرف، مثل EUR');
  await shot(page, 'settings-ar');
  await page.keyboard.press('F9');
  await expect(page.getByRole('heading', { name: 'المزامنة مع المكتب الرئيسي' })).toBeVisible();
});

test('the pseudo-locale: every word on the checkout and payment screens is translated, whole, and fits', async ({ page, hq }) => {
  await openTillIn(page, hq, 'en-XA');
  await typeAndEnter(page, EAN.croissant);
  await typeAndEnter(page, 'WELCOME10');
  // Data, not words: product names, codes, money, key names, the brand.
  const data = /^(Croissant|WELCOME10|voucher-till|F\d+|End|Esc|P|[A-Z0-9-]{4,}|[€\d.,\s−+✕×:%()~-]*)$/;
  const untranslated = () => untranslatedWords(page, data);
  expect(await untranslated()).toEqual([]);
  expect(await brokenSentences(page)).toEqual([]);
  expect(await clippedButtons(page)).toEqual([]);
  await page.keyboard.press('End');
  expect(await untranslated()).toEqual([]);
  await shot(page, 'checkout-pseudo');
});

// Browser-test fixtures: a real HQ child process on PGlite with the demo data (one per test file, on a
// free port, in a fresh temporary directory), and helpers that pair a page's till with it.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hqProcess, type HqProcess } from '../../scripts/hq-process';
import { freePort } from '../../testkit/free-port';


export const test = base.extend<object, { hq: HqProcess }>({
  hq: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'till-e2e-'));
      const hq = hqProcess({ port: await freePort(), dataDir: join(dir, 'pglite'), seedDemo: true, timeZone: 'Europe/Berlin' });
      await hq.start();
      await use(hq);
      await hq.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

export { expect };

/** EAN-13 barcodes of the demo catalog (hq/seed-demo.ts), as printed on the packs. */
export const EAN = {
  espresso: '4006381100007',
  croissant: '4006381100021',
  wine: '4006381100052',
  mug: '4006381100090',
} as const;

/** Store the settings the tests rely on (zone, locale) before the app reads them, on every page load. */
export async function storeTestSettings(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    if (!localStorage.getItem('voucher-till:settings')) {
      localStorage.setItem('voucher-till:settings', JSON.stringify({ timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en-GB', maxOfflineGiftPerTicket: 20000, maxReplicaAgeHours: 24, printer: null }));
    }
  });
}

/** Register a till at HQ and open the page with the pairing hint npm start uses; wait until ready. */
export async function openPairedTill(page: Page, hq: HqProcess, name = 'E2E till'): Promise<void> {
  const { token } = await hq.registerTill(name, 'Europe/Berlin');
  await storeTestSettings(page);
  await page.goto(`/#hq=${encodeURIComponent(hq.url)}&token=${encodeURIComponent(token)}`);
  await expect(page.getByTestId('entry-input')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('online-state')).toHaveText('Online', { timeout: 15_000 });
}

/** Type into the focused field the way a person does: the wedge detector must not see a scanner. */
export async function typeAndEnter(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('entry-input');
  await input.fill(text);
  await input.press('Enter');
}

/**
 * A keyboard-wedge scan: characters 2 ms apart followed by Enter, wherever focus is. Sent through the
 * DevTools protocol with explicit timestamps, so the events' timeStamp says "scanner speed" even when
 * a busy machine delivers them slowly — the detector judges by those timestamps alone.
 */
export async function wedgeScan(page: Page, text: string, gapMs = 2): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() / 1000;
  const keys = [...text].map((ch) => ({ key: ch, text: ch, code: '', keyCode: ch.toUpperCase().charCodeAt(0) }));
  keys.push({ key: 'Enter', text: '\r', code: 'Enter', keyCode: 13 });
  for (const [i, k] of keys.entries()) {
    const timestamp = start + (i * gapMs) / 1000;
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k.key, code: k.code, text: k.text, unmodifiedText: k.text, windowsVirtualKeyCode: k.keyCode, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.keyCode, timestamp: timestamp + 0.0005 });
  }
  await cdp.detach();
}

export async function chip(page: Page, code: string) {
  return page.locator(`[data-testid="voucher-chip"][data-code="${code}"]`);
}

/**
 * A screenshot of a main screen. Always taken (into .data/screenshots) so a broken screen shows up in
 * the test output; UPDATE_SCREENSHOTS=1 writes the README's copies in docs/screenshots instead.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.data/screenshots';
  await page.screenshot({ path: `${dir}/${name}.png` });
}

export async function createVoucher(hq: HqProcess, body: Record<string, unknown>): Promise<void> {
  const res = await hq.admin('/v1/vouchers', { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST /v1/vouchers ${res.status}: ${await res.text()}`);
}

/** Import vouchers (the only way to bring in a partly used card) and wait until HQ has them. */
export async function importVouchers(hq: HqProcess, vouchers: Record<string, unknown>[]): Promise<void> {
  const res = await hq.admin('/v1/vouchers/import', { method: 'POST', body: JSON.stringify(vouchers) });
  if (res.status !== 202) throw new Error(`import ${res.status}: ${await res.text()}`);
  const { async_action_id } = (await res.json()) as { async_action_id: string };
  for (;;) {
    const action = (await (await hq.admin(`/v1/async-actions/${async_action_id}`)).json()) as { status: string; result?: unknown };
    if (action.status === 'DONE') return;
    if (action.status === 'FAILED') throw new Error(`import failed: ${JSON.stringify(action)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** End (pay), Ctrl+Enter (card), and the receipt is on screen. */
export async function payByCard(page: Page): Promise<void> {
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('receipt')).toBeVisible();
}

// The back-office console in Chromium (issue 15): sign-in, roles, reconciliation with the handled mark,
// voucher search and a voucher's page with its assets, people, the audit log, own password — each
// screen keyboard-reachable and without serious axe violations. HQ serves the console at /admin/.
import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { hqProcess, type HqProcess } from '../../scripts/hq-process';
import { freePort } from '../../testkit/free-port';
import { shot } from './fixtures';
import { brokenSentences, clippedButtons, leftoverWords, untranslatedWords } from './pseudo-check';

const ADMIN = { email: 'boss@shop.example', password: 'back office e2e 1' };

const test = base.extend<object, { hq: HqProcess }>({
  hq: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'backoffice-e2e-'));
      const hq = hqProcess({ port: await freePort(), dataDir: join(dir, 'pglite'), seedDemo: true, timeZone: 'Europe/Berlin', env: { HQ_ADMIN_EMAIL: ADMIN.email, HQ_ADMIN_PASSWORD: ADMIN.password } });
      await hq.start();
      await use(hq);
      await hq.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

async function signIn(page: Page, hq: HqProcess, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${hq.url}/admin/`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Needs a person' })).toBeVisible();
}

async function addUser(hq: HqProcess, role: 'viewer' | 'manager' | 'admin'): Promise<{ email: string; password: string }> {
  const who = { email: `${role}-${randomUUID().slice(0, 8)}@shop.example`, password: `${role} password 123` };
  const res = await hq.admin('/v1/users', { method: 'POST', body: JSON.stringify({ ...who, role }) });
  expect(res.status, await res.text()).toBe(201);
  return who;
}

async function seriousViolations(page: Page): Promise<string[]> {
  return (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** Two tills redeem one single-use code: HQ accepts the first and records the second as a CONFLICT. */
async function makeConflict(hq: HqProcess, store = 'Berlin Mitte', tills: readonly [string, string] = ['Front till', 'Back till']): Promise<string> {
  const code = `E2E-${randomUUID().slice(0, 6).toUpperCase()}`;
  const created = await hq.admin('/v1/vouchers', { method: 'POST', body: JSON.stringify({ code, type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: 'E2E five off', discount: { type: 'AMOUNT', amount_off: 500 }, redemption: { quantity: 1 } }) });
  expect(created.status).toBe(201);
  for (const [name, ticket] of [[tills[0], 'F-1001'], [tills[1], 'B-2002']] as const) {
    const res = await hq.admin('/v1/tills', { method: 'POST', body: JSON.stringify({ name, time_zone: 'Europe/Berlin', store }) });
    const { token } = (await res.json()) as { token: string };
    const op = { op_id: randomUUID(), seq: 1, type: 'REDEMPTION', occurred_at: new Date().toISOString(), payload: { code, ticket_id: ticket, amount: 500 } };
    const pushed = await fetch(`${hq.url}/v1/sync/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ops: [op] }) });
    expect(pushed.status).toBe(200);
  }
  return code;
}

test('a wrong password is refused in words; the right one signs in; signing out ends the session', async ({ page, hq }) => {
  await page.goto(`${hq.url}/admin/`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('do not match an enabled user');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-sign-in');
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('heading', { name: 'Needs a person' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toHaveText('You are signed out.');
  await page.reload();
  await expect(page.getByLabel('E-mail')).toBeVisible();
});

test('reconciliation: a code honoured twice shows both tills and tickets, is marked handled with a note, and the audit log says who', async ({ page, hq }) => {
  const code = await makeConflict(hq);
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `Honoured twice: ${code}` }) });
  await expect(item).toContainText('Back till (Berlin Mitte), ticket B-2002');
  await expect(item).toContainText('Honoured first at');
  await expect(item).toContainText('Front till (Berlin Mitte), ticket F-1001');
  await expect(item).toContainText('quantity_exceeded');
  await expect(page.getByRole('table', { name: /Per day/ })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-reconciliation');

  // Keyboard only: Tab to the item's button, Enter, type the note, Enter.
  await item.getByRole('button', { name: 'Mark handled…' }).focus();
  await page.keyboard.press('Enter');
  await expect(item.getByLabel('What was done')).toBeFocused();
  await page.keyboard.type('Refunded the customer at the back till.');
  await item.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: `Honoured twice: ${code}` })).toHaveCount(0);
  await page.getByLabel('Shown').selectOption('true');
  await expect(page.getByRole('listitem').filter({ hasText: code })).toContainText(`by ${manager.email}`);

  // Only an admin reads the audit log.
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, hq, ADMIN);
  await page.getByRole('link', { name: 'Audit log' }).click();
  const row = page.getByRole('row').filter({ hasText: 'PUT /v1/reconciliation/:op_id/handled' }).first();
  await expect(row).toContainText(manager.email);
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-audit-log');
});

test('a viewer reads but changes nothing: no actions shown, and HQ refuses one forced through the page', async ({ page, hq }) => {
  await makeConflict(hq);
  const viewer = await addUser(hq, 'viewer');
  await signIn(page, hq, viewer);
  await expect(page.getByRole('button', { name: 'Mark handled…' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
  // The same request the button would send, made from the page itself (same origin, with its cookie).
  const refused = await page.evaluate(async () => {
    const res = await fetch('/v1/vouchers/WELCOME10/cancel', { method: 'POST' });
    return { status: res.status, code: ((await res.json()) as { code: string }).code };
  });
  expect(refused).toEqual({ status: 403, code: 'forbidden' });
  // And a request from another origin carrying the cookie is refused as cross-site (CSRF), even for an admin.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, hq, ADMIN);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'vt_session')!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  const forged = await fetch(`${hq.url}/v1/vouchers/WELCOME10/cancel`, { method: 'POST', headers: { cookie: `vt_session=${session.value}`, origin: 'https://evil.example' } });
  expect(forged.status).toBe(403);
  expect(((await forged.json()) as { code: string }).code).toBe('csrf_refused');
});

test('vouchers: search, a voucher\'s rules in words with its barcode and QR code, cancelled by a manager', async ({ page, hq }) => {
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  await page.getByRole('link', { name: 'Vouchers' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('welcome');
  const link = page.getByRole('link', { name: 'WELCOME10' });
  await expect(link).toBeVisible();
  await expect(page.getByRole('table')).toContainText('1 voucher');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-vouchers');
  await link.click();
  await expect(page.getByRole('heading', { name: 'Voucher WELCOME10' })).toBeVisible();
  await expect(page.getByText('Dates and times are in Europe/Berlin')).toBeVisible();
  for (const name of ['Barcode of WELCOME10', 'QR code of WELCOME10']) {
    const img = page.getByRole('img', { name });
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-voucher');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Cancel voucher' }).click();
  await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();
});

test('people: an admin adds a manager, who signs in and changes their own password', async ({ page, hq }) => {
  await signIn(page, hq, ADMIN);
  await page.getByRole('link', { name: 'People' }).click();
  const email = `new-${randomUUID().slice(0, 8)}@shop.example`;
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel(/First password/).fill('first password 1');
  await form.getByLabel('Role').selectOption('manager');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status')).toHaveText(`${email} can sign in now.`);
  await expect(page.getByRole('combobox', { name: `Role of ${email}` })).toHaveValue('manager');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-people');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, hq, { email, password: 'first password 1' });
  await page.getByRole('link', { name: 'Your account' }).click();
  await page.getByLabel('Current password').fill('wrong password');
  await page.getByLabel('New password (at least 10 characters)').fill('second password 2');
  await page.getByLabel('New password again').fill('second password 2');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toContainText('give your current one');
  await page.getByLabel('Current password').fill('first password 1');
  await page.getByLabel('New password (at least 10 characters)').fill('second password 2');
  await page.getByLabel('New password again').fill('second password 2');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');
  expect(await seriousViolations(page)).toEqual([]);
});

test('tills: register one, read its pairing code (text and QR) and pair with it; filter reconciliation by store; revoke', async ({ page, hq }) => {
  const berlin = await makeConflict(hq);
  const hamburg = await makeConflict(hq, 'Hamburg');
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  await expect(page.getByRole('heading', { name: `Honoured twice: ${berlin}` })).toBeVisible();
  await page.getByLabel('Store').selectOption('Hamburg');
  await expect(page.getByRole('heading', { name: `Honoured twice: ${berlin}` })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: `Honoured twice: ${hamburg}` })).toBeVisible();
  await page.getByRole('link', { name: 'Tills' }).click();
  const form = page.getByRole('form', { name: 'Register a till' });
  await form.getByLabel('Name').fill('Window till');
  await form.getByLabel('Store (optional)').fill('Köln');
  await form.getByRole('button', { name: 'Register and show its pairing code' }).click();
  const code = (await page.getByTestId('pairing-code').textContent())!;
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const qr = page.getByRole('img', { name: `QR code of the pairing code ${code}` });
  await expect.poll(() => qr.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-tills');
  // The code is what a till exchanges for its token.
  const paired = await fetch(`${hq.url}/v1/pairings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairing_code: code }) });
  expect(paired.status).toBe(200);
  await page.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Window till' });
  await expect(row).toContainText('Köln');
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('(revoked)');
});

test('API keys: made with scopes and shown once, listed without the secret, revoked', async ({ page, hq }) => {
  await signIn(page, hq, ADMIN);
  await page.getByRole('link', { name: 'API keys' }).click();
  const form = page.getByRole('form', { name: 'Make a key' });
  await form.getByLabel(/^Name/).fill('Web shop');
  await form.getByLabel('look vouchers up and validate tickets').check();
  await form.getByRole('button', { name: 'Make key' }).click();
  const key = (await page.getByTestId('new-key').textContent())!;
  expect(key).toMatch(/^key_/);
  const redeemed = await fetch(`${hq.url}/v1/vouchers/WELCOME10`, { headers: { authorization: `Bearer ${key}` } });
  expect(redeemed.status).toBe(200);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByText(key)).toHaveCount(0);
  const row = page.getByRole('row').filter({ hasText: 'Web shop' });
  await expect(row).toContainText('redeem vouchers');
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toHaveCount(0);
  expect((await fetch(`${hq.url}/v1/vouchers/WELCOME10`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
});

test('imports: a CSV file with a bad row — progress to done, the refused row listed with its reason and downloadable', async ({ page, hq }) => {
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  await page.getByRole('link', { name: 'Import' }).click();
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const csv = ['code,type,currency,label,discount.type,discount.amount_off,gift.amount,start_date',
    `IMP-${tag}-1,DISCOUNT_VOUCHER,EUR,Spring,AMOUNT,500,,2026-03-01`,
    `IMP-${tag}-2,GIFT_VOUCHER,EUR,Gift,,,2500,2026-03-01T10:00`,
    `IMP-${tag}-3,DISCOUNT_VOUCHER,EUR,Broken,AMOUNT,five,,2026-03-01`].join('\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'spring.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status')).toHaveText('2 imported, 1 refused.');
  await expect(page.getByRole('progressbar')).toBeVisible();
  const refused = page.getByRole('table', { name: /Refused rows/ });
  await expect(refused.getByRole('row')).toHaveCount(2);
  await expect(refused).toContainText(`IMP-${tag}-3`);
  await expect(refused.getByRole('cell', { name: '4', exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-import');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download the refused rows/ }).click()]);
  expect(download.suggestedFilename()).toBe('spring-errors.csv');
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(text.split('\r\n')[0]).toBe('row,code,error');
  expect(text).toContain(`4,IMP-${tag}-3,`);
  // The imported ones are there.
  await page.getByRole('link', { name: 'Vouchers' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(`IMP-${tag}`);
  await expect(page.getByRole('table')).toContainText('2 vouchers');
});

test('vouchers: a new one with opening hours, said back in words as it is typed; then edited', async ({ page, hq }) => {
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  await page.getByRole('link', { name: 'Vouchers' }).click();
  await page.getByRole('link', { name: 'New voucher' }).click();
  const code = `HH-${randomUUID().slice(0, 6).toUpperCase()}`;
  const form = page.getByRole('form', { name: 'New voucher' });
  await form.getByLabel('Code (empty: HQ makes one)').fill(code);
  await form.getByLabel(/^Label/).fill('Happy hour');
  await form.getByRole('combobox', { name: /^Discount/ }).selectOption('PERCENT');
  await form.getByLabel('Percent off').fill('15');
  await form.getByLabel('Uses (empty: unlimited)').fill('');
  await form.getByLabel(/^Valid until/).fill('2027-12-31');
  await form.getByRole('button', { name: 'Add opening hours' }).click();
  const hours = form.getByRole('group', { name: 'Opening hours 1' });
  await hours.getByLabel('From').fill('17:00');
  await hours.getByLabel('Until').fill('19:00');
  const preview = form.getByRole('region', { name: 'In words' });
  await expect(preview).toContainText('15 % off');
  await expect(preview).toContainText('17:00–19:00');
  await expect(preview).toContainText('Unlimited uses');
  await expect(form.getByRole('group', { name: /^When \(in Europe\/Berlin/ })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-voucher-form');
  await form.getByRole('button', { name: 'Create voucher' }).click();
  await expect(page.getByRole('heading', { name: `Created: ${code}` })).toBeVisible();
  await page.getByRole('link', { name: `Open ${code}` }).click();
  await expect(page.getByText('17:00–19:00')).toBeVisible();
  await page.getByRole('link', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: `Edit ${code}` });
  await expect(edit.getByLabel('Percent off')).toHaveValue('15');
  await edit.getByLabel(/^Label/).fill('Happy hour, evenings');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: `Saved: ${code}` })).toBeVisible();
  const stored = (await (await hq.admin(`/v1/vouchers/${code}`)).json()) as { label: string; validity_hours: unknown; expiration_date: string };
  expect(stored).toMatchObject({ label: 'Happy hour, evenings', expiration_date: '2027-12-31', validity_hours: { daily: [{ start_time: '17:00', expiration_time: '19:00', days_of_week: [1, 2, 3, 4, 5] }] } });
});

test('vouchers: a field HQ cannot read is named at the field; a gift card is topped up and its ledger shows it', async ({ page, hq }) => {
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  await page.goto(`${hq.url}/admin/#/new`);
  const form = page.getByRole('form', { name: 'New voucher' });
  await form.getByLabel('Type').selectOption('GIFT_VOUCHER');
  const value = form.getByLabel(/^Value/);
  await value.fill('twenty');
  await form.getByRole('button', { name: 'Create voucher' }).click();
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('"twenty" is not an amount of money')).toBeVisible();
  await value.fill('20.00');
  await form.getByRole('button', { name: 'Create voucher' }).click();
  const created = page.getByRole('heading', { name: /^Created: / });
  const code = ((await created.textContent()) ?? '').replace('Created: ', '');
  await page.getByRole('link', { name: `Open ${code}` }).click();
  await page.getByLabel(/^Add store credit/).fill('5');
  await page.getByRole('button', { name: 'Top up' }).click();
  const ledger = page.getByRole('table', { name: /Oldest first/ });
  await expect(ledger.getByRole('row')).toHaveCount(3);
  await expect(ledger).toContainText('Topped up');
  await expect(ledger.getByRole('row').last()).toContainText('€25.00');
  expect(await seriousViolations(page)).toEqual([]);
});

test('generate codes for an offer and download them as CSV', async ({ page, hq }) => {
  const manager = await addUser(hq, 'manager');
  await signIn(page, hq, manager);
  await page.goto(`${hq.url}/admin/#/generate`);
  const offer = `SPRING-${randomUUID().slice(0, 4).toUpperCase()}`;
  const form = page.getByRole('form', { name: 'Generate codes for an offer' });
  await form.getByLabel('How many codes').fill('5');
  await form.getByLabel(/^Offer/).fill(offer);
  await form.getByLabel('Amount off (EUR)').fill('3');
  await form.getByRole('button', { name: 'Generate 5 codes' }).click();
  await expect(page.getByText('5 of 5 made')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the 5 codes (CSV)' }).click()]);
  expect(download.suggestedFilename()).toBe(`${offer}-codes.csv`);
  const lines = (await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'))).split('\r\n');
  expect(lines[0]).toBe('code,campaign,label,start_date,expiration_date');
  expect(lines).toHaveLength(6);
  const codes = lines.slice(1).map((l) => l.split(',')[0]!);
  expect(new Set(codes).size).toBe(5);
  for (const c of codes) expect(c).toMatch(/^[A-Z0-9]{8}$/);
  const listed = (await (await hq.admin(`/v1/vouchers?campaign=${offer}`)).json()) as { total: number };
  expect(listed.total).toBe(5);
});

// Issue 16: the console in the person's language, with the till's words underneath.
test('in German: chosen on the sign-in page and kept; HQ\'s refusal in German with its own words beside it; money, dates and a card\'s ledger the German way', async ({ page, hq }) => {
  const code = await makeConflict(hq, 'Köln');
  await page.goto(`${hq.url}/admin/`);
  await page.getByLabel('Language').selectOption('de-DE');
  await expect(page.getByRole('heading', { name: 'voucher-till Backoffice' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
  await page.getByLabel('E-Mail').fill(ADMIN.email);
  await page.getByLabel('Passwort').fill('nicht mein Passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('E-Mail und Passwort passen zu keinem Konto.');
  await expect(alert.locator('[lang="en"]')).toContainText('do not match an enabled user');
  await page.getByLabel('Passwort').fill(ADMIN.password);
  await page.getByLabel('Passwort').press('Enter');
  await expect(page.getByRole('heading', { name: 'Zu erledigen' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Hauptmenü' }).getByRole('link', { name: 'Gutscheine' })).toBeVisible();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `Doppelt eingelöst: ${code}` }) });
  await expect(item).toContainText(/Bon B-2002, \d{1,2}\. \S+ \d{4}, \d{2}:\d{2}, 5,00\s€/); // "2. Dez. 2026, 09:50"
  await expect(item).toContainText('Der Gutschein war aufgebraucht: Ein anderer Verkauf hat ihn zuerst eingelöst. quantity_exceeded');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, 'backoffice-de');

  // Kept in this browser: a new visit speaks German without asking.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Zu erledigen' })).toBeVisible();

  // A gift card made, refused and topped up in German: the form's words, a German amount, the ledger.
  await page.goto(`${hq.url}/admin/#/new`);
  const form = page.getByRole('form', { name: 'Neuer Gutschein' });
  await form.getByLabel('Typ').selectOption('GIFT_VOUCHER');
  const value = form.getByLabel(/^Wert/);
  await value.fill('zwanzig');
  await form.getByRole('button', { name: 'Gutschein anlegen' }).click();
  await expect(form.getByText('„zwanzig“ ist kein Geldbetrag')).toBeVisible();
  await value.fill('20,50');
  await form.getByRole('button', { name: 'Gutschein anlegen' }).click();
  const created = page.getByRole('heading', { name: /^Angelegt: / });
  const card = ((await created.textContent()) ?? '').replace('Angelegt: ', '');
  await page.getByRole('link', { name: `${card} öffnen` }).click();
  await page.getByLabel(/^Guthaben aufladen/).fill('5');
  await page.getByRole('button', { name: 'Aufladen' }).click();
  const ledger = page.getByRole('table', { name: /Älteste zuerst/ });
  await expect(ledger).toContainText('Aufgeladen');
  await expect(ledger.getByRole('row').last()).toContainText(/25,50\s€/);
  expect(await seriousViolations(page)).toEqual([]);
});

test('a browser set to Austrian German gets the console in German without choosing; one in French gets English', async ({ browser, hq }) => {
  for (const [locale, heading, lang] of [['de-AT', 'voucher-till Backoffice', 'de-AT'], ['fr-FR', 'voucher-till back office', 'en-GB']] as const) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(`${hq.url}/admin/`);
    await expect(page.getByRole('heading', { name: heading })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await context.close();
  }
});

test('the pseudo-locale: every word of the console\'s pages is translated, whole, and fits', async ({ page, hq }) => {
  const code = await makeConflict(hq, 'Kiel', ['Vorn', 'Hinten']);
  const card = `PSEUDO-${randomUUID().slice(0, 6).toUpperCase()}`;
  const made = await hq.admin('/v1/vouchers', { method: 'POST', body: JSON.stringify({ code: card, type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 2000 } }) });
  expect(made.status, await made.text()).toBe(201);
  // Chosen the way a tester would: the console's language kept in this browser (backoffice/words/words.ts).
  await page.addInitScript(() => localStorage.setItem('voucher-till.backoffice.locale', 'en-XA'));
  // Data, not words: codes, e-mails, the tills' and store's names, HQ's zone and reason codes, the
  // language names in the picker, JSON examples, and what Intl writes for dates in this (English-based) locale.
  const data = /^(\(?(Vorn|Hinten|Kiel|EUR|English|Deutsch|Europe\/Berlin|voucher-till)\)?,?|[A-Z0-9-]{4,}:?|\S*@\S*|\S*_\S*|\S*["{}]\S*|\(?[A-Z_]+\)|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|AM|PM)[.,]?|[€\d.,\s−+✕×:%()~–-]*)$/;
  const check = async (where: string, skip = '') => {
    expect(await untranslatedWords(page, data, skip), where).toEqual([]);
    expect(await brokenSentences(page, skip), where).toEqual([]);
    expect(await clippedButtons(page), where).toEqual([]);
    expect(await page.title(), `${where}: the page's title`).toMatch(/^⟦.*⟧$/);
  };
  await page.goto(`${hq.url}/admin/`);
  await expect(page.locator('input[name="email"]')).toBeVisible();
  await check('sign-in');
  await page.locator('input[name="email"]').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill(ADMIN.password);
  await page.locator('input[name="password"]').press('Enter');
  await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: code })).toBeVisible();
  await page.locator('main select').nth(1).selectOption('Kiel'); // the store filter
  await expect(page.getByRole('heading', { level: 2 })).toHaveCount(1);
  await check('reconciliation');
  await shot(page, 'backoffice-pseudo');
  for (const type of ['DISCOUNT_VOUCHER', 'GIFT_VOUCHER', 'LOYALTY_CARD']) {
    await page.goto(`${hq.url}/admin/#/new`);
    await page.locator('form select').first().selectOption(type);
    await check(`new voucher, ${type}`);
  }
  await page.goto(`${hq.url}/admin/#/vouchers/${card}`);
  await expect(page.getByRole('table').last()).toBeVisible();
  await check('a gift card\'s page');
  // What the browser's own dialogs ask is translated too (here: cancelling the card, then not).
  const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.message()))));
  await page.locator('main .actions button[type="button"]').first().click();
  expect(leftoverWords(await asked, data)).toEqual([]);
  for (const screen of ['imports', 'account', 'users', 'generate']) {
    await page.goto(`${hq.url}/admin/#/${screen}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await check(screen);
  }
  // Lists of data (other tests' vouchers, tills, keys and audit entries): the words around the cells and row names.
  for (const screen of ['vouchers', 'tills', 'keys', 'audit']) {
    await page.goto(`${hq.url}/admin/#/${screen}`);
    await expect(page.getByRole('table').first()).toBeVisible();
    await check(screen, 'td, th[scope="row"]');
  }
});

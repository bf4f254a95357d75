// The Electron end-to-end suite (Playwright `_electron`): the real binary, the built app, real
// IPC. Runs wherever the Electron 45 binary is installed; elsewhere every test is skipped with the
// reason (missing binary, no display) shown in the report.
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { builtApp, electronBinary, electronSkipReason, launch, newProfile, shellEnv, shellLog } from './electron-harness';

const skipReason = electronSkipReason();
// The reason is in the report's skip annotation; say it on the console too, where a person looks.
if (skipReason !== null) process.stderr.write(`${skipReason}\n`);
test.skip(skipReason !== null, skipReason ?? '');
test.describe.configure({ mode: 'serial', timeout: 120_000 });

test('the till window loads from app://till with window.tillShell and no Node', async () => {
  const app = await launch(newProfile({ hqUrl: 'https://hq.example.com' }));
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toMatch(/^app:\/\/till\//);
    const seen = await page.evaluate(async () => ({
      kind: window.tillShell?.kind,
      methods: Object.keys(window.tillShell ?? {}).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      config: await window.tillShell?.readConfig(),
      version: await window.tillShell?.appVersion(),
      secure: window.isSecureContext,
    }));
    expect(seen).toMatchObject({ kind: 'electron', require: 'undefined', process: 'undefined', secure: true });
    expect(seen.methods).toEqual(['appVersion', 'clearToken', 'kind', 'listPrinters', 'onQuitRequested', 'printHtml', 'readConfig', 'readToken', 'storeToken']);
    expect(seen.config).toEqual({ hqUrl: 'https://hq.example.com', printer: null, kiosk: false });
    expect(seen.version).toBe(await app.evaluate(({ app: electronApp }) => electronApp.getVersion()));
  } finally {
    await app.close();
  }
});

test('the CSP header is sent, eval is blocked, and other origins cannot be fetched', async () => {
  const app = await launch(newProfile({ hqUrl: 'https://hq.example.com' }));
  try {
    const page = await app.firstWindow();
    const result = await page.evaluate(async () => {
      const csp = (await fetch(location.href)).headers.get('content-security-policy');
      let evalResult = 'ran';
      try {
        (0, eval)('1');
      } catch {
        evalResult = 'blocked';
      }
      let fetchResult = 'allowed';
      try {
        await fetch('https://evil.example/');
      } catch {
        fetchResult = 'blocked';
      }
      return { csp, evalResult, fetchResult };
    });
    expect(result.csp).toContain("connect-src 'self' app://till https://hq.example.com");
    expect(result.evalResult).toBe('blocked');
    expect(result.fetchResult).toBe('blocked');
  } finally {
    await app.close();
  }
});

test('navigation away and window.open are refused', async () => {
  const profile = newProfile();
  const app = await launch(profile);
  try {
    const page = await app.firstWindow();
    const opened = await page.evaluate(() => window.open('https://evil.example/') === null);
    expect(opened).toBe(true);
    await page.evaluate(() => {
      location.href = 'https://evil.example/';
    });
    await expect.poll(() => shellLog(profile)).toContain('navigation refused: https://evil.example/');
    expect(page.url()).toMatch(/^app:\/\/till\//);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});

test('the token is refused without a keyring, and round-trips when plain text is allowed', async () => {
  test.skip(process.platform !== 'linux', 'basic_text is a Linux-only backend');
  const refused = await launch(newProfile(), { extraArgs: ['--password-store=basic'] });
  try {
    const page = await refused.firstWindow();
    const message = await page.evaluate(() => window.tillShell!.storeToken('tok_e2e').then(() => 'stored', (e: Error) => e.message));
    expect(message).toMatch(/allowPlainTextToken/);
  } finally {
    await refused.close();
  }
  const allowed = await launch(newProfile({ allowPlainTextToken: true }), { extraArgs: ['--password-store=basic'] });
  try {
    const page = await allowed.firstWindow();
    const token = await page.evaluate(async () => {
      await window.tillShell!.storeToken('tok_e2e');
      const read = await window.tillShell!.readToken();
      await window.tillShell!.clearToken();
      return [read, await window.tillShell!.readToken()];
    });
    expect(token).toEqual(['tok_e2e', null]);
  } finally {
    await allowed.close();
  }
});

test('printing to a printer that is not installed says so; listing printers works', async () => {
  const app = await launch(newProfile());
  try {
    const page = await app.firstWindow();
    const result = await page.evaluate(async () => ({
      printers: Array.isArray(await window.tillShell!.listPrinters()),
      print: await window.tillShell!.printHtml('<p>receipt</p>', { printer: 'no such printer' }),
    }));
    expect(result).toMatchObject({ printers: true, print: { ok: false, reason: 'no-printer' } });
  } finally {
    await app.close();
  }
});

test('IPC with a bad payload is refused by main', async () => {
  const app = await launch(newProfile());
  try {
    const page = await app.firstWindow();
    const message = await page.evaluate(() => window.tillShell!.storeToken('has spaces').then(() => 'stored', (e: Error) => e.message));
    expect(message).toMatch(/invalid payload/);
  } finally {
    await app.close();
  }
});

test('a crashed renderer is reloaded', async () => {
  const profile = newProfile();
  const app = await launch(profile);
  try {
    const page = await app.firstWindow();
    await page.evaluate(() => sessionStorage.setItem('before-crash', '1'));
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer());
    await expect.poll(() => shellLog(profile)).toMatch(/renderer gone: (crashed|killed|abnormal-exit)/);
    await expect.poll(() => page.evaluate(() => window.tillShell?.kind).catch(() => null)).toBe('electron');
  } finally {
    await app.close();
  }
});

test('quitting waits for the renderer\'s onQuitRequested handler', async () => {
  const profile = newProfile();
  const first = await launch(profile);
  const page = await first.firstWindow();
  await page.evaluate(() => {
    window.tillShell!.onQuitRequested(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            localStorage.setItem('drained', 'yes');
            resolve();
          }, 300),
        ),
    );
  });
  await first.evaluate(({ app }) => app.quit());
  await first.waitForEvent('close');
  const second = await launch(profile);
  try {
    const again = await second.firstWindow();
    expect(await again.evaluate(() => localStorage.getItem('drained'))).toBe('yes');
  } finally {
    await second.close();
  }
});

test('a bad settings file stops the app with the field and the reason', async () => {
  const profile = newProfile({ hqUrl: 'http://localhost.evil.example' });
  const child = spawn(electronBinary(), [await builtApp(), '--no-sandbox'], { env: shellEnv(profile), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(78);
  expect(stderr).toMatch(/settings\.json: hqUrl: must use https:\/\//);
});

test('a second instance on the same profile exits and leaves the first running', async () => {
  const profile = newProfile();
  const first = await launch(profile);
  try {
    await first.firstWindow();
    const second = spawn(electronBinary(), [await builtApp(), '--no-sandbox'], { env: shellEnv(profile), stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    expect(first.windows()).toHaveLength(1);
  } finally {
    await first.close();
  }
});

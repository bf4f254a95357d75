// electron/main.ts run in Node against a fake `electron` module: the pure modules are wired to the
// right Electron hooks (scheme privileges, window options, session policies, navigation guards,
// IPC handlers, the quit handshake, refusing to start on bad settings).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../electron/ipc-channels';
import { payloadSchemas } from '../../electron/ipc-contract';
import { createFakeElectron, type FakeElectron } from './fake-electron';

let fake: FakeElectron;
let profile: string;
const tillFrame = { senderFrame: { url: 'app://till/index.html', parent: null } };
const flush = () => new Promise((r) => setImmediate(r));

async function start(settings?: unknown, machineLocale = 'en-US') {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'till-main-'));
  if (settings !== undefined) fs.writeFileSync(path.join(profile, 'settings.json'), JSON.stringify(settings));
  vi.stubEnv('TILL_USER_DATA_DIR', profile);
  vi.stubEnv('TILL_HQ_URL', '');
  vi.stubEnv('TILL_KIOSK', '');
  fake = createFakeElectron(profile);
  fake.app.locale = machineLocale;
  await runMain();
}

/** A fresh copy of main.ts against the current fake (doMock applies to the next import only). */
async function runMain() {
  vi.resetModules();
  vi.doMock('electron', () => fake.module);
  await (await import('../../electron/main')).started;
}

// main.ts installs SIGINT/SIGTERM handlers; take them off again so the test worker keeps its own.
const signals = ['SIGINT', 'SIGTERM'] as const;
let before: Map<string, unknown[]>;

beforeEach(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  before = new Map(signals.map((s) => [s, process.listeners(s)]));
});

afterEach(() => {
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  fs.rmSync(profile, { recursive: true, force: true });
});

describe('main wiring', () => {
  it('registers app:// as a privileged scheme and uses the test profile', async () => {
    await start();
    expect(fake.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }]);
    expect(fake.app.getPath('userData')).toBe(profile);
  });

  it("turns off Chromium's deferral of page tasks after input before the app is ready", async () => {
    await start();
    expect(fake.app.commandLine.appendSwitch).toHaveBeenCalledWith('disable-features', 'DeferRendererTasksAfterInput');
    // Chromium reads its switches at start-up: they are set while the module loads, before anything else.
    const switched = vi.mocked(fake.app.commandLine.appendSwitch).mock.invocationCallOrder[0]!;
    expect(switched).toBeLessThan(vi.mocked(fake.module.protocol.registerSchemesAsPrivileged).mock.invocationCallOrder[0]!);
    expect(switched).toBeLessThan(vi.mocked(fake.app.requestSingleInstanceLock).mock.invocationCallOrder[0]!);
  });

  it('opens one hardened window on app://till with the preload', async () => {
    await start({ kiosk: true });
    expect(fake.windows).toHaveLength(1);
    const [win] = fake.windows;
    expect(win!.options).toMatchObject({ kiosk: true, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true } });
    expect(String((win!.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(win!.loadURL).toHaveBeenCalledWith('app://till/index.html');
    expect(fake.module.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('serves app:// with the CSP naming the configured HQ', async () => {
    await start({ hqUrl: 'https://hq.example.com/till' });
    const handler = fake.session.protocol.handlers.get('app')!;
    const response = await handler(new Request('app://till/missing.js'));
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' app://till https://hq.example.com");
  });

  it('registers a validated handler for every channel, and they refuse strangers', async () => {
    await start({ hqUrl: 'https://hq.example.com' });
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(Object.keys(payloadSchemas).sort());
    const configRead = fake.ipcHandlers.get(IPC.configRead)!;
    await expect(configRead(tillFrame)).resolves.toEqual({ hqUrl: 'https://hq.example.com', printer: null, kiosk: false });
    await expect(configRead({ senderFrame: { url: 'https://evil.example/', parent: null } })).rejects.toThrow(/untrusted sender/);
    await expect(fake.ipcHandlers.get(IPC.appVersion)!(tillFrame)).resolves.toBe('9.9.9');
  });

  it('stores the token through safeStorage into the profile', async () => {
    await start();
    await expect(fake.ipcHandlers.get(IPC.tokenStore)!(tillFrame, { token: 'tok_1' })).resolves.toEqual({ ok: true, token: null });
    expect(fs.readFileSync(path.join(profile, 'till-token.bin'), 'utf8')).toBe('enc:tok_1');
    await expect(fake.ipcHandlers.get(IPC.tokenRead)!(tillFrame)).resolves.toEqual({ ok: true, token: 'tok_1' });
  });

  it('refuses permissions, devices, navigation, window.open and webviews', async () => {
    await start();
    const granted = vi.fn();
    fake.session.permissionRequest!({}, 'media', granted, { requestingUrl: 'app://till/index.html' });
    expect(granted).toHaveBeenCalledWith(false);
    expect(fake.session.permissionCheck!({}, 'persistent-storage', 'app://till', {})).toBe(true);
    expect(fake.session.devicePermission!({ deviceType: 'hid', origin: 'app://till' })).toBe(false);

    const contents = fake.windows[0]!.webContents;
    const navigation = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-navigate', navigation);
    expect(navigation.preventDefault).toHaveBeenCalled();
    const inside = { url: 'app://till/index.html', preventDefault: vi.fn() };
    contents.emit('will-navigate', inside);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const redirect = { url: 'app://till.evil/', preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('holds a quit until the renderer answers with the request id', async () => {
    await start();
    const quitEvent = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    const [channel, payload] = fake.windows[0]!.webContents.sent[0]!;
    expect(channel).toBe(IPC.quitRequested);
    expect(fake.app.quit).not.toHaveBeenCalled();
    await fake.ipcHandlers.get(IPC.quitReady)!(tillFrame, payload);
    await flush();
    expect(fake.app.quit).toHaveBeenCalledOnce();
  });

  it('reloads a crashed renderer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      await start();
      const contents = fake.windows[0]!.webContents;
      contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      vi.runAllTimers();
      expect(contents.reload).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to start on a bad settings file: logs the field, exits 78, opens no window', async () => {
    vi.stubEnv('TILL_NO_ERROR_DIALOG', '1');
    await start({ hqUrl: 'http://localhost.evil.example' });
    expect(fake.app.exit).toHaveBeenCalledWith(78);
    expect(fake.windows).toHaveLength(0);
    expect(fs.readFileSync(path.join(profile, 'logs', 'till-shell.log'), 'utf8')).toMatch(/settings\.json: hqUrl: must use https:\/\//);
    expect(fake.module.dialog.showErrorBox).not.toHaveBeenCalled();
  });

  it('says so in a box in the machine\'s language when nothing runs it unattended', async () => {
    await start({ hqUrl: 'http://localhost.evil.example' }, 'de-DE');
    expect(fake.app.exit).toHaveBeenCalledWith(78);
    const [title, content] = fake.module.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('Voucher Till kann nicht starten: fehlerhafte Einstellungen');
    expect(content).toMatch(/hqUrl: must use https:\/\/[\s\S]*Bitte .*settings\.json korrigieren und neu starten\.$/);
  });

  it('a second instance quits without opening a window', async () => {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'till-main-'));
    vi.stubEnv('TILL_USER_DATA_DIR', profile);
    fake = createFakeElectron(profile);
    fake.app.requestSingleInstanceLock.mockReturnValue(false);
    await runMain();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
  });
});

// Electron main process: wires the pure modules of electron/ to the real Electron APIs. Decisions
// (which URL is trusted, what the CSP says, which payload is valid, when to quit) live in those
// modules and their tests; this file only connects them.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, type WebContents } from 'electron';
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { applyChromiumSwitches } from './chromium-switches';
import { createCrashPolicy } from './crash-recovery';
import { badSettingsBox, startFailedBox } from './start-failure-text';
import { buildCsp } from './csp';
import { IPC } from './ipc-channels';
import { handleIpc } from './ipc-contract';
import { createLog, type Log } from './log';
import { mayGrantPermission, mayNavigate, windowOpenAction } from './navigation-policy';
import { printHtml, toPrinterInfo } from './printing';
import { createQuitGuard } from './quit-guard';
import { READY_MARKER } from './ready-marker';
import { SETTINGS_FILE_NAME, loadSettings, toShellConfig, type ShellSettings } from './settings';
import { TOKEN_FILE_NAME, createTokenStore } from './token-store';
import { APP_ENTRY_URL, APP_SCHEME } from './trusted-url';
import { printWindowOptions, tillWindowOptions } from './window-options';

/** How long quitting waits for an in-flight sync push. */
const QUIT_DRAIN_MS = 10_000;
const PRINT_TIMEOUT_MS = 60_000;

// Chromium reads its switches and privileged schemes at start-up: both before 'ready'.
applyChromiumSwitches(app.commandLine);
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

// The profile (settings, token, IndexedDB replica, single-instance lock) lives at a fixed path, not
// one derived from the product name, so renaming the product never strands a till's replica. Tests
// and side-by-side installs point TILL_USER_DATA_DIR elsewhere.
app.setPath('userData', process.env.TILL_USER_DATA_DIR ? path.resolve(process.env.TILL_USER_DATA_DIR) : path.join(app.getPath('appData'), 'voucher-till'));

// The token must be on disk before the till sells with it (a till that comes back unpaired cannot send
// the sales in its outbox): the data is flushed before the rename, and the rename before returning.
async function writeFileAtomic(file: string, data: Buffer) {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await fsp.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(tmp, file);
  const dir = await fsp.open(path.dirname(file), 'r').catch(() => null); // directories cannot be opened on Windows
  if (dir) await dir.sync().catch(() => undefined).finally(() => dir.close());
}

function hardenSession(log: Log) {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = mayGrantPermission(permission, details.requestingUrl);
    if (!granted) log(`permission refused: ${permission} for ${details.requestingUrl}`);
    callback(granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => mayGrantPermission(permission, requestingOrigin));
  // No HID/serial/USB device access: scanners are read as keyboard wedges.
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}

function guardContents(contents: WebContents, log: Log) {
  const refuse = (kind: string) => (event: { preventDefault(): void; url: string }) => {
    if (mayNavigate(event.url)) return;
    event.preventDefault();
    log(`${kind} refused: ${event.url}`);
  };
  contents.on('will-navigate', refuse('navigation'));
  // Sub-frames (frame-src 'none' should already stop them); the main frame is will-navigate's.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) refuse('frame navigation')(event);
  });
  contents.on('will-redirect', refuse('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
  contents.setWindowOpenHandler((details) => {
    log(`window.open refused: ${details.url}`);
    return windowOpenAction();
  });
}

function createTillWindow(settings: ShellSettings, log: Log): BrowserWindow {
  const win = new BrowserWindow(
    tillWindowOptions({ preloadPath: path.join(__dirname, 'preload.cjs'), kiosk: settings.kiosk, devTools: !app.isPackaged || process.env.TILL_DEVTOOLS === '1' }),
  );
  win.once('ready-to-show', () => {
    win.show();
    log(READY_MARKER);
  });
  const crashPolicy = createCrashPolicy({ burst: 3, windowMs: 60_000, backoffMs: 10_000, now: () => Date.now() });
  win.webContents.on('render-process-gone', (_event, details) => {
    const decision = crashPolicy(details.reason);
    log(`renderer gone: ${details.reason} (exit code ${details.exitCode}); ${decision.action === 'reload' ? `reloading in ${decision.delayMs} ms` : 'ignored'}`);
    if (decision.action !== 'reload') return;
    setTimeout(() => {
      if (!win.isDestroyed()) win.webContents.reload();
    }, decision.delayMs);
  });
  win.on('unresponsive', () => log('till window unresponsive'));
  win.on('responsive', () => log('till window responsive again'));
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

async function main() {
  if (!app.requestSingleInstanceLock()) {
    // Another till window already owns this profile; it is focused by its 'second-instance' handler.
    app.quit();
    return;
  }
  await app.whenReady();
  const userData = app.getPath('userData');
  const log = createLog(path.join(userData, 'logs', 'till-shell.log'));

  const settingsFile = path.join(userData, SETTINGS_FILE_NAME);
  const loaded = await loadSettings(settingsFile, (p) => fsp.readFile(p, 'utf8'), process.env);
  if (!loaded.ok) {
    for (const error of loaded.errors) log(`settings: ${error}`);
    // Unattended starts (tests, service managers) set TILL_NO_ERROR_DIALOG: a modal box would block them; the log has it all.
    if (process.env.TILL_NO_ERROR_DIALOG !== '1') {
      const box = badSettingsBox(app.getLocale(), loaded.errors, settingsFile);
      dialog.showErrorBox(box.title, box.content);
    }
    app.exit(78); // EX_CONFIG
    return;
  }
  const settings = loaded.settings;
  log(`starting ${app.getVersion()}: hq ${settings.hqUrl ?? '(not configured)'}, printer ${settings.printer ?? '(system default)'}, kiosk ${settings.kiosk}`);

  hardenSession(log);
  app.on('web-contents-created', (_event, contents) => guardContents(contents, log));
  session.defaultSession.protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({ root: path.join(__dirname, 'renderer'), csp: buildCsp({ hqOrigin: settings.hqOrigin }), log }),
  );
  if (settings.kiosk) Menu.setApplicationMenu(null);

  const tokens = createTokenStore({
    safeStorage,
    fs: { readFile: (p) => fsp.readFile(p), writeFileAtomic, unlink: (p) => fsp.unlink(p) },
    filePath: path.join(userData, TOKEN_FILE_NAME),
    platform: process.platform,
    allowPlainText: settings.allowPlainTextToken,
  });

  const win = createTillWindow(settings, log);
  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const pendingQuit = new Map<string, () => void>();
  const guard = createQuitGuard({
    drain: () =>
      new Promise<void>((resolve) => {
        if (win.isDestroyed() || win.webContents.isCrashed()) return resolve();
        const id = randomUUID();
        pendingQuit.set(id, resolve);
        win.webContents.send(IPC.quitRequested, { id });
      }),
    quit: () => app.quit(),
    timeoutMs: QUIT_DRAIN_MS,
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    log,
  });
  app.on('before-quit', (event) => {
    if (guard.shouldHold()) event.preventDefault();
  });
  win.on('close', (event) => {
    if (guard.shouldHold()) event.preventDefault();
  });
  app.on('window-all-closed', () => app.quit());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  handleIpc(ipcMain, IPC.appVersion, () => app.getVersion(), log);
  handleIpc(ipcMain, IPC.configRead, () => toShellConfig(settings), log);
  handleIpc(ipcMain, IPC.listPrinters, async () => (await win.webContents.getPrintersAsync()).map(toPrinterInfo), log);
  handleIpc(
    ipcMain,
    IPC.printHtml,
    ({ html, printer }) =>
      printHtml(html, printer, {
        createWindow: () => {
          const printWin = new BrowserWindow({ ...printWindowOptions(), parent: win });
          return {
            loadURL: (url) => printWin.loadURL(url),
            print: (options, callback) => printWin.webContents.print(options, callback),
            destroy: () => printWin.destroy(),
          };
        },
        listPrinterNames: async () => (await win.webContents.getPrintersAsync()).map((p) => p.name),
        configuredPrinter: settings.printer,
        timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
        timeoutMs: PRINT_TIMEOUT_MS,
      }).then((result) => {
        if (!result.ok) log(`print ${result.reason}: ${result.message}`);
        return result;
      }),
    log,
  );
  handleIpc(ipcMain, IPC.tokenRead, () => tokens.read(), log);
  handleIpc(ipcMain, IPC.tokenStore, ({ token }) => tokens.store(token), log);
  handleIpc(ipcMain, IPC.tokenClear, () => tokens.clear(), log);
  handleIpc(
    ipcMain,
    IPC.quitReady,
    ({ id }) => {
      pendingQuit.get(id)?.();
      pendingQuit.delete(id);
    },
    log,
  );
}

/** Settles when start-up has finished or failed (awaited by the wiring test). */
export const started = main().catch((e: unknown) => {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`till-shell: fatal: ${message}\n`);
  if (app.isReady() && process.env.TILL_NO_ERROR_DIALOG !== '1') {
    const box = startFailedBox(app.getLocale(), message);
    dialog.showErrorBox(box.title, box.content);
  }
  app.exit(1);
});

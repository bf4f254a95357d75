// A stand-in for the `electron` module, just large enough to run electron/main.ts in Node: it records
// what main asks of Electron (windows, handlers, session policies) and lets a test fire the events
// Electron would. It proves the wiring, not Electron's behaviour — that is the e2e suite's job.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export type FakeElectron = ReturnType<typeof createFakeElectron>;

export function createFakeElectron(userData: string) {
  const appEvents = new EventEmitter();
  const windows: FakeWindow[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const session = Object.assign(new EventEmitter(), {
    permissionRequest: null as null | ((...a: unknown[]) => void),
    permissionCheck: null as null | ((...a: unknown[]) => boolean),
    devicePermission: null as null | ((...a: unknown[]) => boolean),
    setPermissionRequestHandler: (h: (...a: unknown[]) => void) => void (session.permissionRequest = h),
    setPermissionCheckHandler: (h: (...a: unknown[]) => boolean) => void (session.permissionCheck = h),
    setDevicePermissionHandler: (h: (...a: unknown[]) => boolean) => void (session.devicePermission = h),
    protocol: { handlers: new Map<string, (r: Request) => Promise<Response>>(), handle: (scheme: string, h: (r: Request) => Promise<Response>) => void session.protocol.handlers.set(scheme, h) },
  });

  class FakeWebContents extends EventEmitter {
    sent: [string, unknown][] = [];
    windowOpenHandler: ((d: { url: string }) => unknown) | null = null;
    send = (channel: string, payload: unknown) => void this.sent.push([channel, payload]);
    setWindowOpenHandler = (h: (d: { url: string }) => unknown) => void (this.windowOpenHandler = h);
    isCrashed = () => false;
    reload = vi.fn();
    getPrintersAsync = async () => [{ name: 'TM-T20', displayName: 'Receipt', description: '', options: {} }];
    print = vi.fn();
  }

  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    loadURL = vi.fn(async (_url: string) => {});
    show = vi.fn();
    destroyed = false;
    constructor(public options: Record<string, unknown>) {
      super();
      windows.push(this);
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    destroy = () => void (this.destroyed = true);
  }

  const app = Object.assign(appEvents, {
    isPackaged: false,
    paths: new Map<string, string>([['appData', userData]]),
    setPath: (name: string, p: string) => void app.paths.set(name, p),
    getPath: (name: string) => app.paths.get(name) ?? userData,
    commandLine: { appendSwitch: vi.fn() },
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    getVersion: () => '9.9.9',
    /** The machine's language (Electron's app.getLocale()); a test may set it. */
    locale: 'en-US',
    getLocale: () => app.locale,
    quit: vi.fn(),
    exit: vi.fn(),
  });

  const module = {
    app,
    BrowserWindow: FakeWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: { handle: (channel: string, h: Handler) => void ipcHandlers.set(channel, h) },
    Menu: { setApplicationMenu: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (s: string) => Buffer.from(`enc:${s}`),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString().slice(4), shouldReEncrypt: false }),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    session: { defaultSession: session },
  };
  return { module, app, windows, ipcHandlers, session };
}

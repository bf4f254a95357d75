// The TillShellApi the preload exposes as window.tillShell, built over an ipcRenderer-like object so
// tests can drive it with a fake. Every call is one invoke on a channel main validates
// (ipc-contract.ts); nothing of Electron or Node leaks through the bridge.
import type { PrintResult, PrinterInfo, ShellConfig, TillShellApi } from '../renderer/shell/till-shell-api';
import { IPC, type TokenResult } from './ipc-channels';

export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

function unwrap(result: unknown): string | null {
  const r = result as TokenResult;
  if (!r.ok) throw new Error(r.message);
  return r.token;
}

function quitRequestId(message: unknown): string | null {
  if (typeof message !== 'object' || message === null) return null;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

export function createTillShell(ipc: IpcRendererLike): TillShellApi {
  const quitHandlers = new Set<() => Promise<void>>();

  // Main asks before quitting; every registered handler (e.g. "let the sync push finish") runs,
  // failures included, and then main is told it may go. Main bounds the wait, not us.
  ipc.on(IPC.quitRequested, (_event, message) => {
    const id = quitRequestId(message);
    if (id === null) return;
    void Promise.allSettled([...quitHandlers].map((h) => h())).then(() => ipc.invoke(IPC.quitReady, { id }));
  });

  return {
    kind: 'electron',
    appVersion: async () => String(await ipc.invoke(IPC.appVersion)),
    listPrinters: async () => (await ipc.invoke(IPC.listPrinters)) as PrinterInfo[],
    printHtml: async (html, options) =>
      (await ipc.invoke(IPC.printHtml, options?.printer === undefined ? { html } : { html, printer: options.printer })) as PrintResult,
    readToken: async () => unwrap(await ipc.invoke(IPC.tokenRead)),
    storeToken: async (token) => {
      unwrap(await ipc.invoke(IPC.tokenStore, { token }));
    },
    clearToken: async () => {
      unwrap(await ipc.invoke(IPC.tokenClear));
    },
    readConfig: async () => (await ipc.invoke(IPC.configRead)) as ShellConfig,
    onQuitRequested(handler) {
      const run = () => Promise.resolve().then(handler);
      quitHandlers.add(run);
      return () => {
        quitHandlers.delete(run);
      };
    },
  } satisfies TillShellApi;
}

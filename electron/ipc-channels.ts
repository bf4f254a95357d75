// IPC channel names shared by main and preload. Kept apart from the zod schemas so the sandboxed
// preload bundle stays tiny.
export const IPC = {
  appVersion: 'till:app-version',
  listPrinters: 'till:list-printers',
  printHtml: 'till:print-html',
  tokenRead: 'till:token-read',
  tokenStore: 'till:token-store',
  tokenClear: 'till:token-clear',
  configRead: 'till:config-read',
  /** main → renderer: finish what you are doing, then answer on quitReady with the same id. */
  quitRequested: 'till:quit-requested',
  quitReady: 'till:quit-ready',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** Token operations answer with a result instead of throwing: Electron prefixes thrown messages with its own text. */
export type TokenResult = { ok: true; token: string | null } | { ok: false; message: string };

// The one interface between the cashier UI and whatever hosts it. Electron's preload exposes an
// implementation as `window.tillShell` (electron/preload.ts: `… satisfies TillShellApi`); in a plain
// browser the renderer uses browser-shell.ts instead. The UI only ever talks to this type, so it runs
// unchanged in both.

export type PrinterInfo = { name: string; displayName: string; isDefault: boolean };

export type PrintResult =
  | { ok: true }
  | { ok: false; reason: 'no-printer' | 'failed' | 'cancelled'; message: string };

/** Desktop settings read from the settings file in the user data directory (electron/settings.ts). */
export type ShellConfig = {
  hqUrl: string | null;
  printer: string | null;
  kiosk: boolean;
};

export type TillShellApi = {
  readonly kind: 'electron' | 'browser';
  appVersion(): Promise<string>;
  listPrinters(): Promise<PrinterInfo[]>;
  /**
   * Print a complete, self-contained HTML document (receipt, voucher, gift card). Electron prints it
   * silently to `printer` or the configured one; a browser opens its print dialog.
   */
  printHtml(html: string, options?: { printer?: string }): Promise<PrintResult>;
  /** The till token, kept encrypted by the OS (Electron safeStorage) or in localStorage in a browser. */
  readToken(): Promise<string | null>;
  storeToken(token: string): Promise<void>;
  clearToken(): Promise<void>;
  /** Settings the desktop app was started with; null in a browser. */
  readConfig(): Promise<ShellConfig | null>;
  /**
   * The shell is about to quit: `handler` should let an in-flight sync push finish. The shell waits
   * for it, bounded, then quits anyway. Returns an unsubscribe function.
   */
  onQuitRequested(handler: () => Promise<void>): () => void;
};

declare global {
  interface Window {
    tillShell?: TillShellApi;
  }
}

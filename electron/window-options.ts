// BrowserWindow options for the till window and the hidden print window. Pure data so the security
// switches are asserted by tests, not by reading main.ts.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The switches every window of this app gets; tests assert each one. */
export const HARDENED_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const satisfies WebPreferences;

export function tillWindowOptions(options: { preloadPath: string; kiosk: boolean; devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false, // shown on ready-to-show: no white flash at the counter
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    title: 'Voucher Till',
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    webPreferences: {
      ...HARDENED_PREFERENCES,
      preload: options.preloadPath,
      devTools: options.devTools,
    },
  };
}

/**
 * The receipt printer window: never shown, no preload, JavaScript off (receipt HTML is static), its
 * own in-memory session so nothing it loads touches the till's storage.
 */
export function printWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 400,
    height: 600,
    webPreferences: {
      ...HARDENED_PREFERENCES,
      javascript: false,
      devTools: false,
      partition: 'till-print', // no "persist:" prefix: in memory, gone on quit
    },
  };
}

// The shell when the till runs in a plain browser: the same TillShellApi, with what a browser has.
// The token sits in IndexedDB beside the pairing, written with strict durability (a browser has no OS
// keyring we can reach; localStorage reaches the disk seconds after it is written, and a till killed
// in between came back unpaired). Printing opens the browser's print dialog on a hidden frame.
import { openDevicePairing, type DevicePairingStore } from '../../sync/till';
import type { TillShellApi } from './till-shell-api';

/** Where an older version kept the token; read as a fallback and removed once the token moved. */
const LEGACY_TOKEN_KEY = 'voucher-till:token';

export function createBrowserShell(win: Window = window, version = '0.1.0', device: DevicePairingStore = openDevicePairing()): TillShellApi {
  return {
    kind: 'browser',
    appVersion: async () => version,
    listPrinters: async () => [],
    async printHtml(html) {
      const frame = win.document.createElement('iframe');
      frame.setAttribute('aria-hidden', 'true');
      frame.title = 'print';
      frame.style.cssText = 'position:fixed;width:0;height:0;border:0;left:-1000px';
      win.document.body.append(frame);
      try {
        const doc = frame.contentDocument;
        if (!doc || !frame.contentWindow) return { ok: false, reason: 'failed', message: 'The browser would not create a print frame.' };
        doc.open();
        doc.write(html);
        doc.close();
        frame.contentWindow.focus();
        frame.contentWindow.print();
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
      } finally {
        // Chromium's print() blocks until the dialog closes, so the frame can go now.
        frame.remove();
      }
    },
    async readToken() {
      const token = await device.readSecret('token');
      if (token !== undefined) return token;
      // Moved from where an older version kept it, durably, the first time it is read.
      const legacy = win.localStorage.getItem(LEGACY_TOKEN_KEY);
      if (legacy !== null) {
        await device.writeSecret('token', legacy);
        win.localStorage.removeItem(LEGACY_TOKEN_KEY);
      }
      return legacy;
    },
    async storeToken(token) {
      await device.writeSecret('token', token);
      win.localStorage.removeItem(LEGACY_TOKEN_KEY);
    },
    async clearToken() {
      await device.deleteSecret('token');
      win.localStorage.removeItem(LEGACY_TOKEN_KEY);
    },
    readConfig: async () => null,
    onQuitRequested: () => () => undefined,
  };
}

/** Electron's preload sets window.tillShell; anywhere else the browser shell stands in. */
export function getShell(win: Window = window, device?: DevicePairingStore): TillShellApi {
  return win.tillShell ?? createBrowserShell(win, undefined, device);
}

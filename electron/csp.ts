// Content-Security-Policy for the till window and for printed documents. Sent as a response header
// by the app:// protocol handler (app-protocol.ts), so it covers the document before any of its
// markup runs. The till needs: its own scripts and styles, HQ over fetch + EventSource (connect-src),
// and data:/blob: images for barcodes and QR codes. Nothing else — no inline script, no eval, no
// frames, no plugins, no form posts, no <base> tricks.
import { APP_ORIGIN } from './trusted-url';

/** `hqOrigin` must come from checkHqUrl (an origin, never a full URL with a path). */
export function buildCsp(options: { hqOrigin: string | null }): string {
  // 'self' and the explicit origin: Chromium treats a registered standard scheme as its own origin,
  // but naming it as well keeps the policy correct even where 'self' matching of custom schemes differs.
  const self = `'self' ${APP_ORIGIN}`;
  const connect = options.hqOrigin === null ? self : `${self} ${options.hqOrigin}`;
  return [
    "default-src 'none'",
    `script-src ${self}`,
    `style-src ${self}`,
    `img-src ${self} data: blob:`,
    `font-src ${self} data:`,
    `connect-src ${connect}`,
    `manifest-src ${self}`,
    `worker-src ${self}`,
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Receipts and vouchers are printed from a hidden window with JavaScript off; this policy (injected
 * as the document's first element) also stops them from fetching anything, so a receipt cannot
 * phone home or pull remote images. Inline styles are allowed: receipt HTML is self-contained.
 */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'";

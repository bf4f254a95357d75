// What the till window may do beyond showing app://till: nothing. Navigation, redirects and
// window.open outside the app are refused; webviews are refused; permissions are granted only for
// the till origin and only from a short list. HID/serial scanners are not supported (the till reads
// keyboard-wedge scanners through core/scan), so those permissions are refused too.
import { isTrustedAppUrl } from './trusted-url';

/** Permissions the till page may have. persistent-storage keeps the IndexedDB replica from eviction. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['persistent-storage', 'clipboard-sanitized-write']);

export function mayNavigate(url: string): boolean {
  return isTrustedAppUrl(url);
}

export function mayGrantPermission(permission: string, requestingUrl: string | null | undefined): boolean {
  return typeof requestingUrl === 'string' && isTrustedAppUrl(requestingUrl) && ALLOWED_PERMISSIONS.has(permission);
}

/** window.open / target=_blank: the till never opens a second window. */
export function windowOpenAction(): { action: 'deny' } {
  return { action: 'deny' };
}

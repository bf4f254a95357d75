// The one place that decides which URLs belong to the till app and which origin is HQ. Every other
// check (navigation, IPC sender frames, permissions, CSP) goes through these functions, so a
// look-alike URL is refused in one place. Parsing, never string prefixes: `app://till.evil` and
// `app://user@till` start with `app://till` too.

export const APP_SCHEME = 'app';
export const APP_HOST = 'till';
/** Stable origin: the IndexedDB replica is keyed by it, so it must never change between versions. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for app://till/… with no user info, no port, and exactly that host. */
export function isTrustedAppUrl(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.host === APP_HOST &&
    u.username === '' &&
    u.password === '' &&
    u.port === ''
  );
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Loopback by exact host name; `localhost.evil.example` is not loopback. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

export type HqUrlCheck = { ok: true; origin: string } | { ok: false; reason: string };

/**
 * An HQ URL the till may talk to: https, or http only on loopback (a secure app:// page may not
 * fetch plain http from the network anyway — Chromium blocks it as mixed content). No credentials,
 * query or fragment: the URL ends up in the CSP and in logs.
 */
export function checkHqUrl(raw: string): HqUrlCheck {
  const u = parse(raw);
  if (u === null) return { ok: false, reason: 'is not a valid absolute URL' };
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: `must use https:// (got ${u.protocol}//)` };
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return { ok: false, reason: `must use https:// — plain http:// is only allowed for localhost, 127.0.0.1 or [::1] (got host ${u.hostname})` };
  }
  if (u.username !== '' || u.password !== '') return { ok: false, reason: 'must not contain a user name or password' };
  if (u.search !== '' || u.hash !== '') return { ok: false, reason: 'must not contain a query (?…) or fragment (#…)' };
  return { ok: true, origin: u.origin };
}

/** True when `url` is on exactly the HQ origin (scheme, host and port). */
export function isHqUrl(url: string, hqOrigin: string | null): boolean {
  if (hqOrigin === null) return false;
  const u = parse(url);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' && u.origin === hqOrigin;
}

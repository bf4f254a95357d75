// Serves the built renderer (dist/renderer) at app://till/. A fixed custom origin instead of file://:
// file:// pages share one opaque origin with every local file, and the IndexedDB replica must keep
// the same origin across updates and install paths. Requests are mapped onto the root directory
// with no way out (decoded, normalised, then checked, and symlinks resolved), each response
// carries the CSP, and unknown paths without an extension fall back to index.html (client routes).
import path from 'node:path';
import fsp from 'node:fs/promises';
import { APP_HOST, APP_SCHEME } from './trusted-url';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(filePath: string): string {
  return MIME[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type Resolution =
  | { kind: 'file'; relative: string; spaFallback: boolean }
  | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

/**
 * Map an app:// URL to a path relative to the served root (always forward slashes, never
 * leaving the root). Pure: no file system access.
 */
export function resolveAppPath(url: string): Resolution {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { kind: 'refused', status: 400, reason: 'malformed URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username !== '' || u.password !== '') {
    return { kind: 'refused', status: 403, reason: `not ${APP_SCHEME}://${APP_HOST}` };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'malformed percent-encoding' };
  }
  // Backslashes are separators on Windows and NUL truncates paths in some APIs: neither belongs in a URL path.
  if (decoded.includes('\\') || decoded.includes('\0')) return { kind: 'refused', status: 400, reason: 'forbidden character in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { kind: 'refused', status: 403, reason: 'path traversal' };
  const relative = path.posix.normalize(`/${decoded}`).replace(/^\/+/, '');
  if (relative === '' || relative.endsWith('/')) return { kind: 'file', relative: `${relative}index.html`, spaFallback: false };
  // A path without an extension is a client-side route: serve the app shell.
  if (path.posix.extname(relative) === '') return { kind: 'file', relative: 'index.html', spaFallback: true };
  return { kind: 'file', relative, spaFallback: false };
}

export type AppFs = {
  realpath(p: string): Promise<string>;
  readFile(p: string): Promise<Uint8Array>;
};

const nodeFs: AppFs = { realpath: (p) => fsp.realpath(p), readFile: (p) => fsp.readFile(p) };

function refusal(status: number, csp: string): Response {
  return new Response(null, { status, headers: { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' } });
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The handler for protocol.handle('app', …). `csp` is the till policy from csp.ts. */
export function createAppProtocolHandler(options: { root: string; csp: string; fs?: AppFs; log?: (message: string) => void }) {
  const fs = options.fs ?? nodeFs;
  const log = options.log ?? (() => {});
  let realRoot: Promise<string> | null = null;

  return async function handle(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, options.csp);
    const resolved = resolveAppPath(request.url);
    if (resolved.kind === 'refused') {
      log(`app:// ${resolved.status} ${request.url}: ${resolved.reason}`);
      return refusal(resolved.status, options.csp);
    }
    realRoot ??= fs.realpath(options.root);
    let file: string;
    try {
      // realpath follows symlinks, so a link inside dist/renderer cannot point outside it.
      file = await fs.realpath(path.join(await realRoot, ...resolved.relative.split('/')));
    } catch {
      return refusal(404, options.csp);
    }
    if (!isInside(await realRoot, file)) {
      log(`app:// 403 ${request.url}: resolves outside the app root`);
      return refusal(403, options.csp);
    }
    let body: Uint8Array;
    try {
      body = await fs.readFile(file);
    } catch {
      return refusal(404, options.csp);
    }
    return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
      status: 200,
      headers: {
        'Content-Type': mimeTypeOf(file),
        'Content-Security-Policy': options.csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
        // Files come from local disk; never let a stale copy outlive an update.
        'Cache-Control': 'no-cache',
      },
    });
  };
}

/**
 * app:// is a standard scheme (real origin, relative URLs) and secure (IndexedDB, Web Locks and
 * crypto.subtle need a secure context). It does not bypass CSP and has no service workers.
 * corsEnabled: vite emits `<script type="module" crossorigin>`, a CORS-mode fetch, which Chromium only
 * performs for CORS-enabled schemes. It would also let another origin read app:// files — those are
 * the public renderer bundle, and no other origin ever runs in this app.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
  bypassCSP: false,
  allowServiceWorkers: false,
  corsEnabled: true,
  stream: false,
} as const;

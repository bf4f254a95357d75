// The back-office console (backoffice/, built by `npm run build:backoffice` into dist/backoffice) served
// at /admin/ from HQ's own origin, so its session cookie is first-party and SameSite=Strict, and its API
// calls need no CORS. The console's pages get a strict Content-Security-Policy (its own scripts and
// styles only; images also as data: URLs for QR codes it draws; connections only to HQ itself) and may
// not be framed (clickjacking). Without a build, /admin/ says how to make one instead of a bare 404.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/backoffice', import.meta.url));

/** The console's security headers; `publicUrl` (HQ_PUBLIC_URL): where voucher asset links point, so their images may load. */
export function consoleHeaders(publicUrl?: string): Record<string, string> {
  const images = ["'self'", 'data:', ...(publicUrl ? [new URL(publicUrl).origin] : [])].join(' ');
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src ${images}; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

export const consoleRoutes =
  (dir: string = DEFAULT_CONSOLE_DIR, publicUrl?: string): FastifyPluginAsync =>
  async (app) => {
    const CONSOLE_HEADERS = consoleHeaders(publicUrl);
    app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/', 302));
    if (!existsSync(`${dir}/index.html`)) {
      app.get('/admin/*', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(503)
          .headers(CONSOLE_HEADERS)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><meta charset="utf-8"><title>Back office not built</title><p>The back-office console has not been built on this machine. Run <code>npm run build:backoffice</code>, then reload.</p>'),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/admin/',
      index: 'index.html',
      wildcard: true,
      // Hashed asset names may be cached for long; index.html must be asked for again after an upgrade.
      setHeaders: (res, path) => {
        for (const [k, v] of Object.entries(CONSOLE_HEADERS)) res.header(k, v);
        res.header('cache-control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  };

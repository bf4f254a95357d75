// HQ serves the back-office console at /admin/ (hq/routes/console.ts): its files with a strict CSP and
// no framing, index.html never cached, hashed assets cached for good; no path leaves the console's
// folder; without a build, a page that says how to make one.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../hq/db/connect';
import { buildServer } from '../../hq/server';
import { hashToken } from '../../hq/auth';
import type { FastifyInstance } from 'fastify';

async function serve(consoleDir: string, publicUrl?: string): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const database = await openDatabase({});
  const { app } = await buildServer({ database, adminHash: hashToken('adm_console_test_token_0000'), consoleDir, ...(publicUrl ? { assets: { publicUrl } } : {}) });
  await app.ready();
  return { app, close: async () => (await app.close(), await database.close()) };
}

describe('the console at /admin/', () => {
  let built: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'console-secret.txt'), 'outside');
    built = await serve(dir, 'https://hq.example.com/base');
  }, 60_000);
  afterAll(async () => built?.close());

  it('serves index.html with a strict CSP, no framing and no caching; assets cached for good', async () => {
    expect((await built.app.inject({ url: '/admin' })).headers.location).toBe('/admin/');
    const index = await built.app.inject({ url: '/admin/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>console</title>');
    expect(index.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https://hq.example.com; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await built.app.inject({ url: '/admin/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never serves a file outside its folder', async () => {
    for (const url of ['/admin/../console-secret.txt', '/admin/%2e%2e/console-secret.txt', '/admin/..%2fconsole-secret.txt', '/admin/assets/../../console-secret.txt']) {
      const res = await built.app.inject({ url });
      expect(res.body, url).not.toContain('outside');
    }
  });

  it('without a build, says how to make one', async () => {
    const bare = await serve(join(tmpdir(), 'no-such-console-build'));
    try {
      const res = await bare.app.inject({ url: '/admin/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:backoffice');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    } finally {
      await bare.close();
    }
  }, 60_000);
});

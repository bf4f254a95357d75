// app://till/ → files under the renderer build, over a real temporary directory: traversal in every
// spelling is refused, symlinks cannot lead out, MIME types and the CSP header are right, and
// client routes fall back to index.html.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, mimeTypeOf, resolveAppPath } from '../../electron/app-protocol';

let base: string;
let root: string;
let handle: (request: Request) => Promise<Response>;
const CSP = "default-src 'none'";

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'app-protocol-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>till</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the root');
  fs.writeFileSync(path.join(base, 'renderer-evil.txt'), 'sibling with a shared prefix');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  handle = createAppProtocolHandler({ root, csp: CSP });
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('serving', () => {
  it.each([
    ['app://till/', 'text/html; charset=utf-8', '<!doctype html><title>till</title>'],
    ['app://till/index.html', 'text/html; charset=utf-8', '<!doctype html><title>till</title>'],
    ['app://till/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://till/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://till/assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ['app://till/assets/index-abc.js?v=2#x', 'text/javascript; charset=utf-8', 'console.log(1)'],
  ])('%s', async (url, type, body) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(body);
  });

  it('falls back to index.html for client routes (no extension)', async () => {
    const response = await get('app://till/checkout/payment');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>till</title>');
  });

  it('a missing asset is 404, not the app shell', async () => {
    expect((await get('app://till/assets/missing.js')).status).toBe(404);
  });

  it('HEAD has headers and no body; other methods are refused', async () => {
    const head = await get('app://till/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://till/index.html', 'POST')).status).toBe(405);
  });
});

describe('refusals', () => {
  it.each([
    ['encoded ../', 'app://till/..%2f..%2fsecret.txt'],
    ['encoded ../ after a folder', 'app://till/assets/..%2f..%2fsecret.txt'],
    ['double-encoded', 'app://till/%252e%252e/secret.txt'],
    ['encoded backslash', 'app://till/..%5csecret.txt'],
    ['NUL', 'app://till/index.html%00.js'],
    ['a symlink out of the root', 'app://till/assets/link.txt'],
    ['a sibling sharing the root prefix', 'app://till/..%2frenderer-evil.txt'],
    ['another host', 'app://till.evil/index.html'],
    ['broken percent-encoding', 'app://till/%E0%A4%A.js'],
  ])('%s', async (_name, url) => {
    const response = await get(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toMatch(/outside the root|sibling/);
  });

  it('plain ../ is resolved away by the URL parser and stays inside the root', async () => {
    const response = await get('app://till/../../secret.txt');
    expect(response.status).toBe(404);
  });
});

describe('resolveAppPath', () => {
  it('normalises inside the root', () => {
    expect(resolveAppPath('app://till/assets/./x.js')).toEqual({ kind: 'file', relative: 'assets/x.js', spaFallback: false });
    expect(resolveAppPath('app://till/assets/')).toEqual({ kind: 'file', relative: 'assets/index.html', spaFallback: false });
  });
  it('refuses user info (a Request cannot even carry it, but a URL string can)', () => {
    expect(resolveAppPath('app://user@till/index.html')).toMatchObject({ kind: 'refused', status: 403 });
  });
  it('refuses traversal with 403', () => {
    expect(resolveAppPath('app://till/a/..%2F..%2Fb.js')).toMatchObject({ kind: 'refused', status: 403 });
  });
});

it('maps MIME types case-insensitively with a safe default', () => {
  expect(mimeTypeOf('A.WASM')).toBe('application/wasm');
  expect(mimeTypeOf('x.woff2')).toBe('font/woff2');
  expect(mimeTypeOf('x.exe')).toBe('application/octet-stream');
});

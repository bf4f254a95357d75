// The build output Electron runs: a self-contained directory whose preload is one CommonJS file
// that needs nothing but 'electron' (a sandboxed preload cannot load modules).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../electron/tooling/build';

let tmp: string;
let out: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'till-build-'));
  const renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>till</title>');
  out = await buildApp({ outDir: path.join(tmp, 'app'), rendererDir: renderer, version: '9.9.9' });
}, 60_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const requires = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]);

it('writes package.json, main, preload and the renderer', () => {
  expect(JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'))).toMatchObject({ name: 'voucher-till', version: '9.9.9', main: 'main.cjs' });
  expect(fs.existsSync(path.join(out, 'renderer', 'index.html'))).toBe(true);
});

it('the preload is a single CommonJS file that requires only electron', () => {
  expect(new Set(requires(path.join(out, 'preload.cjs')))).toEqual(new Set(['electron']));
  expect(fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8')).toContain('exposeInMainWorld("tillShell"');
});

it('main bundles its dependencies: only electron and Node built-ins stay external', () => {
  const external = requires(path.join(out, 'main.cjs')).filter((m) => m !== 'electron' && !m!.startsWith('node:'));
  expect(external).toEqual([]);
});

it('refuses to build without the renderer build', async () => {
  await expect(buildApp({ outDir: path.join(tmp, 'x'), rendererDir: path.join(tmp, 'nope') })).rejects.toThrow(/npm run build:renderer/);
});

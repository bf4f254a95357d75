// Starts the desktop app from Node (`npm start` → scripts/start.ts). The electron package's own
// entry (`require('electron')`) downloads the binary on first use and fails offline with 'fetch
// failed' after a long wait, so this never requires it: it finds the binary the same way (path.txt,
// ELECTRON_OVERRIDE_DIST_PATH), checks the built app, spawns, and bounds the start-up. Every way it
// can fail comes back as a reason a person can act on.
import { spawn as nodeSpawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { buildApp } from './build';
import { READY_MARKER } from '../ready-marker';

export type LaunchResult = { ok: true; exited: Promise<number> } | { ok: false; reason: string };

type Listener = (...args: never[]) => void;

export type ChildLike = {
  on(event: 'spawn' | 'error' | 'exit', listener: Listener): unknown;
  stderr: { on(event: 'data', listener: (chunk: Buffer | string) => void): unknown } | null;
  kill(): unknown;
};

export type LaunchDeps = {
  spawn: (command: string, args: string[], options: { env: Record<string, string | undefined>; stdio: ['ignore', 'inherit', 'pipe'] }) => ChildLike;
  exists: (p: string) => boolean;
  readText: (p: string) => string | null;
  /** node_modules/electron */
  electronDir: string | null;
  /** The built app (electron/build.ts output). */
  appDir: string;
  baseEnv: Record<string, string | undefined>;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  writeErr: (chunk: Buffer | string) => void;
  /** Still running this long after spawn without a ready marker counts as started. */
  startupGraceMs: number;
  /** Build the renderer and the shell into appDir (only called once the binary is known to exist). */
  build: (appDir: string) => Promise<void>;
};

const root = path.resolve(import.meta.dirname, '..', '..');
export const DEFAULT_APP_DIR = path.join(root, 'dist', 'app');
const INSTALL_HINT = 'Install it on a machine with network access: `npx install-electron` (or `node node_modules/electron/install.js`), or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron 45 directory.';

function defaultElectronDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

function defaultDeps(): LaunchDeps {
  return {
    spawn: (command, args, options) => nodeSpawn(command, args, { env: options.env as NodeJS.ProcessEnv, stdio: options.stdio }),
    exists: (p) => fs.existsSync(p),
    readText: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return null;
      }
    },
    electronDir: defaultElectronDir(),
    appDir: DEFAULT_APP_DIR,
    baseEnv: process.env,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    writeErr: (chunk) => process.stderr.write(chunk),
    startupGraceMs: 8000,
    build: async (appDir) => {
      const { spawnSync } = await import('node:child_process');
      const vite = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
      if (vite.status !== 0) throw new Error('the renderer build (vite build) failed');
      await buildApp({ outDir: appDir });
    },
  };
}

/** Where the Electron binary is, or why there is none — without downloading anything. */
export function findElectronBinary(deps: Pick<LaunchDeps, 'electronDir' | 'exists' | 'readText' | 'baseEnv'>): { ok: true; path: string } | { ok: false; reason: string } {
  if (deps.electronDir === null) return { ok: false, reason: 'the electron package is not installed (run `npm ci`).' };
  const relative = deps.readText(path.join(deps.electronDir, 'path.txt'))?.trim() || null;
  const override = deps.baseEnv.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, relative ?? 'electron');
    return deps.exists(binary) ? { ok: true, path: binary } : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist.` };
  }
  if (relative === null) {
    return { ok: false, reason: `the Electron binary is not installed (${path.join(deps.electronDir, 'path.txt')} is missing: its download was skipped or failed). ${INSTALL_HINT}` };
  }
  const binary = path.join(deps.electronDir, 'dist', relative);
  if (!deps.exists(binary)) return { ok: false, reason: `the Electron binary ${binary} is missing. ${INSTALL_HINT}` };
  return { ok: true, path: binary };
}

function explainEarlyExit(code: number | null, signal: string | null, stderr: string): string {
  const tail = stderr.trim().split('\n').slice(-5).join('\n');
  let hint = '';
  if (/without --no-sandbox/i.test(stderr)) hint = ' Chromium refuses to run as root with its sandbox: run as a normal user.';
  else if (/DISPLAY|X server|ozone/i.test(stderr)) hint = ' There is no display: run it in a desktop session (or under xvfb-run).';
  else if (/error while loading shared libraries/i.test(stderr)) hint = " Electron's system libraries are missing (e.g. apt-get install libnss3 libgtk-3-0 libgbm1 libasound2).";
  return `Electron exited during start-up (${signal ? `signal ${signal}` : `code ${code}`}).${hint}${tail ? `\n${tail}` : ''}`;
}

/**
 * `build` (default true) rebuilds the renderer and the shell first, so `npm start` never runs a stale
 * app; it only happens once the binary is known to exist, so browser-only machines pay nothing.
 */
export async function launchElectron(opts: { env?: Record<string, string>; args?: string[]; build?: boolean } = {}, overrides: Partial<LaunchDeps> = {}): Promise<LaunchResult> {
  const deps = { ...defaultDeps(), ...overrides };
  const binary = findElectronBinary(deps);
  if (!binary.ok) return { ok: false, reason: `Cannot start the desktop app: ${binary.reason}` };
  if (opts.build !== false) {
    try {
      await deps.build(deps.appDir);
    } catch (e) {
      return { ok: false, reason: `Cannot start the desktop app: building it failed — ${(e as Error).message}` };
    }
  }
  for (const file of ['package.json', 'main.cjs', 'preload.cjs', path.join('renderer', 'index.html')]) {
    if (!deps.exists(path.join(deps.appDir, file))) {
      return { ok: false, reason: `Cannot start the desktop app: ${path.join(deps.appDir, file)} is missing — build it (npm run build:renderer && npm run build:electron).` };
    }
  }

  // ELECTRON_RUN_AS_NODE would turn the binary into plain Node and run main.cjs without a window.
  const env = { ...deps.baseEnv, ...opts.env, ELECTRON_RUN_AS_NODE: undefined };
  let child: ChildLike;
  try {
    child = deps.spawn(binary.path, [deps.appDir, ...(opts.args ?? [])], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (e) {
    return { ok: false, reason: `Cannot start ${binary.path}: ${(e as Error).message}` };
  }

  return new Promise<LaunchResult>((resolve) => {
    let settled = false;
    let stderr = '';
    const exited = new Promise<number>((resolveExit) => {
      child.on('exit', ((code: number | null, signal: string | null) => {
        resolveExit(code ?? 1);
        settle({ ok: false, reason: explainEarlyExit(code, signal, stderr) });
      }) as Listener);
    });
    const timer = deps.setTimeout(() => settle({ ok: true, exited }), deps.startupGraceMs);
    function settle(result: LaunchResult) {
      if (settled) return;
      settled = true;
      deps.clearTimeout(timer);
      resolve(result);
    }
    child.on('error', ((e: Error) => settle({ ok: false, reason: `Cannot start ${binary.path}: ${e.message}` })) as Listener);
    child.stderr?.on('data', (chunk) => {
      deps.writeErr(chunk);
      if (settled) return;
      stderr = (stderr + chunk.toString()).slice(-16_384);
      if (stderr.includes(READY_MARKER)) settle({ ok: true, exited });
    });
  });
}

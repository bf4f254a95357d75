// launchElectron's decisions with an injected spawn, file system and clock: a missing binary or
// build is reported without spawning (never the package's downloading entry), and a start-up that
// dies early is explained instead of hanging.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { findElectronBinary, launchElectron, type ChildLike, type LaunchDeps } from '../../electron/tooling/launch';
import { READY_MARKER } from '../../electron/ready-marker';

const ELECTRON_DIR = '/repo/node_modules/electron';
const APP_DIR = '/repo/dist/app';
const BINARY = path.join(ELECTRON_DIR, 'dist', 'electron');
const BUILT = ['package.json', 'main.cjs', 'preload.cjs', path.join('renderer', 'index.html')].map((f) => path.join(APP_DIR, f));

function fakeChild() {
  const events = new EventEmitter();
  const stderr = new EventEmitter();
  const child: ChildLike & { emit: (e: string, ...a: unknown[]) => void; stderrData: (s: string) => void } = {
    on: (event, listener) => events.on(event, listener as (...args: unknown[]) => void),
    stderr: { on: (event, listener) => stderr.on(event, listener) },
    kill: vi.fn(),
    emit: (e, ...a) => events.emit(e, ...a),
    stderrData: (s) => stderr.emit('data', Buffer.from(s)),
  };
  return child;
}

function deps(options: { files?: string[]; pathTxt?: string | null; env?: Record<string, string> } = {}) {
  const files = new Set(options.files ?? [BINARY, ...BUILT]);
  const child = fakeChild();
  const timers: (() => void)[] = [];
  const spawn = vi.fn((() => child) as LaunchDeps['spawn']);
  const build = vi.fn(async (_appDir: string) => {});
  const overrides: Partial<LaunchDeps> = {
    spawn,
    exists: (p) => files.has(p),
    readText: (p) => (p === path.join(ELECTRON_DIR, 'path.txt') ? (options.pathTxt === undefined ? 'electron' : options.pathTxt) : null),
    electronDir: ELECTRON_DIR,
    appDir: APP_DIR,
    baseEnv: { PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', ...options.env },
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => {},
    writeErr: () => {},
    startupGraceMs: 8000,
    build,
  };
  return { overrides, child, spawn, build, fireTimers: () => timers.forEach((fn) => fn()) };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('launchElectron', () => {
  it('explains a binary whose download never happened, without building or spawning', async () => {
    const { overrides, spawn, build } = deps({ pathTxt: null, files: BUILT });
    const result = await launchElectron({}, overrides);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/Electron binary is not installed .*path\.txt is missing.*install-electron/) });
    expect(build).not.toHaveBeenCalled();
    expect(spawn).not.toHaveBeenCalled();
  });

  it('builds the app before spawning, and reports a failed build', async () => {
    const ok = deps();
    const pending = launchElectron({}, ok.overrides);
    await flush();
    expect(ok.build).toHaveBeenCalledWith(APP_DIR);
    ok.fireTimers();
    expect((await pending).ok).toBe(true);

    const failing = deps();
    failing.build.mockRejectedValueOnce(new Error('the renderer build (vite build) failed'));
    expect(await launchElectron({}, failing.overrides)).toEqual({ ok: false, reason: expect.stringMatching(/building it failed — the renderer build/) });
    expect(failing.spawn).not.toHaveBeenCalled();
  });

  it('explains a binary that path.txt names but is not there', async () => {
    const { overrides, spawn } = deps({ files: BUILT });
    expect(await launchElectron({}, overrides)).toEqual({ ok: false, reason: expect.stringMatching(/dist\/electron is missing/) });
    expect(spawn).not.toHaveBeenCalled();
  });

  it('explains a missing electron package', async () => {
    const { overrides } = deps();
    expect(await launchElectron({}, { ...overrides, electronDir: null })).toEqual({ ok: false, reason: expect.stringMatching(/npm ci/) });
  });

  it('explains a missing build when asked not to build', async () => {
    const { overrides, spawn, build } = deps({ files: [BINARY] });
    expect(await launchElectron({ build: false }, overrides)).toEqual({ ok: false, reason: expect.stringMatching(/dist\/app\/package\.json is missing — build it/) });
    expect(build).not.toHaveBeenCalled();
    expect(spawn).not.toHaveBeenCalled();
  });

  it('spawns the binary on the built app, with the caller\'s env and without ELECTRON_RUN_AS_NODE', async () => {
    const { overrides, spawn, child } = deps();
    const pending = launchElectron({ env: { TILL_HQ_URL: 'http://127.0.0.1:8080' } }, overrides);
    await flush();
    child.stderrData(`2025-01-01T00:00:00.000Z ${READY_MARKER}\n`);
    const result = await pending;
    expect(result.ok).toBe(true);
    const [command, args, options] = spawn.mock.calls[0]!;
    expect(command).toBe(BINARY);
    expect(args).toEqual([APP_DIR]);
    expect(options.env.TILL_HQ_URL).toBe('http://127.0.0.1:8080');
    expect(options.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    child.emit('exit', 0, null);
    if (result.ok) expect(await result.exited).toBe(0);
  });

  it('counts a process still running after the grace period as started', async () => {
    const { overrides, fireTimers } = deps();
    const pending = launchElectron({}, overrides);
    await flush();
    fireTimers();
    expect((await pending).ok).toBe(true);
  });

  it('explains an early exit with the hint for a missing display', async () => {
    const { overrides, child } = deps();
    const pending = launchElectron({}, overrides);
    await flush();
    child.stderrData('[123:ERROR:ozone_platform_x11.cc] Missing X server or $DISPLAY\n');
    child.emit('exit', 1, null);
    expect(await pending).toEqual({ ok: false, reason: expect.stringMatching(/exited during start-up \(code 1\)\. There is no display.*Missing X server/s) });
  });

  it('explains a spawn error (e.g. not executable)', async () => {
    const { overrides, child } = deps();
    const pending = launchElectron({}, overrides);
    await flush();
    child.emit('error', new Error('spawn EACCES'));
    expect(await pending).toEqual({ ok: false, reason: expect.stringMatching(/spawn EACCES/) });
  });
});

describe('findElectronBinary', () => {
  const base = { electronDir: ELECTRON_DIR, readText: () => 'electron', baseEnv: {} };
  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    expect(findElectronBinary({ ...base, exists: (p) => p === '/opt/electron/electron', baseEnv: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' } })).toEqual({ ok: true, path: '/opt/electron/electron' });
    expect(findElectronBinary({ ...base, exists: () => false, baseEnv: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' } })).toMatchObject({ ok: false });
  });
});

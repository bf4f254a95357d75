// Shared set-up for the Electron end-to-end suite: finds the Electron binary without downloading it,
// builds the app once, and gives each test its own profile directory (settings, token, replica).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { buildApp } from '../../electron/tooling/build';
import { findElectronBinary } from '../../electron/tooling/launch';

const root = path.resolve(import.meta.dirname, '../..');

/** Why this machine cannot run the suite, or null when it can. */
export function electronSkipReason(): string | null {
  let electronDir: string | null = null;
  try {
    electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    // reported by findElectronBinary below
  }
  const binary = findElectronBinary({ electronDir, exists: (p) => fs.existsSync(p), readText: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null), baseEnv: process.env });
  if (!binary.ok) return `Electron e2e skipped: ${binary.reason}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'Electron e2e skipped: no display (DISPLAY/WAYLAND_DISPLAY unset) — run under xvfb-run.';
  }
  return null;
}

export function electronBinary(): string {
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const found = findElectronBinary({ electronDir, exists: (p) => fs.existsSync(p), readText: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null), baseEnv: process.env });
  if (!found.ok) throw new Error(found.reason);
  return found.path;
}

let built: string | null = null;

/** vite build + electron/tooling/build.ts into a temporary directory, once per worker. */
export async function builtApp(): Promise<string> {
  if (built) return built;
  const vite = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (vite.status !== 0) throw new Error('vite build failed');
  built = await buildApp({ outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'till-e2e-app-')) });
  return built;
}

export function newProfile(settings?: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-e2e-profile-'));
  if (settings !== undefined) fs.writeFileSync(path.join(dir, 'settings.json'), typeof settings === 'string' ? settings : JSON.stringify(settings));
  return dir;
}

export function shellEnv(profile: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  return { ...env, TILL_USER_DATA_DIR: profile, TILL_NO_ERROR_DIALOG: '1', TILL_KIOSK: '0', ...extra };
}

/** `--password-store=basic` makes Linux pick the "basic_text" backend deterministically. */
export async function launch(profile: string, options: { extraArgs?: string[]; env?: Record<string, string> } = {}): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: electronBinary(),
    args: [await builtApp(), ...(options.extraArgs ?? [])],
    env: shellEnv(profile, options.env),
  });
}

export function shellLog(profile: string): string {
  const file = path.join(profile, 'logs', 'till-shell.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

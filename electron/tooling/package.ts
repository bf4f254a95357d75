// `npm run package`: build the renderer and the shell, then run electron-builder — for Linux
// (AppImage + deb) and/or Windows (NSIS). Packaging the host platform uses the locally installed
// Electron binary (electronDist), so nothing is downloaded; when that binary is missing it stops
// and says why instead of letting electron-builder fail on a download.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { buildApp } from './build';
import { builderConfig } from './builder-config';
import { findElectronBinary } from './launch';

export type PackagePlan = { ok: true; linux: boolean; win: boolean; electronDist: string | undefined; notes: string[] } | { ok: false; reason: string };

/** Which targets to build and from which Electron, from the command line and what is installed. */
export function planPackaging(args: string[], host: NodeJS.Platform, binary: { ok: true; path: string } | { ok: false; reason: string }): PackagePlan {
  const unknown = args.filter((a) => a !== '--linux' && a !== '--win');
  if (unknown.length > 0) return { ok: false, reason: `unknown argument(s) ${unknown.join(' ')} (use --linux and/or --win)` };
  let linux = args.includes('--linux');
  let win = args.includes('--win');
  if (!linux && !win) {
    if (host === 'linux') linux = true;
    else if (host === 'win32') win = true;
    else return { ok: false, reason: `no default target on ${host}: pass --linux or --win` };
  }
  const hostTarget = (host === 'linux' && linux) || (host === 'win32' && win);
  if (hostTarget && !binary.ok) return { ok: false, reason: `cannot package: ${binary.reason}` };
  const notes: string[] = [];
  const cross = (linux && host !== 'linux') || (win && host !== 'win32');
  if (cross) notes.push('A target other than this machine\'s platform needs its Electron zip: electron-builder downloads it (network or ELECTRON_CACHE).');
  if (win && host !== 'win32') notes.push('Building NSIS installers off Windows may need Wine for resource editing; building on Windows is the supported path.');
  // electronDist only fits the host platform's binary; a cross build must fetch the other one.
  const electronDist = hostTarget && !cross && binary.ok ? path.dirname(binary.path) : undefined;
  return { ok: true, linux, win, electronDist, notes };
}

async function main() {
  const electronDir = (() => {
    try {
      return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    } catch {
      return null;
    }
  })();
  const binary = findElectronBinary({
    electronDir,
    exists: (p) => fs.existsSync(p),
    readText: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null),
    baseEnv: process.env,
  });
  const plan = planPackaging(process.argv.slice(2), process.platform, binary);
  if (!plan.ok) {
    console.error(`package: ${plan.reason}`);
    process.exitCode = 1;
    return;
  }
  for (const note of plan.notes) console.warn(`package: note: ${note}`);

  const vite = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (vite.status !== 0) {
    console.error('package: the renderer build (vite build) failed');
    process.exitCode = 1;
    return;
  }
  await buildApp();
  const { build } = await import('electron-builder');
  const artifacts = await build({
    config: builderConfig({ electronDist: plan.electronDist }),
    ...(plan.linux ? { linux: [] } : {}),
    ...(plan.win ? { win: [] } : {}),
    publish: 'never',
  });
  console.log(`package: built\n${artifacts.map((a) => `  ${path.relative(process.cwd(), a)}`).join('\n')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(`package: failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}

// Builds the desktop app into one self-contained directory (default dist/app):
//   package.json  name, version, main — what Electron and electron-builder read
//   main.cjs      the main process, bundled (zod and our modules inlined; only 'electron' external)
//   preload.cjs   the preload: a sandboxed preload cannot load modules, so it must be one CommonJS file
//   renderer/     a copy of the vite build (dist/renderer), served at app://till/
// `electron dist/app` runs it; electron-builder packages exactly this directory.
import { build, type BuildOptions } from 'esbuild';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
/** Electron 45 ships Node 22 and Chromium 140. */
const NODE_TARGET = 'node22';

export type BuildAppOptions = { outDir?: string; rendererDir?: string; version?: string };

export async function buildApp(options: BuildAppOptions = {}): Promise<string> {
  const outDir = options.outDir ?? path.join(root, 'dist', 'app');
  const rendererDir = options.rendererDir ?? path.join(root, 'dist', 'renderer');
  try {
    await fs.access(path.join(rendererDir, 'index.html'));
  } catch {
    throw new Error(`${path.join(rendererDir, 'index.html')} is missing: build the renderer first (npm run build:renderer).`);
  }
  const rootPackage = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { version: string; description?: string };

  await fs.rm(outDir, { recursive: true, force: true });
  await fs.mkdir(outDir, { recursive: true });
  const common: BuildOptions = { bundle: true, platform: 'node', format: 'cjs', target: NODE_TARGET, external: ['electron'], sourcemap: true, logLevel: 'warning' };
  await build({ ...common, entryPoints: [path.join(root, 'electron', 'main.ts')], outfile: path.join(outDir, 'main.cjs') });
  await build({ ...common, entryPoints: [path.join(root, 'electron', 'preload.ts')], outfile: path.join(outDir, 'preload.cjs') });
  await fs.cp(rendererDir, path.join(outDir, 'renderer'), { recursive: true });
  const appPackage = {
    name: 'voucher-till',
    productName: 'Voucher Till',
    version: options.version ?? rootPackage.version,
    description: rootPackage.description ?? 'Voucher till',
    main: 'main.cjs',
    private: true,
  };
  await fs.writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(appPackage, null, 2)}\n`);
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildApp().then(
    (dir) => console.log(`desktop app built in ${path.relative(process.cwd(), dir)} (run it with: npx electron ${path.relative(process.cwd(), dir)})`),
    (e: unknown) => {
      console.error(`build:electron failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}

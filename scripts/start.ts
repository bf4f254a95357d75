// `npm start`: a newcomer sells something within a minute. Starts HQ on embedded PGlite with demo data
// (.data/demo-hq), registers a demo till, then opens the till: in Electron where its binary is
// installed, otherwise by serving the till to a browser and printing the address to open.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, createServer } from 'vite';
import { launchElectron, type LaunchResult } from '../electron/tooling/launch';
import { hqProcess } from './hq-process';

const DATA = process.env.DEMO_DATA_DIR ?? '.data/demo-hq';
const HQ_PORT = Number(process.env.HQ_PORT ?? 8080);
const TILL_PORT = Number(process.env.TILL_PORT ?? 5173);
const tillOrigin = `http://127.0.0.1:${TILL_PORT}`;

type DemoSecrets = { adminToken: string; tillToken?: string };

/** The demo's back-office login (a local demo: a real HQ takes HQ_ADMIN_EMAIL/HQ_ADMIN_PASSWORD or prints a generated one). */
const DEMO_LOGIN = { email: 'admin@demo.shop', password: 'back office demo' };

function loadSecrets(): DemoSecrets | null {
  try {
    return JSON.parse(readFileSync(join(DATA, 'demo-secrets.json'), 'utf8')) as DemoSecrets;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const saved = loadSecrets();
  // The demo HQ keeps its data between runs; its admin token and demo till token are kept beside it
  // (this is a local demo: a real HQ prints its admin token once and keeps only a hash).
  console.log('Building the back-office console …');
  await build({ configFile: 'vite.backoffice.config.ts', logLevel: 'warn' });
  const hq = hqProcess({
    port: HQ_PORT, dataDir: join(DATA, 'pglite'), seedDemo: true, corsOrigins: `${tillOrigin},app://till`, timeZone: 'Europe/Berlin',
    env: { HQ_ADMIN_EMAIL: DEMO_LOGIN.email, HQ_ADMIN_PASSWORD: DEMO_LOGIN.password },
    ...(saved ? { adminToken: saved.adminToken } : {}),
  });
  console.log(`Starting HQ on PGlite (${DATA}) …`);
  await hq.start();
  let tillToken = saved?.tillToken;
  if (!tillToken) {
    tillToken = (await hq.registerTill('Demo till', 'Europe/Berlin')).token;
    writeFileSync(join(DATA, 'demo-secrets.json'), JSON.stringify({ adminToken: hq.adminToken, tillToken }, null, 2), { mode: 0o600 });
  }
  console.log(`HQ ready at ${hq.url} (admin token in ${join(DATA, 'demo-secrets.json')})`);
  console.log(`\n  Back office:  ${hq.url}/admin/   sign in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}\n`);

  const stopAll = async () => {
    await hq.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());

  const electron = await tryElectron({ TILL_HQ_URL: hq.url });
  if (electron.ok) {
    console.log(`Till running in Electron (HQ address pre-filled). Pair it with this till token:\n\n    ${tillToken}\n\nClose its window to stop.`);
    await electron.exited;
    return stopAll();
  }
  console.log(`\nElectron cannot start here: ${electron.reason}\nServing the till to a browser instead.`);
  const server = await createServer({ configFile: 'vite.config.ts', server: { port: TILL_PORT, host: '127.0.0.1', strictPort: true } });
  await server.listen();
  const address = `${tillOrigin}/#hq=${encodeURIComponent(hq.url)}&token=${encodeURIComponent(tillToken)}`;
  console.log(`\n  Open the till:  ${address}\n`);
  console.log('  Try: type 4006381100007 (espresso beans) and 4006381100021 (croissant), Enter after each;');
  console.log('       then vouchers WELCOME10, FIVEOFF, CROISSANT or gift card GIFT-0050; End to pay. README lists all demo codes.');
  console.log('  Ctrl+C stops HQ and the till server.\n');
}

async function tryElectron(env: Record<string, string>): Promise<LaunchResult> {
  if (process.env.TILL_BROWSER === '1') return { ok: false, reason: 'TILL_BROWSER=1 asks for the browser.' };
  try {
    return await launchElectron({ env });
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error);
  process.exit(1);
});

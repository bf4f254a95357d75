// `npm run hq` — start HQ: configuration from the environment, PostgreSQL via DATABASE_URL or
// embedded PGlite in HQ_DATA_DIR, migrations, optional demo data, graceful shutdown on SIGINT/SIGTERM.
//
// HQ_WORKERS=N (PostgreSQL only) makes this process a node:cluster primary: it does what must happen
// once — migrations, failing imports a stop cut off, the admin token, demo data — then forks N workers
// that share the port (the primary hands connections out in turn) and serve. SIGINT/SIGTERM to the
// primary stop the workers gracefully; a worker that dies after it was serving is replaced. Each
// worker is an HQ process like any other on the database: its own pool, its own LISTEN connection
// (hq/change-bus.ts), the shared abuse counters (hq/counters.ts).
import cluster, { type Worker } from 'node:cluster';
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from './db/connect';
import { resolveAdminToken } from './auth';
import { ensureFirstAdmin } from './people/user-store';
import { buildServer } from './server';
import { createChangeBus, createPgChangeBus, type ChangeBus } from './change-bus';
import { ConfigError, loadConfig, type HqConfig } from './config';
import { failInterruptedImports } from './voucher-import';
import { seedDemo } from './seed-demo';

/** A stop that takes longer than this is cut short (a request that never ends, a stuck query). */
const STOP_TIMEOUT_MS = 15_000;
/** How long start-up waits for the LISTEN connection before serving anyway (it keeps reconnecting). */
const LISTEN_WAIT_MS = 10_000;
/** The primary's word to a worker to stop (a signal would be indistinguishable from the user's second Ctrl-C). */
const STOP_MESSAGE = 'hq:stop';

function describeDatabase(config: HqConfig): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
}

/** Opens the database and applies pending migrations. */
function open(config: HqConfig): Promise<Database> {
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  return openDatabase(config.databaseUrl ? { url: config.databaseUrl, poolSize: config.dbPoolSize } : { dataDir: config.dataDir });
}

/** Connections waiting to be accepted (see the listen call). */
const LISTEN_BACKLOG = 4096;

/** What runs once per start of HQ, before anything serves. */
async function prepare(database: Database, config: HqConfig) {
  await failInterruptedImports(database.db);
  const admin = await resolveAdminToken(database.db, config.adminToken);
  const firstAdmin = await ensureFirstAdmin(database.db, config.firstAdmin);
  const seeded = config.seedDemo ? await seedDemo(database.db) : undefined;
  return { admin, seeded, firstAdmin };
}

function printFirstAdmin(first: Awaited<ReturnType<typeof ensureFirstAdmin>> | undefined): void {
  if (!first) return;
  if (!first.generatedPassword) return console.log(`  Back office: the first admin, ${first.email}, was created with HQ_ADMIN_PASSWORD.`);
  console.log(`\n  Back office: no user existed, so the first admin was created. Its password is shown only this once:\n`);
  console.log(`    ${first.email}  /  ${first.generatedPassword}\n`);
  console.log('  Sign in at /admin and change it (or set HQ_ADMIN_EMAIL and HQ_ADMIN_PASSWORD on a new database).\n');
}

function printGeneratedToken(token: string | undefined): void {
  if (!token) return;
  console.log('\n  No HQ_ADMIN_TOKEN was set, so an admin token was generated. It is shown only this once:\n');
  console.log(`    ${token}\n`);
  console.log('  Keep it safe (only its hash is stored). Set HQ_ADMIN_TOKEN to use your own instead.\n');
}

/** One serving process: the whole of HQ (one worker), or a worker forked by the primary. */
async function serve(config: HqConfig): Promise<void> {
  const database = await open(config);
  // A worker finds the admin token its primary resolved (stored, or HQ_ADMIN_TOKEN again).
  const { admin, seeded, firstAdmin } = cluster.isWorker ? { admin: await resolveAdminToken(database.db, config.adminToken), seeded: undefined, firstAdmin: undefined } : await prepare(database, config);
  const logTo: { app?: FastifyInstance } = {};
  let bus: ChangeBus = createChangeBus();
  if (config.databaseUrl) {
    // Until the app (and its logger) exists, the bus's warnings go to stderr.
    const log = {
      warn: (obj: object, msg: string) => (logTo.app ? logTo.app.log.warn(obj, msg) : console.error(msg, obj)),
      info: (obj: object, msg: string) => logTo.app?.log.info(obj, msg),
    };
    const pgBus = createPgChangeBus({ url: config.databaseUrl, log });
    bus = pgBus;
    // Serve only once changes from other processes will be heard — unless LISTEN cannot connect for
    // a while; then serve anyway (pulls still work) and let the bus keep trying.
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([pgBus.ready, new Promise<void>((resolve) => (waited = setTimeout(resolve, LISTEN_WAIT_MS)))]);
    clearTimeout(waited);
    if (!pgBus.connected) console.error(`HQ: no LISTEN connection after ${LISTEN_WAIT_MS / 1000} s; serving, and changes from other HQ processes reach this one's tills when it connects.`);
  }
  const built = await buildServer({
    database,
    adminHash: admin.hash,
    defaultTimeZone: config.timeZone,
    corsOrigins: config.corsOrigins,
    maxGiftIssue: config.maxGiftIssue,
    pushGroup: config.pushGroup,
    assets: config.assets,
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    bus,
    logger: cluster.isWorker ? { level: config.logLevel, base: { pid: process.pid, worker: cluster.worker?.id } } : { level: config.logLevel },
  });
  const server = built.app;
  logTo.app = server;
  if (seeded) {
    bus.announce(seeded.checkpoint);
    server.log.info({ vouchersAdded: seeded.vouchersAdded }, 'demo data loaded');
  }
  // A fleet reconnects at once when HQ restarts (and connects at once when a chain opens): thousands
  // of connections in a second. Node's default accept queue of 511 overflows and the kernel's SYN
  // retries (1, 3, 7, 15 s…) then stretch a till's reconnect to many seconds with no error at all.
  // The kernel caps this at net.core.somaxconn (4096 on current Linux).
  await server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  if (!cluster.isWorker) {
    console.log(`HQ listening on http://${config.host}:${(server.server.address() as { port: number }).port} — database: ${describeDatabase(config)}`);
    printGeneratedToken(admin.generated);
    printFirstAdmin(firstAdmin);
  }

  let stopping = false;
  const stop = async (reason: string, repeatForces: boolean) => {
    if (stopping) {
      if (!repeatForces) return;
      console.error(`${reason} again: exiting without waiting.`);
      process.exit(1);
    }
    stopping = true;
    server.log.info({ reason }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      console.error(`Shutdown took longer than ${STOP_TIMEOUT_MS / 1000} s; exiting.`);
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    force.unref();
    // Closing ends the event streams (tills reconnect, through the load balancer, to another process).
    await server.close();
    await bus.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT', true));
  process.on('SIGTERM', () => void stop('SIGTERM', true));
  // Ctrl-C reaches the primary and its workers alike; the primary's word then changes nothing.
  if (cluster.isWorker) process.on('message', (message) => message === STOP_MESSAGE && void stop('stopped by the primary', false));
}

/** The node:cluster primary (HQ_WORKERS > 1): prepares once, then forks, watches and stops the workers. */
async function primary(config: HqConfig): Promise<void> {
  const database = await open(config);
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(database, config);
  } finally {
    await database.close(); // the primary serves nothing: it holds no connections
  }
  if (prepared.seeded) console.log(`Demo data loaded (${prepared.seeded.vouchersAdded} vouchers added).`);

  const live = new Set<Worker>();
  const serving = new Set<number>();
  let stopping = false;
  let exitCode = 0;
  let announced = false;

  const stopAll = (code: number) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    if (!live.size) process.exit(exitCode);
    for (const worker of live) {
      try {
        worker.send(STOP_MESSAGE);
      } catch {
        worker.process.kill('SIGTERM'); // its channel is gone: the signal is the only way left
      }
    }
    setTimeout(() => {
      console.error(`HQ workers took longer than ${STOP_TIMEOUT_MS / 1000} s to stop; killing them.`);
      for (const worker of live) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS + 2_000).unref();
  };

  cluster.on('listening', (worker, address) => {
    serving.add(worker.id);
    if (announced || serving.size < config.workers) return;
    announced = true;
    console.log(`HQ listening on http://${config.host}:${address.port} — database: ${describeDatabase(config)} — ${config.workers} workers`);
    printGeneratedToken(prepared.admin.generated);
    printFirstAdmin(prepared.firstAdmin);
  });
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (!live.size) process.exit(exitCode);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!serving.has(worker.id)) {
      // It would fail the same way again (a port in use, the database refusing): stop rather than loop.
      console.error(`HQ worker ${worker.process.pid} exited (${how}) before it was serving; stopping HQ.`);
      stopAll(1);
      return;
    }
    console.error(`HQ worker ${worker.process.pid} exited (${how}); starting another.`);
    live.add(cluster.fork());
  });

  let signals = 0;
  const onSignal = (signal: string) => {
    if (++signals > 1) {
      console.error(`${signal} again: killing the workers without waiting.`);
      for (const worker of live) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    console.log(`${signal}: stopping ${live.size} workers (in-flight requests finish, event streams close).`);
    stopAll(0);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  for (let i = 0; i < config.workers; i++) live.add(cluster.fork());
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  if (cluster.isPrimary && config.workers > 1) return primary(config);
  return serve(config);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`HQ cannot start: ${error.message}`);
  } else {
    console.error('HQ failed to start:', error);
  }
  process.exit(1);
});

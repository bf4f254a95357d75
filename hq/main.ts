// `npm run hq` — start HQ: configuration from the environment, PostgreSQL via DATABASE_URL or
// embedded PGlite in HQ_DATA_DIR, migrations, optional demo data, graceful shutdown on SIGINT/SIGTERM.
import { mkdirSync } from 'node:fs';
import { openDatabase } from './db/connect';
import { resolveAdminToken } from './auth';
import { buildServer } from './server';
import { ConfigError, loadConfig } from './config';
import { failInterruptedImports } from './voucher-import';
import { seedDemo } from './seed-demo';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
  await failInterruptedImports(database.db);
  const admin = await resolveAdminToken(database.db, config.adminToken);
  const { app, ctx } = await buildServer({ database, adminHash: admin.hash, defaultTimeZone: config.timeZone, corsOrigins: config.corsOrigins, maxGiftIssue: config.maxGiftIssue, logger: { level: config.logLevel } });
  if (config.seedDemo) {
    const { checkpoint, vouchersAdded } = await seedDemo(database.db);
    ctx.bus.announce(checkpoint);
    app.log.info({ vouchersAdded }, 'demo data loaded');
  }
  await app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  console.log(`HQ listening on http://${config.host}:${(app.server.address() as { port: number }).port} — database: ${where}`);
  if (admin.generated) {
    console.log('\n  No HQ_ADMIN_TOKEN was set, so an admin token was generated. It is shown only this once:\n');
    console.log(`    ${admin.generated}\n`);
    console.log('  Keep it safe (only its hash is stored). Set HQ_ADMIN_TOKEN to use your own instead.\n');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      console.error('Shutdown took longer than 15 s; exiting.');
      process.exit(1);
    }, 15_000);
    force.unref();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`HQ cannot start: ${error.message}`);
  } else {
    console.error('HQ failed to start:', error);
  }
  process.exit(1);
});

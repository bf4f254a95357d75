import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../hq/config';
import { openDatabase } from '../../hq/db/connect';
import { hashToken, resolveAdminToken } from '../../hq/auth';

describe('HQ configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}, [], 2)).toEqual({ port: 8080, host: '127.0.0.1', adminToken: undefined, firstAdmin: { email: undefined, password: undefined }, databaseUrl: undefined, dataDir: '.data/hq', seedDemo: false, timeZone: 'UTC', logLevel: 'info', corsOrigins: '*', maxGiftIssue: 100_000, workers: 1, dbPoolSize: 8, pushGroup: 32, trustProxy: undefined, assets: { publicUrl: undefined, secret: undefined, ttlDays: 30 } });
    expect(loadConfig({ HQ_PUBLIC_URL: 'https://hq.example.com/', HQ_ASSET_SECRET: 's'.repeat(32), HQ_ASSET_TTL_DAYS: '7' }, []).assets).toEqual({ publicUrl: 'https://hq.example.com', secret: 's'.repeat(32), ttlDays: 7 });
    expect(loadConfig({ HQ_CORS_ORIGINS: 'app://till, http://127.0.0.1:5173' }, []).corsOrigins).toEqual(['app://till', 'http://127.0.0.1:5173']);
    expect(loadConfig({ HQ_SEED_DEMO: '1' }, []).seedDemo).toBe(true);
    expect(loadConfig({}, ['--seed-demo']).seedDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: '' }, []).databaseUrl).toBeUndefined();
    expect(loadConfig({ HQ_MAX_GIFT_ISSUE: '2500' }, []).maxGiftIssue).toBe(2500);
    expect(loadConfig({ HQ_MAX_GIFT_ISSUE: ' 9007199254740991 ' }, []).maxGiftIssue).toBe(Number.MAX_SAFE_INTEGER);
    expect(loadConfig({ HQ_MAX_GIFT_ISSUE: '' }, []).maxGiftIssue).toBe(100_000);
    expect(loadConfig({ HQ_WORKERS: '4', HQ_DB_POOL: '10', DATABASE_URL: 'postgres://h/db' }, [])).toMatchObject({ workers: 4, dbPoolSize: 10 });
    // The pool by default: 4 connections per core, shared by the workers, 2 to 20.
    expect(loadConfig({ HQ_WORKERS: '2', DATABASE_URL: 'postgres://h/db' }, [], 2).dbPoolSize).toBe(4);
    expect(loadConfig({ HQ_WORKERS: '8', DATABASE_URL: 'postgres://h/db' }, [], 2).dbPoolSize).toBe(2);
    expect(loadConfig({}, [], 64).dbPoolSize).toBe(20);
    // Group commit of pushes (32 a transaction by default, above): 1 turns it off.
    expect(loadConfig({ HQ_PUSH_GROUP: '1' }, []).pushGroup).toBe(1);
    expect(loadConfig({ HQ_TRUST_PROXY: 'true' }, []).trustProxy).toBe(true);
    expect(loadConfig({ HQ_TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ' }, []).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(loadConfig({ HQ_TRUST_PROXY: 'false' }, []).trustProxy).toBeUndefined();
  });

  it.each<[Record<string, string>, string[], RegExp]>([
    [{ PORT: 'eighty' }, [], /PORT/],
    [{ PORT: '70000' }, [], /PORT/],
    [{ HQ_ADMIN_TOKEN: 'short' }, [], /HQ_ADMIN_TOKEN: must be at least 16/],
    [{ HQ_ADMIN_EMAIL: 'not an address' }, [], /HQ_ADMIN_EMAIL: must be an e-mail address/],
    [{ HQ_ADMIN_PASSWORD: 'short' }, [], /HQ_ADMIN_PASSWORD: must be at least 10 characters/],
    [{ HQ_PUBLIC_URL: 'ftp://hq.example.com' }, [], /HQ_PUBLIC_URL/],
    [{ HQ_ASSET_SECRET: 'short' }, [], /HQ_ASSET_SECRET: must be at least 32/],
    [{ HQ_ASSET_TTL_DAYS: '0' }, [], /HQ_ASSET_TTL_DAYS: must be at least 1/],
    [{ DATABASE_URL: 'mysql://x' }, [], /DATABASE_URL: must be a postgres/],
    [{ HQ_TIME_ZONE: 'Europe/Berlinn' }, [], /HQ_TIME_ZONE/],
    // Money in minor units: whole digits only, never read as something else.
    ...['0', '-5', '12.50', '1e5', '0x10', 'lots', '9007199254740992'].map((v): [Record<string, string>, string[], RegExp] => [{ HQ_MAX_GIFT_ISSUE: v }, [], /HQ_MAX_GIFT_ISSUE: must be/]),
    [{}, ['--seed'], /unknown argument/],
    // PGlite lives inside one process: several workers need PostgreSQL.
    [{ HQ_WORKERS: '2' }, [], /HQ_WORKERS: 2 workers need DATABASE_URL/],
    [{ HQ_WORKERS: '0', DATABASE_URL: 'postgres://h/db' }, [], /HQ_WORKERS: must be at least 1/],
    [{ HQ_WORKERS: '1.5', DATABASE_URL: 'postgres://h/db' }, [], /HQ_WORKERS: must be a whole number/],
    [{ HQ_DB_POOL: '0' }, [], /HQ_DB_POOL: must be at least 1/],
    [{ HQ_PUSH_GROUP: '0' }, [], /HQ_PUSH_GROUP: must be at least 1/],
    [{ HQ_PUSH_GROUP: '64' }, [], /HQ_PUSH_GROUP: must be at most 48/],
  ])('refuses %j %j with a clear message', (env, argv, message) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
    expect(() => loadConfig(env, argv)).toThrow(message);
  });
});

describe('admin token', () => {
  it('is generated once on an empty database, stored hashed, and honoured from HQ_ADMIN_TOKEN', async () => {
    const database = await openDatabase({});
    try {
      const first = await resolveAdminToken(database.db, undefined);
      expect(first.generated).toMatch(/^adm_/);
      expect(first.hash).toBe(hashToken(first.generated!));
      const second = await resolveAdminToken(database.db, undefined);
      expect(second).toEqual({ hash: first.hash }); // not shown again
      expect(await resolveAdminToken(database.db, 'configured-token-1234')).toEqual({ hash: hashToken('configured-token-1234') });
    } finally {
      await database.close();
    }
  }, 60_000);
});

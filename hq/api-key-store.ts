// Integration API keys (contract: "Online redemption for other channels"). A key is 32 random bytes
// shown once; HQ stores its SHA-256 (hq/auth.ts finds a key by it). Each key is a channel: a tills row of
// kind 'integration' that nobody can sign in as (its token hash is of a secret thrown away, and auth.ts
// takes only rows of kind 'till'), whose ops its redemptions become (hq/online-redemption.ts), so a web
// shop's redemption and a till's meet in the same push_ops() and rollback rules. Revoking sets
// revoked_at: the key stops at once, and its redemptions keep their channel.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiKeyCreatedSchema, ApiKeySchema } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { isoUtc } from './db/iso-sql';
import { hashToken, newToken, type ApiScope } from './auth';

type ApiKey = z.infer<typeof ApiKeySchema>;

export async function createApiKey(db: Db, input: { name: string; scopes: ApiScope[] }, timeZone: string): Promise<z.infer<typeof ApiKeyCreatedSchema>> {
  const id = randomUUID();
  const tillId = randomUUID();
  const key = newToken('key');
  const created = await db.transaction(async (tx) => {
    // The channel's own token hash is of a secret nobody holds: it can never sign in as a till.
    await tx.execute(sql`INSERT INTO tills (id, name, time_zone, token_hash, kind) VALUES (${tillId}, ${`API key: ${input.name}`}, ${timeZone}, ${hashToken(newToken('till'))}, 'integration')`);
    const rows = rowsOf<{ created_at: string }>(
      await tx.execute(sql`INSERT INTO api_keys (id, name, scopes, key_hash, till_id) VALUES (${id}, ${input.name}, ${JSON.stringify(input.scopes)}::jsonb, ${hashToken(key)}, ${tillId})
        RETURNING ${isoUtc('created_at')} AS created_at`),
    );
    return rows[0]!.created_at;
  });
  return { id, name: input.name, scopes: input.scopes, created_at: created, key };
}

/** The keys in force (never their secrets), oldest first. */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  return rowsOf<ApiKey>(
    await db.execute(sql`SELECT id, name, scopes, ${isoUtc('created_at')} AS created_at FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, id`),
  );
}

/** Revoke a key; false when no key in force has this id. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  return rowsOf(await db.execute(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${id}::uuid AND revoked_at IS NULL RETURNING id`)).length === 1;
}

/** The admin's channel for online redemptions: one tills row of kind 'back_office', made on first use (by any HQ process, once). */
export async function backOfficeChannel(db: Db, timeZone: string): Promise<string> {
  await db.execute(sql`INSERT INTO settings (key, value) VALUES ('back_office_channel', ${randomUUID()}) ON CONFLICT (key) DO NOTHING`);
  const id = rowsOf<{ value: string }>(await db.execute(sql`SELECT value FROM settings WHERE key = 'back_office_channel'`))[0]!.value;
  await db.execute(sql`INSERT INTO tills (id, name, time_zone, token_hash, kind) VALUES (${id}::uuid, 'Back office', ${timeZone}, ${hashToken(newToken('till'))}, 'back_office') ON CONFLICT (id) DO NOTHING`);
  return id;
}

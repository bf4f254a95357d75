import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes a new SQL migration into hq/db/migrations after a change to the
// schema; HQ applies pending migrations at start on PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './hq/db/schema.ts',
  out: './hq/db/migrations',
});

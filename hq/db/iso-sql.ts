// Timestamps leave the database as the contract writes them: ISO 8601 in UTC with milliseconds and "Z".
import { sql, type SQL } from 'drizzle-orm';

/** SQL text of `column` (a timestamptz expression written by HQ's code, never by input) as ISO 8601 UTC. */
export function isoUtc(column: string): SQL {
  return sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

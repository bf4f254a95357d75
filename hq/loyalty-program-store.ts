// Loyalty programs (contract: "Loyalty cards and more discount kinds"): what a card's points earn and are
// worth. Replicated to tills like products — every write is stamped into the change feed — because a
// till values points offline, so it must hold the programs its cards belong to.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { LoyaltyProgramSchema, type LoyaltyProgram, type LoyaltyProgramInput } from '../core/loyalty';
import { rowsOf, type Db } from './db/connect';
import { stampChanges, type Executor } from './changes';
import { HqError } from './hq-error';

/** A program as JSON text, built by the database: the change feed and the API read it alike. */
export const PROGRAM_JSON_SQL = `json_build_object('id', p.id, 'name', p.name, 'currency', p.currency,
  'earn', json_build_object('points', p.earn_points, 'per_amount', p.earn_per_amount),
  'redeem', json_build_object('points', p.redeem_points, 'amount', p.redeem_amount),
  'created_at', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updated_at', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`;

type JsonRow = { json: string };
const fromJson = (r: JsonRow): LoyaltyProgram => LoyaltyProgramSchema.parse(JSON.parse(r.json));

export async function listPrograms(db: Executor): Promise<LoyaltyProgram[]> {
  return rowsOf<JsonRow>(await db.execute(sql`SELECT ${sql.raw(PROGRAM_JSON_SQL)} AS json FROM loyalty_programs p ORDER BY p.id`)).map(fromJson);
}

export async function getProgram(db: Executor, id: string): Promise<LoyaltyProgram | undefined> {
  const [row] = rowsOf<JsonRow>(await db.execute(sql`SELECT ${sql.raw(PROGRAM_JSON_SQL)} AS json FROM loyalty_programs p WHERE p.id = ${id}`));
  return row ? fromJson(row) : undefined;
}

/** The programs of these ids HQ has, by id (for validating tickets with loyalty cards). */
export async function programsById(db: Executor, ids: readonly string[]): Promise<Map<string, LoyaltyProgram>> {
  if (!ids.length) return new Map();
  const rows = rowsOf<JsonRow>(await db.execute(sql`SELECT ${sql.raw(PROGRAM_JSON_SQL)} AS json FROM loyalty_programs p WHERE p.id IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(ids)])}::jsonb))`));
  return new Map(rows.map(fromJson).map((p) => [p.id, p]));
}

export async function createProgram(db: Db, input: LoyaltyProgramInput, onChange: (cp: number) => void): Promise<LoyaltyProgram> {
  const id = input.id ?? randomUUID();
  const { program, cp } = await db.transaction(async (tx) => {
    const inserted = rowsOf(
      await tx.execute(sql`INSERT INTO loyalty_programs (id, name, currency, earn_points, earn_per_amount, redeem_points, redeem_amount, change_seq)
        VALUES (${id}, ${input.name}, ${input.currency}, ${input.earn.points}, ${input.earn.per_amount}, ${input.redeem.points}, ${input.redeem.amount}, 0)
        ON CONFLICT (id) DO NOTHING RETURNING id`),
    );
    if (!inserted.length) throw new HqError(409, 'program_exists', `A loyalty program ${id} already exists.`);
    const stamped = await stampChanges(tx, { loyaltyPrograms: [id] });
    return { program: (await getProgram(tx, id))!, cp: stamped };
  });
  onChange(cp);
  return program;
}

/**
 * PUT: a program's name and rules change; its currency only while no card counts in it (a card's
 * points are worth money in the card's currency).
 */
export async function updateProgram(db: Db, id: string, input: Omit<LoyaltyProgramInput, 'id'>, onChange: (cp: number) => void): Promise<LoyaltyProgram> {
  const { program, cp } = await db.transaction(async (tx) => {
    const current = await getProgram(tx, id);
    if (!current) throw new HqError(404, 'not_found', `No loyalty program ${id}.`);
    if (input.currency !== current.currency) {
      const cards = rowsOf(await tx.execute(sql`SELECT 1 FROM vouchers WHERE type = 'LOYALTY_CARD' AND campaign = ${id} LIMIT 1`));
      if (cards.length) throw new HqError(409, 'program_in_use', `Loyalty program ${id} has cards in ${current.currency}; its currency cannot change.`);
    }
    await tx.execute(sql`UPDATE loyalty_programs SET name = ${input.name}, currency = ${input.currency}, earn_points = ${input.earn.points}, earn_per_amount = ${input.earn.per_amount},
      redeem_points = ${input.redeem.points}, redeem_amount = ${input.redeem.amount}, updated_at = now() WHERE id = ${id}`);
    const stamped = await stampChanges(tx, { loyaltyPrograms: [id] });
    return { program: (await getProgram(tx, id))!, cp: stamped };
  });
  onChange(cp);
  return program;
}

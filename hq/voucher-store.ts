// Voucher CRUD against the database. Inputs arrive parsed by core's input schemas; everything
// written here is re-checked against VoucherSchema first, so the table never holds a voucher the
// model would refuse.
import { sql } from 'drizzle-orm';
import { generateCode } from '../core/code';
import { voucherStatus, type TopUpRefusal } from '../core/voucher-effects';
import { VoucherSchema, voucherDefaults, type Voucher, type VoucherCreateInput, type VoucherImportInput, type VoucherUpdateInput } from '../core/voucher';
import { rowsOf, type Db } from './db/connect';
import { voucherAttrs, voucherRow, VOUCHER_JSON_SQL } from './db/rows';
import { clearTombstones, stampChanges, writeTombstone, type Executor } from './changes';
import { HqError } from './hq-error';

export function buildVoucher(input: VoucherCreateInput | VoucherImportInput, now: string, code: string = input.code ?? generateCode()): Voucher {
  const { status: _s, used_at: _u, created_at: _c, updated_at: _up, redemption, ...fields } = input;
  const defaults = voucherDefaults();
  return VoucherSchema.parse({
    ...defaults,
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    campaign: fields.campaign ?? null,
    category: fields.category ?? null,
    code,
    discount: input.type === 'DISCOUNT_VOUCHER' ? input.discount : null,
    gift: input.type === 'GIFT_VOUCHER' ? input.gift : null,
    redemption: { quantity: redemption === undefined ? (input.type === 'DISCOUNT_VOUCHER' ? 1 : null) : redemption.quantity, redeemed_quantity: 0 },
    ...(input.type === 'LOYALTY_CARD' ? { loyalty: input.loyalty } : {}),
    status: 'ACTIVE',
    used_at: null,
    created_at: now,
    updated_at: now,
  });
}

/**
 * Insert new vouchers (change_seq 0: the caller stamps them) with their ledgers' first rows, in one
 * statement each; returns the codes inserted (a code that exists is skipped). The one insert of vouchers
 * HQ's API and imports share. A gift card's ledger starts with ISSUE of its amount, then (a card that
 * arrives partly used) an ADJUST down to its balance; a loyalty card's with OPEN of its opening balance —
 * so every ledger sums to its card's balance from the start.
 */
export async function insertVouchers(tx: Executor, vouchers: readonly Voucher[]): Promise<Set<string>> {
  if (!vouchers.length) return new Set();
  const codes = new Set(
    rowsOf<{ code: string }>(
      await tx.execute(sql`INSERT INTO vouchers SELECT * FROM jsonb_populate_recordset(NULL::vouchers, ${JSON.stringify(vouchers.map(voucherRow))}::jsonb)
        ON CONFLICT (code) DO NOTHING RETURNING code`),
    ).map((r) => r.code),
  );
  const inserted = vouchers.filter((v) => codes.has(v.code));
  const gift = inserted.flatMap((v) =>
    v.type !== 'GIFT_VOUCHER' ? [] : [{ code: v.code, kind: 'ISSUE', amount: v.gift.amount }, ...(v.gift.balance !== v.gift.amount ? [{ code: v.code, kind: 'ADJUST', amount: v.gift.balance - v.gift.amount }] : [])],
  );
  const loyalty = inserted.flatMap((v) => (v.type === 'LOYALTY_CARD' && v.loyalty.balance !== 0 ? [{ code: v.code, kind: 'OPEN', points: v.loyalty.balance }] : []));
  if (gift.length) await tx.execute(sql`INSERT INTO gift_ledger (code, kind, amount) SELECT r.code, r.kind, r.amount FROM jsonb_to_recordset(${JSON.stringify(gift)}::jsonb) AS r(code text, kind text, amount bigint)`);
  if (loyalty.length) await tx.execute(sql`INSERT INTO loyalty_ledger (code, kind, points) SELECT r.code, r.kind, r.points FROM jsonb_to_recordset(${JSON.stringify(loyalty)}::jsonb) AS r(code text, kind text, points bigint)`);
  await clearTombstones(tx, 'voucher', [...codes]);
  return codes;
}

/** Insert one voucher; false when the code exists. */
export async function insertVoucher(tx: Executor, v: Voucher): Promise<boolean> {
  return (await insertVouchers(tx, [v])).has(v.code);
}

/**
 * Why each loyalty card among `vouchers` cannot be stored, by code: its program (campaign) does not
 * exist, or counts another currency. Other vouchers are never named.
 */
export async function loyaltyProgramIssues(tx: Executor, vouchers: readonly Voucher[]): Promise<Map<string, string>> {
  const cards = vouchers.filter((v) => v.type === 'LOYALTY_CARD');
  if (!cards.length) return new Map();
  const ids = [...new Set(cards.map((c) => c.campaign!))];
  const programs = new Map(
    rowsOf<{ id: string; currency: string }>(await tx.execute(sql`SELECT id, currency FROM loyalty_programs WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`)).map((r) => [r.id, r.currency]),
  );
  const issues = new Map<string, string>();
  for (const card of cards) {
    const currency = programs.get(card.campaign!);
    if (currency === undefined) issues.set(card.code, `no loyalty program ${card.campaign}`);
    else if (currency !== card.currency) issues.set(card.code, `loyalty program ${card.campaign} counts ${currency}, not ${card.currency}`);
  }
  return issues;
}

async function assertLoyaltyProgram(tx: Executor, v: Voucher): Promise<void> {
  const issue = (await loyaltyProgramIssues(tx, [v])).get(v.code);
  if (issue) throw new HqError(400, 'invalid_body', `A loyalty card needs an existing program in its currency: ${issue}.`, [{ path: 'campaign', message: issue }]);
}

export async function createVoucher(db: Db, input: VoucherCreateInput, onChange: (cp: number) => void, campaign?: string): Promise<Voucher> {
  const now = new Date().toISOString();
  // A generated code may collide with an existing one; draw again (8 chars of 36: practically never).
  for (let attempt = 0; attempt < 5; attempt++) {
    const voucher = buildVoucher(campaign ? { ...input, campaign } : input, now);
    const result = await db.transaction(async (tx) => {
      await assertLoyaltyProgram(tx, voucher);
      if (!(await insertVoucher(tx, voucher))) return null;
      return stampChanges(tx, { vouchers: [voucher.code] });
    });
    if (result !== null) {
      onChange(result);
      return voucher;
    }
    if (input.code) throw new HqError(409, 'code_exists', `A voucher with code ${voucher.code} already exists.`);
  }
  throw new HqError(503, 'code_space_exhausted', 'Could not generate a free code; try again or use a longer code length.');
}

// Every voucher leaves the database through one builder, the SQL function voucher_json
// (hq/db/functions/voucher_json.sql): GET, lists, the change feed and push results cannot drift apart.
type JsonRow = { code: string; json: string };
const fromJson = (row: JsonRow): Voucher => JSON.parse(row.json) as Voucher;

export async function getVoucher(db: Executor, code: string, forUpdate = false): Promise<Voucher | undefined> {
  const rows = rowsOf<JsonRow>(await db.execute(sql`SELECT code, ${sql.raw(VOUCHER_JSON_SQL)} AS json FROM vouchers WHERE code = ${code} ${forUpdate ? sql`FOR UPDATE` : sql``}`));
  return rows[0] ? fromJson(rows[0]) : undefined;
}

export async function getVouchers(db: Executor, codes: string[]): Promise<Map<string, Voucher>> {
  if (!codes.length) return new Map();
  const rows = rowsOf<JsonRow>(
    await db.execute(sql`SELECT code, ${sql.raw(VOUCHER_JSON_SQL)} AS json FROM vouchers WHERE code IN (SELECT jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`),
  );
  return new Map(rows.map((r) => [r.code, fromJson(r)]));
}

export type VoucherFilter = { limit: number; offset: number; campaign?: string | undefined; status?: string | undefined; type?: string | undefined; q?: string | undefined };

/** `text` matched literally by LIKE (its % _ and \\ escaped). */
function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listVouchers(db: Db, f: VoucherFilter): Promise<{ result: Voucher[]; total: number }> {
  const where = sql.join(
    [
      sql`TRUE`,
      ...(f.campaign !== undefined ? [sql`campaign = ${f.campaign}`] : []),
      ...(f.status !== undefined ? [sql`status = ${f.status}`] : []),
      ...(f.type !== undefined ? [sql`type = ${f.type}`] : []),
      // A search: a code starting with it (the code index serves it), or a label or campaign containing it.
      ...(f.q !== undefined ? [sql`(code LIKE ${`${likeText(f.q.toUpperCase())}%`} OR attrs ->> 'label' ILIKE ${`%${likeText(f.q)}%`} OR campaign ILIKE ${`%${likeText(f.q)}%`})`] : []),
    ],
    sql` AND `,
  );
  const rows = rowsOf<JsonRow>(await db.execute(sql`SELECT code, ${sql.raw(VOUCHER_JSON_SQL)} AS json FROM vouchers WHERE ${where} ORDER BY created_at, code LIMIT ${f.limit} OFFSET ${f.offset}`));
  const total = rowsOf<{ n: string | number }>(await db.execute(sql`SELECT count(*) AS n FROM vouchers WHERE ${where}`));
  return { result: rows.map(fromJson), total: Number(total[0]?.n ?? 0) };
}

async function writeVoucher(tx: Executor, v: Voucher): Promise<void> {
  await tx.execute(sql`UPDATE vouchers SET campaign = ${v.campaign}, category = ${v.category}, currency = ${v.currency}, status = ${v.status},
    quantity = ${v.redemption.quantity}, gift_amount = ${v.gift?.amount ?? null}, gift_balance = ${v.gift?.balance ?? null},
    attrs = ${JSON.stringify(voucherAttrs(v))}::jsonb, updated_at = ${v.updated_at} WHERE code = ${v.code}`);
}

/** PUT: change the given fields; the result must still be a valid voucher. */
export async function updateVoucher(db: Db, code: string, patch: VoucherUpdateInput, onChange: (cp: number) => void): Promise<Voucher> {
  const { voucher, cp } = await db.transaction(async (tx) => {
    const current = await getVoucher(tx, code, true);
    if (!current) throw new HqError(404, 'not_found', `No voucher with code ${code}.`);
    const { code: _c, type: _t, status: _s, used_at: _u, created_at: _cr, updated_at: _up, redemption, gift, ...fields } = patch;
    if (current.type === 'DISCOUNT_VOUCHER' && gift) throw new HqError(400, 'invalid_body', 'A discount voucher has no gift part.', [{ path: 'gift', message: 'not allowed on a DISCOUNT_VOUCHER' }]);
    if (current.type === 'GIFT_VOUCHER' && fields.discount) throw new HqError(400, 'invalid_body', 'A gift card has no discount.', [{ path: 'discount', message: 'not allowed on a GIFT_VOUCHER' }]);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const quantity = redemption === undefined ? current.redemption.quantity : redemption.quantity;
    const next = {
      ...current,
      ...defined,
      ...(gift ? { gift } : {}),
      redemption: { quantity, redeemed_quantity: current.redemption.redeemed_quantity },
      updated_at: new Date().toISOString(),
    };
    const checked = VoucherSchema.safeParse(next);
    if (!checked.success) {
      throw new HqError(400, 'invalid_body', 'The update would make the voucher invalid.', checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    // Status follows the counts (core/voucher-effects.ts): raising the quantity of a used-up voucher,
    // or the balance of an empty gift card, makes it usable again.
    const voucher = { ...checked.data, status: voucherStatus(checked.data) };
    if (voucher.campaign !== current.campaign || voucher.currency !== current.currency) await assertLoyaltyProgram(tx, voucher);
    if (gift && current.type === 'GIFT_VOUCHER' && current.gift.balance !== gift.balance) {
      // In bigint, from the locked row: an overdrawn balance may be as low as −(2^53−1), and the
      // difference to the new one is then past what a JavaScript number holds exactly.
      await tx.execute(sql`INSERT INTO gift_ledger (code, kind, amount) SELECT code, 'ADJUST', ${gift.balance}::bigint - gift_balance FROM vouchers WHERE code = ${code}`);
    }
    await writeVoucher(tx, voucher);
    return { voucher, cp: await stampChanges(tx, { vouchers: [code] }) };
  });
  onChange(cp);
  return voucher;
}

export async function cancelVoucher(db: Db, code: string, onChange: (cp: number) => void): Promise<Voucher> {
  const { voucher, cp } = await db.transaction(async (tx) => {
    const current = await getVoucher(tx, code, true);
    if (!current) throw new HqError(404, 'not_found', `No voucher with code ${code}.`);
    const next = { ...current, status: 'CANCELLED' as const, updated_at: new Date().toISOString() };
    await writeVoucher(tx, next);
    return { voucher: next, cp: await stampChanges(tx, { vouchers: [code] }) };
  });
  onChange(cp);
  return voucher;
}

/**
 * Store credit from the back office: a gift card's amount and balance both grow by `amount` (the rule is
 * voucher_top_up(), hq/db/functions/voucher_top_up.sql, which a till's GIFT_TOP_UP uses too), and the
 * ledger records it.
 */
export async function topUpGiftCard(db: Db, code: string, amount: number, onChange: (cp: number) => void): Promise<Voucher> {
  const { voucher, cp } = await db.transaction(async (tx) => {
    const [row] = rowsOf<{ refusal: TopUpRefusal | null }>(await tx.execute(sql`SELECT voucher_top_up_refusal(v, ${amount}::bigint) AS refusal FROM vouchers v WHERE code = ${code} FOR UPDATE`));
    if (!row) throw new HqError(404, 'not_found', `No voucher with code ${code}.`);
    if (row.refusal === 'not_a_gift_card') throw new HqError(409, 'not_a_gift_card', `Voucher ${code} is not a gift card; only gift cards can be topped up.`);
    if (row.refusal === 'cancelled') throw new HqError(409, 'cancelled', `Gift card ${code} is cancelled.`);
    if (row.refusal) throw new HqError(409, 'amount_out_of_range', `A top-up of ${amount} would take gift card ${code} past the largest amount a till can read (2^53−1 minor units).`);
    await tx.execute(sql`UPDATE vouchers v SET (gift_amount, gift_balance, status, updated_at) = (SELECT n.gift_amount, n.gift_balance, n.status, now() FROM voucher_top_up(v, ${amount}::bigint) n)
      WHERE v.code = ${code}`);
    await tx.execute(sql`INSERT INTO gift_ledger (code, kind, amount) VALUES (${code}, 'TOP_UP', ${amount})`);
    const stamped = await stampChanges(tx, { vouchers: [code] });
    return { voucher: (await getVoucher(tx, code))!, cp: stamped };
  });
  onChange(cp);
  return voucher;
}

export async function deleteVoucher(db: Db, code: string, onChange: (cp: number) => void): Promise<void> {
  // Row lock first (the DELETE), change lock second (in writeTombstone): the order every writer
  // uses, so a delete cannot deadlock with a push redeeming the same voucher.
  const cp = await db.transaction(async (tx) => {
    const deleted = rowsOf(await tx.execute(sql`DELETE FROM vouchers WHERE code = ${code} RETURNING code`));
    if (!deleted.length) throw new HqError(404, 'not_found', `No voucher with code ${code}.`);
    return writeTombstone(tx, 'voucher', code);
  });
  onChange(cp);
}

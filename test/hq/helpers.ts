// Shared builders and checks for the HQ tests: unique vouchers, op builders, a till that numbers its own
// ops, raw SQL reads (last_seq, a card's ledger, a hash of all data), waiting for an import, the shape
// of a problem+json, and a PostgreSQL database that outlives one HQ (restarts).
import { withoutAssets } from '../../testkit/fixtures';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '../../hq/db/connect';
import { ChangesResponseSchema, type AsyncAction, type ChangesResponse, type PushResponse, type PushResult } from '../../sync/protocol';
import type { Voucher } from '../../core/voucher';
import type { Hq } from '../../testkit/hq-harness';

/** A code no other test uses: 4..32 of [A-Z0-9-]. */
export function uniqueCode(prefix = 'T'): string {
  return `${prefix}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function iso(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

/** An op as it goes on the wire (deliberately loose so malformed ones can be built too). */
export type WireOp = { op_id: string; seq: number; type: string; occurred_at?: string; payload?: unknown; [extra: string]: unknown };

export function redemptionOp(seq: number, code: string, amount: number, extra: { ticket_id?: string; occurred_at?: string; op_id?: string } = {}): WireOp {
  return {
    op_id: extra.op_id ?? randomUUID(),
    seq,
    type: 'REDEMPTION',
    occurred_at: extra.occurred_at ?? iso(),
    payload: { code, ticket_id: extra.ticket_id ?? `ticket-${seq}`, amount },
  };
}

export function rollbackOp(seq: number, redemptionOpId: string): WireOp {
  return { op_id: randomUUID(), seq, type: 'ROLLBACK', occurred_at: iso(), payload: { redemption_op_id: redemptionOpId } };
}

export function giftIssueOp(seq: number, code: string, amount: number, currency = 'EUR', occurredAt = iso()): WireOp {
  return { op_id: randomUUID(), seq, type: 'GIFT_ISSUE', occurred_at: occurredAt, payload: { code, amount, currency } };
}

export function giftTopUpOp(seq: number, code: string, amount: number, ticketId?: string): WireOp {
  return { op_id: randomUUID(), seq, type: 'GIFT_TOP_UP', occurred_at: iso(), payload: { code, amount, ...(ticketId === undefined ? {} : { ticket_id: ticketId }) } };
}

export function loyaltyOp(seq: number, type: 'LOYALTY_EARN' | 'LOYALTY_SPEND', code: string, points: number, amount = 0, ticketId = 'ticket-1'): WireOp {
  return { op_id: randomUUID(), seq, type, occurred_at: iso(), payload: { code, ticket_id: ticketId, points, ...(type === 'LOYALTY_SPEND' ? { amount } : {}) } };
}

/** A till under test: registers itself, counts its own seq like a real till's outbox does. */
export class TestTill {
  seq = 0;
  constructor(
    readonly hq: Hq,
    readonly till_id: string,
    readonly token: string,
  ) {}

  static async create(hq: Hq, name = 'Test till'): Promise<TestTill> {
    const { till_id, token } = await hq.newTill(name);
    return new TestTill(hq, till_id, token);
  }

  redeem(code: string, amount = 0, extra: { ticket_id?: string; occurred_at?: string } = {}): WireOp {
    return redemptionOp(++this.seq, code, amount, extra);
  }

  rollback(redemptionOpId: string): WireOp {
    return rollbackOp(++this.seq, redemptionOpId);
  }

  issue(code: string, amount: number, currency = 'EUR'): WireOp {
    return giftIssueOp(++this.seq, code, amount, currency);
  }

  topUp(code: string, amount: number, ticketId?: string): WireOp {
    return giftTopUpOp(++this.seq, code, amount, ticketId);
  }

  earn(code: string, points: number, ticketId?: string): WireOp {
    return loyaltyOp(++this.seq, 'LOYALTY_EARN', code, points, 0, ticketId);
  }

  spend(code: string, points: number, amount: number, ticketId?: string): WireOp {
    return loyaltyOp(++this.seq, 'LOYALTY_SPEND', code, points, amount, ticketId);
  }

  push(ops: WireOp[]) {
    return this.hq.as(this.token, { method: 'POST', url: '/v1/sync/push', payload: { ops } });
  }

  /** Push and insist on 200; returns the parsed response. */
  async pushOk(ops: WireOp[]): Promise<PushResponse> {
    const res = await this.push(ops);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as PushResponse;
    expect(body.results).toHaveLength(ops.length);
    return body;
  }

  /** Push a single op and return its result. */
  async one(op: WireOp): Promise<PushResult> {
    return (await this.pushOk([op])).results[0]!;
  }

  /** One page of the change feed after `checkpoint`, as this till reads it. */
  async pull(checkpoint: number, limit = 1000): Promise<ChangesResponse> {
    const res = await this.hq.as(this.token, { method: 'GET', url: `/v1/sync/changes?checkpoint=${checkpoint}&limit=${limit}` });
    expect(res.statusCode, res.body).toBe(200);
    return ChangesResponseSchema.parse(res.json());
  }

  async leaseCodes(size: number): Promise<string[]> {
    const res = await this.hq.as(this.token, { method: 'POST', url: '/v1/code-blocks', payload: { size } });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { codes: string[] }).codes;
  }
}

export const discountBody = (overrides: Record<string, unknown> = {}) => ({
  type: 'DISCOUNT_VOUCHER',
  currency: 'EUR',
  label: 'Five off',
  discount: { type: 'AMOUNT', amount_off: 500 },
  code: uniqueCode('D'),
  ...overrides,
});

export const giftBody = (amount: number, overrides: Record<string, unknown> = {}) => ({
  type: 'GIFT_VOUCHER',
  currency: 'EUR',
  label: 'Gift card',
  gift: { amount },
  code: uniqueCode('G'),
  ...overrides,
});

export async function createVoucher(hq: Hq, body: Record<string, unknown>): Promise<Voucher> {
  const res = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return withoutAssets(res.json() as Voucher);
}

/** The voucher as HQ holds it (and a till sees it): the admin API's answer without its signed asset links. */
export async function getVoucher(hq: Hq, code: string): Promise<Voucher | undefined> {
  const res = await hq.admin({ method: 'GET', url: `/v1/vouchers/${code}` });
  if (res.statusCode === 404) return undefined;
  expect(res.statusCode, res.body).toBe(200);
  return withoutAssets(res.json() as Voucher);
}


/** Rows of a raw query against HQ's own database. */
export async function query<T = Record<string, unknown>>(hq: Hq, q: SQL): Promise<T[]> {
  return rowsOf<T>(await hq.database.db.execute(q));
}

/** The till's last_seq as HQ stores it. */
export async function lastSeqOf(hq: Hq, tillId: string): Promise<number> {
  const [row] = await query<{ last_seq: string | number }>(hq, sql`SELECT last_seq FROM tills WHERE id = ${tillId}::uuid`);
  return Number(row!.last_seq);
}

/** A gift card's ledger, oldest entry first (amounts as numbers on both backends). */
export async function ledgerOf(hq: Hq, code: string): Promise<{ kind: string; amount: number; redemption_id: string | null }[]> {
  const rows = await query<{ kind: string; amount: string | number; redemption_id: string | null }>(hq, sql`SELECT kind, amount, redemption_id FROM gift_ledger WHERE code = ${code} ORDER BY id`);
  return rows.map((r) => ({ kind: r.kind, amount: Number(r.amount), redemption_id: r.redemption_id }));
}

/** A loyalty card's ledger, oldest entry first. */
export async function pointsLedgerOf(hq: Hq, code: string): Promise<{ kind: string; points: number; redemption_id: string | null }[]> {
  const rows = await query<{ kind: string; points: string | number; redemption_id: string | null }>(hq, sql`SELECT kind, points, redemption_id FROM loyalty_ledger WHERE code = ${code} ORDER BY id`);
  return rows.map((r) => ({ kind: r.kind, points: Number(r.points), redemption_id: r.redemption_id }));
}

export const programBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 }, ...overrides,
});

export const loyaltyCardBody = (program: string, overrides: Record<string, unknown> = {}) => ({ type: 'LOYALTY_CARD', currency: 'EUR', campaign: program, ...overrides });

/**
 * An md5 of every row of every table of HQ's database but till_contacts: equal before and after a request means the
 * request changed nothing at all (row counts cannot see a refused PUT that renamed something).
 */
export async function dataHash(hq: Hq): Promise<string> {
  // till_contacts is telemetry (when HQ last heard from a till: any till request writes it), not data.
  const tables = (await query<{ tablename: string }>(hq, sql`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'till_contacts' ORDER BY tablename`)).map((t) => t.tablename);
  expect(tables).toContain('vouchers');
  const parts = tables.map((t) => sql`coalesce((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM ${sql.identifier(t)} x), '')`);
  const [row] = await query<{ h: string }>(hq, sql`SELECT md5(${sql.join(parts, sql` || '#' || `)}) AS h`);
  return row!.h;
}

/** Polls a voucher import until it is no longer IN_PROGRESS, and returns the finished action. */
export async function settleImport(hq: Hq, id: string): Promise<AsyncAction> {
  for (let i = 0; i < 400; i++) {
    const res = await hq.admin({ method: 'GET', url: `/v1/async-actions/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    const action = res.json() as AsyncAction;
    if (action.status !== 'IN_PROGRESS') return action;
    await sleep(25);
  }
  throw new Error(`import ${id} did not finish within 10 s`);
}

export type ProblemBody = { type: string; title: string; status: number; detail: string; code: string; errors?: { path: string; message: string }[] };

/**
 * `res` is a problem+json with this status (and `code`, when given): the type, title and detail every
 * problem has. `what` names the request in a failure. Returns the problem.
 */
export function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, { code, what = '' }: { code?: string; what?: string } = {}): ProblemBody {
  expect(res.statusCode, `${what} ${res.body.slice(0, 300)}`).toBe(status);
  expect(String(res.headers['content-type']), what).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as ProblemBody;
  expect(body, what).toMatchObject({ status, type: expect.stringContaining('/problems/'), title: expect.any(String), detail: expect.any(String) });
  if (code) expect(body.code, what).toBe(code);
  return body;
}

/** A PostgreSQL database for tests that restart HQ: startHq({url}) leaves it alone, drop() removes it. */
export async function ownPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `vt_test_own_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: base.toString() });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Resolves after ms; for "has it resolved yet?" races. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** 'pending' if the promise has not settled within ms. */
export async function settledWithin<T>(p: Promise<T>, ms: number): Promise<'settled' | 'pending'> {
  return Promise.race([p.then(() => 'settled' as const, () => 'settled' as const), sleep(ms).then(() => 'pending' as const)]);
}

/** Fisher–Yates with Math.random (test data only). */
export function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

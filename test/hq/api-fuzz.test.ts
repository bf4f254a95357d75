// An API fuzz of HQ, driven by its own OpenAPI document (issue 11). For every operation the document
// lists, requests are made from a valid example with one part made hostile — NUL, lone surrogates, RTL
// marks, look-alike Unicode, 10k-character strings, 2^63, 1e400, 10,000-deep JSON, wrong types, unknown
// fields, wrong content types, every principal — from a seeded PRNG, so a failure names a reproducible
// request. Every answer must be documented for its operation, never 5xx, and every error problem+json;
// a refused request must leave HQ's data exactly as it was (a hash of every table, before and after).
// What a till reads must parse as a till parses it: every 200 of a push with PushResponseSchema, every
// page of the change feed with ChangesResponseSchema — and at the end the fuzz till pulls the whole
// feed, so a value HQ stored that no till can read (a gift balance past safe integers) fails the run.
// A push whose op_id and seq are sound is never a 400 for the whole batch, whatever else is in the op:
// the till would send it again on every retry and never sync again (the op is REJECTED instead).
// Counts per status are printed for the issue note.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ChangesResponseSchema, ProblemSchema, PushResponseSchema, type PushResponse } from '../../sync/protocol';
import { rowsOf } from '../../hq/db/connect';
import { prng } from '../../testkit/prng';
import { ADMIN_TOKEN, BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { settleImport } from './helpers';

type Operation = { responses?: Record<string, unknown>; parameters?: { in: string; name: string }[]; requestBody?: unknown };
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A request before it is sent: JSON values may be raw JSON text (numbers JSON.stringify cannot write). */
type Shape = { method: string; path: string; params: Record<string, string>; query: Record<string, string>; headers?: Record<string, string>; body?: Json; raw?: string; contentType?: string; token: string | null };
type Principal = 'admin' | 'till' | 'nobody';
/** Who a route is for: most requests are made as that principal, so they get past authentication. */
const TILL_ROUTES = new Set(['GET /v1/tills/me', 'POST /v1/code-blocks', 'GET /v1/sync/changes', 'POST /v1/sync/push', 'POST /v1/validations', 'POST /v1/redemptions/{id}/rollback', 'GET /v1/vouchers/{code}']);
const NOBODY_ROUTES = new Set(['POST /v1/pairings', 'GET /v1/assets/{code}/{kind}', 'POST /v1/session']);

const REQUESTS_PER_BACKEND = 2_400;
const SEED = 0x11f022;

const TABLES = ['vouchers', 'tombstones', 'products', 'customers', 'tills', 'ops', 'redemptions', 'gift_ledger', 'code_leases', 'async_actions', 'loyalty_programs', 'loyalty_ledger', 'api_keys', 'idempotency_keys'];

// Hostile values for JSON fields. Raw entries are written into the JSON text as they are.
const RAW = (text: string) => ({ raw: text });
const HOSTILE_JSON: (Json | { raw: string })[] = [
  '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udfff\ud800', '\u202eevil\u202c', '\u200f', 'ſale', 'ﬀ', 'gıft-0050', 'K\u212a', 'A'.repeat(10_000), '', ' ', '<script>', "'; DROP TABLE vouchers; --",
  2 ** 63, -(2 ** 63), 2 ** 31, -1, 0, 1.5, Number.MAX_SAFE_INTEGER, RAW('9007199254740993'), RAW('1e400'), RAW('-1e400'), RAW('1e-400'), RAW('-0'),
  null, true, [], {}, ['\u0000'], { '\u0000': 1 }, { __proto__x: 1 }, RAW('{"__proto__":{"polluted":1}}'), RAW(`${'['.repeat(10_000)}${']'.repeat(10_000)}`),
  RAW(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
];
// Refused at HQ's front door, before any route reads the body (JSON nested deeper than 64 levels,
// __proto__ keys): a 400 for a whole push is right for these, a till never sends them.
const FRONT_DOOR = new Set(HOSTILE_JSON.filter((v) => typeof v === 'object' && v !== null && 'raw' in v && /^(\[\[|\{"a":\{|\{"__proto__")/.test((v as { raw: string }).raw)));
// Hostile path and query values, already percent-encoded (a lone surrogate has no UTF-8: its bytes are sent).
const HOSTILE_URL = ['%00', 'a%00b', '%ED%A0%80', 'x%ED%B0%80', '%E2%80%AEevil', 'S%C5%BFALE', '%EF%AC%80', 'G%C4%B1FT-0050', 'A'.repeat(129), 'A'.repeat(4_000), '..%2F..%2Fadmin', '%FF%FE', '%', '1e400', '9223372036854775808', '-1', '', '%20'];

type Ids = { code: string; gift: string; card: string; program: string; apiKeyId: string; tillId: string; product: string; customer: string; asset: Record<string, string>; userId: string; opId: string };

function examples(ids: Ids): Record<string, Omit<Shape, 'token'>> {
  const voucher = { type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: 'Fuzz', discount: { type: 'AMOUNT', amount_off: 500 }, redemption: { quantity: 1 }, metadata: { source: 'fuzz' } };
  const ticket = { currency: 'EUR', customer_id: null, lines: [{ product_id: ids.product, quantity: 1, unit_price: 1000 }] };
  return {
    'GET /v1/vouchers': { method: 'GET', path: '/v1/vouchers', params: {}, query: { limit: '25', offset: '0', campaign: 'FUZZ', status: 'ACTIVE', type: 'DISCOUNT_VOUCHER' } },
    'POST /v1/vouchers': { method: 'POST', path: '/v1/vouchers', params: {}, query: {}, body: voucher },
    'GET /v1/vouchers/{code}': { method: 'GET', path: '/v1/vouchers/{code}', params: { code: ids.code }, query: {} },
    'PUT /v1/vouchers/{code}': { method: 'PUT', path: '/v1/vouchers/{code}', params: { code: ids.code }, query: {}, body: { label: 'Changed', metadata: { k: 'v' }, min_order_amount: 100 } },
    'DELETE /v1/vouchers/{code}': { method: 'DELETE', path: '/v1/vouchers/{code}', params: { code: 'NO-SUCH-CODE' }, query: {} },
    'POST /v1/vouchers/{code}/cancel': { method: 'POST', path: '/v1/vouchers/{code}/cancel', params: { code: 'NO-SUCH-CODE' }, query: {} },
    'POST /v1/vouchers/{code}/top-up': { method: 'POST', path: '/v1/vouchers/{code}/top-up', params: { code: ids.gift }, query: {}, body: { amount: 100 } },
    'POST /v1/offers/{offer}/vouchers': { method: 'POST', path: '/v1/offers/{offer}/vouchers', params: { offer: 'FUZZ' }, query: {}, body: { ...voucher, client_user_id: 'u1' } },
    'POST /v1/vouchers/import': { method: 'POST', path: '/v1/vouchers/import', params: {}, query: {}, body: [voucher] },
    'GET /v1/async-actions/{id}': { method: 'GET', path: '/v1/async-actions/{id}', params: { id: 'nothing' }, query: {} },
    'POST /v1/tills': { method: 'POST', path: '/v1/tills', params: {}, query: {}, body: { name: 'Fuzz till', time_zone: 'Europe/Berlin' } },
    'GET /v1/tills/me': { method: 'GET', path: '/v1/tills/me', params: {}, query: {} },
    'POST /v1/code-blocks': { method: 'POST', path: '/v1/code-blocks', params: {}, query: {}, body: { size: 1 } },
    'GET /v1/sync/changes': { method: 'GET', path: '/v1/sync/changes', params: {}, query: { checkpoint: '0', limit: '10' } },
    // The ops are pushOps' below, with the till's next seqs.
    'POST /v1/sync/push': { method: 'POST', path: '/v1/sync/push', params: {}, query: {}, body: { ops: [] } },
    'POST /v1/validations': { method: 'POST', path: '/v1/validations', params: {}, query: {}, body: { codes: [ids.code], ticket } },
    'POST /v1/redemptions/{id}/rollback': { method: 'POST', path: '/v1/redemptions/{id}/rollback', params: { id: randomUUID() }, query: {} },
    'GET /v1/redemptions': { method: 'GET', path: '/v1/redemptions', params: {}, query: { code: ids.code, till_id: ids.tillId, outcome: 'ACCEPTED', limit: '10', offset: '0' } },
    'PUT /v1/products/{id}': { method: 'PUT', path: '/v1/products/{id}', params: { id: ids.product }, query: {}, body: { name: 'Fuzz product', unit_price: 1000, currency: 'EUR', tax_rate: 19, barcode: '4006381100007' } },
    'DELETE /v1/products/{id}': { method: 'DELETE', path: '/v1/products/{id}', params: { id: 'no-such-product' }, query: {} },
    'PUT /v1/customers/{id}': { method: 'PUT', path: '/v1/customers/{id}', params: { id: ids.customer }, query: {}, body: { name: 'Fuzz customer', card_code: 'CARD-FUZZ-0001' } },
    'DELETE /v1/customers/{id}': { method: 'DELETE', path: '/v1/customers/{id}', params: { id: 'no-such-customer' }, query: {} },
    'POST /v1/tills/{till_id}/pairing-code': { method: 'POST', path: '/v1/tills/{till_id}/pairing-code', params: { till_id: ids.tillId }, query: {}, body: { valid_minutes: 5 } },
    'POST /v1/pairings': { method: 'POST', path: '/v1/pairings', params: {}, query: {}, body: { pairing_code: 'K7QM-3XHD' } },
    'POST /v1/loyalty-programs': { method: 'POST', path: '/v1/loyalty-programs', params: {}, query: {}, body: { name: 'Fuzz club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 } } },
    'GET /v1/loyalty-programs': { method: 'GET', path: '/v1/loyalty-programs', params: {}, query: {} },
    'POST /v1/api-keys': { method: 'POST', path: '/v1/api-keys', params: {}, query: {}, body: { name: 'Fuzz shop', scopes: ['redeem', 'read'] } },
    'GET /v1/api-keys': { method: 'GET', path: '/v1/api-keys', params: {}, query: {} },
    'GET /v1/assets/{code}/{kind}': { method: 'GET', path: '/v1/assets/{code}/{kind}', params: { code: ids.code, kind: 'qr' }, query: { ...ids.asset, format: 'svg' } },
    'DELETE /v1/api-keys/{id}': { method: 'DELETE', path: '/v1/api-keys/{id}', params: { id: randomUUID() }, query: {} },
    // The Idempotency-Key is made per request below (a fresh one, or a hostile one).
    'POST /v1/redemptions': { method: 'POST', path: '/v1/redemptions', params: {}, query: {}, body: { code: ids.gift, ticket, channel: 'fuzz' } },
    'GET /v1/vouchers/{code}/ledger': { method: 'GET', path: '/v1/vouchers/{code}/ledger', params: { code: ids.gift }, query: {} },
    'GET /v1/tills': { method: 'GET', path: '/v1/tills', params: {}, query: {} },
    // Not the fuzz till: revoking it would end the run's pushes.
    'POST /v1/tills/{till_id}/revoke': { method: 'POST', path: '/v1/tills/{till_id}/revoke', params: { till_id: randomUUID() }, query: {} },
    // People at HQ: the admin token has no session of its own (GET/DELETE /v1/session answer 403 to it).
    'POST /v1/session': { method: 'POST', path: '/v1/session', params: {}, query: {}, body: { email: 'fuzz@shop.example', password: 'fuzz password 1' } },
    'GET /v1/session': { method: 'GET', path: '/v1/session', params: {}, query: {} },
    'DELETE /v1/session': { method: 'DELETE', path: '/v1/session', params: {}, query: {} },
    'GET /v1/users': { method: 'GET', path: '/v1/users', params: {}, query: {} },
    'POST /v1/users': { method: 'POST', path: '/v1/users', params: {}, query: {}, body: { email: 'fuzz-new@shop.example', password: 'fuzz password 2', role: 'viewer' } },
    'PUT /v1/users/{id}': { method: 'PUT', path: '/v1/users/{id}', params: { id: ids.userId }, query: {}, body: { role: 'admin', disabled: false } },
    'GET /v1/audit-log': { method: 'GET', path: '/v1/audit-log', params: {}, query: { limit: '10', offset: '0' } },
    'GET /v1/reconciliation': { method: 'GET', path: '/v1/reconciliation', params: {}, query: { kind: 'conflict', handled: 'all', till_id: ids.tillId, store: 'Fuzz', limit: '10', offset: '0' } },
    'PUT /v1/reconciliation/{op_id}/handled': { method: 'PUT', path: '/v1/reconciliation/{op_id}/handled', params: { op_id: ids.opId }, query: {}, body: { note: 'Called the store.' } },
    'DELETE /v1/reconciliation/{op_id}/handled': { method: 'DELETE', path: '/v1/reconciliation/{op_id}/handled', params: { op_id: ids.opId }, query: {} },
    'GET /v1/loyalty-programs/{id}': { method: 'GET', path: '/v1/loyalty-programs/{id}', params: { id: ids.program }, query: {} },
    'PUT /v1/loyalty-programs/{id}': {
      method: 'PUT', path: '/v1/loyalty-programs/{id}', params: { id: ids.program }, query: {}, body: { name: 'Fuzz club', currency: 'EUR', earn: { points: 2, per_amount: 100 }, redeem: { points: 100, amount: 100 } },
    },
  };
}

/** What the fuzz till's pushes draw on: ids of redemptions to roll back, and leased codes to issue. */
type PushState = { own: string[]; other: string; leased: string[]; n: number };

/**
 * The ops of the next push example: one to three, in turn — a discount redemption, a gift debit (at the
 * schema's maximum half the time: two of those overdraw a card past what a balance may hold), a
 * ROLLBACK of one of the fuzz till's own accepted redemptions or of another till's (refused: not its
 * own), a GIFT_ISSUE of a leased code, in batches of any mix (all go through push_ops()).
 */
function pushOps(ids: Ids, state: PushState, firstSeq: number, random: () => number): Record<string, Json>[] {
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, (_, i): Record<string, Json> => {
    const base = { op_id: randomUUID(), seq: firstSeq + i, occurred_at: new Date().toISOString() };
    const turn = state.n++;
    switch (turn % 6) {
      case 0:
        return { ...base, type: 'REDEMPTION', payload: { code: ids.code, ticket_id: 'fuzz-ticket', amount: 100 } };
      case 1:
        return { ...base, type: 'REDEMPTION', payload: { code: ids.gift, ticket_id: 'fuzz-gift', amount: random() < 0.5 ? Number.MAX_SAFE_INTEGER : 2_500 } };
      case 2: {
        const own = turn % 8 === 2 ? state.own.pop() : undefined;
        return { ...base, type: 'ROLLBACK', payload: { redemption_op_id: own ?? state.other } };
      }
      case 4:
        return { ...base, type: 'LOYALTY_EARN', payload: { code: ids.card, ticket_id: 'fuzz-points', points: random() < 0.5 ? Number.MAX_SAFE_INTEGER : 25 } };
      case 5:
        return { ...base, type: 'LOYALTY_SPEND', payload: { code: random() < 0.2 ? ids.gift : ids.card, ticket_id: 'fuzz-points', points: 300, amount: 300 } };
      default:
        return { ...base, type: 'GIFT_ISSUE', payload: { code: state.leased.shift() ?? 'NOTLEASD', amount: 5_000, currency: 'EUR' } };
    }
  });
}

/** Every JSON path to a value in `v` (objects and arrays included), so any of them can be replaced. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (v && typeof v === 'object') return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return here;
}

const isRaw = (value: Json | { raw: string }): value is { raw: string } => typeof value === 'object' && value !== null && !Array.isArray(value) && 'raw' in value;
const jsonText = (value: Json | { raw: string }): string => (isRaw(value) ? value.raw : JSON.stringify(value));

/** JSON text of `v` with the value at `path` replaced by `value` (raw JSON text allowed). */
function withValue(v: Json, path: (string | number)[], value: Json | { raw: string }): string {
  if (path.length === 0) return jsonText(value);
  const marker = '__FUZZ_VALUE__';
  const copy = structuredClone(v) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]!] = marker;
  return JSON.stringify(copy).replace(`"${marker}"`, () => jsonText(value));
}

function urlOf(shape: Shape): string {
  const path = shape.path.replace(/\{(\w+)\}/g, (_, name: string) => shape.params[name] ?? '');
  const query = Object.entries(shape.query).map(([k, v]) => `${k}=${v}`).join('&');
  return query ? `${path}?${query}` : path;
}

async function dataHash(hq: Hq): Promise<string> {
  const parts = TABLES.map((t) => sql`coalesce((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM ${sql.identifier(t)} x), '')`);
  const rows = rowsOf<{ h: string }>(await hq.database.db.execute(sql`SELECT md5(${sql.join(parts, sql` || '#' || `)}) AS h`));
  return rows[0]!.h;
}

describe.each(BACKENDS)('API fuzz from the OpenAPI document (%s)', (backend) => {
  let hq: Hq;
  let doc: { paths: Record<string, Record<string, Operation>> };
  let tillToken: string;
  let otherTillToken: string;
  let ids: Ids;
  let apiKey: string;
  let pushState: PushState;

  beforeAll(async () => {
    hq = await startHq(backend);
    doc = (await hq.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const till = await hq.newTill('Fuzz till', 'Europe/Berlin');
    tillToken = till.token;
    otherTillToken = (await hq.newTill('Other till', 'Europe/Berlin')).token;
    const code = 'FUZZ-0001';
    const gift = 'FUZZ-GIFT-0001';
    expect((await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { code, type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 } } })).statusCode).toBe(201);
    expect((await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { code: gift, type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 10_000 } } })).statusCode).toBe(201);
    const program = 'FUZZ-CLUB';
    const card = 'FUZZ-CARD-0001';
    const club = { id: program, name: 'Fuzz club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 } };
    expect((await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: club })).statusCode).toBe(201);
    expect((await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { code: card, type: 'LOYALTY_CARD', currency: 'EUR', campaign: program, loyalty: { balance: 1_000 } } })).statusCode).toBe(201);
    const key = await hq.admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'Fuzz key', scopes: ['redeem', 'read'] } });
    expect(key.statusCode).toBe(201);
    apiKey = (key.json() as { key: string }).key;
    // A signed link to the voucher's QR code: its exp and sig.
    const qrUrl = new URL(((await hq.admin({ method: 'GET', url: `/v1/vouchers/${code}` })).json() as { assets: { qr_url: string } }).assets.qr_url);
    const asset = { exp: qrUrl.searchParams.get('exp')!, sig: qrUrl.searchParams.get('sig')! };
    const user = await hq.admin({ method: 'POST', url: '/v1/users', payload: { email: 'fuzz@shop.example', password: 'fuzz password 1', role: 'admin' } });
    expect(user.statusCode, user.body).toBe(201);
    ids = { code, gift, card, program, apiKeyId: (key.json() as { id: string }).id, tillId: till.till_id, product: 'fuzz-product', customer: 'fuzz-customer', asset, userId: (user.json() as { id: string }).id, opId: randomUUID() };
    // Another till's accepted debit of the card, for the fuzz till to try to roll back.
    const other = { op_id: randomUUID(), seq: 1, type: 'REDEMPTION', occurred_at: new Date().toISOString(), payload: { code: gift, ticket_id: 'other-ticket', amount: 1_000 } };
    const pushed = await hq.as(otherTillToken, { method: 'POST', url: '/v1/sync/push', payload: { ops: [other] } });
    expect(pushed.json()).toMatchObject({ results: [{ outcome: 'ACCEPTED' }] });
    // A rejected op: a reconciliation item for the handled routes.
    const rejected = { op_id: randomUUID(), seq: 2, type: 'REDEMPTION', occurred_at: new Date().toISOString(), payload: { code: 'NO-SUCH-CODE', ticket_id: 'other-ticket-2', amount: 100 } };
    expect((await hq.as(otherTillToken, { method: 'POST', url: '/v1/sync/push', payload: { ops: [rejected] } })).json()).toMatchObject({ results: [{ outcome: 'REJECTED' }] });
    ids.opId = rejected.op_id;
    const leased = await hq.as(tillToken, { method: 'POST', url: '/v1/code-blocks', payload: { size: 100 } });
    expect(leased.statusCode, leased.body).toBe(201);
    pushState = { own: [], other: other.op_id, leased: (leased.json() as { codes: string[] }).codes, n: 0 };
  }, 60_000);

  afterAll(async () => {
    await hq?.close();
  });

  it('every operation declares 503 as problem+json (a request that arrives while HQ closes, on any route)', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(20);
    const missing = operations.filter(({ op }) => Object.keys((op.responses?.['503'] as { content?: object } | undefined)?.content ?? {}).join() !== 'application/problem+json');
    expect(missing.map((o) => o.key)).toEqual([]);
  });

  it(`${REQUESTS_PER_BACKEND} hostile requests: each answer documented, never 5xx, errors problem+json, refused requests change nothing`, async () => {
    const random = prng(SEED);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const bases = examples(ids);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
    // Every documented operation has an example here: a new route cannot slip past the fuzz.
    expect(operations.map((o) => o.key).filter((k) => !bases[k])).toEqual([]);

    const byStatus = new Map<number, number>();
    const pushOutcomes = new Map<string, number>();
    const pushReasons = new Map<string, number>();
    const failures: string[] = [];
    let pushSeq = 1;
    for (let n = 0; n < REQUESTS_PER_BACKEND; n++) {
      // One request in six is the till's push (the heart of reconciliation), whatever the number of
      // routes: its outcomes and rules are asserted below and must not thin out as routes are added.
      const { key, op } = random() < 1 / 6 ? operations.find((o) => o.key === 'POST /v1/sync/push')! : pick(operations);
      const base = bases[key]!;
      const own: Principal = TILL_ROUTES.has(key) ? (random() < 0.5 || key.includes('sync') || key.includes('code-blocks') || key.includes('/me') ? 'till' : 'admin') : NOBODY_ROUTES.has(key) ? 'nobody' : 'admin';
      const tokens: Record<Principal, string | null> = { admin: ADMIN_TOKEN, till: tillToken, nobody: null };
      const token = random() < 0.8 ? tokens[own] : pick([ADMIN_TOKEN, tillToken, otherTillToken, apiKey, null, 'till_not-a-token']);
      const shape: Shape = { ...base, params: { ...base.params }, query: { ...base.query }, token };
      if (key === 'POST /v1/redemptions') {
        shape.headers = { 'idempotency-key': random() < 0.85 ? `fuzz-${n}` : pick(['', ' '.repeat(256), 'x'.repeat(256), 'tab\there', 'ünïcode', 'fuzz-1']) };
      }
      if (key === 'POST /v1/sync/push') {
        // Keep the till's seq right most of the time, so the op itself reaches the op parser.
        shape.body = { ops: pushOps(ids, pushState, pushSeq, random) };
      }
      let describeIt: string;
      /** A push that must reach the op parser: only the op's content (not op_id, seq, the envelope) is hostile. */
      let opContentOnly = false;
      const where = random();
      const params = Object.keys(shape.params);
      const queries = Object.keys(shape.query);
      if (where < 0.2 && params.length) {
        const name = pick(params);
        shape.params[name] = pick(HOSTILE_URL);
        describeIt = `path ${name}=${shape.params[name]!.slice(0, 40)}`;
      } else if (where < 0.35 && queries.length) {
        const name = random() < 0.85 ? pick(queries) : 'unknown_param';
        shape.query[name] = pick(HOSTILE_URL);
        describeIt = `query ${name}=${shape.query[name]!.slice(0, 40)}`;
      } else if (shape.body !== undefined && where < 0.9) {
        const path = pick(paths(shape.body));
        const value = pick(HOSTILE_JSON);
        const unknownField = random() < 0.1 && !Array.isArray(shape.body) && typeof shape.body === 'object';
        shape.raw = unknownField ? withValue({ ...(shape.body as Record<string, Json>), unknown_field: 1 }, path, value) : withValue(shape.body, path, value);
        opContentOnly = key === 'POST /v1/sync/push' && !unknownField && path.length >= 3 && path[2] !== 'op_id' && path[2] !== 'seq' && !FRONT_DOOR.has(value);
        describeIt = `body ${path.join('.') || '(whole)'} = ${jsonText(value).slice(0, 40)}`;
      } else if (where < 0.95) {
        shape.raw = pick(['not json', '{"unterminated":', '\u0000', `"${'\ud800'}"`, '']);
        shape.contentType = pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']);
        describeIt = `raw body ${JSON.stringify(shape.raw)} as ${shape.contentType}`;
      } else {
        describeIt = 'the valid example';
      }

      const mutating = shape.method !== 'GET';
      const before = mutating ? await dataHash(hq) : '';
      const request: InjectOptions = {
        method: shape.method as InjectOptions['method'],
        url: urlOf(shape),
        headers: {
          ...(shape.token ? { authorization: `Bearer ${shape.token}` } : {}),
          ...shape.headers,
          ...(shape.raw !== undefined || shape.body !== undefined ? { 'content-type': shape.contentType ?? 'application/json' } : {}),
        },
        ...(shape.raw !== undefined ? { payload: shape.raw } : shape.body !== undefined ? { payload: JSON.stringify(shape.body) } : {}),
      };
      let res: LightMyRequestResponse;
      try {
        res = await hq.app.inject(request);
      } catch (error) {
        failures.push(`#${n} ${key} (${describeIt}): inject threw ${String(error)}`);
        continue;
      }
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
      const what = `#${n} ${key} as ${shape.token === null ? 'nobody' : shape.token === ADMIN_TOKEN ? 'admin' : 'a till'} (${describeIt}) → ${res.statusCode}`;
      if (res.statusCode >= 500) failures.push(`${what}: ${res.body.slice(0, 200)}`);
      const documented = Object.keys(op.responses ?? {});
      if (!documented.includes(String(res.statusCode)) && !documented.includes('default')) failures.push(`${what}: not documented (${documented.join(',')})`);
      if (res.statusCode >= 400) {
        if (!String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${what}: content-type ${res.headers['content-type']}`);
        const problem = ProblemSchema.safeParse(safeJson(res.body));
        if (!problem.success || problem.data.status !== res.statusCode) failures.push(`${what}: not a problem document: ${res.body.slice(0, 200)}`);
        if (mutating && (await dataHash(hq)) !== before) failures.push(`${what}: refused, yet HQ's data changed`);
      }
      if (opContentOnly && shape.token === tillToken && res.statusCode !== 200) failures.push(`${what}: a bad op must be REJECTED, not refuse the whole push (the till would be stuck)`);
      if (key === 'POST /v1/sync/push' && res.statusCode === 200) {
        const parsed = PushResponseSchema.safeParse(safeJson(res.body));
        if (!parsed.success) failures.push(`${what}: a till cannot read the answer: ${parsed.error.message.slice(0, 300)}`);
        if (shape.token === tillToken) {
          const body = res.json() as PushResponse;
          pushSeq = body.last_seq + 1;
          const sent = (shape.raw !== undefined ? safeJson(shape.raw) : shape.body) as { ops?: { type?: unknown }[] } | undefined;
          for (const [i, r] of body.results.entries()) {
            // Its own redemptions and points ops: what its ROLLBACKs may undo.
            if (r.outcome === 'ACCEPTED' && ['REDEMPTION', 'LOYALTY_EARN', 'LOYALTY_SPEND'].includes(String(sent?.ops?.[i]?.type))) pushState.own.push(r.op_id);
            pushOutcomes.set(r.outcome, (pushOutcomes.get(r.outcome) ?? 0) + 1);
            if (r.reason) pushReasons.set(r.reason, (pushReasons.get(r.reason) ?? 0) + 1);
          }
        }
      }
      if (key === 'GET /v1/sync/changes' && res.statusCode === 200) {
        const parsed = ChangesResponseSchema.safeParse(safeJson(res.body));
        if (!parsed.success) failures.push(`${what}: a till cannot read the page: ${parsed.error.message.slice(0, 300)}`);
      }
      if (key === 'POST /v1/vouchers/import' && res.statusCode === 202) await settleImport(hq, (res.json() as { async_action_id: string }).async_action_id);
      if (failures.length >= 20) break;
    }
    // At the end, what a till does: pull the whole change feed from the start; every page must parse.
    let checkpoint = '0';
    let pages = 0;
    for (let more = true; more && failures.length < 20; pages++) {
      const res = await hq.as(tillToken, { method: 'GET', url: `/v1/sync/changes?checkpoint=${checkpoint}&limit=25` });
      const parsed = ChangesResponseSchema.safeParse(safeJson(res.body));
      if (res.statusCode !== 200 || !parsed.success) {
        failures.push(`the fuzz till's pull from checkpoint ${checkpoint} → ${res.statusCode}: ${parsed.success ? res.body.slice(0, 200) : parsed.error.message.slice(0, 300)}`);
        break;
      }
      checkpoint = parsed.data.checkpoint;
      more = parsed.data.has_more;
    }
    console.log(`[api fuzz ${backend}] ${[...byStatus.values()].reduce((a, b) => a + b, 0)} requests by status: ${[...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(' ')}`);
    console.log(`[api fuzz ${backend}] fuzz till's push ops by outcome: ${[...pushOutcomes.entries()].sort().map(([o, c]) => `${o}×${c}`).join(' ')} (${[...pushReasons.entries()].sort().map(([r, c]) => `${r}×${c}`).join(' ')}); full pull of the change feed: ${pages} pages`);
    expect(failures).toEqual([]);
    // The pushes reached every outcome and the rules a till must not get past — a debit beyond the
    // lowest balance, a rollback of another till's redemption — not only the schemas.
    expect([...pushOutcomes.keys()].sort()).toEqual(['ACCEPTED', 'CONFLICT', 'REJECTED']);
    expect(pushReasons.get('amount_out_of_range') ?? 0).toBeGreaterThan(0);
    expect(pushReasons.get('not_own_redemption') ?? 0).toBeGreaterThan(0);
    expect(pushReasons.get('not_a_loyalty_card') ?? 0).toBeGreaterThan(0);
    // The fuzz reached HQ's own checks, not just the front door: some requests were accepted, many refused by schema.
    expect(byStatus.get(400) ?? 0).toBeGreaterThan(REQUESTS_PER_BACKEND / 10);
    expect([...byStatus.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  }, 600_000);
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}


// The voucher rule is written twice — core/voucher-effects.ts (the till, HQ's TypeScript) and HQ's SQL
// functions voucher_redeem_refusal / voucher_redeem / voucher_restore / voucher_top_up / voucher_points* (the push). One table
// of cases (test/core/voucher-effect-cases.ts) goes through both, on each backend: the vouchers that
// come out must be identical — every field, as the contract's JSON — and so must the outcomes, and
// both must be what the table wants.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movePoints, redeemVoucher, restoreVoucher, reversePoints, topUpVoucher } from '../../core/voucher-effects';
import type { Voucher } from '../../core/voucher';
import { insertVoucher } from '../../hq/voucher-store';
import { EFFECT_CASES, seenBy, wanted, type EffectCase, type EffectResult } from '../core/voucher-effect-cases';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { query } from './helpers';

/**
 * An effect that may be refused, through SQL (`row`: its refusal, the voucher after it as JSON, the
 * overdraft flag where there is one) and core: the same outcome, the same voucher, and what the table wants.
 */
function expectSame(c: EffectCase, row: { refusal: string | null; after: string; overdraft?: boolean }, core: { ok: true; voucher: Voucher; overdraft?: boolean } | { ok: false; reason: string }) {
  expect({ ok: row.refusal === null, ...(row.refusal === null ? {} : { reason: row.refusal }) }, 'SQL outcome').toEqual(core.ok ? { ok: true } : { ok: false, reason: core.reason });
  expect(core.ok, 'the table').toBe((c.want as { ok?: boolean }).ok);
  if (core.ok) {
    const fromSql: EffectResult = { voucher: JSON.parse(row.after) as Voucher, ...(row.overdraft === undefined ? {} : { overdraft: row.overdraft === true }) };
    expect(fromSql.voucher, 'SQL voucher = core voucher').toEqual(core.voucher);
    expect(seenBy(c, fromSql)).toEqual(wanted(c));
  } else {
    expect(core).toEqual(c.want);
  }
}

describe.each(BACKENDS)('voucher effects: core and SQL agree on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend);
    for (const c of EFFECT_CASES) expect(await insertVoucher(hq.ctx.db, c.voucher), c.name).toBe(true);
  }, 60_000);
  afterAll(async () => hq?.close());

  it.each(EFFECT_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const code = c.voucher.code;
    if (c.effect === 'redeem') {
      const [row] = await query<{ refusal: string | null; after: string; overdraft: boolean }>(
        hq,
        sql`SELECT voucher_redeem_refusal(v, ${c.amount}::bigint) AS refusal, voucher_json(voucher_redeem(v, ${c.amount}::bigint, ${c.at}::timestamptz)) AS after,
              (voucher_redeem(v, ${c.amount}::bigint, ${c.at}::timestamptz)).gift_balance < 0 AS overdraft
            FROM vouchers v WHERE code = ${code}`,
      );
      expectSame(c, row!, redeemVoucher(c.voucher, c.amount, c.at));
    } else if (c.effect === 'top_up') {
      const [row] = await query<{ refusal: string | null; after: string }>(
        hq,
        sql`SELECT voucher_top_up_refusal(v, ${c.amount}::bigint) AS refusal, voucher_json(voucher_top_up(v, ${c.amount}::bigint)) AS after FROM vouchers v WHERE code = ${code}`,
      );
      expectSame(c, row!, topUpVoucher(c.voucher, c.amount));
    } else if (c.effect === 'earn' || c.effect === 'spend') {
      const [row] = await query<{ refusal: string | null; after: string; overdraft: boolean }>(
        hq,
        sql`SELECT voucher_points_refusal(v, ${c.effect}, ${c.points}::bigint) AS refusal, voucher_json(n) AS after, ${c.effect} = 'spend' AND n.points_balance < 0 AS overdraft
            FROM vouchers v, LATERAL voucher_points(v, ${c.effect}, ${c.points}::bigint, ${c.at}::timestamptz) n WHERE v.code = ${code}`,
      );
      expectSame(c, row!, movePoints(c.voucher, c.effect, c.points, c.at));
    } else if (c.effect === 'unearn' || c.effect === 'unspend') {
      const op = c.effect === 'unearn' ? 'earn' : 'spend';
      const [row] = await query<{ after: string; moved: string | number }>(
        hq,
        sql`SELECT voucher_json(n) AS after, coalesce(n.points_balance - v.points_balance, 0) AS moved FROM vouchers v, LATERAL voucher_points_reverse(v, ${op}, ${c.points}::bigint) n WHERE v.code = ${code}`,
      );
      const core = reversePoints(c.voucher, op, c.points);
      const fromSql: EffectResult = { voucher: JSON.parse(row!.after) as Voucher, moved: Number(row!.moved) };
      expect(fromSql.voucher, 'SQL voucher = core voucher').toEqual(core.voucher);
      expect(fromSql.moved, 'what moved').toBe(core.moved);
      expect(seenBy(c, fromSql)).toEqual(wanted(c));
    } else if (c.effect === 'restore') {
      const [row] = await query<{ after: string; restored: string | number }>(
        hq,
        sql`SELECT voucher_json(n) AS after, coalesce(n.gift_balance - v.gift_balance, 0) AS restored FROM vouchers v, LATERAL voucher_restore(v, ${c.amount}::bigint) n WHERE v.code = ${code}`,
      );
      const core = restoreVoucher(c.voucher, c.amount);
      const fromSql: EffectResult = { voucher: JSON.parse(row!.after) as Voucher, restored: Number(row!.restored) };
      expect(fromSql.voucher, 'SQL voucher = core voucher').toEqual(core.voucher);
      expect(fromSql.restored, 'what came back').toBe(core.restored);
      expect(seenBy(c, fromSql)).toEqual(wanted(c));
    }
  });
});

// Migration 0008 numbers the redemptions stored before it (`applied`), so the one winner rule — a
// CONFLICT names the latest applied ACTIVE ACCEPTED redemption of its code (push_ops.sql) — holds for
// them too: they are numbered in the order HQ used to name winners by (stored time, then when they
// occurred), and every redemption after the upgrade comes after them.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { PushResponse } from '../../sync/protocol';
import { VoucherCreateInputSchema } from '../../core/voucher';
import { rowsOf } from '../../hq/db/connect';
import { hashToken } from '../../hq/auth';
import { buildVoucher, insertVoucher } from '../../hq/voucher-store';
import { BACKENDS, startHq } from '../../testkit/hq-harness';
import { iso, query, redemptionOp, uniqueCode } from './helpers';
import { databaseBefore } from './old-database';

describe.each(BACKENDS)('HQ upgrade to one winner rule on %s', (backend) => {
  it('redemptions stored before 0008 are numbered by stored time, then occurrence; a conflict after it names the latest still standing', async () => {
    const old = await databaseBefore(backend, '0008_redemption_applied');
    try {
      const till = randomUUID();
      const token = `till_upgrade_${randomUUID()}`;
      const code = uniqueCode('AP');
      // Three uses, all taken before the upgrade: stored at three times (one of them twice, by two ops
      // of one push), and the latest of them rolled back since, with a use sold again after it.
      const stored = [
        { op: redemptionOp(1, code, 0, { occurred_at: '2026-11-01T10:00:00.000Z' }), at: '2026-11-01T10:05:00.000Z', status: 'ACTIVE' },
        { op: redemptionOp(2, code, 0, { occurred_at: '2026-11-01T11:30:00.000Z' }), at: '2026-11-01T12:00:00.000Z', status: 'ACTIVE' }, // the winner
        { op: redemptionOp(3, code, 0, { occurred_at: '2026-11-01T11:00:00.000Z' }), at: '2026-11-01T12:00:00.000Z', status: 'ACTIVE' },
        { op: redemptionOp(4, code, 0, { occurred_at: '2026-11-01T09:00:00.000Z' }), at: '2026-11-01T13:00:00.000Z', status: 'ROLLED_BACK' },
      ];
      try {
        const db = old.db;
        await db.execute(sql`INSERT INTO tills (id, name, time_zone, token_hash, last_seq) VALUES (${till}::uuid, 'Old', 'UTC', ${hashToken(token)}, 4)`);
        const input = VoucherCreateInputSchema.parse({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: 'Old', discount: { type: 'AMOUNT', amount_off: 500 }, code, redemption: { quantity: 3 } });
        expect(await insertVoucher(db, buildVoucher(input, iso()))).toBe(true);
        await db.execute(sql`UPDATE vouchers SET redeemed_quantity = 3, status = 'REDEEMED' WHERE code = ${code}`);
        // Inserted in an order of their ids that is not the order they were stored in.
        for (const r of [...stored].sort((x, y) => x.op.op_id.localeCompare(y.op.op_id))) {
          await db.execute(sql`INSERT INTO redemptions (id, code, till_id, ticket_id, amount, outcome, status, occurred_at, created_at)
            VALUES (${r.op.op_id}::uuid, ${code}, ${till}::uuid, 't', 0, 'ACCEPTED', ${r.status}, ${r.op.occurred_at}, ${r.at})`);
        }
      } finally {
        await old.close();
      }

      const hq = await startHq(backend, old.target);
      try {
        const numbered = await query<{ id: string; applied: string | number }>(hq, sql`SELECT id, applied FROM redemptions WHERE code = ${code} ORDER BY applied`);
        expect(numbered.map((r) => r.id)).toEqual([stored[0]!, stored[2]!, stored[1]!, stored[3]!].map((r) => r.op.op_id));
        const res = await hq.as(token, { method: 'POST', url: '/v1/sync/push', payload: { ops: [redemptionOp(5, code, 0)] } });
        expect(res.statusCode, res.body).toBe(200);
        const [result] = (res.json() as PushResponse).results;
        expect(result).toMatchObject({ outcome: 'CONFLICT', reason: 'quantity_exceeded', winner: { till_id: till, occurred_at: stored[1]!.op.occurred_at } });
        // After the upgrade, numbers go on above the old ones.
        const last = rowsOf<{ id: string }>(await hq.database.db.execute(sql`SELECT id FROM redemptions ORDER BY applied DESC LIMIT 1`))[0]!;
        expect(last.id).toBe(result!.op_id);
      } finally {
        await hq.close();
      }
    } finally {
      await old.remove();
    }
  }, 120_000);
});

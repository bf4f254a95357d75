// Set-based seeding of many vouchers straight into HQ's database for the till benchmarks (the import
// endpoint itself is measured by bench:hq). Codes B0000001…; odd ones single-use, even unlimited.
import { sql } from 'drizzle-orm';
import type { Database } from '../hq/db/connect';

export const benchCode = (i: number) => `B${String(i).padStart(7, '0')}`;

export async function seedBenchVouchers(db: Database, count: number): Promise<void> {
  const attrs = `jsonb_build_object('label','Bench voucher','discount',jsonb_build_object('type','PERCENT','percent_off',10),'active',true,
    'start_date','2026-01-01','expiration_date','2030-12-31','validity_day_of_week',NULL,'validity_hours',NULL,'validity_timeframe',NULL,
    'customer_id',NULL,'product_id',NULL,'min_order_amount',NULL,'offline_redeemable',true,'metadata','{}'::jsonb)`;
  for (let start = 1; start <= count; start += 100_000) {
    const end = Math.min(count, start + 99_999);
    await db.db.execute(
      sql.raw(`INSERT INTO vouchers (code, type, campaign, category, currency, status, quantity, redeemed_quantity, gift_amount, gift_balance, attrs, created_at, updated_at, change_seq)
        SELECT 'B' || lpad(i::text, 7, '0'), 'DISCOUNT_VOUCHER', 'BENCH', NULL, 'EUR', 'ACTIVE', CASE WHEN i % 2 = 1 THEN 1 ELSE NULL END, 0, NULL, NULL, ${attrs},
          now(), now(), nextval('change_seq') FROM generate_series(${start}, ${end}) AS i`),
    );
  }
}

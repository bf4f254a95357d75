// A small demo data set (npm run hq -- --seed-demo): products with real EAN-13 barcodes, customers,
// and vouchers of every kind, so a newcomer can sell something at once. Safe to run again.
import { gs1CheckDigit } from '../core/scan/gtin';
import { VoucherImportInputSchema } from '../core/voucher';
import type { Customer, Product } from '../sync/protocol';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db/connect';
import { stampChanges } from './changes';
import { upsertCustomers, upsertProducts } from './catalog-store';
import { buildVoucher, insertVoucher } from './voucher-store';

function ean13(body12: string): string {
  return `${body12}${gs1CheckDigit(body12)}`;
}

const CATALOG: [name: string, cents: number, tax: number][] = [
  ['Espresso beans 500 g', 1299, 7], ['Filter coffee 1 kg', 1899, 7], ['Croissant', 189, 7], ['Sourdough loaf', 449, 7],
  ['Orange juice 1 l', 299, 7], ['Red wine 0.75 l', 899, 19], ['Sparkling water 6 × 1.5 l', 549, 19], ['Dark chocolate 100 g', 249, 7],
  ['Olive oil 0.5 l', 799, 7], ['Coffee mug', 1499, 19], ['Reusable bag', 199, 19], ['Gift wrap', 350, 19],
];

export const DEMO_PRODUCTS: Product[] = CATALOG.map(([name, unit_price, tax_rate], i) => ({
  id: `P${String(i + 1).padStart(3, '0')}`,
  barcode: `0${ean13(`4006381${String(10_000 + i).slice(-5)}`)}`,
  name,
  unit_price,
  tax_rate,
  currency: 'EUR',
  active: true,
}));

export const DEMO_CUSTOMERS: Customer[] = [
  { id: 'C-ANNA', name: 'Anna Schmidt', card_code: 'CARD-ANNA-0001' },
  { id: 'C-BEN', name: 'Ben Okafor', card_code: 'CARD-BEN-0002' },
];

export const DEMO_VOUCHERS: unknown[] = [
  { code: 'WELCOME10', type: 'DISCOUNT_VOUCHER', label: '10 % off', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 10 }, redemption: { quantity: null } },
  { code: 'FIVEOFF', type: 'DISCOUNT_VOUCHER', label: '5.00 off from 20.00', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 500 }, min_order_amount: 2000, redemption: { quantity: 100 } },
  ...[1, 2, 3, 4, 5].map((n) => ({ code: `ONCE-000${n}`, type: 'DISCOUNT_VOUCHER', label: '3.00 off, single use', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 300 } })),
  { code: 'CROISSANT', type: 'DISCOUNT_VOUCHER', label: 'A free croissant', currency: 'EUR', discount: { type: 'UNIT', unit_off: 1, product_id: 'P003' }, redemption: { quantity: null } },
  { code: 'BEANS999', type: 'DISCOUNT_VOUCHER', label: 'Espresso beans for 9.99', currency: 'EUR', discount: { type: 'FIXED', fixed_amount: 999 }, product_id: 'P001', redemption: { quantity: null } },
  { code: 'HAPPYHOUR', type: 'DISCOUNT_VOUCHER', label: '20 % off, 17:00–19:00', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 20, amount_limit: 2000 },
    validity_hours: { daily: [{ start_time: '17:00', expiration_time: '18:59', days_of_week: [0, 1, 2, 3, 4, 5, 6] }] }, redemption: { quantity: null } },
  { code: 'WEEKEND15', type: 'DISCOUNT_VOUCHER', label: '15 % off at weekends', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 15 }, validity_day_of_week: [0, 6], redemption: { quantity: null } },
  { code: 'VIP-ANNA', type: 'DISCOUNT_VOUCHER', label: '25 % for Anna', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 25 }, customer_id: 'C-ANNA', redemption: { quantity: 3 } },
  { code: 'ONLINE-ONLY', type: 'DISCOUNT_VOUCHER', label: '10.00 off, needs HQ', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 1000 }, offline_redeemable: false },
  { code: 'XMAS-2025', type: 'DISCOUNT_VOUCHER', label: 'Christmas 2025 (expired)', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 30 }, start_date: '2025-12-01', expiration_date: '2025-12-26' },
  { code: 'GIFT-0050', type: 'GIFT_VOUCHER', label: 'Gift card 50.00', currency: 'EUR', gift: { amount: 5000 } },
  { code: 'GIFT-0020', type: 'GIFT_VOUCHER', label: 'Gift card 20.00, partly used', currency: 'EUR', gift: { amount: 2000, balance: 750 } },
  { code: 'CLUB-0001', type: 'LOYALTY_CARD', label: 'Coffee club card', currency: 'EUR', campaign: 'COFFEE-CLUB', loyalty: { balance: 1200 } },
  // Ben's card is his customer card too: scanning it makes the ticket his.
  { code: 'CLUB-BEN', type: 'LOYALTY_CARD', label: 'Coffee club card', currency: 'EUR', campaign: 'COFFEE-CLUB', customer_id: 'C-BEN', loyalty: { balance: 500 } },
];

export async function seedDemo(db: Db): Promise<{ checkpoint: number; vouchersAdded: number }> {
  const now = new Date().toISOString();
  return db.transaction(async (tx) => {
    let checkpoint = await upsertProducts(tx, DEMO_PRODUCTS);
    checkpoint = Math.max(checkpoint, await upsertCustomers(tx, DEMO_CUSTOMERS));
    // The demo loyalty card's programme: a point per full 1.00 paid, 100 points pay 1.00.
    const program = rowsOf(
      await tx.execute(sql`INSERT INTO loyalty_programs (id, name, currency, earn_points, earn_per_amount, redeem_points, redeem_amount, change_seq)
        VALUES ('COFFEE-CLUB', 'Coffee club', 'EUR', 1, 100, 100, 100, 0) ON CONFLICT (id) DO NOTHING RETURNING id`),
    );
    if (program.length) checkpoint = Math.max(checkpoint, await stampChanges(tx, { loyaltyPrograms: ['COFFEE-CLUB'] }));
    const added: string[] = [];
    for (const raw of DEMO_VOUCHERS) {
      const voucher = buildVoucher(VoucherImportInputSchema.parse(raw), now);
      if (await insertVoucher(tx, voucher)) added.push(voucher.code);
    }
    checkpoint = Math.max(checkpoint, await stampChanges(tx, { vouchers: added }));
    return { checkpoint, vouchersAdded: added.length };
  });
}

// How a voucher is stored: hot columns (status, quantities, gift balance, loyalty points, timestamps) are real columns
// so conditional updates can use them; the rest of the object lives in `attrs`. The voucher object is
// built back from a row by the SQL function voucher_json (hq/db/functions/voucher_json.sql) only.
import type { Voucher } from '../../core/voucher';

export type VoucherAttrs = Pick<
  Voucher,
  | 'label' | 'discount' | 'active' | 'start_date' | 'expiration_date' | 'validity_day_of_week' | 'validity_hours' | 'validity_timeframe'
  | 'customer_id' | 'product_id' | 'min_order_amount' | 'offline_redeemable' | 'metadata'
>;

/**
 * A voucher as a row of the vouchers table (column → value), not yet in the change feed (change_seq 0:
 * whoever inserts it stamps it). The one mapping of the object onto columns: an insert by HQ's API and a
 * till's GIFT_ISSUE (push_ops.sql, jsonb_populate_record) both use it.
 */
export function voucherRow(v: Voucher) {
  return {
    code: v.code, type: v.type, campaign: v.campaign, category: v.category, currency: v.currency, status: v.status,
    quantity: v.redemption.quantity, redeemed_quantity: v.redemption.redeemed_quantity, gift_amount: v.gift?.amount ?? null, gift_balance: v.gift?.balance ?? null,
    points_balance: v.type === 'LOYALTY_CARD' ? v.loyalty.balance : null, points_earned: v.type === 'LOYALTY_CARD' ? v.loyalty.earned : null,
    points_spent: v.type === 'LOYALTY_CARD' ? v.loyalty.spent : null,
    attrs: voucherAttrs(v), used_at: v.used_at, created_at: v.created_at, updated_at: v.updated_at, change_seq: 0,
  };
}

export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function voucherAttrs(v: Voucher): VoucherAttrs {
  return {
    label: v.label, discount: v.discount, active: v.active, start_date: v.start_date, expiration_date: v.expiration_date,
    validity_day_of_week: v.validity_day_of_week, validity_hours: v.validity_hours, validity_timeframe: v.validity_timeframe,
    customer_id: v.customer_id, product_id: v.product_id, min_order_amount: v.min_order_amount, offline_redeemable: v.offline_redeemable, metadata: v.metadata,
  };
}

/** The voucher object as JSON text, built by the database function voucher_json (hq/db/functions/voucher_json.sql). */
export const VOUCHER_JSON_SQL = 'voucher_json(vouchers)';

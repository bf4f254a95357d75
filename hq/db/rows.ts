// Mapping between the vouchers table and the contract's voucher object. Hot columns (status,
// quantities, gift balance, timestamps) are real columns so conditional updates can use them; the
// rest of the object lives in `attrs`.
import type { Voucher } from '../../core/voucher';

export type VoucherAttrs = Pick<
  Voucher,
  | 'label' | 'discount' | 'active' | 'start_date' | 'expiration_date' | 'validity_day_of_week' | 'validity_hours' | 'validity_timeframe'
  | 'customer_id' | 'product_id' | 'min_order_amount' | 'offline_redeemable' | 'metadata'
>;

/** The columns as a raw `SELECT … FROM vouchers` returns them (drivers differ on int8 and timestamps). */
export type VoucherRow = {
  code: string;
  type: string;
  campaign: string | null;
  category: string | null;
  currency: string;
  status: string;
  quantity: number | null;
  redeemed_quantity: number | string;
  gift_amount: number | string | null;
  gift_balance: number | string | null;
  attrs: VoucherAttrs;
  used_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  change_seq?: number | string;
};

export const VOUCHER_COLUMNS = 'code, type, campaign, category, currency, status, quantity, redeemed_quantity, gift_amount, gift_balance, attrs, used_at, created_at, updated_at, change_seq';

export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function rowToVoucher(row: VoucherRow): Voucher {
  const a = row.attrs;
  const common = {
    code: row.code,
    label: a.label,
    campaign: row.campaign,
    category: row.category,
    currency: row.currency,
    redemption: { quantity: row.quantity, redeemed_quantity: Number(row.redeemed_quantity) },
    active: a.active,
    start_date: a.start_date,
    expiration_date: a.expiration_date,
    validity_day_of_week: a.validity_day_of_week,
    validity_hours: a.validity_hours,
    validity_timeframe: a.validity_timeframe,
    customer_id: a.customer_id,
    product_id: a.product_id,
    min_order_amount: a.min_order_amount,
    offline_redeemable: a.offline_redeemable,
    metadata: a.metadata,
    status: row.status as Voucher['status'],
    used_at: row.used_at === null ? null : toIso(row.used_at),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
  if (row.type === 'GIFT_VOUCHER') {
    return { ...common, type: 'GIFT_VOUCHER', discount: null, gift: { amount: Number(row.gift_amount), balance: Number(row.gift_balance) } };
  }
  return { ...common, type: 'DISCOUNT_VOUCHER', discount: a.discount!, gift: null };
}

export function voucherAttrs(v: Voucher): VoucherAttrs {
  return {
    label: v.label, discount: v.discount, active: v.active, start_date: v.start_date, expiration_date: v.expiration_date,
    validity_day_of_week: v.validity_day_of_week, validity_hours: v.validity_hours, validity_timeframe: v.validity_timeframe,
    customer_id: v.customer_id, product_id: v.product_id, min_order_amount: v.min_order_amount, offline_redeemable: v.offline_redeemable, metadata: v.metadata,
  };
}

/** The voucher object as JSON text, built by the database function voucher_json (migration 0001). */
export const VOUCHER_JSON_SQL = 'voucher_json(vouchers)';

// Builders for vouchers and tickets in tests. Every voucher built here is parsed by VoucherSchema, so a
// fixture can never be something the model would refuse.
import { VoucherSchema, voucherDefaults, type Discount, type Voucher } from '../core/voucher';
import type { Ticket, TicketInput } from '../core/ticket';
import { TicketSchema } from '../core/ticket';
import type { ValidationContext } from '../core/validation-context';
import { LoyaltyProgramSchema, type LoyaltyProgram } from '../core/loyalty';

const STAMP = '2026-01-01T00:00:00.000Z';

type Overrides = Partial<Omit<Voucher, 'type' | 'discount' | 'gift'>>;

/** A stored voucher: the contract's defaults plus what the test says. */
function storedVoucher(fields: Record<string, unknown>, overrides: Overrides): Voucher {
  return VoucherSchema.parse({
    ...voucherDefaults(),
    currency: 'EUR',
    redemption: { quantity: null, redeemed_quantity: 0 },
    status: 'ACTIVE',
    used_at: null,
    created_at: STAMP,
    updated_at: STAMP,
    ...fields,
    ...overrides,
  });
}

export function discountVoucher(discount: Discount, overrides: Overrides = {}): Voucher {
  return storedVoucher({ code: 'DISC0001', type: 'DISCOUNT_VOUCHER', discount, gift: null }, overrides);
}

export function giftVoucher(amount: number, balance: number, overrides: Overrides = {}): Voucher {
  return storedVoucher({ code: 'GIFT0001', type: 'GIFT_VOUCHER', discount: null, gift: { amount, balance } }, overrides);
}

/** A loyalty card of program `campaign` with these points. */
export function loyaltyCard(loyalty: { balance: number; earned?: number; spent?: number }, overrides: Overrides & { campaign?: string } = {}): Voucher {
  const { balance, earned = 0, spent = 0 } = loyalty;
  return storedVoucher({ code: 'LOYAL0001', type: 'LOYALTY_CARD', campaign: 'PROGRAM1', discount: null, gift: null, loyalty: { balance, earned, spent } }, overrides);
}

/** A loyalty program: by default 1 point per full 1.00 paid, 100 points buy 1.00. */
export function loyaltyProgram(overrides: Partial<LoyaltyProgram> = {}): LoyaltyProgram {
  return LoyaltyProgramSchema.parse({ id: 'PROGRAM1', name: 'Club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 }, created_at: STAMP, updated_at: STAMP, ...overrides });
}

/** A voucher of HQ's API without its signed asset links (they change with the moment they are signed). */
export function withoutAssets<V extends { assets?: unknown }>(v: V): V {
  const { assets: _assets, ...rest } = v;
  return rest as V; // `assets` is optional: the rest is still a V
}

export function ticket(lines: TicketInput['lines'], extra: Partial<TicketInput> = {}): Ticket {
  return TicketSchema.parse({ currency: 'EUR', lines, ...extra });
}

/** Twenty lines of assorted products, prices and tax rates (the benchmark's ticket too). */
export function twentyLineTicket(): Ticket {
  return ticket(
    Array.from({ length: 20 }, (_, i) => ({
      product_id: `P${i + 1}`,
      barcode: null,
      name: `Product ${i + 1}`,
      quantity: (i % 3) + 1,
      unit_price: 199 + i * 137,
      tax_rate: i % 2 === 0 ? 19 : 7,
    })),
    { customer_id: 'C1' },
  );
}

export function context(now: string, overrides: Partial<ValidationContext> = {}): ValidationContext {
  return { now: Date.parse(now), timeZone: 'Europe/Berlin', online: true, ...overrides };
}

import { describe, expect, it } from 'vitest';
import { normaliseDateSpec, readDateSpec } from '../../core/date-spec';
import { durationToMs } from '../../core/duration';
import { VoucherCreateInputSchema, VoucherImportInputSchema, VoucherSchema, VoucherUpdateInputSchema } from '../../core/voucher';
import { TicketSchema, taxBreakdown } from '../../core/ticket';
import { discountVoucher } from './fixtures';

describe('date formats of the bulk import', () => {
  it.each([
    ['2026-12-24', '2026-12-24'],
    ['2026-12-24T14', '2026-12-24T14:00:00'],
    ['2026-12-24T14:30', '2026-12-24T14:30:00'],
    ['2026-12-24T14:30:15', '2026-12-24T14:30:15'],
    ['2026-12-24T14:30:15Z', '2026-12-24T14:30:15.000Z'],
    ['2020-12-28T12:49:16.272Z', '2020-12-28T12:49:16.272Z'],
    ['2026-12-24T14:30:15+01:00', '2026-12-24T13:30:15.000Z'],
    ['2026-12-24T14:30:15-0500', '2026-12-24T19:30:15.000Z'],
  ])('%s → %s', (input, normalised) => {
    expect(normaliseDateSpec(input)).toEqual({ ok: true, value: normalised });
  });

  it.each(['2026-02-30', '2026-13-01', '2026-12-24T25', '24.12.2026', '2026-12-24 14:00', '', '2026-12-24T14:30:15.5'])('refuses %j with a message', (input) => {
    const result = normaliseDateSpec(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message.length).toBeGreaterThan(10);
  });

  it('reads normalised values by kind', () => {
    expect(readDateSpec('2026-12-24').kind).toBe('date');
    expect(readDateSpec('2026-12-24T14:00:00').kind).toBe('local');
    expect(readDateSpec('2026-12-24T14:00:00.000Z')).toEqual({ kind: 'instant', epochMs: Date.parse('2026-12-24T14:00:00.000Z'), iso: '2026-12-24T14:00:00.000Z' });
  });

  it('durations: fixed units only', () => {
    expect(durationToMs('P7D')).toBe(7 * 86_400_000);
    expect(durationToMs('PT2H30M')).toBe(9_000_000);
    expect(durationToMs('P1W')).toBe(7 * 86_400_000);
    expect(durationToMs('P1M')).toBeNull();
    expect(durationToMs('P')).toBeNull();
    expect(durationToMs('PT')).toBeNull();
    expect(durationToMs('PT0S')).toBeNull();
  });
});

describe('voucher input schemas', () => {
  const discount = { type: 'DISCOUNT_VOUCHER', currency: 'eur', discount: { type: 'PERCENT', percent_off: 15 } } as const;

  it('accepts a minimal discount voucher, normalising code, currency and dates', () => {
    const parsed = VoucherCreateInputSchema.parse({ ...discount, code: ' xmas-2026 ', start_date: '2026-12-01T09', expiration_date: '2026-12-24' });
    expect(parsed).toMatchObject({ code: 'XMAS-2026', currency: 'EUR', start_date: '2026-12-01T09:00:00', expiration_date: '2026-12-24' });
  });

  it('a created gift card starts with its full balance; an imported one may bring its balance', () => {
    expect(VoucherCreateInputSchema.parse({ type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 5000 } })).toMatchObject({ gift: { amount: 5000, balance: 5000 } });
    expect(VoucherImportInputSchema.parse({ type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 5000, balance: 1200 } })).toMatchObject({ gift: { amount: 5000, balance: 1200 } });
    expect(VoucherCreateInputSchema.safeParse({ type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 5000, balance: 1 } }).success).toBe(false);
    expect(VoucherImportInputSchema.safeParse({ type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 5000, balance: 6000 } }).success).toBe(false);
  });

  function issues(schema: typeof VoucherCreateInputSchema | typeof VoucherUpdateInputSchema, body: unknown) {
    const result = schema.safeParse(body);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }

  it('refuses read-only fields by name, unknown fields, and type/discount mismatches', () => {
    expect(issues(VoucherCreateInputSchema, { ...discount, status: 'REDEEMED' })).toEqual(['status: is read-only']);
    expect(issues(VoucherCreateInputSchema, { ...discount, redemption: { quantity: 1, redeemed_quantity: 3 } })).toEqual(['redemption.redeemed_quantity: is read-only']);
    expect(issues(VoucherCreateInputSchema, { ...discount, colour: 'red' }).join()).toMatch(/colour/);
    expect(issues(VoucherCreateInputSchema, { type: 'DISCOUNT_VOUCHER', currency: 'EUR' }).join()).toMatch(/^discount/);
    expect(issues(VoucherCreateInputSchema, { type: 'GIFT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 5 }, gift: { amount: 1 } }).join()).toMatch(/^discount/);
    expect(issues(VoucherUpdateInputSchema, { code: 'NEWCODE1' })).toEqual(['code: is read-only']);
  });

  it.each([
    [{ discount: { type: 'PERCENT', percent_off: 120 } }, /^discount\.percent_off/],
    [{ discount: { type: 'PERCENT', percent_off: 12.345 } }, /two decimals/],
    [{ discount: { type: 'AMOUNT', amount_off: 9.99 } }, /^discount\.amount_off/],
    [{ code: 'AB' }, /^code/],
    [{ code: "X'); DROP TABLE v;--" }, /^code/],
    [{ currency: 'EURO' }, /^currency/],
    [{ validity_day_of_week: [7] }, /^validity_day_of_week/],
    [{ validity_day_of_week: [1, 1] }, /repeat/],
    [{ validity_hours: { daily: [{ start_time: '24:00', expiration_time: '02:00', days_of_week: [1] }] } }, /start_time/],
    [{ validity_timeframe: { interval: 'P7D', duration: 'PT2H' } }, /start_date is required/],
    [{ start_date: '2026-01-01', validity_timeframe: { interval: 'PT1H', duration: 'PT2H' } }, /longer than interval/],
    [{ start_date: '2026-12-24', expiration_date: '2026-12-01' }, /before start_date/],
    [{ start_date: '2026-02-30' }, /^start_date.*calendar/],
    [{ min_order_amount: -1 }, /^min_order_amount/],
  ])('refuses %j with a field path', (patch, message) => {
    expect(issues(VoucherCreateInputSchema, { ...discount, ...patch }).join('\n')).toMatch(message);
  });

  it('stores SQL-looking metadata verbatim', () => {
    const parsed = VoucherCreateInputSchema.parse({ ...discount, metadata: { note: "'; DROP TABLE vouchers; --" } });
    expect(parsed.metadata).toEqual({ note: "'; DROP TABLE vouchers; --" });
  });

  it('the stored voucher model cannot hold a gift card with a discount', () => {
    const v = discountVoucher({ type: 'AMOUNT', amount_off: 100 });
    expect(VoucherSchema.safeParse({ ...v, type: 'GIFT_VOUCHER' }).success).toBe(false);
    expect(VoucherSchema.safeParse(v).success).toBe(true);
  });
});

describe('ticket model', () => {
  it('fills defaults and refuses fractional prices and quantities', () => {
    expect(TicketSchema.parse({ currency: 'EUR', lines: [{ product_id: 'P', quantity: 1, unit_price: 100 }] }).lines[0]).toMatchObject({ name: '', tax_rate: 0 });
    expect(TicketSchema.safeParse({ currency: 'EUR', lines: [{ product_id: 'P', quantity: 1.5, unit_price: 100 }] }).success).toBe(false);
    expect(TicketSchema.safeParse({ currency: 'EUR', lines: [{ product_id: 'P', quantity: 1, unit_price: 1.5 }] }).success).toBe(false);
  });

  it('breaks tax down per rate so the bands add up to the total', () => {
    const t = TicketSchema.parse({
      currency: 'EUR',
      lines: [
        { product_id: 'A', quantity: 3, unit_price: 333, tax_rate: 19 },
        { product_id: 'B', quantity: 1, unit_price: 107, tax_rate: 7 },
        { product_id: 'C', quantity: 2, unit_price: 50, tax_rate: 19 },
      ],
    });
    const bands = taxBreakdown(t);
    expect(bands).toEqual([
      { rate: 7, gross: 107, net: 100, tax: 7 },
      { rate: 19, gross: 1099, net: 924, tax: 175 },
    ]);
    expect(bands.reduce((a, b) => a + b.gross, 0)).toBe(1206);
  });
});

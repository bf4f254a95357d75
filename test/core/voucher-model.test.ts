import { describe, expect, it } from 'vitest';
import { normaliseDateSpec, readDateSpec } from '../../core/date-spec';
import { durationToMs } from '../../core/duration';
import { MAX_INT4, VoucherCreateInputSchema, VoucherImportInputSchema, VoucherSchema, VoucherUpdateInputSchema } from '../../core/voucher';
import { TicketSchema, taxBreakdown } from '../../core/ticket';
import { evaluateTicket } from '../../core/evaluate-ticket';
import { TEXT_MESSAGE } from '../../core/text';
import { discountVoucher } from '../../testkit/fixtures';

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

  it.each([
    ['label', { label: 'a\u0000b' }],
    ['campaign', { campaign: 'WINTER\uD800' }],
    ['category', { category: '\uDC00' }],
    ['customer_id', { customer_id: 'c\u0000' }],
    ['product_id', { product_id: 'p\uDBFF' }],
    ['discount.product_id', { discount: { type: 'UNIT', unit_off: 1, product_id: 'p\u0000' } }],
    ['code', { code: 'ABCD\u0000' }],
    ['metadata.note', { metadata: { note: 'x\u0000' } }],
    ['metadata.a.b\uD800', { metadata: { a: { ['b\uD800']: 1 } } }],
  ])('refuses NUL and lone surrogates in %s', (path, patch) => {
    const found = issues(VoucherCreateInputSchema, { ...discount, ...patch });
    expect(found.some((i) => i.startsWith(`${path}: `))).toBe(true);
    if (path !== 'code') expect(found.join('\n')).toContain(TEXT_MESSAGE);
  });

  it(`redemption quantities fit their int4 column: at most ${MAX_INT4}`, () => {
    expect(VoucherCreateInputSchema.safeParse({ ...discount, redemption: { quantity: MAX_INT4 } }).success).toBe(true);
    expect(issues(VoucherCreateInputSchema, { ...discount, redemption: { quantity: MAX_INT4 + 1 } }).join()).toMatch(/^redemption\.quantity/);
    expect(issues(VoucherUpdateInputSchema, { redemption: { quantity: 2 ** 53 } }).join()).toMatch(/^redemption\.quantity/);
    const stored = discountVoucher({ type: 'AMOUNT', amount_off: 1 });
    expect(VoucherSchema.safeParse({ ...stored, redemption: { quantity: null, redeemed_quantity: MAX_INT4 + 1 } }).success).toBe(false);
  });

  it('currencies are three ASCII letters before they are upper-cased: look-alikes are refused, not folded', () => {
    expect(VoucherCreateInputSchema.parse({ ...discount, currency: ' sek ' }).currency).toBe('SEK');
    for (const currency of ['ſek', 'ＥＵＲ', 'eu\u0000', 'ǅkk']) expect(issues(VoucherCreateInputSchema, { ...discount, currency }).join()).toMatch(/^currency/);
  });

  it('durations are an ISO 8601 subset of bounded length', () => {
    const window = (interval: string) => ({ ...discount, start_date: '2026-01-01', validity_timeframe: { interval, duration: 'PT1H' } });
    expect(VoucherCreateInputSchema.safeParse(window('P7D')).success).toBe(true);
    for (const bad of ['P1M', 'P99999999999999999999D', `P${'1'.repeat(70)}D`, 'P7D\u0000']) expect(issues(VoucherCreateInputSchema, window(bad)).join()).toMatch(/^validity_timeframe\.interval/);
  });

  it('metadata: at most 8 levels, 16 KiB, keys of 100 characters, finite numbers — each refused with its path', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 9; i++) deep = { d: deep };
    expect(issues(VoucherCreateInputSchema, { ...discount, metadata: deep }).join()).toMatch(/^metadata\.d(\.d)*: nested deeper than 8 levels/);
    let ok: unknown = 'x';
    for (let i = 0; i < 8; i++) ok = { d: ok };
    expect(VoucherCreateInputSchema.safeParse({ ...discount, metadata: ok }).success).toBe(true);
    // 6,000 levels (the fuzzer's stack overflow) is refused like 9.
    let huge: unknown = 'x';
    for (let i = 0; i < 6000; i++) huge = { d: huge };
    expect(issues(VoucherCreateInputSchema, { ...discount, metadata: huge }).join()).toMatch(/nested deeper than 8 levels/);
    expect(issues(VoucherCreateInputSchema, { ...discount, metadata: { big: 'x'.repeat(17_000) } }).join()).toMatch(/^metadata: .*more than 16384/);
    expect(issues(VoucherCreateInputSchema, { ...discount, metadata: { ['k'.repeat(101)]: 1 } }).join()).toMatch(/key longer than 100/);
    expect(issues(VoucherCreateInputSchema, { ...discount, metadata: { n: Infinity } }).join()).toMatch(/^metadata\.n: must be a finite number/);
    expect(issues(VoucherUpdateInputSchema, { metadata: huge }).join()).toMatch(/nested deeper/);
    expect(VoucherImportInputSchema.safeParse({ ...discount, metadata: huge }).success).toBe(false);
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

  const line = (quantity: number, unit_price: number, extra: Record<string, unknown> = {}) => ({ product_id: 'P', quantity, unit_price, ...extra });

  it('refuses a line whose quantity × unit_price, or a ticket whose total, passes Number.MAX_SAFE_INTEGER — with a field path', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(TicketSchema.safeParse({ currency: 'EUR', lines: [line(1, max)] }).success).toBe(true);
    const product = TicketSchema.safeParse({ currency: 'EUR', lines: [line(1, 1), line(2, Math.ceil(max / 2))] });
    expect(product.error!.issues.map((i) => i.path.join('.'))).toEqual(['lines.1.unit_price']);
    expect(product.error!.issues[0]!.message).toMatch(/quantity × unit_price exceeds/);
    const total = TicketSchema.safeParse({ currency: 'EUR', lines: [line(1, max), line(1, 1)] });
    expect(total.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([`lines: the ticket's total exceeds ${max} minor units`]);
    expect(TicketSchema.safeParse({ currency: 'EUR', lines: [line(100_000, 2 ** 40)] }).success).toBe(false);
  });

  it('a ticket the schema accepts evaluates without throwing, even at the largest totals', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const ticket = TicketSchema.parse({ currency: 'EUR', lines: [line(1, max - 1000, { tax_rate: 19 }), line(10, 100, { tax_rate: 7.7 })] });
    const percent = discountVoucher({ type: 'PERCENT', percent_off: 12.5 }, { code: 'PCT-0001' });
    const result = evaluateTicket(ticket, [{ code: 'PCT-0001', voucher: percent }], { now: 0, timeZone: 'UTC', online: true });
    expect(result.total_before).toBe(max);
    expect(result.results[0]).toMatchObject({ valid: true, discount_amount: 1125899906842624 });
    expect(result.tax.reduce((a, b) => a + b.gross, 0)).toBe(result.total_after_discounts);
  });

  it('tax rates carry at most two decimals (a third would make the tax breakdown throw)', () => {
    expect(TicketSchema.safeParse({ currency: 'EUR', lines: [line(1, 100, { tax_rate: 7.75 })] }).success).toBe(true);
    const bad = TicketSchema.safeParse({ currency: 'EUR', lines: [line(1, 100, { tax_rate: 7.777 })] });
    expect(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['lines.0.tax_rate: at most two decimals']);
  });

  it('refuses NUL and lone surrogates in ticket text', () => {
    for (const extra of [{ product_id: 'P\u0000' }, { name: '\uD800' }, { barcode: '1\u0000' }]) {
      expect(TicketSchema.safeParse({ currency: 'EUR', lines: [line(1, 100, extra)] }).success).toBe(false);
    }
    expect(TicketSchema.safeParse({ currency: 'EUR', customer_id: 'c\uDC00', lines: [] }).success).toBe(false);
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

// The voucher form's state as people type it (text and ticks) and its two translations: to the body HQ
// takes (create or update), and to a preview voucher that core/words describes — so the form says in
// words what the rules mean ("Mon–Fri, 17:00–19:00", "Valid until …") from the same code the till and
// the printed voucher use. Local checks are only what must be read before HQ can judge (money typed as
// text, JSON metadata, dates); every rule about vouchers is HQ's (core's schemas), answered per field.
// Those local refusals are written with the `t` it is given (the console's, in the person's language).
import type { Discount, Voucher, VoucherType } from '../core/voucher';
import { voucherDefaults } from '../core/voucher';
import { normaliseDateSpec } from '../core/date-spec';
import { formatMoney, parseMoneyInput } from '../core/words/money-format';
import type { Translate } from '../core/words/i18n';
import { backofficeT } from './words/words';

export type DiscountKind = Discount['type'];
export type HoursRow = { days: number[]; start: string; end: string };

export type VoucherDraft = {
  type: VoucherType;
  code: string;
  label: string;
  campaign: string;
  category: string;
  currency: string;
  discountKind: DiscountKind;
  /** Money as typed: AMOUNT's amount off, PERCENT's limit, FIXED's price. */
  amount: string;
  percent: string;
  /** UNIT: units free of product; UNIT_MULTIPLE: one "units product" per line. */
  units: string;
  unitProduct: string;
  unitLines: string;
  giftAmount: string;
  loyaltyBalance: string;
  /** Uses: '' is unlimited. */
  quantity: string;
  active: boolean;
  offlineRedeemable: boolean;
  startDate: string;
  expirationDate: string;
  days: number[];
  hours: HoursRow[];
  timeframeInterval: string;
  timeframeDuration: string;
  customerId: string;
  productId: string;
  minOrder: string;
  metadata: string;
};

export function emptyDraft(currency = 'EUR'): VoucherDraft {
  return {
    type: 'DISCOUNT_VOUCHER', code: '', label: '', campaign: '', category: '', currency, discountKind: 'AMOUNT', amount: '', percent: '', units: '1', unitProduct: '', unitLines: '',
    giftAmount: '', loyaltyBalance: '', quantity: '1', active: true, offlineRedeemable: true, startDate: '', expirationDate: '', days: [], hours: [],
    timeframeInterval: '', timeframeDuration: '', customerId: '', productId: '', minOrder: '', metadata: '',
  };
}

/** A voucher's draft for editing: money back to text in the currency's own decimals. */
export function draftOf(v: Voucher): VoucherDraft {
  const money = (minor: number | null | undefined) => (minor == null ? '' : formatMoney(minor, v.currency, 'en-US').replace(/[^\d.]/g, ''));
  const d = v.discount;
  return {
    ...emptyDraft(v.currency),
    type: v.type, code: v.code, label: v.label, campaign: v.campaign ?? '', category: v.category ?? '', currency: v.currency,
    discountKind: d?.type ?? 'AMOUNT',
    amount: d?.type === 'AMOUNT' ? money(d.amount_off) : d?.type === 'PERCENT' ? money(d.amount_limit) : d?.type === 'FIXED' ? money(d.fixed_amount) : '',
    percent: d?.type === 'PERCENT' ? String(d.percent_off) : '',
    units: d?.type === 'UNIT' ? String(d.unit_off) : '1',
    unitProduct: d?.type === 'UNIT' ? d.product_id : '',
    unitLines: d?.type === 'UNIT_MULTIPLE' ? d.units.map((u) => `${u.unit_off} ${u.product_id}`).join('\n') : '',
    giftAmount: v.gift ? money(v.gift.amount) : '',
    loyaltyBalance: v.type === 'LOYALTY_CARD' ? String(v.loyalty.balance) : '',
    quantity: v.redemption.quantity === null ? '' : String(v.redemption.quantity),
    active: v.active, offlineRedeemable: v.offline_redeemable,
    startDate: v.start_date ?? '', expirationDate: v.expiration_date ?? '',
    days: v.validity_day_of_week ?? [],
    hours: (v.validity_hours?.daily ?? []).map((h) => ({ days: h.days_of_week, start: h.start_time, end: h.expiration_time })),
    timeframeInterval: v.validity_timeframe?.interval ?? '', timeframeDuration: v.validity_timeframe?.duration ?? '',
    customerId: v.customer_id ?? '', productId: v.product_id ?? '', minOrder: money(v.min_order_amount),
    metadata: Object.keys(v.metadata).length ? JSON.stringify(v.metadata, null, 2) : '',
  };
}

export type FieldError = { field: keyof VoucherDraft; message: string };
export type DraftResult = { body: Record<string, unknown>; errors: FieldError[] };

/**
 * The body for POST /v1/vouchers (`mode` 'create') or PUT /v1/vouchers/{code} ('update': no code, type,
 * gift or loyalty — a gift card's value changes by top-up, a card's points by sales). Empty optional
 * fields become null on update (cleared) and are left out on create. Refusals are in `t`'s language
 * (English unless the form passes its own).
 */
export function draftToBody(d: VoucherDraft, mode: 'create' | 'update', t: Translate = backofficeT('en-GB')): DraftResult {
  const errors: FieldError[] = [];
  const none = mode === 'update' ? null : undefined;
  const money = (field: keyof VoucherDraft, text: string, required: boolean): number | undefined => {
    if (text.trim() === '') {
      if (required) errors.push({ field, message: t('enter an amount') });
      return undefined;
    }
    const minor = parseMoneyInput(text, d.currency.trim().toUpperCase() || 'EUR');
    if (minor === null) errors.push({ field, message: t('"{{text}}" is not an amount of money', { text }) });
    return minor ?? undefined;
  };
  const whole = (field: keyof VoucherDraft, text: string): number | undefined => {
    if (text.trim() === '') return undefined;
    if (!/^\d+$/.test(text.trim())) {
      errors.push({ field, message: t('a whole number') });
      return undefined;
    }
    return Number(text.trim());
  };
  const body: Record<string, unknown> = {
    label: d.label.trim(),
    campaign: d.campaign.trim() || none,
    category: d.category.trim() || none,
    currency: d.currency.trim(),
    active: d.active,
    offline_redeemable: d.offlineRedeemable,
    start_date: d.startDate.trim() || none,
    expiration_date: d.expirationDate.trim() || none,
    validity_day_of_week: d.days.length ? [...d.days].sort() : none,
    validity_hours: d.hours.length ? { daily: d.hours.map((h) => ({ start_time: h.start, expiration_time: h.end, days_of_week: [...h.days].sort() })) } : none,
    validity_timeframe: d.timeframeInterval.trim() || d.timeframeDuration.trim() ? { interval: d.timeframeInterval.trim(), duration: d.timeframeDuration.trim() } : none,
    customer_id: d.customerId.trim() || none,
    product_id: d.productId.trim() || none,
    min_order_amount: money('minOrder', d.minOrder, false) ?? none,
  };
  if (d.metadata.trim()) {
    try {
      body.metadata = JSON.parse(d.metadata);
    } catch {
      errors.push({ field: 'metadata', message: t('not JSON: write it as {"key": "value"}') });
    }
  } else if (mode === 'update') body.metadata = {};
  if (mode === 'create') {
    body.type = d.type;
    if (d.code.trim()) body.code = d.code.trim();
  }
  if (d.type === 'DISCOUNT_VOUCHER') {
    body.redemption = { quantity: whole('quantity', d.quantity) ?? null };
    body.discount = discountOf(d, money, whole, errors, t);
  } else if (d.type === 'GIFT_VOUCHER') {
    body.redemption = { quantity: whole('quantity', d.quantity) ?? null };
    if (mode === 'create') body.gift = { amount: money('giftAmount', d.giftAmount, true) };
  } else if (mode === 'create') {
    body.loyalty = { balance: whole('loyaltyBalance', d.loyaltyBalance) ?? 0 };
  }
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, errors };
}

function discountOf(
  d: VoucherDraft,
  money: (field: keyof VoucherDraft, text: string, required: boolean) => number | undefined,
  whole: (field: keyof VoucherDraft, text: string) => number | undefined,
  errors: FieldError[],
  t: Translate,
): unknown {
  switch (d.discountKind) {
    case 'AMOUNT':
      return { type: 'AMOUNT', amount_off: money('amount', d.amount, true) };
    case 'PERCENT': {
      const percent = Number(d.percent.replace(',', '.'));
      if (d.percent.trim() === '' || !Number.isFinite(percent)) errors.push({ field: 'percent', message: t('a percentage such as 10 or 12.5') });
      return { type: 'PERCENT', percent_off: percent, amount_limit: money('amount', d.amount, false) ?? null };
    }
    case 'FIXED':
      return { type: 'FIXED', fixed_amount: money('amount', d.amount, true) };
    case 'UNIT':
      return { type: 'UNIT', unit_off: whole('units', d.units), product_id: d.unitProduct.trim() };
    case 'UNIT_MULTIPLE': {
      const units = d.unitLines
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const m = /^(\d+)\s*[x×*]?\s+(\S.*)$/i.exec(line);
          if (!m) errors.push({ field: 'unitLines', message: t('"{{line}}" is not "units product", such as "2 croissant"', { line }) });
          return m ? { unit_off: Number(m[1]), product_id: m[2]!.trim() } : null;
        })
        .filter((u) => u !== null);
      if (!units.length) errors.push({ field: 'unitLines', message: t('one line per product: units, then the product id') });
      return { type: 'UNIT_MULTIPLE', units };
    }
  }
}

/**
 * The voucher the draft would make, for describing it in words; null while the draft cannot be read.
 * Dates are normalised as HQ will; everything else HQ checks is left to HQ.
 */
export function previewVoucher(d: VoucherDraft, now: string): Voucher | null {
  const { body, errors } = draftToBody(d, 'create');
  if (errors.length) return null;
  const date = (v: unknown) => {
    if (typeof v !== 'string') return null;
    const r = normaliseDateSpec(v);
    return r.ok ? r.value : undefined;
  };
  const start = date(body.start_date);
  const end = date(body.expiration_date);
  if (start === undefined || end === undefined) return null;
  const base = {
    ...voucherDefaults(),
    ...body,
    code: String(body.code ?? 'NEW'),
    campaign: (body.campaign as string | undefined) ?? null,
    category: (body.category as string | undefined) ?? null,
    currency: String(body.currency).toUpperCase(),
    start_date: start,
    expiration_date: end,
    status: 'ACTIVE' as const,
    used_at: null,
    created_at: now,
    updated_at: now,
    metadata: (body.metadata as Record<string, unknown> | undefined) ?? {},
  };
  const quantity = (body.redemption as { quantity: number | null } | undefined)?.quantity ?? null;
  if (d.type === 'DISCOUNT_VOUCHER') return { ...base, type: 'DISCOUNT_VOUCHER', discount: body.discount as Discount, gift: null, redemption: { quantity, redeemed_quantity: 0 } } as Voucher;
  if (d.type === 'GIFT_VOUCHER') {
    const amount = (body.gift as { amount: number } | undefined)?.amount ?? 0;
    return { ...base, type: 'GIFT_VOUCHER', discount: null, gift: { amount, balance: amount }, redemption: { quantity, redeemed_quantity: 0 } } as Voucher;
  }
  const balance = (body.loyalty as { balance: number } | undefined)?.balance ?? 0;
  return { ...base, type: 'LOYALTY_CARD', campaign: base.campaign ?? '', discount: null, gift: null, loyalty: { balance, earned: 0, spent: 0 }, redemption: { quantity: null, redeemed_quantity: 0 } } as Voucher;
}

// The voucher model, exactly as in the HQ contract (shared/contract/hq-api.md). zod schemas are the
// single source of truth: HQ validates bodies and generates its OpenAPI document from them, the till
// validates what it replicates. A voucher is a union on `type`, so a discount voucher without a
// discount, or a gift card with one, cannot be represented.
import { z } from 'zod';
import { CODE_PATTERN, normaliseCode } from './code';
import { isCurrency } from './money';
import { NORMALISED_DATE_SPEC, normaliseDateSpec } from './date-spec';
import { durationToMs } from './duration';

export const MinorUnits = z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('money in minor units (cents)');
const PositiveMinorUnits = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const CurrencySchema = z
  .string()
  .refine(isCurrency, { message: 'must be an ISO 4217 currency code such as EUR' })
  .describe('ISO 4217 currency code');

export const VoucherCode = z.string().regex(CODE_PATTERN, 'a code is 4..32 characters of A-Z, 0-9 and -');
/** Codes typed or imported by people: case-insensitive, surrounding blanks and scanner prefixes ignored. */
export const VoucherCodeInput = z.string().transform(normaliseCode).pipe(VoucherCode);

export const EntityId = z.string().min(1).max(128);

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DayOfWeek = z.int().min(0).max(6);
const DaysOfWeek = z.array(DayOfWeek).min(1).max(7).refine((days) => new Set(days).size === days.length, 'days must not repeat');

// ---- discount and gift ---------------------------------------------------------------------------

const PercentOff = z
  .number()
  .gt(0)
  .max(100)
  .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, 'at most two decimals');

export const DiscountSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('AMOUNT'), amount_off: PositiveMinorUnits }),
  z.strictObject({ type: z.literal('PERCENT'), percent_off: PercentOff, amount_limit: PositiveMinorUnits.nullish() }),
  /** The eligible total becomes fixed_amount (never raised). */
  z.strictObject({ type: z.literal('FIXED'), fixed_amount: MinorUnits }),
  /** unit_off units of product_id free. */
  z.strictObject({ type: z.literal('UNIT'), unit_off: z.int().min(1).max(1_000_000), product_id: EntityId }),
]);
export type Discount = z.infer<typeof DiscountSchema>;

// balance may be negative in the stored voucher: a debit taken offline that overdraws the card is
// accepted and flagged at HQ (the money was already taken), and the ledger must show it.
export const GiftSchema = z
  .strictObject({ amount: PositiveMinorUnits, balance: z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) })
  .refine((g) => g.balance <= g.amount, { message: 'balance cannot exceed amount', path: ['balance'] });
export type Gift = z.infer<typeof GiftSchema>;

// ---- validity windows ----------------------------------------------------------------------------

export const ValidityHoursSchema = z.strictObject({
  daily: z
    .array(
      z.strictObject({
        start_time: z.string().regex(TIME, 'HH:mm'),
        // Inclusive of its minute: 18:00–23:59 is open until midnight. An expiration before the start
        // spans midnight and belongs to the day it starts on (Fri 22:00–02:00 is open early Saturday).
        expiration_time: z.string().regex(TIME, 'HH:mm'),
        days_of_week: DaysOfWeek,
      }),
    )
    .min(1),
});
export type ValidityHours = z.infer<typeof ValidityHoursSchema>;

const DurationString = z.string().refine((v) => durationToMs(v) !== null, 'an ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. P7D or PT2H');
export const ValidityTimeframeSchema = z
  .strictObject({ interval: DurationString, duration: DurationString })
  .refine((t) => (durationToMs(t.duration) ?? 0) <= (durationToMs(t.interval) ?? 0), { message: 'duration cannot be longer than interval', path: ['duration'] });
export type ValidityTimeframe = z.infer<typeof ValidityTimeframeSchema>;

export const RedemptionSchema = z.strictObject({
  quantity: z.int().min(1).nullable().describe('null = unlimited; 1 = single use'),
  redeemed_quantity: z.int().min(0),
});

export const MetadataSchema = z.record(z.string().max(100), z.unknown()).describe('free key/values');

// ---- the voucher as stored and sent --------------------------------------------------------------

const DateSpecValue = z.string().regex(NORMALISED_DATE_SPEC, 'a normalised date, local date-time or UTC instant');
const Timestamp = z.iso.datetime({ offset: true });

const voucherBase = {
  code: VoucherCode,
  label: z.string().max(255),
  campaign: z.string().max(255).nullable(),
  category: z.string().max(255).nullable(),
  currency: CurrencySchema,
  redemption: RedemptionSchema,
  active: z.boolean(),
  start_date: DateSpecValue.nullable(),
  expiration_date: DateSpecValue.nullable(),
  validity_day_of_week: DaysOfWeek.nullable(),
  validity_hours: ValidityHoursSchema.nullable(),
  validity_timeframe: ValidityTimeframeSchema.nullable(),
  customer_id: EntityId.nullable(),
  product_id: EntityId.nullable(),
  min_order_amount: MinorUnits.nullable(),
  offline_redeemable: z.boolean(),
  metadata: MetadataSchema,
  status: z.enum(['ACTIVE', 'REDEEMED', 'CANCELLED']),
  used_at: Timestamp.nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const DiscountVoucherSchema = z.strictObject({ ...voucherBase, type: z.literal('DISCOUNT_VOUCHER'), discount: DiscountSchema, gift: z.null() });
export const GiftVoucherSchema = z.strictObject({ ...voucherBase, type: z.literal('GIFT_VOUCHER'), discount: z.null(), gift: GiftSchema });
export const VoucherSchema = z.discriminatedUnion('type', [DiscountVoucherSchema, GiftVoucherSchema]);
export type Voucher = z.infer<typeof VoucherSchema>;
export type DiscountVoucher = z.infer<typeof DiscountVoucherSchema>;
export type GiftVoucher = z.infer<typeof GiftVoucherSchema>;
export type VoucherType = Voucher['type'];

// ---- input bodies (create / update / import) -----------------------------------------------------

const DateSpecInput = z.string().transform((value, ctx) => {
  const result = normaliseDateSpec(value);
  if (result.ok) return result.value;
  ctx.issues.push({ code: 'custom', message: result.message, input: value });
  return z.NEVER;
});

// Read-only fields are named so that sending one gets "is read-only" rather than "unrecognized key".
const readOnly = z.never({ error: 'is read-only' }).optional();
const readOnlyFields = { status: readOnly, used_at: readOnly, created_at: readOnly, updated_at: readOnly };

const inputFields = {
  code: VoucherCodeInput.optional(),
  label: z.string().max(255).optional(),
  campaign: z.string().max(255).nullish(),
  category: z.string().max(255).nullish(),
  currency: z.string().transform((c) => c.trim().toUpperCase()).pipe(CurrencySchema),
  redemption: z
    .strictObject({ quantity: z.int().min(1).nullable(), redeemed_quantity: readOnly })
    .optional(),
  active: z.boolean().optional(),
  start_date: DateSpecInput.nullish(),
  expiration_date: DateSpecInput.nullish(),
  validity_day_of_week: DaysOfWeek.nullish(),
  validity_hours: ValidityHoursSchema.nullish(),
  validity_timeframe: ValidityTimeframeSchema.nullish(),
  customer_id: EntityId.nullish(),
  product_id: EntityId.nullish(),
  min_order_amount: MinorUnits.nullish(),
  offline_redeemable: z.boolean().optional(),
  metadata: MetadataSchema.optional(),
  ...readOnlyFields,
};

/** A new gift card starts with its full amount; an imported one may bring a partly used balance. */
const GiftInput = z
  .strictObject({ amount: PositiveMinorUnits, balance: MinorUnits.optional() })
  .refine((g) => g.balance === undefined || g.balance <= g.amount, { message: 'balance cannot exceed amount', path: ['balance'] });

function inputUnion<G extends z.ZodType<Gift, unknown>>(gift: G) {
  return z.discriminatedUnion('type', [
    z.strictObject({ ...inputFields, type: z.literal('DISCOUNT_VOUCHER'), discount: DiscountSchema, gift: z.null().optional() }),
    z.strictObject({ ...inputFields, type: z.literal('GIFT_VOUCHER'), discount: z.null().optional(), gift }),
  ]);
}

type WindowFields = { start_date?: string | null; expiration_date?: string | null; validity_timeframe?: unknown };
function windowsConsistent(v: WindowFields, ctx: z.RefinementCtx): void {
  if (v.validity_timeframe && !v.start_date) {
    ctx.addIssue({ code: 'custom', path: ['start_date'], message: 'start_date is required with validity_timeframe' });
  }
  // Date-only and local values sort correctly as strings; comparing across kinds needs a time zone,
  // which the input does not have, so only same-kind pairs are checked here.
  if (v.start_date && v.expiration_date && v.start_date.length === v.expiration_date.length && v.start_date > v.expiration_date) {
    ctx.addIssue({ code: 'custom', path: ['expiration_date'], message: 'expiration_date is before start_date' });
  }
}

// Create: a new card's balance is its amount (a balance in the body is refused, not ignored).
const GiftCreateInput = z.strictObject({ amount: PositiveMinorUnits, balance: readOnly }).transform((g) => ({ amount: g.amount, balance: g.amount }));
// Import: a card moved from another system may arrive partly used.
const GiftImportInput = GiftInput.transform((g) => ({ amount: g.amount, balance: g.balance ?? g.amount }));

export const VoucherCreateInputSchema = inputUnion(GiftCreateInput).superRefine(windowsConsistent);
export const VoucherImportInputSchema = inputUnion(GiftImportInput).superRefine(windowsConsistent);
export type VoucherCreateInput = z.output<typeof VoucherCreateInputSchema>;
export type VoucherImportInput = z.output<typeof VoucherImportInputSchema>;

/** PUT: the fields to change. The type and code of a voucher never change. */
export const VoucherUpdateInputSchema = z
  .strictObject({
    ...inputFields,
    currency: inputFields.currency.optional(),
    code: readOnly,
    type: readOnly,
    discount: DiscountSchema.optional(),
    gift: z.strictObject({ amount: PositiveMinorUnits, balance: MinorUnits }).optional(),
  })
  .superRefine(windowsConsistent);
export type VoucherUpdateInput = z.output<typeof VoucherUpdateInputSchema>;

/** The fields a voucher gets when an input leaves them out. */
export function voucherDefaults(): Pick<
  Voucher,
  | 'label' | 'campaign' | 'category' | 'active' | 'start_date' | 'expiration_date' | 'validity_day_of_week' | 'validity_hours'
  | 'validity_timeframe' | 'customer_id' | 'product_id' | 'min_order_amount' | 'offline_redeemable' | 'metadata'
> {
  return {
    label: '', campaign: null, category: null, active: true, start_date: null, expiration_date: null, validity_day_of_week: null,
    validity_hours: null, validity_timeframe: null, customer_id: null, product_id: null, min_order_amount: null, offline_redeemable: true, metadata: {},
  };
}

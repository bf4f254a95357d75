// The voucher model, exactly as in the HQ contract (shared/contract/hq-api.md). zod schemas are the
// single source of truth: HQ validates bodies and generates its OpenAPI document from them, the till
// validates what it replicates. A voucher is a union on `type`, so a discount voucher without a
// discount, or a gift card with one, cannot be represented.
import { z } from 'zod';
import { CODE_INPUT_PATTERN, CODE_PATTERN, normaliseCode } from './code';
import { isCurrency } from './money';
import { NORMALISED_DATE_SPEC, normaliseDateSpec } from './date-spec';
import { DURATION_PATTERN, durationToMs } from './duration';
import { asciiUpperCase, Text, jsonObjectIssues, METADATA_LIMITS } from './text';

export const MinorUnits = z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('money in minor units (cents)');
export const PositiveMinorUnits = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * Counts that end up in an int4 column (a voucher's redemption quantity and redeemed quantity): above
 * this PostgreSQL refuses the value, so the schema refuses it first.
 */
export const MAX_INT4 = 2_147_483_647;

const CURRENCY_MESSAGE = 'must be an ISO 4217 currency code such as EUR';
export const CurrencySchema = Text.regex(/^[A-Z]{3}$/, CURRENCY_MESSAGE).refine(isCurrency, { message: CURRENCY_MESSAGE }).describe('ISO 4217 currency code');
/** A currency as people type it: any case of three ASCII letters, upper-cased as ASCII only ("ſek" is not "SEK"). */
export const CurrencyInput = Text.regex(/^\s*[A-Za-z]{3}\s*$/, CURRENCY_MESSAGE)
  .transform((c) => asciiUpperCase(c.trim()))
  .pipe(CurrencySchema);

const CODE_MESSAGE = 'a code is 4..32 characters of A-Z, 0-9 and -';
export const VoucherCode = Text.regex(CODE_PATTERN, CODE_MESSAGE);
/**
 * Codes typed or imported by people: case-insensitive, surrounding blanks and scanner prefixes ignored.
 * The input pattern comes first so the OpenAPI document states it (and non-ASCII is refused before any
 * case mapping); it accepts exactly what normalises to a VoucherCode.
 */
export const VoucherCodeInput = Text.regex(CODE_INPUT_PATTERN, CODE_MESSAGE).transform(normaliseCode).pipe(VoucherCode);

export const EntityId = Text.min(1).max(128);

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const Label = Text.max(255);
const DayOfWeek = z.int().min(0).max(6);
const DaysOfWeek = z.array(DayOfWeek).min(1).max(7).refine((days) => new Set(days).size === days.length, 'days must not repeat');

// ---- discount and gift ---------------------------------------------------------------------------

// Percentages carry at most two decimals: money.ts turns them into integer basis points (and throws
// on a third decimal, so a tax rate of 7.777 must be refused here rather than fail an evaluation).
const twoDecimals = (p: number) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6;
/** A tax rate or other percentage, 0..100 with at most two decimals. */
export const Percent = z.number().min(0).max(100).refine(twoDecimals, 'at most two decimals');
const PercentOff = z.number().gt(0).max(100).refine(twoDecimals, 'at most two decimals');

const UnitOff = z.int().min(1).max(1_000_000);

export const DiscountSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('AMOUNT'), amount_off: PositiveMinorUnits }),
  z.strictObject({ type: z.literal('PERCENT'), percent_off: PercentOff, amount_limit: PositiveMinorUnits.nullish() }),
  /** The eligible total becomes fixed_amount (never raised). */
  z.strictObject({ type: z.literal('FIXED'), fixed_amount: MinorUnits }),
  /** unit_off units of product_id free. */
  z.strictObject({ type: z.literal('UNIT'), unit_off: UnitOff, product_id: EntityId }),
  /** Several products' units free at once: each entry as a UNIT discount; a product at most once. */
  z.strictObject({
    type: z.literal('UNIT_MULTIPLE'),
    units: z
      .array(z.strictObject({ unit_off: UnitOff, product_id: EntityId }))
      .min(1)
      .max(20)
      .refine((units) => new Set(units.map((u) => u.product_id)).size === units.length, 'a product appears at most once'),
  }),
]);
export type Discount = z.infer<typeof DiscountSchema>;

// balance may be negative in the stored voucher: a debit taken offline that overdraws the card is
// accepted and flagged at HQ (the money was already taken), and the ledger must show it.
export const GiftSchema = z
  .strictObject({ amount: PositiveMinorUnits, balance: z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) })
  .refine((g) => g.balance <= g.amount, { message: 'balance cannot exceed amount', path: ['balance'] });
export type Gift = z.infer<typeof GiftSchema>;

/** A points count: whole points, never more than a till can read exactly. */
export const Points = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
// A loyalty card's points (core/loyalty.ts for what they are worth). balance = opening + earned − spent,
// where earned and spent count accepted ops net of their reversals; like a gift card's, the balance may
// be negative: a spend at an offline till that overdraws is accepted and flagged at HQ.
export const LoyaltySchema = z.strictObject({
  balance: z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  earned: Points,
  spent: Points,
});
export type Loyalty = z.infer<typeof LoyaltySchema>;

// ---- validity windows ----------------------------------------------------------------------------

export const ValidityHoursSchema = z.strictObject({
  daily: z
    .array(
      z.strictObject({
        start_time: Text.regex(TIME, 'HH:mm'),
        // Inclusive of its minute: 18:00–23:59 is open until midnight. An expiration before the start
        // spans midnight and belongs to the day it starts on (Fri 22:00–02:00 is open early Saturday).
        expiration_time: Text.regex(TIME, 'HH:mm'),
        days_of_week: DaysOfWeek,
      }),
    )
    .min(1),
});
export type ValidityHours = z.infer<typeof ValidityHoursSchema>;

const DURATION_MESSAGE = 'an ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. P7D or PT2H';
const DurationString = Text.max(64).regex(DURATION_PATTERN, DURATION_MESSAGE).refine((v) => durationToMs(v) !== null, DURATION_MESSAGE);
export const ValidityTimeframeSchema = z
  .strictObject({ interval: DurationString, duration: DurationString })
  .refine((t) => (durationToMs(t.duration) ?? 0) <= (durationToMs(t.interval) ?? 0), { message: 'duration cannot be longer than interval', path: ['duration'] });
export type ValidityTimeframe = z.infer<typeof ValidityTimeframeSchema>;

const Quantity = z.int().min(1).max(MAX_INT4);
export const RedemptionSchema = z.strictObject({
  quantity: Quantity.nullable().describe('null = unlimited; 1 = single use'),
  redeemed_quantity: z.int().min(0).max(MAX_INT4),
});

/**
 * Free key/values, as they are stored and replicated: JSON with string keys. What HQ accepts is
 * limited by MetadataInput; the stored shape is not re-limited, so a voucher stored before the limits
 * existed can never stop a till from reading its change feed.
 */
export const MetadataSchema = z.record(Text, z.unknown()).describe('free key/values');
/**
 * Metadata HQ accepts: well-formed keys and strings, finite numbers, at most 8 levels deep, keys of
 * at most 100 characters, at most 16 KiB as JSON (core/text.ts jsonObjectIssues).
 */
export const MetadataInput = z
  .record(z.string(), z.unknown())
  .superRefine((metadata, ctx) => {
    for (const issue of jsonObjectIssues(metadata)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .meta({ propertyNames: { maxLength: METADATA_LIMITS.keyLength }, description: `free key/values: JSON at most ${METADATA_LIMITS.depth} levels deep and ${METADATA_LIMITS.bytes} bytes, keys at most ${METADATA_LIMITS.keyLength} characters` });

// ---- the voucher as stored and sent --------------------------------------------------------------

const DateSpecValue = Text.regex(NORMALISED_DATE_SPEC, 'a normalised date, local date-time or UTC instant');
const Timestamp = z.iso.datetime({ offset: true });

const voucherBase = {
  code: VoucherCode,
  label: Label,
  campaign: Label.nullable(),
  category: Label.nullable(),
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
  /**
   * Signed, expiring links to the voucher's printable assets (contract v1 additions), on vouchers HQ's
   * API answers with; the change feed and push answers leave them out (the same bytes for every till).
   */
  assets: z.object({ barcode_url: z.string(), qr_url: z.string(), print_url: z.string() }).optional(),
};

export const DiscountVoucherSchema = z.strictObject({ ...voucherBase, type: z.literal('DISCOUNT_VOUCHER'), discount: DiscountSchema, gift: z.null() });
export const GiftVoucherSchema = z.strictObject({ ...voucherBase, type: z.literal('GIFT_VOUCHER'), discount: z.null(), gift: GiftSchema });
/** A loyalty card: its campaign is its program's id; it counts points, never uses (redemption quantity null). */
export const LoyaltyCardSchema = z.strictObject({ ...voucherBase, type: z.literal('LOYALTY_CARD'), campaign: EntityId, discount: z.null(), gift: z.null(), loyalty: LoyaltySchema });
export const VoucherSchema = z.discriminatedUnion('type', [DiscountVoucherSchema, GiftVoucherSchema, LoyaltyCardSchema]);
export type Voucher = z.infer<typeof VoucherSchema>;
export type DiscountVoucher = z.infer<typeof DiscountVoucherSchema>;
export type GiftVoucher = z.infer<typeof GiftVoucherSchema>;
export type LoyaltyCard = z.infer<typeof LoyaltyCardSchema>;
export type VoucherType = Voucher['type'];

// ---- input bodies (create / update / import) -----------------------------------------------------

const DateSpecInput = Text.max(64).transform((value, ctx) => {
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
  label: Label.optional(),
  campaign: Label.nullish(),
  category: Label.nullish(),
  currency: CurrencyInput,
  redemption: z
    .strictObject({ quantity: Quantity.nullable(), redeemed_quantity: readOnly })
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
  metadata: MetadataInput.optional(),
  ...readOnlyFields,
};

/** A new gift card starts with its full amount; an imported one may bring a partly used balance. */
const GiftInput = z
  .strictObject({ amount: PositiveMinorUnits, balance: MinorUnits.optional() })
  .refine((g) => g.balance === undefined || g.balance <= g.amount, { message: 'balance cannot exceed amount', path: ['balance'] });

/** A new or imported loyalty card may bring an opening balance (points moved from another system). */
const LoyaltyInput = z
  .strictObject({ balance: Points.optional(), earned: readOnly, spent: readOnly })
  .optional()
  .transform((l) => ({ balance: l?.balance ?? 0, earned: 0, spent: 0 }));

function inputUnion<G extends z.ZodType<Gift, unknown>>(gift: G) {
  return z.discriminatedUnion('type', [
    z.strictObject({ ...inputFields, type: z.literal('DISCOUNT_VOUCHER'), discount: DiscountSchema, gift: z.null().optional(), loyalty: z.null().optional() }),
    z.strictObject({ ...inputFields, type: z.literal('GIFT_VOUCHER'), discount: z.null().optional(), gift, loyalty: z.null().optional() }),
    z.strictObject({
      ...inputFields,
      type: z.literal('LOYALTY_CARD'),
      campaign: EntityId.describe("the loyalty program's id"),
      redemption: z.never({ error: 'a loyalty card counts points, not uses' }).optional(),
      discount: z.null().optional(),
      gift: z.null().optional(),
      loyalty: LoyaltyInput,
    }),
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

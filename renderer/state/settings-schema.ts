// The till's own settings (shown on the Settings screen), validated with zod so a bad value gets a
// clear message instead of a broken till. Stored in localStorage: they belong to this device.
import { z } from 'zod';
import { TimeZoneName } from '../../core/local-time';
import { isCurrency } from '../../core/money';
import type { TillSettings } from '../../sync/till';
import { DEFAULT_TILL_SETTINGS } from '../../sync/till';
import { canonicalLocale, msg, type Translate } from '../../core/words/i18n';

// Each message is a sentence the Settings screen shows after the field's label, in the till's language.
const NOT_A_NUMBER = msg('must be a number');
const NEGATIVE = msg('must be 0 or more');
const amount = z.int({ error: msg('must be an amount in the currency\'s smallest unit') }).min(0, NEGATIVE);

export const UiSettingsSchema = z.strictObject({
  timeZone: TimeZoneName,
  currency: z.string().refine(isCurrency, msg('must be a three-letter ISO 4217 code such as EUR')),
  locale: z.string().refine((value) => canonicalLocale(value) !== null, msg('must be a language tag such as de-DE or en-GB')),
  /** Most gift-card value per ticket while offline, minor units; null = no cap. */
  maxOfflineGiftPerTicket: amount.nullable(),
  /** Most loyalty-points value per ticket while offline, minor units; null = no cap (optional: older saved settings lack it). */
  maxOfflinePointsPerTicket: amount.nullable().default(DEFAULT_TILL_SETTINGS.offlinePolicy.maxPointsAmountPerTicket ?? null),
  /** Hours without a pull after which single-use vouchers are refused offline; null = never. */
  maxReplicaAgeHours: z.number({ error: NOT_A_NUMBER }).min(0, NEGATIVE).max(24 * 365, msg('must be at most 8,760 hours (a year)')).nullable(),
  /** Most a gift card sold at this till may hold, minor units (optional: settings saved before it existed lack it). */
  maxGiftCardAmount: amount.min(1, msg('must be more than 0')).max(Number.MAX_SAFE_INTEGER, msg('is too large')).default(DEFAULT_TILL_SETTINGS.maxGiftCardAmount),
  printer: z.string().max(255, msg('is too long')).nullable(),
});
export type UiSettings = z.infer<typeof UiSettingsSchema>;

export const DEFAULT_UI_SETTINGS: UiSettings = {
  timeZone: DEFAULT_TILL_SETTINGS.timeZone,
  currency: DEFAULT_TILL_SETTINGS.currency,
  locale: 'en-GB',
  maxOfflineGiftPerTicket: DEFAULT_TILL_SETTINGS.offlinePolicy.maxGiftAmountPerTicket,
  maxOfflinePointsPerTicket: DEFAULT_TILL_SETTINGS.offlinePolicy.maxPointsAmountPerTicket ?? null,
  maxReplicaAgeHours: DEFAULT_TILL_SETTINGS.offlinePolicy.maxReplicaAgeMs === null ? null : DEFAULT_TILL_SETTINGS.offlinePolicy.maxReplicaAgeMs / 3_600_000,
  maxGiftCardAmount: DEFAULT_TILL_SETTINGS.maxGiftCardAmount,
  printer: null,
};

export function toTillSettings(s: UiSettings): Partial<TillSettings> {
  return {
    timeZone: s.timeZone,
    currency: s.currency,
    maxGiftCardAmount: s.maxGiftCardAmount,
    offlinePolicy: {
      maxGiftAmountPerTicket: s.maxOfflineGiftPerTicket,
      maxPointsAmountPerTicket: s.maxOfflinePointsPerTicket,
      maxReplicaAgeMs: s.maxReplicaAgeHours === null ? null : Math.round(s.maxReplicaAgeHours * 3_600_000),
    },
  };
}

/** Each setting's label on the Settings screen; its errors name it the same way. */
export const SETTING_LABELS: Readonly<Record<keyof UiSettings, string>> = {
  timeZone: msg('Store time zone'),
  currency: msg('Currency'),
  locale: msg('Language and locale (words, numbers, dates), e.g. de-DE'),
  maxOfflineGiftPerTicket: msg('Most gift-card value per ticket while offline (empty = no limit)'),
  maxOfflinePointsPerTicket: msg('Most loyalty points may pay per ticket while offline (empty = no limit)'),
  maxGiftCardAmount: msg('Most a gift card sold at this till may hold'),
  maxReplicaAgeHours: msg('Refuse single-use vouchers offline after this many hours without sync (empty = never)'),
  printer: msg('Printer'),
};

/** A refusal per field, in the till's language: the field's label, then what is wrong with it. */
export function settingsErrors(error: z.ZodError, t: Translate): string[] {
  return error.issues.map((i) => {
    const key = i.path[0];
    const field = typeof key === 'string' && key in SETTING_LABELS ? t(SETTING_LABELS[key as keyof UiSettings]) : t('Settings');
    return t('{{field}}: {{problem}}', { field, problem: t(i.message) });
  });
}

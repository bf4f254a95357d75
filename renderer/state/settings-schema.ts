// The till's own settings (shown on the Settings screen), validated with zod so a bad value gets a
// clear message instead of a broken till. Stored in localStorage: they belong to this device.
import { z } from 'zod';
import { TimeZoneName } from '../../core/local-time';
import { isCurrency } from '../../core/money';
import type { TillSettings } from '../../sync/till';
import { DEFAULT_TILL_SETTINGS } from '../../sync/till';

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

export const UiSettingsSchema = z.strictObject({
  timeZone: TimeZoneName,
  currency: z.string().refine(isCurrency, 'must be a three-letter ISO 4217 code such as EUR'),
  locale: z.string().refine(isLocale, 'must be a language tag such as de-DE or en-GB'),
  /** Most gift-card value per ticket while offline, minor units; null = no cap. */
  maxOfflineGiftPerTicket: z.int().min(0).nullable(),
  /** Most loyalty-points value per ticket while offline, minor units; null = no cap (optional: older saved settings lack it). */
  maxOfflinePointsPerTicket: z.int().min(0).nullable().default(DEFAULT_TILL_SETTINGS.offlinePolicy.maxPointsAmountPerTicket ?? null),
  /** Hours without a pull after which single-use vouchers are refused offline; null = never. */
  maxReplicaAgeHours: z.number().min(0).max(24 * 365).nullable(),
  /** Most a gift card sold at this till may hold, minor units (optional: settings saved before it existed lack it). */
  maxGiftCardAmount: z.int().min(1).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_TILL_SETTINGS.maxGiftCardAmount),
  printer: z.string().max(255).nullable(),
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

export function settingsErrors(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
}

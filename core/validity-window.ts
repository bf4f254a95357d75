// Is a voucher open at a given moment in the store's time zone? All checks read one LocalTime
// computed once per evaluation (core/local-time.ts), so the hot path does at most one zone conversion.
import type { Voucher } from './voucher';
import { readDateSpec } from './date-spec';
import { durationToMs } from './duration';
import { localToEpochMs, toLocalTime, wallMsOf, type LocalTime } from './local-time';

export type WindowReason = 'not_active_yet' | 'expired' | 'not_active_now';

type WindowFields = Pick<Voucher, 'start_date' | 'expiration_date' | 'validity_day_of_week' | 'validity_hours' | 'validity_timeframe'>;

/** Epoch ms of a local or instant value; date-only values are compared as dates instead. */
function boundaryEpochMs(value: string, timeZone: string): number | null {
  const spec = readDateSpec(value);
  if (spec.kind === 'instant') return spec.epochMs;
  if (spec.kind === 'local') return localToEpochMs(spec.dateTime, timeZone);
  return null;
}

function hasStarted(start: string, now: LocalTime, timeZone: string): boolean {
  const epochMs = boundaryEpochMs(start, timeZone);
  return epochMs === null ? now.date >= start : now.epochMs >= epochMs;
}

function hasExpired(expiration: string, now: LocalTime, timeZone: string): boolean {
  const epochMs = boundaryEpochMs(expiration, timeZone);
  // A date-only expiration includes that whole local day; an instant or local time is inclusive too.
  return epochMs === null ? now.date > expiration : now.epochMs > epochMs;
}

function withinHours(hours: NonNullable<Voucher['validity_hours']>, now: LocalTime): boolean {
  const minute = now.minuteOfDay;
  const yesterday = (now.dayOfWeek + 6) % 7;
  return hours.daily.some(({ start_time, expiration_time, days_of_week }) => {
    const start = minuteOf(start_time);
    const end = minuteOf(expiration_time); // inclusive of its minute
    if (start <= end) return days_of_week.includes(now.dayOfWeek) && minute >= start && minute <= end;
    // Spans midnight: the window belongs to the day it starts on.
    return (days_of_week.includes(now.dayOfWeek) && minute >= start) || (days_of_week.includes(yesterday) && minute <= end);
  });
}

function minuteOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Wall-clock ms at which the repeating timeframe is anchored (start_date on the store's clock). */
function anchorWallMs(start: string, timeZone: string): number {
  const spec = readDateSpec(start);
  if (spec.kind === 'instant') return toLocalTime(spec.epochMs, timeZone).wallMs;
  return wallMsOf(spec.kind === 'date' ? spec.date : spec.dateTime);
}

function withinTimeframe(timeframe: NonNullable<Voucher['validity_timeframe']>, start: string, now: LocalTime, timeZone: string): boolean {
  const interval = durationToMs(timeframe.interval);
  const duration = durationToMs(timeframe.duration);
  if (interval === null || duration === null) return false; // unreachable for parsed vouchers; fail closed
  const elapsed = now.wallMs - anchorWallMs(start, timeZone);
  if (elapsed < 0) return false;
  return elapsed % interval < duration;
}

/**
 * The first reason the voucher is closed at `now`, or null when it is open. Order: not started yet,
 * then expired, then outside its recurring windows (days, hours, timeframe).
 */
export function checkValidityWindow(voucher: WindowFields, now: LocalTime, timeZone: string): WindowReason | null {
  if (voucher.start_date && !hasStarted(voucher.start_date, now, timeZone)) return 'not_active_yet';
  if (voucher.expiration_date && hasExpired(voucher.expiration_date, now, timeZone)) return 'expired';
  if (voucher.validity_day_of_week && !voucher.validity_day_of_week.includes(now.dayOfWeek)) return 'not_active_now';
  if (voucher.validity_hours && !withinHours(voucher.validity_hours, now)) return 'not_active_now';
  if (voucher.validity_timeframe && voucher.start_date && !withinTimeframe(voucher.validity_timeframe, voucher.start_date, now, timeZone)) {
    return 'not_active_now';
  }
  return null;
}

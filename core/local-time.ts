// Store-local wall-clock time. This is the only place core converts between instants and a time zone
// (through Temporal, which is DST-correct); everything else compares the fields computed here.
import { Temporal } from 'temporal-polyfill';

export type LocalTime = {
  epochMs: number;
  /** YYYY-MM-DD in the store's zone: compared as a string against date-only values. */
  date: string;
  /** 0 = Sunday … 6 = Saturday, as in the contract. */
  dayOfWeek: number;
  minuteOfDay: number;
  /**
   * Wall-clock milliseconds: the local fields read as if they were UTC. Differences between two
   * wall times measure calendar time ("every 7 days at 10:00") and ignore DST jumps, which is what a
   * recurring local window means.
   */
  wallMs: number;
};

export class TimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`unknown time zone "${timeZone}"`);
    this.name = 'TimeZoneError';
  }
}

export function isTimeZone(timeZone: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

function fromZoned(z: Temporal.ZonedDateTime): LocalTime {
  return {
    epochMs: z.epochMilliseconds,
    date: z.toPlainDate().toString(),
    dayOfWeek: z.dayOfWeek % 7, // Temporal: Monday = 1 … Sunday = 7
    minuteOfDay: z.hour * 60 + z.minute,
    wallMs: Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second, z.millisecond),
  };
}

export function toLocalTime(epochMs: number, timeZone: string): LocalTime {
  let zoned: Temporal.ZonedDateTime;
  try {
    zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  } catch {
    throw new TimeZoneError(timeZone);
  }
  return fromZoned(zoned);
}

// Converting a store-local date-time to an instant costs ~20 µs; voucher windows repeat the same
// few values for every scan, so remember them (bounded, oldest evicted first).
const localToInstantCache = new Map<string, number>();
const CACHE_LIMIT = 4096;

/**
 * The instant at which the store's wall clock shows `dateTime` (YYYY-MM-DDTHH:mm:ss or YYYY-MM-DD
 * for midnight). In a DST gap the time that does not exist moves forward; in an overlap the earlier
 * of the two instants is used (Temporal's "compatible", the same rule as RFC 5545 calendars).
 */
export function localToEpochMs(dateTime: string, timeZone: string): number {
  const key = `${timeZone}|${dateTime}`;
  const hit = localToInstantCache.get(key);
  if (hit !== undefined) return hit;
  let epochMs: number;
  try {
    epochMs = Temporal.PlainDateTime.from(dateTime).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  } catch {
    throw new TimeZoneError(timeZone);
  }
  if (localToInstantCache.size >= CACHE_LIMIT) {
    const oldest = localToInstantCache.keys().next();
    if (!oldest.done) localToInstantCache.delete(oldest.value);
  }
  localToInstantCache.set(key, epochMs);
  return epochMs;
}

/** Wall-clock ms of a YYYY-MM-DD[THH:mm:ss] string, read as if UTC (no zone involved). */
export function wallMsOf(dateTime: string): number {
  return Date.parse(dateTime.length === 10 ? `${dateTime}T00:00:00Z` : `${dateTime}Z`);
}

// Store-local wall-clock time. This is the only place core converts between instants and a time zone
// (through Temporal, which is DST-correct); everything else compares the fields computed here.
import { Temporal } from 'temporal-polyfill';
import { Text } from './text';
import { msg } from './words/msg';

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

export const TIME_ZONE_MESSAGE = msg('must be an IANA time zone such as Europe/Berlin');

/**
 * A time zone wherever one is taken in (a till's zone, a validation's, HQ_TIME_ZONE): an IANA name
 * ("Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5") or a UTC offset ("+05:30") that
 * exists (isTimeZone). The pattern states the shape in the OpenAPI document; only a value of that
 * shape is looked up.
 */
export const TimeZoneName = Text.max(64)
  .regex(/^[A-Za-z0-9_+\-/:]+$/, { message: TIME_ZONE_MESSAGE, abort: true })
  .refine(isTimeZone, { message: TIME_ZONE_MESSAGE });

// A zone's UTC offset is constant between two transitions (DST changes, rule changes). Temporal tells
// us exactly where those transitions are, so one ~15 µs conversion per zone per half-year replaces one
// per scan; in between, local fields are plain arithmetic on (epoch + offset).
type OffsetSpan = { from: number; until: number; offsetMs: number };
const offsetSpans = new Map<string, OffsetSpan>();

function offsetAt(epochMs: number, timeZone: string): number {
  const span = offsetSpans.get(timeZone);
  if (span && epochMs >= span.from && epochMs < span.until) return span.offsetMs;
  let zoned: Temporal.ZonedDateTime;
  try {
    zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  } catch {
    throw new TimeZoneError(timeZone);
  }
  // "previous" is strictly before its argument: ask from 1 ms later so a transition exactly at
  // epochMs starts the span instead of being skipped.
  const previous = Temporal.Instant.fromEpochMilliseconds(epochMs + 1).toZonedDateTimeISO(timeZone).getTimeZoneTransition('previous');
  const next = zoned.getTimeZoneTransition('next');
  const fresh = { from: previous?.epochMilliseconds ?? -Infinity, until: next?.epochMilliseconds ?? Infinity, offsetMs: zoned.offsetNanoseconds / 1e6 };
  offsetSpans.set(timeZone, fresh);
  return fresh.offsetMs;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function toLocalTime(epochMs: number, timeZone: string): LocalTime {
  const wallMs = epochMs + offsetAt(epochMs, timeZone);
  const wall = new Date(wallMs); // read with getUTC*: these are the store's wall-clock fields
  return {
    epochMs,
    date: `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)}`,
    dayOfWeek: wall.getUTCDay(),
    minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    wallMs,
  };
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

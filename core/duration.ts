// ISO 8601 durations for validity_timeframe ("P7D", "PT2H30M"). Only fixed-length units (weeks, days,
// hours, minutes, seconds) are accepted: a window that repeats "every month" has no single length, and
// silently picking one would make the till and a back-office manager disagree about when it is open.
// Days are calendar days measured on the store's wall clock, so "P1D" stays at the same local time
// across a DST change.

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
/** The shape of a supported duration (for patterns in documents); durationToMs also refuses "P", "PT" and zero. */
export const DURATION_PATTERN = DURATION;

const cache = new Map<string, number | null>();

/** Milliseconds of wall-clock time in a duration, or null when it is not a supported duration. */
export function durationToMs(value: string): number | null {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const m = DURATION.exec(value);
  let ms: number | null = null;
  if (m && value !== 'P' && !value.endsWith('T')) {
    const [, w = '0', d = '0', h = '0', min = '0', s = '0'] = m;
    ms = ((((Number(w) * 7 + Number(d)) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s)) * 1000;
    if (ms <= 0 || !Number.isSafeInteger(ms)) ms = null;
  }
  if (cache.size > 1024) cache.clear();
  cache.set(value, ms);
  return ms;
}

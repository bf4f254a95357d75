// The three kinds of start/expiration values a voucher can carry, and their input formats.
//
//   "2026-12-24"                 date: the whole day in the store's time zone (start: from 00:00;
//                                expiration: up to and including that day)
//   "2026-12-24T14:00:00"        local date-time: that wall-clock time in the store's time zone —
//                                what "valid from 2 pm" means to a chain with stores in several zones
//   "2026-12-24T13:00:00.000Z"   instant: that moment everywhere
//
// Accepted input (the bulk-import formats): YYYY-MM-DD, YYYY-MM-DDTHH, …THH:mm, …THH:mm:ss,
// …THH:mm:ss(.SSS)Z and, beyond those, an explicit ±HH:mm offset. Values are normalised on input so
// the validation hot path only has to look at a string's length and last character.
import { Temporal } from 'temporal-polyfill';

export type DateSpec =
  | { kind: 'date'; date: string } // YYYY-MM-DD
  | { kind: 'local'; dateTime: string } // YYYY-MM-DDTHH:mm:ss
  | { kind: 'instant'; epochMs: number; iso: string }; // YYYY-MM-DDTHH:mm:ss.SSSZ

const INPUT = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const NORMALISED_DATE_SPEC = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3}Z)?)?$/;

/** Parse an input value into its normalised wire form, or explain why it is not one. */
export function normaliseDateSpec(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const m = INPUT.exec(input.trim());
  if (!m) {
    return { ok: false, message: 'expected YYYY-MM-DD, YYYY-MM-DDTHH, YYYY-MM-DDTHH:mm, YYYY-MM-DDTHH:mm:ss or an ISO 8601 instant with Z or an offset' };
  }
  const [, date, hh, mm = '00', ss = '00', fraction = '', offset] = m;
  try {
    // Temporal rejects impossible dates (2026-02-30) and times (25:00) instead of rolling them over.
    const plainDate = Temporal.PlainDate.from(date!, { overflow: 'reject' });
    if (hh === undefined) return { ok: true, value: plainDate.toString() };
    const local = Temporal.PlainDateTime.from(`${date}T${hh}:${mm}:${ss}${fraction}`, { overflow: 'reject' });
    if (offset === undefined) {
      if (fraction) return { ok: false, message: 'a local date-time (no Z or offset) is precise to the second' };
      return { ok: true, value: local.toString({ smallestUnit: 'second' }) };
    }
    const instant = Temporal.Instant.from(`${date}T${hh}:${mm}:${ss}${fraction}${offset === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`);
    return { ok: true, value: new Date(instant.epochMilliseconds).toISOString() };
  } catch {
    return { ok: false, message: `"${input}" is not a real calendar date or time` };
  }
}

/** Read a normalised value (cheap: the hot path calls this). */
export function readDateSpec(value: string): DateSpec {
  if (value.length === 10) return { kind: 'date', date: value };
  if (value.endsWith('Z')) return { kind: 'instant', epochMs: Date.parse(value), iso: value };
  return { kind: 'local', dateTime: value };
}

import { describe, expect, it } from 'vitest';
import { checkValidityWindow } from '../../core/validity-window';
import { toLocalTime, localToEpochMs } from '../../core/local-time';
import type { Voucher } from '../../core/voucher';

type Window = Pick<Voucher, 'start_date' | 'expiration_date' | 'validity_day_of_week' | 'validity_hours' | 'validity_timeframe'>;
const none: Window = { start_date: null, expiration_date: null, validity_day_of_week: null, validity_hours: null, validity_timeframe: null };

function at(instant: string, timeZone: string, window: Partial<Window>) {
  return checkValidityWindow({ ...none, ...window }, toLocalTime(Date.parse(instant), timeZone), timeZone);
}

describe('date-only start and expiration in the store time zone', () => {
  it.each([
    // Berlin is UTC+1 in December: the last valid day ends at 23:00 UTC.
    ['Europe/Berlin', '2026-12-24T22:59:59.999Z', null],
    ['Europe/Berlin', '2026-12-24T23:00:00.000Z', 'expired'],
    // New York is UTC−5 in December: the last day ends at 05:00 UTC the next day.
    ['America/New_York', '2026-12-25T04:59:59.999Z', null],
    ['America/New_York', '2026-12-25T05:00:00.000Z', 'expired'],
  ])('expiration 2026-12-24 in %s at %s → %s', (tz, instant, expected) => {
    expect(at(instant, tz, { expiration_date: '2026-12-24' })).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '2026-12-23T22:59:59.999Z', 'not_active_yet'],
    ['Europe/Berlin', '2026-12-23T23:00:00.000Z', null],
    ['America/New_York', '2026-12-24T04:59:59.999Z', 'not_active_yet'],
    ['America/New_York', '2026-12-24T05:00:00.000Z', null],
  ])('start 2026-12-24 in %s at %s → %s', (tz, instant, expected) => {
    expect(at(instant, tz, { start_date: '2026-12-24' })).toBe(expected);
  });

  it('the last day is whole on a 23-hour DST day (Berlin, 29 March 2026)', () => {
    // CET→CEST at 02:00: the local day runs 2026-03-28T23:00Z .. 2026-03-29T22:00Z (23 hours).
    expect(at('2026-03-29T21:59:59.999Z', 'Europe/Berlin', { expiration_date: '2026-03-29' })).toBeNull();
    expect(at('2026-03-29T22:00:00.000Z', 'Europe/Berlin', { expiration_date: '2026-03-29' })).toBe('expired');
  });

  it('the last day is whole on a 25-hour DST day (New York, 1 November 2026)', () => {
    // EDT→EST at 02:00: the local day runs 2026-11-01T04:00Z .. 2026-11-02T05:00Z (25 hours).
    expect(at('2026-11-02T04:59:59.999Z', 'America/New_York', { expiration_date: '2026-11-01' })).toBeNull();
    expect(at('2026-11-02T05:00:00.000Z', 'America/New_York', { expiration_date: '2026-11-01' })).toBe('expired');
    expect(at('2026-11-01T03:59:59.999Z', 'America/New_York', { start_date: '2026-11-01' })).toBe('not_active_yet');
  });

  it('instants mean that instant, whatever the zone', () => {
    const window = { start_date: '2026-06-01T10:00:00.000Z', expiration_date: '2026-06-01T12:00:00.000Z' };
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Pacific/Auckland']) {
      expect(at('2026-06-01T09:59:59.999Z', tz, window)).toBe('not_active_yet');
      expect(at('2026-06-01T10:00:00.000Z', tz, window)).toBeNull();
      expect(at('2026-06-01T12:00:00.000Z', tz, window)).toBeNull();
      expect(at('2026-06-01T12:00:00.001Z', tz, window)).toBe('expired');
    }
  });

  it('local date-times are the store’s wall clock, and a time in the DST gap moves forward', () => {
    expect(at('2026-07-01T11:59:59Z', 'Europe/Berlin', { start_date: '2026-07-01T14:00:00' })).toBe('not_active_yet');
    expect(at('2026-07-01T12:00:00Z', 'Europe/Berlin', { start_date: '2026-07-01T14:00:00' })).toBeNull();
    expect(at('2026-07-01T17:59:59Z', 'America/New_York', { start_date: '2026-07-01T14:00:00' })).toBe('not_active_yet');
    // 02:30 does not exist in Berlin on 29 March 2026; it is read as 03:30 CEST = 01:30Z.
    expect(localToEpochMs('2026-03-29T02:30:00', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    // 01:30 happens twice in New York on 1 November 2026; the earlier (EDT, 05:30Z) is used.
    expect(localToEpochMs('2026-11-01T01:30:00', 'America/New_York')).toBe(Date.parse('2026-11-01T05:30:00Z'));
  });
});

describe('days of week and daily hours', () => {
  it('uses the store’s day, not UTC’s', () => {
    // 2026-11-21T23:30Z is Saturday in UTC but Sunday 00:30 in Berlin.
    expect(at('2026-11-21T23:30:00Z', 'Europe/Berlin', { validity_day_of_week: [0] })).toBeNull();
    expect(at('2026-11-21T23:30:00Z', 'Europe/Berlin', { validity_day_of_week: [6] })).toBe('not_active_now');
    expect(at('2026-11-21T23:30:00Z', 'America/New_York', { validity_day_of_week: [6] })).toBeNull();
  });

  const happyHour = { validity_hours: { daily: [{ start_time: '17:00', expiration_time: '23:59', days_of_week: [5] }] } }; // Fridays
  it.each([
    ['2026-11-20T15:59:59Z', 'not_active_now'], // Fri 16:59:59 Berlin
    ['2026-11-20T16:00:00Z', null], // Fri 17:00
    ['2026-11-20T22:59:59Z', null], // Fri 23:59:59 — the end minute is included
    ['2026-11-20T23:00:00Z', 'not_active_now'], // Sat 00:00
  ])('17:00–23:59 on Fridays, at %s → %s', (instant, expected) => {
    expect(at(instant, 'Europe/Berlin', happyHour)).toBe(expected);
  });

  const lateNight = { validity_hours: { daily: [{ start_time: '22:00', expiration_time: '02:00', days_of_week: [5] }] } };
  it.each([
    ['2026-11-20T20:59:00Z', 'not_active_now'], // Fri 21:59
    ['2026-11-20T21:00:00Z', null], // Fri 22:00
    ['2026-11-20T23:00:00Z', null], // Sat 00:00 — still Friday's window
    ['2026-11-21T01:00:59Z', null], // Sat 02:00:59
    ['2026-11-21T01:01:00Z', 'not_active_now'], // Sat 02:01
    ['2026-11-21T21:30:00Z', 'not_active_now'], // Sat 22:30 — Saturday has no window
    ['2026-11-19T23:30:00Z', 'not_active_now'], // Fri 00:30 — belongs to Thursday's window
  ])('22:00–02:00 starting Fridays, at %s → %s', (instant, expected) => {
    expect(at(instant, 'Europe/Berlin', lateNight)).toBe(expected);
  });

  it('hours follow the wall clock across a DST change', () => {
    const morning = { validity_hours: { daily: [{ start_time: '09:00', expiration_time: '10:00', days_of_week: [0, 1, 2, 3, 4, 5, 6] }] } };
    expect(at('2026-03-28T08:30:00Z', 'Europe/Berlin', morning)).toBeNull(); // CET: 09:30
    expect(at('2026-03-29T08:30:00Z', 'Europe/Berlin', morning)).toBe('not_active_now'); // CEST: 10:30
    expect(at('2026-03-29T07:30:00Z', 'Europe/Berlin', morning)).toBeNull(); // CEST: 09:30
  });
});

describe('repeating timeframe', () => {
  const every7Days2h = { start_date: '2026-03-22T10:00:00', validity_timeframe: { interval: 'P7D', duration: 'PT2H' } };
  it.each([
    ['2026-03-22T09:00:00Z', null], // Sun 10:00 CET, first window
    ['2026-03-22T10:59:59Z', null],
    ['2026-03-22T11:00:00Z', 'not_active_now'],
    // A week later Berlin is on CEST: the window stays at 10:00 local = 08:00Z.
    ['2026-03-29T07:59:59Z', 'not_active_now'],
    ['2026-03-29T08:00:00Z', null],
    ['2026-03-29T09:59:59Z', null],
    ['2026-03-29T10:00:00Z', 'not_active_now'],
    ['2026-03-25T09:00:00Z', 'not_active_now'], // midweek
  ])('P7D/PT2H from Sun 22 March 10:00 Berlin, at %s → %s', (instant, expected) => {
    expect(at(instant, 'Europe/Berlin', every7Days2h)).toBe(expected);
  });

  it('is closed before its start', () => {
    expect(at('2026-03-22T08:59:59Z', 'Europe/Berlin', every7Days2h)).toBe('not_active_yet');
  });

  it('anchors a date-only start at local midnight and an instant start at its local time', () => {
    const daily = { validity_timeframe: { interval: 'P1D', duration: 'PT1H' } };
    expect(at('2026-05-02T22:30:00Z', 'Europe/Berlin', { ...daily, start_date: '2026-05-01' })).toBeNull(); // 00:30 local
    expect(at('2026-05-02T23:30:00Z', 'Europe/Berlin', { ...daily, start_date: '2026-05-01' })).toBe('not_active_now');
    expect(at('2026-05-02T12:30:00Z', 'Europe/Berlin', { ...daily, start_date: '2026-05-01T12:00:00.000Z' })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { isTimeZone, TIME_ZONE_MESSAGE, TimeZoneError, TimeZoneName, toLocalTime } from '../../core/local-time';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham', 'UTC'];

function viaTemporal(epochMs: number, tz: string) {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(tz);
  return { date: z.toPlainDate().toString(), dayOfWeek: z.dayOfWeek % 7, minuteOfDay: z.hour * 60 + z.minute };
}

describe('toLocalTime (cached offsets between transitions)', () => {
  it('property: agrees with a direct Temporal conversion for any instant in any zone, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }), fc.constantFrom(...ZONES)), { minLength: 1, maxLength: 30 }),
        (samples) => {
          for (const [epochMs, tz] of samples) {
            const local = toLocalTime(epochMs, tz);
            expect({ date: local.date, dayOfWeek: local.dayOfWeek, minuteOfDay: local.minuteOfDay }).toEqual(viaTemporal(epochMs, tz));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: a walk minute by minute across DST transitions stays exact', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.constantFrom('2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-03-08T05:00:00Z', '2026-11-01T04:00:00Z', '2026-04-05T12:00:00Z'), (tz, startIso) => {
        const start = Date.parse(startIso);
        for (let m = -180; m <= 180; m += 7) {
          const t = start + m * 60_000;
          const local = toLocalTime(t, tz);
          expect(local.minuteOfDay).toBe(viaTemporal(t, tz).minuteOfDay);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is exact at the transition instant itself', () => {
    const switchAt = Date.parse('2026-03-29T01:00:00Z'); // Berlin 02:00 CET → 03:00 CEST
    expect(toLocalTime(switchAt - 1, 'Europe/Berlin').minuteOfDay).toBe(1 * 60 + 59);
    expect(toLocalTime(switchAt, 'Europe/Berlin').minuteOfDay).toBe(3 * 60);
    expect(toLocalTime(switchAt - 1, 'Europe/Berlin').minuteOfDay).toBe(1 * 60 + 59);
  });

  it('rejects unknown zones with a clear error', () => {
    expect(() => toLocalTime(0, 'Mars/Olympus_Mons')).toThrow(TimeZoneError);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Berlinn')).toBe(false);
  });

  it('TimeZoneName takes zones that exist and refuses the rest with one message', () => {
    for (const zone of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC', '+05:30']) expect(TimeZoneName.parse(zone)).toBe(zone);
    for (const zone of ['Mars/Base', 'Europe/Berlinn', 'Europe Berlin', '', 'Europe/Berlin\u0000', 'x'.repeat(65)]) {
      const parsed = TimeZoneName.safeParse(zone);
      expect(parsed.success, zone).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message), zone).toContain(TIME_ZONE_MESSAGE);
    }
    // Only a value of the shape is looked up: a malformed one gets the message once, not twice.
    expect(TimeZoneName.safeParse('Europe Berlin').error!.issues.map((i) => i.message)).toEqual([TIME_ZONE_MESSAGE]);
  });
});

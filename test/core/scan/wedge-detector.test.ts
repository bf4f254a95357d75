import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createWedgeDetector } from '../../../core/scan/wedge-detector';
import type { KeyInput, WedgeDetector, WedgeEvent, WedgeOptions } from '../../../core/scan/wedge-detector';
import { GS } from '../../../core/scan/gs1';

/** Feed keys; return every event that is not 'none'. */
function feed(detector: WedgeDetector, keys: readonly KeyInput[]): WedgeEvent[] {
  return keys.map((k) => detector.key(k)).filter((e) => e.type !== 'none');
}

/** One key per character, `gap` ms apart, starting at `start`. */
function typed(text: string, start: number, gap: number): KeyInput[] {
  return [...text].map((key, i) => ({ key, at: start + i * gap }));
}

const scan = (value: string, startedAt: number, endedAt: number, extra: Partial<Extract<WedgeEvent, { type: 'scan' }>> = {}): WedgeEvent => ({
  type: 'scan',
  value,
  startedAt,
  endedAt,
  keys: [...value].length + 1,
  typedChars: [...value].length,
  endedBy: 'suffix',
  ...extra,
});

describe('suffix-terminated scans', () => {
  it('a burst at scanner speed ended by Enter is a scan', () => {
    const d = createWedgeDetector();
    const events = feed(d, [...typed('4006381333931', 1000, 8), { key: 'Enter', at: 1000 + 13 * 8 }]);
    expect(events).toEqual([scan('4006381333931', 1000, 1104)]);
    expect(d.buffering).toBe(false);
  });

  it('Tab ends a scan too, and the suffix keys are configurable', () => {
    expect(feed(createWedgeDetector(), [...typed('ABCD', 0, 5), { key: 'Tab', at: 20 }])).toEqual([scan('ABCD', 0, 20)]);
    const d = createWedgeDetector({ suffixKeys: ['F12'] });
    expect(feed(d, [...typed('ABCD', 0, 5), { key: 'Enter', at: 20 }])).toEqual([]);
    expect(feed(d, [...typed('ABCD', 100, 5), { key: 'F12', at: 120 }])).toEqual([scan('ABCD', 100, 120)]);
  });

  it('the threshold is inclusive: a gap of exactly maxInterKeyMs is scanner speed, one more is not', () => {
    expect(feed(createWedgeDetector(), [...typed('ABCD', 0, 30), { key: 'Enter', at: 120 }])).toEqual([scan('ABCD', 0, 120)]);
    expect(feed(createWedgeDetector(), [...typed('ABCD', 0, 31), { key: 'Enter', at: 124 }])).toEqual([]);
  });

  it('a person typing and pressing Enter is never a scan', () => {
    const d = createWedgeDetector();
    expect(feed(d, [...typed('ABCD-1234', 0, 120), { key: 'Enter', at: 1200 }])).toEqual([]);
  });

  it('a fast burst followed by a slow Enter belongs to the UI', () => {
    const d = createWedgeDetector();
    expect(feed(d, [...typed('ABCD-1234', 0, 5), { key: 'Enter', at: 40 + 31 }])).toEqual([]);
    expect(d.buffering).toBe(false);
  });

  it('fewer than minLength characters is not a scan', () => {
    expect(feed(createWedgeDetector(), [...typed('ABC', 0, 5), { key: 'Enter', at: 15 }])).toEqual([]);
    expect(feed(createWedgeDetector({ minLength: 3 }), [...typed('ABC', 0, 5), { key: 'Enter', at: 15 }])).toEqual([scan('ABC', 0, 15)]);
  });

  it('only the burst counts when a person typed just before', () => {
    const d = createWedgeDetector();
    const keys = [...typed('hello', 0, 150), ...typed('ABCD1234', 800, 4), { key: 'Enter', at: 832 }];
    expect(feed(d, keys)).toEqual([scan('ABCD1234', 800, 832)]);
  });

  it('Enter with an empty buffer does nothing', () => {
    expect(feed(createWedgeDetector(), [{ key: 'Enter', at: 0 }, { key: 'Enter', at: 5 }])).toEqual([]);
  });
});

describe('modifiers and combinations', () => {
  it('Shift sent around capitals neither adds nor breaks anything', () => {
    const keys: KeyInput[] = [];
    [...'AbCd12'].forEach((ch, i) => {
      if (ch !== ch.toLowerCase()) keys.push({ key: 'Shift', at: i * 10 + 2 });
      keys.push({ key: ch, at: i * 10 + 4, shiftKey: ch !== ch.toLowerCase() });
    });
    keys.push({ key: 'CapsLock', at: 60 }, { key: 'Enter', at: 64 });
    expect(feed(createWedgeDetector(), keys)).toEqual([scan('AbCd12', 4, 64)]);
  });

  it('modifiers do not count as activity: gaps are measured between characters', () => {
    // x, then Shift keeping "activity" going, then the scan: x is too far from A to belong to it
    const keys = [{ key: 'x', at: 0 }, { key: 'Shift', at: 25 }, { key: 'Shift', at: 50 }, ...typed('ABCD', 60, 5), { key: 'Enter', at: 80 }];
    expect(feed(createWedgeDetector(), keys)).toEqual([scan('ABCD', 60, 80)]);
  });

  it.each<[string, KeyInput]>([
    ['Ctrl+C', { key: 'c', at: 12, ctrlKey: true }],
    ['Alt+x', { key: 'x', at: 12, altKey: true }],
    ['Meta+v', { key: 'v', at: 12, metaKey: true }],
    ['Backspace', { key: 'Backspace', at: 12 }],
    ['ArrowLeft', { key: 'ArrowLeft', at: 12 }],
    ['Ctrl+Enter', { key: 'Enter', at: 12, ctrlKey: true }],
  ])('%s breaks the buffer', (_name, breaker) => {
    const d = createWedgeDetector();
    expect(feed(d, [...typed('ABC', 0, 4), breaker, ...typed('DEF', 16, 4), { key: 'Enter', at: 28 }])).toEqual([]);
  });

  it('AltGr (reported as Ctrl+Alt) types characters such as @', () => {
    const keys: KeyInput[] = [...typed('me', 0, 4), { key: '@', at: 8, ctrlKey: true, altKey: true }, ...typed('x.de', 12, 4), { key: 'Enter', at: 28 }];
    expect(feed(createWedgeDetector(), keys)).toEqual([scan('me@x.de', 0, 28)]);
  });

  it('Ctrl+] is GS: a keystroke of the scan that types nothing into a field', () => {
    const keys: KeyInput[] = [...typed('10ABC', 0, 4), { key: ']', at: 20, ctrlKey: true }, ...typed('21X', 24, 4), { key: 'Enter', at: 36 }];
    expect(feed(createWedgeDetector(), keys)).toEqual([scan(`10ABC${GS}21X`, 0, 36, { keys: 10, typedChars: 8 })]);
  });

  it('a configured GS key, or GS itself as the key value, is GS too', () => {
    const d = createWedgeDetector({ gsKeys: [{ key: 'F8' }] });
    expect(feed(d, [...typed('10A', 0, 4), { key: 'F8', at: 12 }, ...typed('21B', 16, 4), { key: 'Enter', at: 28 }])).toEqual([
      scan(`10A${GS}21B`, 0, 28, { keys: 8, typedChars: 6 }),
    ]);
    // with F8 configured, Ctrl+] is an ordinary shortcut and breaks the buffer
    expect(feed(d, [...typed('10A', 100, 4), { key: ']', at: 112, ctrlKey: true }, ...typed('21B', 116, 4), { key: 'Enter', at: 128 }])).toEqual([]);
    expect(feed(createWedgeDetector(), [...typed('10A', 0, 4), { key: GS, at: 12 }, ...typed('21B', 16, 4), { key: 'Enter', at: 28 }])).toEqual([
      scan(`10A${GS}21B`, 0, 28, { keys: 8, typedChars: 6 }),
    ]);
  });

  it('a key arriving before the previous one (clock going backwards) breaks the burst', () => {
    expect(feed(createWedgeDetector(), [...typed('ABCD', 100, 4), { key: 'E', at: 50 }, { key: 'Enter', at: 52 }])).toEqual([]);
  });
});

describe('prefix', () => {
  const options = { prefix: '§§' };

  it('is required and stripped; the field received it, so it counts in typedChars', () => {
    const d = createWedgeDetector(options);
    expect(feed(d, [...typed('ABCD1234', 0, 4), { key: 'Enter', at: 32 }])).toEqual([]);
    expect(feed(d, [...typed('§§ABCD1234', 100, 4), { key: 'Enter', at: 140 }])).toEqual([
      scan('ABCD1234', 100, 140, { keys: 11, typedChars: 10 }),
    ]);
  });

  it('minLength counts the value, not the prefix', () => {
    const d = createWedgeDetector(options);
    expect(feed(d, [...typed('§§ABC', 0, 4), { key: 'Enter', at: 20 }])).toEqual([]);
  });

  it('a stray key just before the prefix is not part of the scan', () => {
    const d = createWedgeDetector(options);
    expect(feed(d, [...typed('x§x§§ABCD', 0, 4), { key: 'Enter', at: 36 }])).toEqual([
      scan('ABCD', 12, 36, { keys: 7, typedChars: 6 }),
    ]);
  });
});

describe('scans without a suffix (requireSuffix: false)', () => {
  const options = { requireSuffix: false };

  it('end at an idle gap reported by idle(now)', () => {
    const d = createWedgeDetector(options);
    expect(feed(d, typed('ABCD1234', 0, 4))).toEqual([]);
    expect(d.idle(50)).toEqual({ type: 'none' }); // 22 ms after the last key: maybe more is coming
    expect(d.buffering).toBe(true);
    expect(d.idle(59)).toEqual(scan('ABCD1234', 0, 28, { keys: 8, endedBy: 'gap' }));
    expect(d.buffering).toBe(false);
    expect(d.idle(100)).toEqual({ type: 'none' });
  });

  it('end when the next key comes slowly; that key starts a new buffer', () => {
    const d = createWedgeDetector(options);
    expect(feed(d, typed('ABCD', 0, 4))).toEqual([]);
    expect(d.key({ key: 'x', at: 200 })).toEqual(scan('ABCD', 0, 12, { keys: 4, endedBy: 'gap' }));
    expect(d.buffering).toBe(true);
    // a slow Enter ends the scan by gap and is not swallowed
    expect(feed(d, typed('WXYZ', 300, 4))).toEqual([]);
    expect(d.key({ key: 'Enter', at: 400 })).toEqual(scan('WXYZ', 300, 312, { keys: 4, endedBy: 'gap' }));
  });

  it('still end at a fast suffix', () => {
    const d = createWedgeDetector(options);
    expect(feed(d, [...typed('ABCD', 0, 4), { key: 'Enter', at: 16 }])).toEqual([scan('ABCD', 0, 16)]);
  });

  it('ignore a stale idle call from before the last key', () => {
    const d = createWedgeDetector(options);
    feed(d, typed('ABCD', 100, 4));
    expect(d.idle(50)).toEqual({ type: 'none' });
    expect(d.buffering).toBe(true);
  });

  it('with requireSuffix (the default) idle drops the buffer without a scan', () => {
    const d = createWedgeDetector();
    feed(d, typed('ABCD1234', 0, 4));
    expect(d.idle(100)).toEqual({ type: 'none' });
    expect(d.buffering).toBe(false);
    expect(d.key({ key: 'Enter', at: 101 })).toEqual({ type: 'none' });
  });
});

describe('state and options', () => {
  it('reset() drops the buffer', () => {
    const d = createWedgeDetector();
    feed(d, typed('ABCD', 0, 4));
    expect(d.buffering).toBe(true);
    d.reset();
    expect(d.buffering).toBe(false);
    expect(d.key({ key: 'Enter', at: 14 })).toEqual({ type: 'none' });
  });

  it('options passed as undefined take their defaults', () => {
    const d = createWedgeDetector({ maxInterKeyMs: undefined, minLength: undefined, suffixKeys: undefined });
    expect(feed(d, [...typed('ABCD', 0, 30), { key: 'Enter', at: 120 }])).toEqual([scan('ABCD', 0, 120)]);
    expect(feed(d, [...typed('ABC', 200, 5), { key: 'Enter', at: 215 }])).toEqual([]);
  });

  it.each<[string, Partial<WedgeOptions>]>([
    ['minLength 1 (one key has no timing)', { minLength: 1 }],
    ['fractional minLength', { minLength: 2.5 }],
    ['negative maxInterKeyMs', { maxInterKeyMs: -1 }],
    ['infinite maxInterKeyMs', { maxInterKeyMs: Number.POSITIVE_INFINITY }],
    ['requireSuffix without suffix keys', { suffixKeys: [] }],
  ])('refuses %s', (_name, options) => {
    expect(() => createWedgeDetector(options)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const keyChar = fc.oneof(
    { weight: 9, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '€', 'Ω', '😀') },
  );
  const options = fc.record({
    maxInterKeyMs: fc.integer({ min: 0, max: 100 }),
    minLength: fc.integer({ min: 2, max: 12 }),
    requireSuffix: fc.boolean(),
  });
  const modifier = fc.constantFrom('Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'NumLock');
  const suffix = fc.constantFrom('Enter', 'Tab');

  it('never reports a person typing at normal speed as a scan', () => {
    fc.assert(
      fc.property(
        options,
        fc.array(fc.tuple(keyChar, fc.integer({ min: 1, max: 2000 }), fc.option(modifier)), { maxLength: 40 }),
        suffix,
        fc.integer({ min: 1, max: 2000 }),
        (opts, chars, suffixKey, suffixExtra) => {
          const d = createWedgeDetector(opts);
          const events: WedgeEvent[] = [];
          let at = 0;
          for (const [key, extra, mod] of chars) {
            const next = at + opts.maxInterKeyMs + extra; // every gap > maxInterKeyMs
            if (mod !== null) events.push(d.key({ key: mod, at: next - 1 })); // modifiers in between
            events.push(d.key({ key, at: next }), d.idle(next + 1));
            at = next;
          }
          at += opts.maxInterKeyMs + suffixExtra;
          events.push(d.key({ key: suffixKey, at }), d.idle(at + opts.maxInterKeyMs + 1));
          expect(events.filter((e) => e.type === 'scan')).toEqual([]);
        },
      ),
    );
  });

  it('always reports a scan at scanner speed, with exactly the characters sent', () => {
    fc.assert(
      fc.property(
        options,
        fc.array(keyChar, { minLength: 12, maxLength: 60 }),
        fc.nat({ max: 100 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.option(modifier)), { minLength: 61, maxLength: 61 }),
        suffix,
        fc.string({ maxLength: 5 }),
        (opts, chars, start, timing, suffixKey, typedBefore) => {
          const d = createWedgeDetector(opts);
          // someone may have typed before; the burst starts well after that
          const before = typed(typedBefore, 0, opts.maxInterKeyMs + 1);
          expect(feed(d, before)).toEqual([]);
          let at = before.length * (opts.maxInterKeyMs + 1) + opts.maxInterKeyMs + 1 + start;
          const startedAt = at;
          const events: WedgeEvent[] = [];
          chars.forEach((key, i) => {
            const [fraction, mod] = timing[i] ?? [0, null];
            const gap = i === 0 ? 0 : Math.floor(fraction * opts.maxInterKeyMs); // every gap in [0, maxInterKeyMs]
            if (mod !== null) events.push(d.key({ key: mod, at: at + gap / 2 }));
            at += gap;
            events.push(d.key({ key, at }));
          });
          at += Math.floor((timing[60]?.[0] ?? 0) * opts.maxInterKeyMs);
          events.push(d.key({ key: suffixKey, at }));
          const value = chars.join('');
          expect(events.filter((e) => e.type !== 'none')).toEqual([
            { type: 'scan', value, startedAt, endedAt: at, keys: chars.length + 1, typedChars: chars.length, endedBy: 'suffix' },
          ]);
        },
      ),
    );
  });
});

// The boundary rule for text (core/text.ts): no NUL, no unpaired surrogate, in every string and in
// free-form metadata; ASCII-only upper-casing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiUpperCase, isWellFormedText, jsonObjectIssues, METADATA_LIMITS, Text, TEXT_MESSAGE, toWellFormedText, truncateText } from '../../core/text';

// ES2024 string methods (Node 20 has them; the project's lib setting does not declare them).
const es2024 = (s: string) => s as unknown as { isWellFormed(): boolean; toWellFormed(): string };

// Strings rich in the characters that matter: NUL, both surrogate halves alone, pairs, ASCII.
const units = fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D\uDE00', 'a', 'Z', ' ', 'é', '\uFFFD');
const tricky = fc.array(units, { maxLength: 12 }).map((parts) => parts.join(''));
const anyText = fc.oneof(tricky, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

describe('well-formed text', () => {
  it.each([
    ['', true],
    ['plain ASCII', true],
    ['Grüße 😀 from 東京', true],
    ['a\u0000b', false],
    ['\u0000', false],
    ['lone high \uD800 then text', false],
    ['lone high at the end \uD800', false],
    ['lone low \uDC00 first', false],
    ['reversed pair \uDC00\uD800', false],
    ['pair \uD83D\uDE00 ok', true],
  ])('isWellFormedText(%j) = %s', (value, ok) => {
    expect(isWellFormedText(value)).toBe(ok);
  });

  it('property: agrees with String.prototype.isWellFormed, NUL apart', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(isWellFormedText(s)).toBe(es2024(s).isWellFormed() && !s.includes('\u0000'));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: toWellFormedText keeps the length, is well-formed, and changes only what was bad', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const t = toWellFormedText(s);
        expect(t).toHaveLength(s.length);
        expect(isWellFormedText(t)).toBe(true);
        expect(t).toBe(es2024(s).toWellFormed().replaceAll('\u0000', '\uFFFD'));
        if (isWellFormedText(s)) expect(t).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('truncateText never leaves half a pair', () => {
    expect(truncateText('ab\uD83D\uDE00', 3)).toBe('ab\uFFFD');
    expect(truncateText('ab\uD83D\uDE00', 4)).toBe('ab\uD83D\uDE00');
    fc.assert(
      fc.property(anyText, fc.nat(20), (s, n) => {
        const t = truncateText(s, n);
        expect(t.length).toBeLessThanOrEqual(n);
        expect(isWellFormedText(t)).toBe(true);
      }),
    );
  });

  it('the Text schema refuses NUL and lone surrogates with a clear message, and composes with max', () => {
    expect(Text.safeParse('fine').success).toBe(true);
    const nul = Text.safeParse('a\u0000b');
    expect(nul.success).toBe(false);
    expect(nul.error!.issues[0]!.message).toBe(TEXT_MESSAGE);
    expect(Text.safeParse('\uDC00').success).toBe(false);
    const both = Text.max(3).safeParse('ab\u0000cd');
    expect(both.error!.issues.map((i) => i.message)).toEqual([TEXT_MESSAGE, expect.stringMatching(/<=3/)]);
    expect(Text.max(3).safeParse('abcd').success).toBe(false);
  });

  it('asciiUpperCase upper-cases a-z only: look-alikes stay what they are', () => {
    expect(asciiUpperCase('gift-0050')).toBe('GIFT-0050');
    expect(asciiUpperCase('ſale')).toBe('ſALE');
    expect(asciiUpperCase('ﬀ')).toBe('ﬀ');
    expect(asciiUpperCase('gıft')).toBe('GıFT');
    expect(asciiUpperCase('straße')).toBe('STRAßE');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const up = asciiUpperCase(s);
        expect(up).toHaveLength(s.length);
        for (let i = 0; i < s.length; i++) {
          const c = s[i]!;
          expect(up[i]).toBe(c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
        }
      }),
    );
  });
});

/** An object nested `depth` levels (the outermost is level 1), built without recursion. */
function nested(depth: number, leaf: unknown = 'x'): Record<string, unknown> {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = { d: value };
  return value as Record<string, unknown>;
}

describe('free-form JSON (metadata) limits', () => {
  it('accepts ordinary metadata', () => {
    expect(jsonObjectIssues({})).toEqual([]);
    expect(jsonObjectIssues({ note: "'); DELETE FROM vouchers; --", nested: { $where: '1=1', list: [1, 2.5, true, null, 'x'] }, emoji: '😀' })).toEqual([]);
  });

  it(`nesting: ${METADATA_LIMITS.depth} levels are accepted, one more is refused at the level that is too deep`, () => {
    expect(jsonObjectIssues(nested(METADATA_LIMITS.depth))).toEqual([]);
    const issues = jsonObjectIssues(nested(METADATA_LIMITS.depth + 1));
    expect(issues).toEqual([{ path: Array(METADATA_LIMITS.depth).fill('d'), message: `nested deeper than ${METADATA_LIMITS.depth} levels` }]);
    // Arrays count as levels too.
    let arrays: unknown = 1;
    for (let i = 0; i < METADATA_LIMITS.depth; i++) arrays = [arrays];
    expect(jsonObjectIssues({ a: arrays })).toHaveLength(1);
  });

  it('a value nested 100,000 levels is refused without recursion (no stack overflow), at the level that is too deep', () => {
    const issues = jsonObjectIssues(nested(100_000));
    expect(issues).toEqual([{ path: Array(METADATA_LIMITS.depth).fill('d'), message: `nested deeper than ${METADATA_LIMITS.depth} levels` }]);
  });

  it('refuses NUL and lone surrogates in keys and string values at any depth, naming the path', () => {
    expect(jsonObjectIssues({ a: { b: ['ok', 'bad\u0000'] } })).toEqual([{ path: ['a', 'b', 1], message: TEXT_MESSAGE }]);
    expect(jsonObjectIssues({ a: { ['k\uD800']: 1 } })).toEqual([{ path: ['a', 'k\uD800'], message: `a key ${TEXT_MESSAGE}` }]);
    expect(jsonObjectIssues({ ['\u0000']: 1 })).toHaveLength(1);
  });

  it('refuses keys over 100 characters, non-finite numbers and anything that is not JSON', () => {
    expect(jsonObjectIssues({ ['k'.repeat(100)]: 1 })).toEqual([]);
    expect(jsonObjectIssues({ ['k'.repeat(101)]: 1 })[0]!.message).toMatch(/key longer than 100/);
    expect(jsonObjectIssues({ big: Infinity })).toEqual([{ path: ['big'], message: 'must be a finite number' }]);
    expect(jsonObjectIssues({ n: NaN })).toHaveLength(1);
    expect(jsonObjectIssues({ u: undefined })).toHaveLength(1);
  });

  it(`refuses more than ${METADATA_LIMITS.bytes} bytes of JSON, counted in UTF-8`, () => {
    // {"s":"…"} is 8 bytes around the string.
    expect(jsonObjectIssues({ s: 'x'.repeat(METADATA_LIMITS.bytes - 8) })).toEqual([]);
    expect(jsonObjectIssues({ s: 'x'.repeat(METADATA_LIMITS.bytes - 7) })[0]!.message).toMatch(/bytes as JSON, more than/);
    // 'é' is 2 bytes in UTF-8, '😀' 4: the limit is in bytes, not characters.
    expect(jsonObjectIssues({ s: 'é'.repeat(METADATA_LIMITS.bytes / 2) })).toHaveLength(1);
    expect(jsonObjectIssues({ s: '😀'.repeat((METADATA_LIMITS.bytes - 8) / 4) })).toEqual([]);
    expect(jsonObjectIssues({ s: '😀'.repeat((METADATA_LIMITS.bytes - 8) / 4 + 1) })).toHaveLength(1);
    // A huge flat array stops being walked once it cannot fit.
    expect(jsonObjectIssues({ a: Array(1_000_000).fill(0) })[0]!.message).toMatch(/more than/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateCode, isGeneratedCodeFormat, isValidCode, normaliseCode } from '../../core/code';

describe('codes', () => {
  it.each([
    ['  abcd-1234 \n', 'ABCD-1234'],
    [']C1xmas2026', 'XMAS2026'],
    [']Q3 gift-0001', 'GIFT-0001'],
    [']e0]C1abc1', 'ABC1'],
    ['AbC d', 'ABC D'],
  ])('normaliseCode(%j) = %j', (raw, expected) => {
    expect(normaliseCode(raw)).toBe(expected);
  });

  it.each([
    ['ABCD', true],
    ['ABC', false],
    ['A'.repeat(32), true],
    ['A'.repeat(33), false],
    ['AB-CD', true],
    ['AB CD', false],
    ["X'; DROP TABLE vouchers;--", false],
    ['abcd', false],
  ])('isValidCode(%j) = %s', (code, ok) => {
    expect(isValidCode(code)).toBe(ok);
  });

  it('refuses code lengths outside 4..8', () => {
    expect(() => generateCode(3)).toThrow(RangeError);
    expect(() => generateCode(9)).toThrow(RangeError);
  });

  it('uses the injected random source and skips biased bytes and all-digit codes', () => {
    // 252..255 are rejected (modulo bias); bytes 26..35 map to digits.
    const sequence = [252, 26, 27, 28, 29, 0, 1, 2, 3];
    let i = 0;
    const random = (buf: Uint8Array) => {
      for (let k = 0; k < buf.length; k++) buf[k] = sequence[i++ % sequence.length]!;
      return buf;
    };
    const code = generateCode(4, random);
    expect(code).toMatch(/^[A-Z0-9]{4}$/);
    expect(code).toMatch(/[A-Z]/);
  });

  it('property: normalisation is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => {
        expect(normaliseCode(normaliseCode(s))).toBe(normaliseCode(s));
      }));
  });

  it('property: every generated code matches the format and has a letter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 8 }), (length) => {
        const code = generateCode(length);
        expect(code).toHaveLength(length);
        expect(isGeneratedCodeFormat(code)).toBe(true);
        expect(isValidCode(code)).toBe(true);
        expect(code).toMatch(/[A-Z]/);
      }),
      { numRuns: 500 },
    );
  });

  it('spreads characters roughly uniformly (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const ch of generateCode(8)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(36);
    // 32,000 chars over 36 symbols ≈ 889 each; digits slightly rarer because all-digit codes are redrawn.
    for (const n of counts.values()) expect(n).toBeGreaterThan(700);
  });
});

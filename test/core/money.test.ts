import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, divideRoundHalfUp, isCurrency, MoneyError, mulDivRoundHalfUp, percentOf } from '../../core/money';

describe('money', () => {
  it('knows an ISO 4217 code by its shape', () => {
    expect(['EUR', 'USD', 'JPY'].every(isCurrency)).toBe(true);
    expect(['euro', 'EU', 'EURO', 'eur', ''].some(isCurrency)).toBe(false);
  });

  it('refuses fractions of a cent', () => {
    expect(() => percentOf(1.5, 10)).toThrow(/safe integer/);
    expect(() => allocate(0.5, [1])).toThrow(MoneyError);
  });

  it.each([
    [1000, 10, 100],
    [999, 10, 100], // 99.9 → 100
    [995, 10, 100], // 99.5 → 100 (half up)
    [994, 10, 99], // 99.4 → 99
    [1, 50, 1], // 0.5 → 1
    [333, 12.5, 42], // 41.625 → 42
    [0, 30, 0],
  ])('percentOf(%i, %d %%) = %i with round half up', (amount, percent, expected) => {
    expect(percentOf(amount, percent)).toBe(expected);
  });

  it('refuses percentages with more than two decimals', () => {
    expect(() => percentOf(100, 12.345)).toThrow(/two decimals/);
  });

  it('rounds half up for negative numerators too', () => {
    expect(divideRoundHalfUp(-5, 2)).toBe(-2);
    expect(divideRoundHalfUp(5, 2)).toBe(3);
    expect(() => divideRoundHalfUp(1, 0)).toThrow(MoneyError);
  });

  it('mulDivRoundHalfUp is exact where a × b passes 2^53 (a percentage or tax of a large amount)', () => {
    // 2^53 − 1 cents at 12.5 %: the product 9007199254740991 × 1250 is far beyond float precision.
    expect(percentOf(Number.MAX_SAFE_INTEGER, 12.5)).toBe(1125899906842624); // 1125899906842623.875 → up
    expect(percentOf(Number.MAX_SAFE_INTEGER, 100)).toBe(Number.MAX_SAFE_INTEGER);
    expect(mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 10_000, 11_900)).toBe(7569075003984026); // net of a 19 % band
    expect(mulDivRoundHalfUp(-5, 1, 2)).toBe(-2);
    expect(() => mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 3, 2)).toThrow(MoneyError); // the result itself is not safe
    expect(() => mulDivRoundHalfUp(1, 1, 0)).toThrow(MoneyError);
  });

  it('property: mulDivRoundHalfUp agrees with exact BigInt arithmetic', () => {
    const safe = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(safe, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 20_000 }), (a, b, d) => {
        const n = 2n * BigInt(a) * BigInt(b) + BigInt(d);
        const den = 2n * BigInt(d);
        let q = n / den;
        if (n % den !== 0n && n < 0n) q -= 1n;
        if (q > BigInt(Number.MAX_SAFE_INTEGER) || q < -BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(() => mulDivRoundHalfUp(a, b, d)).toThrow(MoneyError);
        } else {
          expect(mulDivRoundHalfUp(a, b, d)).toBe(Number(q));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [5, [300, 200, 100], [2, 2, 1]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [10, [0, 5, 0], [0, 10, 0]],
    [7, [0, 0], [4, 3]],
    [0, [], []],
  ])('allocate(%i, %j) = %j', (total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected);
  });

  it('property: allocation sums exactly and never exceeds a weight when the total fits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), fc.nat(), (weights, seed) => {
        const weightSum = weights.reduce((a, b) => a + b, 0);
        const total = weightSum === 0 ? 0 : seed % (weightSum + 1);
        const parts = allocate(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(weights[i]!);
        });
      }),
    );
  });

  it('property: allocation of any integer over any weights sums exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        expect(allocate(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
      }),
    );
  });
});

// Money as integers in minor units (cents), in the spirit of dinero.js: every amount is a safe integer,
// rounding happens once and explicitly (see percentOf), and allocation never loses or invents a cent.
// Amounts travel as plain numbers beside their voucher's or ticket's currency; no Money object, because
// nothing ever added two currencies (the helpers that did were used by their tests only).

export class MoneyError extends Error {
  constructor(
    readonly reason: 'not_integer' | 'bad_ratio',
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

const CURRENCY = /^[A-Z]{3}$/;

/** An ISO 4217 alphabetic code's shape (amounts of two currencies never meet: a voucher in another currency than the ticket is `currency_mismatch`). */
export function isCurrency(value: string): boolean {
  return CURRENCY.test(value);
}

function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount)) throw new MoneyError('not_integer', `amount must be a safe integer of minor units, got ${amount}`);
}

/**
 * Divide with the project's one rounding rule: round half up (towards +∞). Integers only, so no
 * floating-point error creeps in. Works for negative numerators too (−2.5 → −2).
 */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new MoneyError('bad_ratio', `divideRoundHalfUp needs integers and a positive denominator, got ${numerator}/${denominator}`);
  }
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** Percentages carry at most two decimals (12.5 % → 1250 basis points) so the maths stays integer. */
export function percentToBasisPoints(percent: number): number {
  const bp = Math.round(percent * 100);
  if (Math.abs(bp - percent * 100) > 1e-6) throw new MoneyError('bad_ratio', `percent may have at most two decimals, got ${percent}`);
  return bp;
}

/**
 * a × b / d, rounded half up, exactly: a product of two safe integers may pass 2^53 (an amount of
 * 10^12 cents times 10,000 basis points), where float arithmetic would round before dividing. BigInt
 * only when the float path cannot be exact. The result must itself be a safe integer.
 */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(d) || d <= 0) {
    throw new MoneyError('bad_ratio', `mulDivRoundHalfUp needs integers and a positive denominator, got ${a}×${b}/${d}`);
  }
  const product = a * b;
  if (Number.isSafeInteger(2 * product + d)) return divideRoundHalfUp(product, d);
  const n = BigInt(a) * BigInt(b);
  const big = BigInt(d);
  // floor((2n + d) / 2d), with BigInt division truncating towards zero: correct it for negatives.
  const num = 2n * n + big;
  const den = 2n * big;
  let q = num / den;
  if (num % den !== 0n && num < 0n) q -= 1n;
  const result = Number(q);
  if (!Number.isSafeInteger(result)) throw new MoneyError('not_integer', `${a}×${b}/${d} is not a safe integer of minor units`);
  return result;
}

/** `percent` of an amount in minor units, rounded once, half up. */
export function percentOf(amount: number, percent: number): number {
  assertMinorUnits(amount);
  return mulDivRoundHalfUp(amount, percentToBasisPoints(percent), 10_000);
}

/**
 * Split `total` over `weights` in proportion, largest-remainder method: the parts always sum to
 * exactly `total`; no part gets more than its weight when total ≤ sum(weights) (used for discounts,
 * where a line must never be discounted below zero). Ties go to the earlier weight, so the result is
 * deterministic — the till and HQ allocate identically.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new MoneyError('bad_ratio', 'weights must be non-negative integers');
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) {
    if (total !== 0) throw new MoneyError('bad_ratio', 'cannot allocate a non-zero amount over no weights');
    return [];
  }
  if (weightSum === 0) {
    // Nothing to weigh by: spread evenly, remainder to the first parts.
    return allocate(total, weights.map(() => 1));
  }
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  // BigInt keeps abs × weight exact even for large tickets.
  const parts = weights.map((w) => {
    const exact = BigInt(abs) * BigInt(w);
    return { floor: Number(exact / BigInt(weightSum)), remainder: Number(exact % BigInt(weightSum)) };
  });
  let left = abs - parts.reduce((a, p) => a + p.floor, 0);
  const order = parts.map((_, i) => i).sort((a, b) => parts[b]!.remainder - parts[a]!.remainder || a - b);
  const result = parts.map((p) => p.floor);
  for (const i of order) {
    if (left === 0) break;
    result[i]! += 1;
    left -= 1;
  }
  return result.map((v) => v * sign);
}

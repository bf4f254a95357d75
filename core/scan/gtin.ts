// GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) recognition with the GS1 mod-10 check digit.
//
// Why the check digit matters here: a scanner that misreads one bar still produces a string of the
// right length. The mod-10 check catches every single-digit error (weights 1 and 3 are both coprime
// with 10), so a string of GTIN length with a wrong check digit is a misread, never something else.

export type GtinFormat = 'EAN_8' | 'UPC_A' | 'EAN_13' | 'GTIN_14';

export type GtinResult =
  | {
      ok: true;
      format: GtinFormat;
      /** The GTIN left-padded with zeros to 14 digits: the one key to look products up by. */
      gtin14: string;
      /** The digits as scanned. */
      digits: string;
    }
  | { ok: false; reason: 'not_digits' | 'bad_length' | 'bad_check_digit' };

const FORMAT_BY_LENGTH: Readonly<Record<number, GtinFormat>> = {
  8: 'EAN_8',
  12: 'UPC_A',
  13: 'EAN_13',
  14: 'GTIN_14',
};

const DIGITS = /^[0-9]+$/;

export function isDigits(text: string): boolean {
  return DIGITS.test(text);
}

/**
 * The GS1 mod-10 check digit for `body` (all the digits except the check digit).
 * Weights alternate 3, 1, 3, … starting from the rightmost body digit, which is why the same rule
 * serves every GS1 key length (GTIN-8…14, GLN, SSCC) and why leading zeros do not change it.
 * Throws RangeError unless `body` is a non-empty string of ASCII digits (a programming error).
 */
export function gs1CheckDigit(body: string): number {
  if (!isDigits(body)) throw new RangeError(`gs1CheckDigit needs ASCII digits, got ${JSON.stringify(body)}`);
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i -= 1, weight = 4 - weight) {
    sum += (body.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `digits` (at least two ASCII digits) ends with the right GS1 mod-10 check digit. */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2 || !isDigits(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** Recognise an EAN-8 / UPC-A / EAN-13 / GTIN-14 by its length and verify its check digit. */
export function classifyGtin(digits: string): GtinResult {
  if (!isDigits(digits)) return { ok: false, reason: 'not_digits' };
  const format = FORMAT_BY_LENGTH[digits.length];
  if (format === undefined) return { ok: false, reason: 'bad_length' };
  if (!hasValidCheckDigit(digits)) return { ok: false, reason: 'bad_check_digit' };
  return { ok: true, format, gtin14: digits.padStart(14, '0'), digits };
}

/**
 * The 14-digit key of a valid GTIN, or null. The same product scanned as UPC-A (036000291452), as
 * EAN-13 with a leading zero (0036000291452) or as GTIN-14 from an AI (01) gives the same key.
 */
export function toGtin14(digits: string): string | null {
  const result = classifyGtin(digits);
  return result.ok ? result.gtin14 : null;
}

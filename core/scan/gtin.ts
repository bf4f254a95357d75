// GTIN (EAN-8, UPC-E, UPC-A, EAN-13, GTIN-14) recognition with the GS1 mod-10 check digit.
//
// Why the check digit matters here: a scanner that misreads one bar still produces a string of the
// right length. The mod-10 check catches every single-digit error (weights 1 and 3 are both coprime
// with 10), so a string of GTIN length with a wrong check digit is a misread, never something else.

export type GtinFormat = 'EAN_8' | 'UPC_E' | 'UPC_A' | 'EAN_13' | 'GTIN_14';

export type GtinResult =
  | {
      ok: true;
      format: GtinFormat;
      /** The GTIN left-padded with zeros to 14 digits: the one key to look products up by. */
      gtin14: string;
      /** The digits as scanned. */
      digits: string;
      /**
       * Eight digits valid both as EAN-8 and as UPC-E stand for two different products; this is the
       * second reading's key (format and gtin14 are the first's). A lookup tries both.
       */
      alternativeGtin14?: string;
    }
  | { ok: false; reason: 'not_digits' | 'bad_length' | 'bad_check_digit' };

// Eight digits can be EAN-8 or UPC-E: see classifyGtin.
const FORMAT_BY_LENGTH: Readonly<Record<number, GtinFormat>> = {
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

/**
 * The UPC-A a UPC-E (zero-suppressed, 8 digits: number system 0 or 1, six digits, check digit) stands
 * for, or null when the digits are not a valid UPC-E. The sixth digit says where the zeros went; the
 * check digit is the UPC-A's. 04252614 → 042100005264.
 */
export function expandUpcE(digits: string): string | null {
  if (digits.length !== 8 || !isDigits(digits) || (digits[0] !== '0' && digits[0] !== '1')) return null;
  const ns = digits[0]!;
  const [d1, d2, d3, d4, d5, d6] = digits.slice(1, 7);
  let body: string;
  if (d6 === '0' || d6 === '1' || d6 === '2') body = `${ns}${d1}${d2}${d6}0000${d3}${d4}${d5}`;
  else if (d6 === '3') body = `${ns}${d1}${d2}${d3}00000${d4}${d5}`;
  else if (d6 === '4') body = `${ns}${d1}${d2}${d3}${d4}00000${d5}`;
  else body = `${ns}${d1}${d2}${d3}${d4}${d5}0000${d6}`;
  const upcA = body + digits[7];
  return hasValidCheckDigit(upcA) ? upcA : null;
}

/**
 * Recognise an EAN-8 / UPC-E / UPC-A / EAN-13 / GTIN-14 by its length and verify its check digit.
 * Eight digits are whichever of EAN-8 and UPC-E verifies; when both do, `eightDigits` says which
 * reading comes first (the scanner's AIM identifier says which it read: ]E4 EAN-8, ]E0 UPC-E) and the
 * other is kept as `alternativeGtin14`.
 */
export function classifyGtin(digits: string, eightDigits: 'EAN_8' | 'UPC_E' = 'EAN_8'): GtinResult {
  if (!isDigits(digits)) return { ok: false, reason: 'not_digits' };
  if (digits.length === 8) {
    const ean8 = hasValidCheckDigit(digits) ? digits.padStart(14, '0') : null;
    const upcE = expandUpcE(digits)?.padStart(14, '0') ?? null;
    const readings = (
      [
        ['EAN_8', ean8],
        ['UPC_E', upcE],
      ] as const
    ).filter((r): r is readonly ['EAN_8' | 'UPC_E', string] => r[1] !== null);
    if (eightDigits === 'UPC_E') readings.reverse();
    const [first, second] = readings;
    if (!first) return { ok: false, reason: 'bad_check_digit' };
    return { ok: true, format: first[0], gtin14: first[1], digits, ...(second ? { alternativeGtin14: second[1] } : {}) };
  }
  const format = FORMAT_BY_LENGTH[digits.length];
  if (format === undefined) return { ok: false, reason: 'bad_length' };
  if (!hasValidCheckDigit(digits)) return { ok: false, reason: 'bad_check_digit' };
  return { ok: true, format, gtin14: digits.padStart(14, '0'), digits };
}

/**
 * A UPC-A or EAN-13 followed by a 2- or 5-digit add-on (a periodical's issue, a book's price), as a
 * scanner set up to read add-ons sends it: the GTIN and the add-on, or null. The add-on is not part
 * of the product key. Twelve plus two digits is also a GTIN-14's length: scan classification
 * (classify.ts) only takes it for an add-on when the scanner says it read one.
 */
export function splitAddOn(digits: string): { gtin: string; addOn: string } | null {
  if (!isDigits(digits)) return null;
  for (const [gtinLength, addOnLength] of [[13, 2], [13, 5], [12, 2], [12, 5]] as const) {
    if (digits.length === gtinLength + addOnLength && hasValidCheckDigit(digits.slice(0, gtinLength))) {
      return { gtin: digits.slice(0, gtinLength), addOn: digits.slice(gtinLength) };
    }
  }
  return null;
}

/**
 * The 14-digit key of a valid GTIN, or null. The same product scanned as UPC-A (036000291452), as
 * EAN-13 with a leading zero (0036000291452) or as GTIN-14 from an AI (01) gives the same key.
 */
export function toGtin14(digits: string): string | null {
  const result = classifyGtin(digits);
  return result.ok ? result.gtin14 : null;
}

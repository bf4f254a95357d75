// Voucher codes: how a scanned or typed code is normalised, which codes are well-formed, and how
// new codes are generated. The same functions run at the till and at HQ.
import { asciiUpperCase } from './text';

export const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const GENERATED_LENGTH = { min: 4, max: 8, default: 8 } as const;

/** Custom or imported codes: 4..32 of [A-Z0-9-] (contract). */
export const CODE_PATTERN = /^[A-Z0-9-]{4,32}$/;
/**
 * What a code may look like before normaliseCode: any case, surrounding blanks and AIM prefixes. It
 * accepts exactly the strings that normalise to a valid code (a property test holds the two together);
 * it exists so that code inputs carry their rule as a pattern in HQ's OpenAPI document.
 */
export const CODE_INPUT_PATTERN = /^\s*(?:\][A-Za-z][0-9A-Za-z]\s*)*[A-Za-z0-9-]{4,32}\s*$/;
const GENERATED_PATTERN = /^[A-Z0-9]{4,8}$/;

// AIM symbology identifiers a scanner may put in front of the data: "]" + code letter + modifier
// digit, e.g. "]C1" (GS1-128), "]Q3" (QR), "]E0" (EAN-13), "]d2" (DataMatrix).
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/**
 * Trim, strip an AIM symbology prefix and upper-case. Idempotent: normalising twice changes nothing.
 * Internal whitespace is kept (and then fails the format check) rather than silently glued together,
 * so "ABCD 1234" is not mistaken for a different code "ABCD1234". Only a-z are upper-cased: a
 * non-ASCII letter stays as it is and fails the format check, where Unicode case mapping would fold
 * look-alikes into a real code ("ſale" → "SALE", "gıft" → "GIFT").
 */
export function normaliseCode(raw: string): string {
  let s = raw.trim();
  while (AIM_PREFIX.test(s)) s = s.slice(3).trim();
  return asciiUpperCase(s);
}

export function isValidCode(normalised: string): boolean {
  return CODE_PATTERN.test(normalised);
}

export function isGeneratedCodeFormat(code: string): boolean {
  return GENERATED_PATTERN.test(code);
}

export type RandomBytes = (buffer: Uint8Array) => Uint8Array;

const cryptoRandom: RandomBytes = (buffer) => globalThis.crypto.getRandomValues(buffer);

/**
 * `length` characters drawn uniformly from `alphabet` with a CSPRNG. Rejection sampling (bytes at or
 * above the largest multiple of the alphabet's size are discarded) avoids the modulo bias of byte % n.
 */
export function randomFromAlphabet(alphabet: string, length: number, random: RandomBytes = cryptoRandom): string {
  const limit = 256 - (256 % alphabet.length);
  const buffer = new Uint8Array(length * 2);
  let out = '';
  while (out.length < length) {
    random(buffer);
    for (const byte of buffer) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A new code of `length` (4..8) characters from [A-Z0-9], uniformly at random from a CSPRNG.
 * All-digit codes are rejected: an 8-digit code with a valid check digit would scan as an EAN-8
 * product, and a code with at least one letter can never be confused with a barcode.
 */
export function generateCode(length: number = GENERATED_LENGTH.default, random: RandomBytes = cryptoRandom): string {
  if (!Number.isInteger(length) || length < GENERATED_LENGTH.min || length > GENERATED_LENGTH.max) {
    throw new RangeError(`code length must be ${GENERATED_LENGTH.min}..${GENERATED_LENGTH.max}, got ${length}`);
  }
  for (;;) {
    const code = randomFromAlphabet(CODE_ALPHABET, length, random);
    if (/[A-Z]/.test(code)) return code;
  }
}

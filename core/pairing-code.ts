// Pairing codes: what a back-office manager reads out or sends to whoever sets up a till, instead of
// its 48-character token. Eight characters without look-alikes (no 0/O, no 1/I/L), shown as two groups
// of four ("K7QM-3XHD"), accepted in any case, with or without the dash or spaces. HQ keeps only a
// hash, for a short time, for one use: redeeming it hands the till its token (hq/routes/pairing.ts).
import { randomFromAlphabet, type RandomBytes } from './code';
import { asciiUpperCase } from './text';

export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;

/** A new pairing code in its stored form (no dash): 31^8 ≈ 8.5 × 10^11 possibilities. */
export function generatePairingCode(random?: RandomBytes): string {
  return randomFromAlphabet(PAIRING_ALPHABET, PAIRING_CODE_LENGTH, random);
}

/**
 * What a typed pairing code may look like (any case, dashes and blanks anywhere): the OpenAPI pattern
 * of POST /v1/pairings. normalisePairingCode is the rule; this says the same for documents.
 */
export const PAIRING_CODE_INPUT_PATTERN = /^[\s-]*(?:[A-HJKMNP-Za-hjkmnp-z2-9][\s-]*){8}$/;

/** The stored form of what someone typed, or null when it cannot be a pairing code. */
export function normalisePairingCode(raw: string): string | null {
  // ASCII upper-casing only: "ſ" must not become the alphabet's "S".
  const code = asciiUpperCase(raw.replace(/[\s-]/g, ''));
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  for (const ch of code) if (!PAIRING_ALPHABET.includes(ch)) return null;
  return code;
}

/** How a pairing code is shown: two groups of four. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

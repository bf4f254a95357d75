import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PAIRING_ALPHABET, PAIRING_CODE_INPUT_PATTERN, formatPairingCode, generatePairingCode, normalisePairingCode } from '../../core/pairing-code';

describe('pairing codes', () => {
  it('are 8 characters without look-alikes, and survive formatting and re-typing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
        let i = 0;
        const code = generatePairingCode((buf) => {
          for (let k = 0; k < buf.length; k++) buf[k] = bytes[i++ % bytes.length]! % 248; // 248 = 8 × 31: no rejected byte, always terminates
          return buf;
        });
        expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
        expect(normalisePairingCode(formatPairingCode(code))).toBe(code);
        expect(normalisePairingCode(` ${formatPairingCode(code).toLowerCase()} `)).toBe(code);
      }),
    );
    expect(PAIRING_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it.each([
    ['k7qm-3xhd', 'K7QM3XHD'],
    ['K7QM 3XHD', 'K7QM3XHD'],
    ['K7QM3XHD', 'K7QM3XHD'],
    ['K7QM-3XH', null],
    ['K7QM-3XHDA', null],
    ['K0QM-3XHD', null], // a zero is never in a pairing code
    ['till_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', null], // a till token is not a pairing code
    ['', null],
    // "ſ" upper-cases to the alphabet's "S", fullwidth letters are not ASCII: never folded into a code.
    ['K7QM-3XHſ', null],
    ['ſ7QM-3XHD', null],
    ['Ｋ7QM-3XHD', null],
    ['K7QM-3XH\u0000', null],
  ])('normalisePairingCode(%j) = %j', (raw, expected) => {
    expect(normalisePairingCode(raw)).toBe(expected);
  });

  it('property: the input pattern (the OpenAPI document\'s) accepts exactly what normalises to a code', () => {
    const piece = fc.constantFrom('K', 'k', '7', '3', 'x', 'H', '-', ' ', '\t', '0', 'O', 'I', 'l', 'ſ', 's', 'S', '\u00A0', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const raw = pieces.join('');
        expect(PAIRING_CODE_INPUT_PATTERN.test(raw)).toBe(normalisePairingCode(raw) !== null);
      }),
      { numRuns: 5000 },
    );
  });

  it('is shown as two groups of four', () => {
    expect(formatPairingCode('K7QM3XHD')).toBe('K7QM-3XHD');
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyGtin, expandUpcE, gs1CheckDigit, hasValidCheckDigit, splitAddOn, toGtin14 } from '../../../core/scan/gtin';
import type { GtinFormat } from '../../../core/scan/gtin';

// An independent oracle: a GS1 number including its check digit has a weighted sum ≡ 0 (mod 10)
// with weights 1, 3, 1, 3, … from the right (the check digit has weight 1).
function weightedSumOk(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    sum += Number(d) * (i % 2 === 0 ? 1 : 3);
  });
  return sum % 10 === 0;
}

const digitString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

describe('real barcodes', () => {
  const table: [string, GtinFormat][] = [
    ['4006381333931', 'EAN_13'],
    ['5901234123457', 'EAN_13'],
    ['036000291452', 'UPC_A'],
    ['96385074', 'EAN_8'],
    ['73513537', 'EAN_8'],
    ['10012345678902', 'GTIN_14'],
  ];

  it.each(table)('%s is a valid %s', (digits, format) => {
    expect(weightedSumOk(digits)).toBe(true); // the table itself is right
    expect(gs1CheckDigit(digits.slice(0, -1))).toBe(Number(digits.slice(-1)));
    expect(hasValidCheckDigit(digits)).toBe(true);
    expect(classifyGtin(digits)).toEqual({ ok: true, format, gtin14: digits.padStart(14, '0'), digits });
  });

  it.each(table)('%s with any other last digit is a bad check digit', (digits) => {
    for (let d = 0; d <= 9; d += 1) {
      const changed = digits.slice(0, -1) + String(d);
      if (changed === digits) continue;
      expect(classifyGtin(changed)).toEqual({ ok: false, reason: 'bad_check_digit' });
    }
  });
});

describe('classifyGtin', () => {
  it.each([
    ['', 'not_digits'],
    ['40063813339 1', 'not_digits'],
    ['400638133393a', 'not_digits'],
    ['４００６３８１３３３９３１', 'not_digits'], // full-width digits are not ASCII digits
    ['1234567', 'bad_length'],
    ['40063813339310', 'bad_check_digit'],
    ['4006381333931000', 'bad_length'],
    ['00000000000', 'bad_length'],
  ])('%j → %s', (input, reason) => {
    expect(classifyGtin(input)).toEqual({ ok: false, reason });
  });

  it('keys UPC-A, the same UPC-A as EAN-13 and as GTIN-14 to one gtin14', () => {
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('0036000291452')).toBe('00036000291452');
    expect(toGtin14('00036000291452')).toBe('00036000291452');
    expect(classifyGtin('0036000291452')).toMatchObject({ ok: true, format: 'EAN_13' });
    expect(toGtin14('036000291453')).toBeNull();
  });

  it('pads EAN-8 with six zeros', () => {
    expect(toGtin14('96385074')).toBe('00000096385074');
  });

  it('gs1CheckDigit refuses non-digits', () => {
    expect(() => gs1CheckDigit('12a')).toThrow(RangeError);
    expect(() => gs1CheckDigit('')).toThrow(RangeError);
  });

  it('hasValidCheckDigit needs at least two digits', () => {
    expect(hasValidCheckDigit('0')).toBe(false);
    expect(hasValidCheckDigit('00')).toBe(true);
  });
});

describe('properties', () => {
  const bodies = fc.constantFrom(7, 11, 12, 13).chain((length) => digitString(length));
  const formats: Record<number, GtinFormat> = { 8: 'EAN_8', 12: 'UPC_A', 13: 'EAN_13', 14: 'GTIN_14' };

  it('any 7/11/12/13-digit body plus its computed check digit is a GTIN of the right format', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const digits = body + String(gs1CheckDigit(body));
        expect(weightedSumOk(digits)).toBe(true);
        expect(classifyGtin(digits)).toMatchObject({ ok: true, format: formats[digits.length], gtin14: digits.padStart(14, '0'), digits });
      }),
    );
  });

  it('changing any one digit of a valid GTIN always fails the check (single-digit error detection)', () => {
    const cases = bodies.chain((body) => {
      const digits = body + String(gs1CheckDigit(body));
      return fc.tuple(fc.constant(digits), fc.nat({ max: digits.length - 1 }), fc.integer({ min: 1, max: 9 }));
    });
    fc.assert(
      fc.property(cases, ([digits, position, delta]) => {
        const wrong = (Number(digits[position]) + delta) % 10;
        const changed = digits.slice(0, position) + String(wrong) + digits.slice(position + 1);
        expect(changed).not.toBe(digits);
        expect(hasValidCheckDigit(changed)).toBe(false);
        const result = classifyGtin(changed);
        // Eight digits have a second reading, UPC-E, with its own check (over the expanded UPC-A).
        if (changed.length === 8 && result.ok) expect(result).toMatchObject({ format: 'UPC_E', gtin14: expandUpcE(changed)!.padStart(14, '0') });
        else expect(result).toEqual({ ok: false, reason: 'bad_check_digit' });
      }),
    );
  });

  it('the check digit agrees with the weighted-sum oracle and ignores leading zeros', () => {
    fc.assert(
      fc.property(digitString(13), fc.nat({ max: 5 }), (body, zeros) => {
        const check = gs1CheckDigit(body);
        expect(weightedSumOk(body + String(check))).toBe(true);
        expect(gs1CheckDigit('0'.repeat(zeros) + body)).toBe(check);
      }),
    );
  });
});

describe('UPC-E', () => {
  it.each([
    ['04252614', '042100005264'], // sixth digit 0–2: manufacturer digits, then the item's
    ['01234531', '012300000451'], // 3
    ['01234565', '012345000065'], // 5–9
    ['12345670', '123456000070'], // number system 1
  ])('%s expands to the UPC-A %s', (upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
    expect(hasValidCheckDigit(upcA)).toBe(true);
  });

  it('is refused with a wrong check digit, another number system or another length', () => {
    expect(expandUpcE('04252615')).toBeNull();
    expect(expandUpcE('24252614')).toBeNull();
    expect(expandUpcE('0425261')).toBeNull();
  });

  it('eight digits are EAN-8 or UPC-E by whichever check verifies; both readings when both do', () => {
    expect(classifyGtin('04252614')).toEqual({ ok: true, format: 'UPC_E', gtin14: '00042100005264', digits: '04252614' });
    expect(classifyGtin('96385074')).toEqual({ ok: true, format: 'EAN_8', gtin14: '00000096385074', digits: '96385074' });
    expect(classifyGtin('01234565')).toEqual({ ok: true, format: 'EAN_8', gtin14: '00000001234565', digits: '01234565', alternativeGtin14: '00012345000065' });
    expect(classifyGtin('01234565', 'UPC_E')).toEqual({ ok: true, format: 'UPC_E', gtin14: '00012345000065', digits: '01234565', alternativeGtin14: '00000001234565' });
    expect(classifyGtin('01234542')).toEqual({ ok: false, reason: 'bad_check_digit' });
  });
});

describe('add-ons', () => {
  it('splits a UPC-A or EAN-13 from its 2- or 5-digit add-on', () => {
    expect(splitAddOn('400638133393112')).toEqual({ gtin: '4006381333931', addOn: '12' });
    expect(splitAddOn('400638133393154321')).toEqual({ gtin: '4006381333931', addOn: '54321' });
    expect(splitAddOn('03600029145205')).toEqual({ gtin: '036000291452', addOn: '05' });
    expect(splitAddOn('03600029145212345')).toEqual({ gtin: '036000291452', addOn: '12345' });
    expect(splitAddOn('400638133393212')).toBeNull(); // the EAN-13 part's check digit is wrong
    expect(splitAddOn('4006381333931')).toBeNull();
  });
});


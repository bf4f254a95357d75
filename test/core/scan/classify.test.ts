import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyScan } from '../../../core/scan/classify';
import type { ScanResult } from '../../../core/scan/classify';
import { GS } from '../../../core/scan/gs1';
import { gs1CheckDigit } from '../../../core/scan/gtin';
import { codeRules, lettersRequiredRules } from './code-rules';

const classify = (raw: string) => classifyScan(raw, codeRules);
const digitString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

describe('products', () => {
  it.each<[string, string, string]>([
    ['4006381333931', 'EAN_13', '04006381333931'],
    ['5901234123457', 'EAN_13', '05901234123457'],
    ['036000291452', 'UPC_A', '00036000291452'],
    ['0036000291452', 'EAN_13', '00036000291452'],
    ['96385074', 'EAN_8', '00000096385074'],
    ['73513537', 'EAN_8', '00000073513537'],
    ['10012345678902', 'GTIN_14', '10012345678902'],
    ['4006381333931\r\n', 'EAN_13', '04006381333931'],
    ['  4006381333931\t', 'EAN_13', '04006381333931'],
    [']E04006381333931', 'EAN_13', '04006381333931'],
    [']E496385074', 'EAN_8', '00000096385074'],
    [']C010012345678902', 'GTIN_14', '10012345678902'],
  ])('%j is %s %s', (raw, format, gtin14) => {
    expect(classifyScan(raw, lettersRequiredRules)).toEqual({ kind: 'product', format, gtin14, raw });
  });

  it('offers the digits as a voucher candidate when they also fit the code format', () => {
    expect(classify('4006381333931')).toEqual({
      kind: 'product',
      format: 'EAN_13',
      gtin14: '04006381333931',
      raw: '4006381333931',
      voucherCandidate: '4006381333931',
    });
    expect(classifyScan('4006381333931', lettersRequiredRules)).not.toHaveProperty('voucherCandidate');
  });
});

describe('UPC-E and add-ons', () => {
  it('reads eight digits as UPC-E when only that check verifies, and keeps both readings when both do', () => {
    expect(classifyScan('04252614', lettersRequiredRules)).toEqual({ kind: 'product', format: 'UPC_E', gtin14: '00042100005264', raw: '04252614' });
    expect(classifyScan('01234565', lettersRequiredRules)).toEqual({ kind: 'product', format: 'EAN_8', gtin14: '00000001234565', alternativeGtin14: '00012345000065', raw: '01234565' });
    // The scanner's AIM identifier says which symbology it read: ]E0 is the UPC/EAN-13 family.
    expect(classifyScan(']E001234565', lettersRequiredRules)).toMatchObject({ format: 'UPC_E', gtin14: '00012345000065', alternativeGtin14: '00000001234565' });
  });

  it.each<[string, string, string, string]>([
    ['400638133393112', 'EAN_13', '04006381333931', '12'],
    ['400638133393154321', 'EAN_13', '04006381333931', '54321'],
    [']E303600029145205', 'UPC_A', '00036000291452', '05'], // 14 digits: an add-on only when the scanner says so
    ['03600029145212345', 'UPC_A', '00036000291452', '12345'],
  ])('%j is a %s %s with add-on %s', (raw, format, gtin14, addOn) => {
    expect(classifyScan(raw, lettersRequiredRules)).toEqual({ kind: 'product', format, gtin14, addOn, raw });
  });

  it('a valid GTIN-14 is not split, and other long digit strings are what they were before', () => {
    expect(classifyScan('10012345678902', lettersRequiredRules)).toEqual({ kind: 'product', format: 'GTIN_14', gtin14: '10012345678902', raw: '10012345678902' });
    expect(classify('123456789012345')).toEqual({ kind: 'voucher', code: '123456789012345', source: 'plain', raw: '123456789012345' });
    // A UPC-A plus two digits without the scanner's word for it is a misread GTIN-14.
    expect(classify('03600029145205')).toMatchObject({ kind: 'unknown', reason: 'bad_check_digit' });
  });
});

describe('misreads are never vouchers', () => {
  it.each(['4006381333932', '5901234123450', '036000291453', '96385075', '10012345678903', ']E04006381333932'])('%s', (raw) => {
    // all of these fit the voucher format (digits, 8–14 long)
    expect(codeRules.isVoucherCode(codeRules.normaliseCode(raw))).toBe(true);
    expect(classify(raw)).toMatchObject({ kind: 'unknown', reason: 'bad_check_digit', raw });
  });

  it("unless the caller opts in with badCheckDigit: 'try-voucher'", () => {
    expect(classifyScan('4006381333932', { ...codeRules, badCheckDigit: 'try-voucher' })).toEqual({
      kind: 'voucher',
      code: '4006381333932',
      source: 'plain',
      raw: '4006381333932',
    });
    // …and even then only when the rules accept it
    expect(classifyScan('4006381333932', { ...lettersRequiredRules, badCheckDigit: 'try-voucher' })).toMatchObject({
      kind: 'unknown',
      reason: 'bad_check_digit',
    });
  });

  it('a broken GS1 string is not a voucher either', () => {
    expect(classify(`]C1${'01'}09501101530004`)).toMatchObject({ kind: 'unknown', reason: 'bad_check_digit' });
    expect(classify(`]C1${'01'}0950110153`)).toMatchObject({ kind: 'unknown', reason: 'gs1_invalid' });
    expect(classify('ABCD<GS>1234')).toMatchObject({ kind: 'unknown', reason: 'gs1_invalid' });
  });
});

describe('GS1', () => {
  const elements = [
    { ai: '01', value: '09501101530003' },
    { ai: '17', value: '250101' },
    { ai: '10', value: 'ABC' },
  ];
  it.each([
    `]C1010950110153000317250101${'10'}ABC`,
    `]e0010950110153000317250101${'10'}ABC${GS}`,
    `]d2010950110153000317250101${'10'}ABC`,
    `]Q3010950110153000317250101${'10'}ABC`,
    `0109501101530003${GS}17250101${GS}10ABC`,
    '0109501101530003<GS>17250101{GS}10ABC^]',
    '(01)09501101530003(17)250101(10)ABC',
    '(01)09501101530003(17)250101(10)ABC\r\n',
  ])('%j', (raw) => {
    expect(classifyScan(raw, lettersRequiredRules)).toEqual({ kind: 'gs1', elements, gtin14: '09501101530003', raw });
  });

  it('recognises the undecorated example from the issue', () => {
    expect(classify('0109501101530003172501011012345')).toMatchObject({
      kind: 'gs1',
      gtin14: '09501101530003',
      elements: [
        { ai: '01', value: '09501101530003' },
        { ai: '17', value: '250101' },
        { ai: '10', value: '12345' },
      ],
    });
  });

  it('by default guesses undecorated GS1 only when it starts with an identification key', () => {
    // "10AB-CD12" would parse as AI (10) batch "AB-CD12": it is a voucher code
    expect(classify('10AB-CD12')).toEqual({ kind: 'voucher', code: '10AB-CD12', source: 'plain', raw: '10AB-CD12' });
    expect(classifyScan('10AB-CD12', { ...codeRules, unmarkedGs1: 'any-ai' })).toMatchObject({
      kind: 'gs1',
      elements: [{ ai: '10', value: 'AB-CD12' }],
      voucherCandidate: '10AB-CD12',
    });
    expect(classifyScan('0109501101530003', { ...codeRules, unmarkedGs1: 'never' })).toMatchObject({ kind: 'voucher' });
    expect(classify('00106141411234567897')).toMatchObject({ kind: 'gs1', elements: [{ ai: '00', value: '106141411234567897' }] });
  });

  it('an undecorated GS1 guess keeps the voucher reading available', () => {
    expect(classify('0109501101530003')).toEqual({
      kind: 'gs1',
      elements: [{ ai: '01', value: '09501101530003' }],
      gtin14: '09501101530003',
      raw: '0109501101530003',
      voucherCandidate: '0109501101530003',
    });
  });

  it('honours configured GS substitutes', () => {
    expect(classifyScan('0109501101530003~10ABC', { ...lettersRequiredRules, gsSubstitutes: ['~'] })).toMatchObject({
      kind: 'gs1',
      elements: [
        { ai: '01', value: '09501101530003' },
        { ai: '10', value: 'ABC' },
      ],
    });
  });
});

describe('vouchers', () => {
  it.each<[string, string, 'plain' | 'qr-url']>([
    ['abcd-1234', 'ABCD-1234', 'plain'],
    ['  ABCD-1234\r\n', 'ABCD-1234', 'plain'],
    [']Q1ABCD-1234', 'ABCD-1234', 'plain'],
    ['12345', '12345', 'plain'], // digits, but not of GTIN length
    ['https://shop.example/v/ABCD1234', 'ABCD1234', 'qr-url'],
    ['https://x.example/redeem?Code=abcd-1234#frag', 'ABCD-1234', 'qr-url'],
    ['https://shop.example/v/ab%2Dcd%2D12', 'AB-CD-12', 'qr-url'],
    [']Q1HTTPS://SHOP.EXAMPLE/V/ABCD1234\n', 'ABCD1234', 'qr-url'],
  ])('%j → %s (%s)', (raw, code, source) => {
    expect(classify(raw)).toEqual({ kind: 'voucher', code, source, raw });
  });

  it.each([
    ['ftp://shop.example/v/ABCD1234', 'url_rejected'],
    ['mailto:ABCD1234@shop.example', 'url_rejected'],
    ['https://shop.example/products/ABCD1234', 'url_rejected'],
    ['https://shop.example/v/AB_CD', 'url_rejected'], // the code in the URL fails the format
    ['ab', 'unrecognised'],
    ['ABCD 1234', 'unrecognised'],
    ['', 'empty'],
    ['  \r\n', 'empty'],
    [']E0', 'empty'],
  ])('%j → unknown (%s)', (raw, reason) => {
    expect(classify(raw)).toMatchObject({ kind: 'unknown', reason, raw });
  });

  it('uses core/code.ts rules by default, and a caller’s own rules when given', () => {
    expect(classifyScan(' abcd-1234 ')).toMatchObject({ kind: 'voucher', code: 'ABCD-1234', source: 'plain' });
    expect(classifyScan('https://shop.example/v/abcd1234')).toMatchObject({ kind: 'voucher', code: 'ABCD1234', source: 'qr-url' });
    const houseFormat = { isVoucherCode: (code: string) => /^X[A-Z0-9]{7}$/.test(code) };
    expect(classifyScan('ABCD-1234', houseFormat)).toMatchObject({ kind: 'unknown', reason: 'unrecognised' });
    expect(classifyScan('https://shop.example/v/ABCD1234', houseFormat)).toMatchObject({ kind: 'unknown', reason: 'url_rejected' });
    expect(classifyScan('xabc1234', houseFormat)).toMatchObject({ kind: 'voucher', code: 'XABC1234' });
  });
});

describe('properties', () => {
  it('a 7/11/12/13-digit body plus its check digit is a product, whatever AIM prefix and line ending', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12, 13).chain(digitString),
        fc.constantFrom('', ']E0', ']E4', ']C0'),
        fc.constantFrom('', '\r\n', '\n', '\t'),
        (body, aim, end) => {
          const digits = body + String(gs1CheckDigit(body));
          const result = classify(aim + digits + end);
          expect(result.kind).toBe('product');
          // Eight digits may also be a UPC-E, which ]E0 reads first: the EAN-8 key is then the alternative.
          if (result.kind === 'product') expect([result.gtin14, result.alternativeGtin14]).toContain(digits.padStart(14, '0'));
        },
      ),
    );
  });

  it('one wrong digit in a GTIN is always bad_check_digit, never a product or a voucher', () => {
    const cases = fc.constantFrom(7, 11, 12, 13).chain((length) =>
      fc.tuple(digitString(length), fc.nat({ max: length }), fc.integer({ min: 1, max: 9 })),
    );
    fc.assert(
      fc.property(cases, ([body, position, delta]) => {
        const digits = body + String(gs1CheckDigit(body));
        const changed = digits.slice(0, position) + String((Number(digits[position]) + delta) % 10) + digits.slice(position + 1);
        const result = classify(changed);
        // Eight digits have a second reading, UPC-E, with its own check: a product under another key, never a voucher.
        if (changed.length === 8 && result.kind === 'product') expect(result).toMatchObject({ format: 'UPC_E' });
        else expect(result).toMatchObject({ kind: 'unknown', reason: 'bad_check_digit' });
      }),
    );
  });

  it('never throws, and a voucher result always satisfies the rules', () => {
    const kinds: ScanResult['kind'][] = ['product', 'gs1', 'voucher', 'unknown'];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'0123456789()<>GS^]{}') })), (raw) => {
        const result = classify(raw);
        expect(kinds).toContain(result.kind);
        expect(result.raw).toBe(raw);
        if (result.kind === 'voucher') expect(codeRules.isVoucherCode(result.code)).toBe(true);
      }),
    );
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { aiSpec, DEFAULT_GS_SUBSTITUTES, GS, gs1DateToIso, hasGs1Marker, parseGs1, supportedAis } from '../../../core/scan/gs1';
import type { AiSpec, Gs1Element } from '../../../core/scan/gs1';
import { gs1CheckDigit } from '../../../core/scan/gtin';

const GTIN = '09501101530003'; // GS1's own example GTIN
const EXPECTED: Gs1Element[] = [
  { ai: '01', value: GTIN },
  { ai: '17', value: '250101' },
  { ai: '10', value: 'ABC' },
  { ai: '21', value: '12345' },
];

describe('parseGs1: the same data in every form a scanner sends', () => {
  const forms: [string, string][] = [
    ['GS', `0109501101530003172501011${'0'}ABC${GS}2112345`],
    ['<GS>', '01095011015300031725010110ABC<GS>2112345'],
    ['{GS}', '01095011015300031725010110ABC{GS}2112345'],
    ['^]', '01095011015300031725010110ABC^]2112345'],
    [']C1 GS1-128', `]C1010950110153000317250101${'10'}ABC${GS}2112345`],
    [']e0 GS1 DataBar', `]e0010950110153000317250101${'10'}ABC${GS}2112345`],
    [']d2 GS1 DataMatrix', `]d2010950110153000317250101${'10'}ABC${GS}2112345`],
    [']Q3 GS1 QR', `]Q3010950110153000317250101${'10'}ABC${GS}2112345`],
    ['leading FNC1 and trailing GS', `${GS}010950110153000317250101${'10'}ABC${GS}2112345${GS}`],
    ['GS after a fixed-length field', `0109501101530003${GS}17250101${GS}10ABC${GS}2112345`],
    ['bracket form', '(01)09501101530003(17)250101(10)ABC(21)12345'],
    ['surrounding CR/LF', `]C1010950110153000317250101${'10'}ABC${GS}2112345\r\n`],
  ];

  it.each(forms)('%s', (_name, input) => {
    expect(parseGs1(input)).toEqual({ ok: true, elements: EXPECTED, gtin14: GTIN });
  });

  it('parses the undecorated example from the issue', () => {
    expect(parseGs1('0109501101530003172501011012345')).toEqual({
      ok: true,
      elements: [
        { ai: '01', value: GTIN },
        { ai: '17', value: '250101' },
        { ai: '10', value: '12345' },
      ],
      gtin14: GTIN,
    });
  });

  it('does not treat ~ as GS by default, but does when configured', () => {
    expect(parseGs1('0109501101530003~10ABC')).toMatchObject({ ok: false, reason: 'unknown_ai' });
    expect(parseGs1('10ABC~2112345')).toMatchObject({ ok: false, reason: 'bad_value' }); // ~ is not in set 82
    expect(parseGs1('10ABC~2112345', { gsSubstitutes: ['~'] })).toEqual({
      ok: true,
      elements: [
        { ai: '10', value: 'ABC' },
        { ai: '21', value: '12345' },
      ],
    });
    expect(DEFAULT_GS_SUBSTITUTES).not.toContain('~');
  });

  it('replaced substitutes no longer apply, but a real GS always does', () => {
    // "<GS>" is legal data (set 82) once it is no longer a substitute
    expect(parseGs1('10ABC<GS>2112345', { gsSubstitutes: ['~'] })).toEqual({ ok: true, elements: [{ ai: '10', value: 'ABC<GS>2112345' }] });
    expect(parseGs1(`10ABC${GS}2112345`, { gsSubstitutes: [] })).toMatchObject({ ok: true });
  });
});

describe('parseGs1: AIs from the table', () => {
  it.each<[string, Gs1Element[]]>([
    ['00106141411234567897', [{ ai: '00', value: '106141411234567897' }]],
    ['0210012345678902' + '37' + '12', [{ ai: '02', value: '10012345678902' }, { ai: '37', value: '12' }]],
    ['3103001250', [{ ai: '3103', value: '001250' }]],
    ['(3922)1299(01)09501101530003', [{ ai: '3922', value: '1299' }, { ai: '01', value: GTIN }]],
    ['3932978' + '1299', [{ ai: '3932', value: '9781299' }]],
    ['4109501101530003' + '422276', [{ ai: '410', value: '9501101530003' }, { ai: '422', value: '276' }]],
    ['(421)276D-10115(7003)2501011230', [{ ai: '421', value: '276D-10115' }, { ai: '7003', value: '2501011230' }]],
    ['8003095011015300031234', [{ ai: '8003', value: '095011015300031234' }]],
    ['800309501101530003', [{ ai: '8003', value: '09501101530003' }]],
    ['(8200)http://example.com/p?id=1', [{ ai: '8200', value: 'http://example.com/p?id=1' }]],
    ['(10)A(B)C(21)X', [{ ai: '10', value: 'A(B)C' }, { ai: '21', value: 'X' }]],
    ['(91)INTERNAL-1(99)X', [{ ai: '91', value: 'INTERNAL-1' }, { ai: '99', value: 'X' }]],
  ])('%s', (input, elements) => {
    const result = parseGs1(input);
    expect(result).toMatchObject({ ok: true, elements });
    expect(result.ok && result.elements).toEqual(elements);
  });

  it('reports gtin14 only from AI (01), not (02)', () => {
    expect(parseGs1('0210012345678902')).toEqual({ ok: true, elements: [{ ai: '02', value: '10012345678902' }] });
  });
});

describe('parseGs1: failures', () => {
  it.each<[string, string, string]>([
    ['empty string', '', 'empty'],
    ['only a symbology id', ']C1', 'empty'],
    ['only separators', `${GS}<GS>`, 'empty'],
    ['unknown AI', '0109501101530003' + '23ABC', 'unknown_ai'],
    ['unknown AI in brackets', '(01)09501101530003(23)ABC', 'unknown_ai'],
    ['bracket form not starting with a known AI', '(5)ABC', 'unknown_ai'],
    ['not GS1 at all', 'ABCD-1234', 'unknown_ai'],
    ['truncated fixed GTIN', '010950110153000', 'truncated'],
    ['fixed field cut short by GS', `01095011015300${GS}10ABC`, 'truncated'],
    ['AI with no value', '0109501101530003' + '17', 'truncated'],
    ['variable AI with no value', `10${GS}21X`, 'truncated'],
    ['truncated fixed field in brackets', '(17)2501', 'truncated'],
    ['fixed field too long in brackets', '(17)2501011', 'too_long'],
    ['lot longer than 20', '10' + 'A'.repeat(21), 'too_long'],
    ['serial longer than 20 before GS', `21${'1'.repeat(21)}${GS}10A`, 'too_long'],
    ['count longer than 8', '37123456789', 'too_long'],
    ['GTIN check digit', '0109501101530004', 'bad_check_digit'],
    ['SSCC check digit', '00106141411234567890', 'bad_check_digit'],
    ['GLN check digit in 410', '4109501101530004', 'bad_check_digit'],
    ['letters in a numeric field', '30ABC', 'bad_value'],
    ['month 13', '17251301', 'bad_value'],
    ['30 February', '17250230', 'bad_value'],
    ['character outside set 82', '10AB#C', 'bad_value'],
  ])('%s', (_name, input, reason) => {
    const result = parseGs1(input);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.detail).not.toBe('');
  });

  it('accepts DD = 00 and 29 February in a leap year', () => {
    expect(parseGs1('17250200')).toMatchObject({ ok: true });
    expect(parseGs1('17240229')).toMatchObject({ ok: true });
    expect(parseGs1('17250229')).toMatchObject({ ok: false, reason: 'bad_value' });
  });
});

describe('hasGs1Marker', () => {
  it.each([
    [`]C1${'01'}${GTIN}`, true],
    [`10A${GS}21B`, true],
    ['10A{GS}21B', true],
    [`(01)${GTIN}`, true],
    [`01${GTIN}`, false],
    ['ABCD-1234', false],
    [']E04006381333931', false],
  ])('%j → %s', (input, expected) => {
    expect(hasGs1Marker(input)).toBe(expected);
  });
});

describe('gs1DateToIso', () => {
  it.each<[string, number, string | null]>([
    ['250101', 2025, '2025-01-01'],
    ['250100', 2025, '2025-01-31'],
    ['240200', 2025, '2024-02-29'],
    ['250200', 2025, '2025-02-28'],
    ['000200', 2025, '2000-02-29'],
    ['750101', 2025, '2075-01-01'], // difference 50: still this century
    ['760101', 2025, '1976-01-01'], // difference 51: previous century
    ['990101', 2049, '2099-01-01'],
    ['010101', 2099, '2101-01-01'], // difference −98: next century
    ['500101', 2099, '2050-01-01'], // difference −49: this century
    ['490101', 2099, '2149-01-01'], // difference −50: next century
    ['000200', 2099, '2100-02-28'], // 2100 is not a leap year
    ['251301', 2025, null],
    ['250001', 2025, null],
    ['250230', 2025, null],
    ['2501', 2025, null],
    ['25010a', 2025, null],
  ])('%s (reference %i) → %s', (yymmdd, year, expected) => {
    expect(gs1DateToIso(yymmdd, year)).toBe(expected);
  });

  it('always lands in the window referenceYear − 49 … referenceYear + 50 with the same YY', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9000 }), fc.nat({ max: 99 }), (reference, yy) => {
        const iso = gs1DateToIso(`${String(yy).padStart(2, '0')}0115`, reference);
        expect(iso).not.toBeNull();
        const year = Number(iso?.slice(0, 4));
        expect(year % 100).toBe(yy);
        expect(year).toBeGreaterThanOrEqual(reference - 49);
        expect(year).toBeLessThanOrEqual(reference + 50);
      }),
    );
  });
});

describe('the AI table', () => {
  const ais = supportedAis();

  it('is prefix-free, so reading an AI digit by digit is unambiguous', () => {
    for (const a of ais) {
      for (const b of ais) {
        if (a !== b) expect(b.startsWith(a), `${a} is a prefix of ${b}`).toBe(false);
      }
    }
  });

  it.each<[string, Partial<AiSpec>]>([
    ['00', { fixed: true, maxLength: 18, flag: 'check' }],
    ['01', { fixed: true, maxLength: 14, flag: 'check' }],
    ['02', { fixed: true, maxLength: 14, flag: 'check' }],
    ['10', { fixed: false, maxLength: 20 }],
    ['11', { fixed: true, maxLength: 6, flag: 'yymmdd' }],
    ['17', { fixed: true, maxLength: 6, flag: 'yymmdd' }],
    ['21', { fixed: false, maxLength: 20 }],
    ['22', { fixed: false, maxLength: 20 }],
    ['30', { fixed: false, maxLength: 8 }],
    ['37', { fixed: false, maxLength: 8 }],
    ['3100', { fixed: true, maxLength: 6 }],
    ['3165', { fixed: true, maxLength: 6 }],
    ['3205', { fixed: true, maxLength: 6 }],
    ['254', { fixed: false, maxLength: 20 }],
    ['402', { fixed: true, maxLength: 17, flag: 'check' }],
    ['417', { fixed: true, maxLength: 13, flag: 'check' }],
    ['421', { fixed: false, minLength: 4, maxLength: 12 }],
    ['7003', { fixed: true, maxLength: 10 }],
    ['8008', { fixed: false, minLength: 8, maxLength: 12 }],
    ['8200', { fixed: false, maxLength: 70 }],
  ])('AI %s', (ai, expected) => {
    expect(aiSpec(ai)).toMatchObject({ ai, ...expected });
  });

  it('has no entry for AIs it does not support', () => {
    expect(aiSpec('23')).toBeUndefined();
    expect(aiSpec('3106')).toBeUndefined();
  });
});

describe('round trip: any elements from the table, encoded, parse back', () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  // Set 82 without "(" (bracket form), "<" and "{" / "^" (substitutes are not in set 82 anyway).
  const xChar = fc.constantFrom(...'!"%&\')*+,-./0123456789:;=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
  const date = fc.tuple(fc.nat({ max: 99 }), fc.integer({ min: 1, max: 12 }), fc.nat({ max: 28 })).map(
    ([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''),
  );

  function valueFor(spec: AiSpec): fc.Arbitrary<string> {
    const parts = spec.components.map((c) => {
      const min = c.optional ? 0 : c.variable ? 1 : c.length;
      return c.charset === 'N'
        ? fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: c.length })
        : fc.string({ unit: xChar, minLength: min, maxLength: c.length });
    });
    return fc.tuple(fc.tuple(...parts), date, digits(1)).map(([values, yymmdd]) => {
      let value = values.join('');
      if (spec.flag === 'yymmdd') value = yymmdd + value.slice(6);
      if (spec.flag === 'check') {
        const first = spec.components[0]?.length ?? 0;
        const body = value.slice(0, first - 1);
        value = body + String(gs1CheckDigit(body)) + value.slice(first);
      }
      return value;
    });
  }

  const element = fc.constantFrom(...supportedAis()).chain((ai) => {
    const spec = aiSpec(ai);
    if (spec === undefined) throw new Error(ai);
    return valueFor(spec).map((value): Gs1Element => ({ ai, value }));
  });
  const elements = fc.array(element, { minLength: 1, maxLength: 6 });

  it('concatenated with GS or any default substitute after variable-length values', () => {
    fc.assert(
      fc.property(elements, fc.constantFrom(...DEFAULT_GS_SUBSTITUTES), fc.boolean(), (list, separator, symbologyId) => {
        const encoded = list.map((e) => e.ai + e.value + (aiSpec(e.ai)?.fixed ? '' : separator)).join('');
        const result = parseGs1((symbologyId ? ']C1' : '') + encoded);
        expect(result).toMatchObject({ ok: true, elements: list });
      }),
    );
  });

  it('in the bracket form', () => {
    fc.assert(
      fc.property(elements, (list) => {
        const result = parseGs1(list.map((e) => `(${e.ai})${e.value}`).join(''));
        expect(result).toMatchObject({ ok: true, elements: list });
      }),
    );
  });
});

// The console's CSV import shaping (backoffice/import-csv.ts): header paths, types, empty cells, quoting,
// and the error file's row numbers.
import { describe, expect, it } from 'vitest';
import { errorsCsv, vouchersFromCsv } from '../../backoffice/import-csv';

describe('vouchers from CSV', () => {
  it('nests dotted columns, types numbers, booleans and day lists, and leaves empty cells out', () => {
    const csv = '\uFEFFcode,type,currency,label,discount.type,discount.amount_off,redemption.quantity,active,validity_day_of_week,metadata.source,start_date\n' +
      'SPRING-01,DISCOUNT_VOUCHER,EUR,"Spring, 5 off",AMOUNT,500,1,yes,"1,2,3",flyer,2026-03-01\n' +
      'GIFT-9,GIFT_VOUCHER,EUR,,,,,,,,2026-03-01T10:00\n';
    const gift = 'code,type,currency,gift.amount\nGIFT-10,GIFT_VOUCHER,EUR,2500\n';
    expect(vouchersFromCsv(csv)).toEqual({
      rows: [
        { code: 'SPRING-01', type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: 'Spring, 5 off', discount: { type: 'AMOUNT', amount_off: 500 }, redemption: { quantity: 1 }, active: true, validity_day_of_week: [1, 2, 3], metadata: { source: 'flyer' }, start_date: '2026-03-01' },
        { code: 'GIFT-9', type: 'GIFT_VOUCHER', currency: 'EUR', start_date: '2026-03-01T10:00' },
      ],
      errors: [],
    });
    expect(vouchersFromCsv(gift).rows).toEqual([{ code: 'GIFT-10', type: 'GIFT_VOUCHER', currency: 'EUR', gift: { amount: 2500 } }]);
  });

  it('keeps what is not a number or a yes/no as text, so HQ refuses it with the field; reports a malformed row', () => {
    const { rows } = vouchersFromCsv('code,discount.amount_off,active\nX-1,5 euro,maybe\n');
    expect(rows).toEqual([{ code: 'X-1', discount: { amount_off: '5 euro' }, active: 'maybe' }]);
    expect(vouchersFromCsv('code,label\nA-1,x\nB-2,"unterminated\n').errors).toEqual([{ row: 3, message: 'Quoted field unterminated' }]);
    expect(vouchersFromCsv('code,label\nA-1,x\nB-2,x,extra\n').errors).toEqual([{ row: 3, message: 'Too many fields: expected 2 fields but parsed 3' }]);
  });

  it('writes the errors with the file\'s own row numbers', () => {
    expect(errorsCsv([{ index: 0, code: 'A-1', detail: 'code: too short' }, { index: 4, detail: 'type: "a, b"' }], true)).toBe('row,code,error\r\n2,A-1,code: too short\r\n6,,"type: ""a, b"""');
    expect(errorsCsv([{ index: 0, detail: 'x' }], false)).toBe('row,code,error\r\n1,,x');
  });
});

// A CSV file of vouchers → the JSON array POST /v1/vouchers/import takes (seed 004's import fields).
// The header names the fields, nested ones with dots: code, type, label, campaign, category, currency,
// active, start_date, expiration_date, discount.type, discount.amount_off, discount.percent_off,
// discount.amount_limit, discount.fixed_amount, discount.unit_off, discount.product_id, gift.amount,
// loyalty.balance, redemption.quantity, validity_day_of_week ("1,2,3": Monday to Wednesday),
// min_order_amount, product_id, customer_id, offline_redeemable, metadata.<anything>. Empty cells are
// left out; money columns are minor units (cents) as HQ's JSON. HQ validates every row and reports
// each error by row, so this only shapes the text — it never judges a voucher itself.
import Papa from 'papaparse';
import type { Translate } from '../core/words/i18n';
import { backofficeT } from './words/words';

const NUMBERS = new Set(['discount.amount_off', 'discount.percent_off', 'discount.amount_limit', 'discount.fixed_amount', 'discount.unit_off', 'gift.amount', 'gift.balance', 'loyalty.balance', 'redemption.quantity', 'min_order_amount']);
const BOOLEANS = new Set(['active', 'offline_redeemable']);
const LISTS = new Set(['validity_day_of_week']);

export type CsvParse = { rows: Record<string, unknown>[]; errors: { row: number; message: string }[] };

function cell(column: string, text: string): unknown {
  if (NUMBERS.has(column)) return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text; // HQ refuses a non-number with the field
  if (BOOLEANS.has(column)) return /^(true|yes|1)$/i.test(text) ? true : /^(false|no|0)$/i.test(text) ? false : text;
  if (LISTS.has(column)) return text.split(/[,;\s]+/).filter(Boolean).map((d) => (/^\d+$/.test(d) ? Number(d) : d));
  return text;
}

function set(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/**
 * What Papa Parse found wrong, in the person's language (its own message is English): by its error
 * code, with the counts of a field-count error read from its message (its own message if they are not there).
 */
function problemText(e: Papa.ParseError, t: Translate): string {
  const counts = /expected (\d+) fields but parsed (\d+)/.exec(e.message);
  switch (e.code) {
    case 'MissingQuotes':
      return t('Quoted field unterminated');
    case 'InvalidQuotes':
      return t('Trailing quote on quoted field is malformed');
    case 'UndetectableDelimiter':
      return t('Unable to auto-detect delimiting character; defaulted to \'{{delimiter}}\'', { delimiter: Papa.DefaultDelimiter });
    case 'TooManyFields':
      return counts ? t('Too many fields: expected {{count}} fields but parsed {{parsed}}', { count: Number(counts[1]), parsed: Number(counts[2]) }) : e.message;
    case 'TooFewFields':
      return counts ? t('Too few fields: expected {{count}} fields but parsed {{parsed}}', { count: Number(counts[1]), parsed: Number(counts[2]) }) : e.message;
  }
  return e.message;
}

/** The vouchers of a CSV file, or what is wrong with it by row (in `t`'s language; English unless given). */
export function vouchersFromCsv(text: string, t: Translate = backofficeT('en-GB')): CsvParse {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  // Papa Parse numbers a quoting error by line (the header is line 0) but a field-count error by data
  // row (the first after the header is 0); both become the file's row number (the header is row 1).
  const errors = parsed.errors.map((e) => ({ row: (e.row ?? 0) + (e.type === 'Quotes' ? 1 : 2), message: problemText(e, t) }));
  const rows = parsed.data.map((record) => {
    const voucher: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(record)) {
      // Cells past the header's columns come as an array under __parsed_extra: reported above, not shaped.
      if (typeof raw !== 'string') continue;
      const text = raw.trim();
      if (text === '' || column === '') continue;
      set(voucher, column.split('.'), cell(column, text));
    }
    return voucher;
  });
  return { rows, errors };
}

/**
 * The per-row errors of an import as CSV (row numbers as in the file: the header is row 1). The column
 * names stay English, like the field names of the file it answers; `error` is HQ's own detail (English).
 */
export function errorsCsv(errors: readonly { index: number; code?: string | undefined; detail: string }[], csvRows: boolean): string {
  return Papa.unparse({ fields: ['row', 'code', 'error'], data: errors.map((e) => [csvRows ? e.index + 2 : e.index + 1, e.code ?? '', e.detail]) });
}

// GS1 element strings: the data in GS1-128, GS1 DataBar, GS1 DataMatrix and GS1 QR codes, e.g.
// `]C1 01 09501101530003 17 250101 10 ABC` — a sequence of Application Identifier (AI) + value.
//
// Variable-length values end at FNC1, which a scanner transmits as ASCII GS (\u001d). Keyboard-wedge
// scanners often cannot "type" GS, so they are set up to send a substitute such as `<GS>`; the
// substitutes accepted are configurable. The human-readable form `(01)09501101530003(17)250101`
// printed under the bars is accepted as well.
//
// Fixed-length values are read by length even when no GS follows (and a GS after one is tolerated):
// only some fixed-length AIs are "predefined length" in the standard, but being lenient costs nothing
// and real scanners/printers get this wrong.

import { gs1CheckDigit, isDigits } from './gtin';

/** ASCII Group Separator: how FNC1 arrives from a scanner. */
export const GS = '\u001d';

/** What a wedge scanner may send instead of GS. `~` is deliberately not here: it occurs in real data. */
export const DEFAULT_GS_SUBSTITUTES: readonly string[] = [GS, '<GS>', '{GS}', '^]'];

/** AIM symbology identifiers that announce GS1 data: GS1-128, GS1 DataBar, GS1 DataMatrix, GS1 QR, GS1 DotCode. */
export const GS1_SYMBOLOGY_IDS: readonly string[] = [']C1', ']e0', ']d2', ']Q3', ']J1'];

// ---------------------------------------------------------------------------------------------
// The AI table. One row per AI (or per range of AIs sharing a format), in the notation of the
// GS1 General Specifications: `N6` six digits, `X..20` up to 20 characters of GS1 set 82,
// `N13+[X..17]` thirteen digits then up to 17 optional characters. Flags:
//   check  – the first component ends with a GS1 mod-10 check digit
//   yymmdd – the first component starts with a date YYMMDD (DD = 00 allowed)
// Adding an AI is one row.
// ---------------------------------------------------------------------------------------------
type AiFlag = 'check' | 'yymmdd';
type AiRow = readonly [ai: string, format: string, title: string, flag?: AiFlag];

const AI_TABLE: readonly AiRow[] = [
  ['00', 'N18', 'SSCC', 'check'],
  ['01', 'N14', 'GTIN', 'check'],
  ['02', 'N14', 'CONTENT', 'check'],
  ['10', 'X..20', 'BATCH/LOT'],
  ['11', 'N6', 'PROD DATE', 'yymmdd'],
  ['12', 'N6', 'DUE DATE', 'yymmdd'],
  ['13', 'N6', 'PACK DATE', 'yymmdd'],
  ['15', 'N6', 'BEST BEFORE', 'yymmdd'],
  ['16', 'N6', 'SELL BY', 'yymmdd'],
  ['17', 'N6', 'USE BY OR EXPIRY', 'yymmdd'],
  ['20', 'N2', 'VARIANT'],
  ['21', 'X..20', 'SERIAL'],
  ['22', 'X..20', 'CPV'],
  ['30', 'N..8', 'VAR. COUNT'],
  ['37', 'N..8', 'COUNT'],
  ['240', 'X..30', 'ADDITIONAL ID'],
  ['241', 'X..30', 'CUST. PART No.'],
  ['250', 'X..30', 'SECONDARY SERIAL'],
  ['251', 'X..30', 'REF. TO SOURCE'],
  ['253', 'N13+[X..17]', 'GDTI', 'check'],
  ['254', 'X..20', 'GLN EXTENSION COMPONENT'],
  ['3100-3105', 'N6', 'NET WEIGHT (kg)'],
  ['3110-3115', 'N6', 'LENGTH (m)'],
  ['3120-3125', 'N6', 'WIDTH (m)'],
  ['3130-3135', 'N6', 'HEIGHT (m)'],
  ['3140-3145', 'N6', 'AREA (m2)'],
  ['3150-3155', 'N6', 'NET VOLUME (l)'],
  ['3160-3165', 'N6', 'NET VOLUME (m3)'],
  ['3200-3205', 'N6', 'NET WEIGHT (lb)'],
  ['3300-3305', 'N6', 'GROSS WEIGHT (kg)'],
  ['3920-3929', 'N..15', 'PRICE'],
  ['3930-3939', 'N3+N..15', 'PRICE (with ISO currency)'],
  ['400', 'X..30', 'ORDER NUMBER'],
  ['401', 'X..30', 'GINC'],
  ['402', 'N17', 'GSIN', 'check'],
  ['403', 'X..30', 'ROUTE'],
  ['410', 'N13', 'SHIP TO LOC', 'check'],
  ['411', 'N13', 'BILL TO', 'check'],
  ['412', 'N13', 'PURCHASE FROM', 'check'],
  ['413', 'N13', 'SHIP FOR LOC', 'check'],
  ['414', 'N13', 'LOC No.', 'check'],
  ['415', 'N13', 'PAY TO', 'check'],
  ['416', 'N13', 'PROD/SERV LOC', 'check'],
  ['417', 'N13', 'PARTY', 'check'],
  ['420', 'X..20', 'SHIP TO POST'],
  ['421', 'N3+X..9', 'SHIP TO POST (with ISO country)'],
  ['422', 'N3', 'ORIGIN'],
  ['423', 'N3+N..12', 'COUNTRY - INITIAL PROCESS.'],
  ['424', 'N3', 'COUNTRY - PROCESS.'],
  ['425', 'N3+N..12', 'COUNTRY - DISASSEMBLY'],
  ['426', 'N3', 'COUNTRY - FULL PROCESS'],
  ['7003', 'N10', 'EXPIRY TIME', 'yymmdd'],
  ['8003', 'N14+[X..16]', 'GRAI', 'check'],
  ['8004', 'X..30', 'GIAI'],
  ['8008', 'N8+[N..4]', 'PROD TIME', 'yymmdd'],
  ['8020', 'X..25', 'REF No.'],
  ['8200', 'X..70', 'PRODUCT URL'],
  ['90', 'X..30', 'INTERNAL'],
  ['91-99', 'X..90', 'INTERNAL'],
];

type Component = { charset: 'N' | 'X'; length: number; variable: boolean; optional: boolean };

export type AiSpec = {
  ai: string;
  title: string;
  format: string;
  components: readonly Component[];
  minLength: number;
  maxLength: number;
  /** True when every component is fixed: the value is read by length, not up to a GS. */
  fixed: boolean;
  flag: AiFlag | undefined;
};

const COMPONENT = /^(\[?)([NX])(\.\.)?(\d+)(\]?)$/;

function parseFormat(ai: string, format: string): Pick<AiSpec, 'components' | 'minLength' | 'maxLength' | 'fixed'> {
  const parts = format.split('+');
  const components = parts.map((part, index): Component => {
    const m = COMPONENT.exec(part);
    if (m === null || m[1] !== (m[5] === ']' ? '[' : '') || m[2] === undefined || m[4] === undefined) {
      throw new Error(`GS1 AI table: bad format ${JSON.stringify(format)} for AI ${ai}`);
    }
    const component: Component = { charset: m[2] === 'N' ? 'N' : 'X', length: Number(m[4]), variable: m[3] === '..', optional: m[1] === '[' };
    // Values are split into components by length, which only works if nothing follows a variable part.
    if ((component.variable || component.optional) && index !== parts.length - 1) {
      throw new Error(`GS1 AI table: only the last component of AI ${ai} may be variable or optional`);
    }
    return component;
  });
  const minLength = components.reduce((n, c) => n + (c.optional ? 0 : c.variable ? 1 : c.length), 0);
  const maxLength = components.reduce((n, c) => n + c.length, 0);
  return { components, minLength, maxLength, fixed: components.every((c) => !c.variable && !c.optional) };
}

function expandAis(key: string): string[] {
  const range = /^(\d{2,4})-(\d{2,4})$/.exec(key);
  if (range === null) return [key];
  const [, from = '', to = ''] = range;
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n += 1) out.push(String(n).padStart(from.length, '0'));
  return out;
}

const AI_BY_CODE: ReadonlyMap<string, AiSpec> = new Map(
  AI_TABLE.flatMap(([key, format, title, flag]) =>
    expandAis(key).map((ai): [string, AiSpec] => [ai, { ai, title, format, flag, ...parseFormat(ai, format) }]),
  ),
);

/** The table entry for one AI (e.g. '01', '3103'), or undefined when the AI is not supported. */
export function aiSpec(ai: string): AiSpec | undefined {
  return AI_BY_CODE.get(ai);
}

/** Every supported AI, for documentation and tests. */
export function supportedAis(): string[] {
  return [...AI_BY_CODE.keys()];
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A GS1 YYMMDD date as ISO `YYYY-MM-DD`, or null when it is not a date.
 * The century follows the GS1 rule (General Specifications 7.12), a window around `referenceYear`
 * (the caller's current year; core never reads the clock): if YY − (referenceYear mod 100) ≥ 51 the
 * date is in the previous century, if ≤ −50 in the next one, otherwise in the current one, i.e.
 * years from referenceYear − 49 to referenceYear + 50. DD = 00 means the last day of the month.
 */
export function gs1DateToIso(yymmdd: string, referenceYear: number): string | null {
  if (yymmdd.length !== 6 || !isDigits(yymmdd) || !Number.isInteger(referenceYear)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const refYy = ((referenceYear % 100) + 100) % 100;
  const century = referenceYear - refYy;
  const diff = yy - refYy;
  const year = century + yy + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  if (year < 0 || year > 9999 || month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day > last) return null;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day === 0 ? last : day, 2)}`;
}

/** Whether YYMMDD can be a date in some century (Feb 29 only when YY is a multiple of 4). */
function isPlausibleYymmdd(yymmdd: string): boolean {
  // 2000 + YY is right for 2000–2099; the only miss is 2100, which is not a leap year.
  return gs1DateToIso(yymmdd, 2000 + Number(yymmdd.slice(0, 2))) !== null;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

export type Gs1Element = { ai: string; value: string };

export type Gs1FailureReason = 'empty' | 'unknown_ai' | 'truncated' | 'too_long' | 'bad_check_digit' | 'bad_value';

export type Gs1Result =
  | {
      ok: true;
      elements: Gs1Element[];
      /** The GTIN of AI (01) when present: the product key, same shape as classifyGtin's gtin14. */
      gtin14?: string;
    }
  | { ok: false; reason: Gs1FailureReason; detail: string };

export type Gs1Options = {
  /** Strings a scanner sends in place of GS. Default DEFAULT_GS_SUBSTITUTES; a real GS is always accepted. */
  gsSubstitutes?: readonly string[];
};

type Failure = Extract<Gs1Result, { ok: false }>;
const fail = (reason: Gs1FailureReason, detail: string): Failure => ({ ok: false, reason, detail });

// GS1 AI encodable character set 82: what an X component may contain.
const SET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/** The GS1 symbology identifier `text` starts with, or undefined. */
export function gs1SymbologyId(text: string): string | undefined {
  return GS1_SYMBOLOGY_IDS.find((id) => text.startsWith(id));
}

const BRACKET_START = /^\(\d{2,4}\)/;

/**
 * Whether `text` carries an explicit sign of being GS1 data: a GS1 symbology identifier, a GS or one
 * of its substitutes, or the bracketed human-readable form. (Undecorated strings such as
 * `0109501101530003` can be GS1 too; that guess is left to the caller.)
 */
export function hasGs1Marker(text: string, options: Gs1Options = {}): boolean {
  const substitutes = options.gsSubstitutes ?? DEFAULT_GS_SUBSTITUTES;
  return (
    gs1SymbologyId(text) !== undefined ||
    text.includes(GS) ||
    substitutes.some((s) => s !== '' && text.includes(s)) ||
    BRACKET_START.test(text)
  );
}

function replaceSubstitutes(text: string, substitutes: readonly string[]): string {
  // Longest first, so that a substitute containing another one is replaced whole.
  const sorted = substitutes.filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return sorted.reduce((acc, s) => acc.split(s).join(GS), text);
}

/** Check one value against its AI: length, characters, check digit, date. */
function checkValue(spec: AiSpec, value: string): Failure | null {
  const what = `AI (${spec.ai}) ${spec.title}`;
  if (value.length < spec.minLength) return fail('truncated', `${what} needs ${spec.minLength} characters, got ${value.length}`);
  if (value.length > spec.maxLength) return fail('too_long', `${what} allows ${spec.maxLength} characters, got ${value.length}`);
  let at = 0;
  for (const [index, component] of spec.components.entries()) {
    const last = index === spec.components.length - 1;
    const part = last ? value.slice(at) : value.slice(at, at + component.length);
    at += part.length;
    const okChars = component.charset === 'N' ? part === '' || isDigits(part) : SET_82.test(part);
    if (!okChars) {
      return fail('bad_value', `${what}: ${component.charset === 'N' ? 'digits' : 'GS1 set 82 characters'} expected in ${JSON.stringify(part)}`);
    }
  }
  const first = spec.components[0];
  const head = first === undefined ? '' : value.slice(0, first.length);
  if (spec.flag === 'check' && gs1CheckDigit(head.slice(0, -1)) !== Number(head.slice(-1))) {
    return fail('bad_check_digit', `${what}: wrong check digit in ${head}`);
  }
  if (spec.flag === 'yymmdd' && !isPlausibleYymmdd(value.slice(0, 6))) {
    return fail('bad_value', `${what}: ${value.slice(0, 6)} is not a date YYMMDD`);
  }
  return null;
}

/** The AI at `pos`: GS1 AIs are prefix-free, so the first 2-, 3- or 4-digit match is the one. */
function aiAt(text: string, pos: number): AiSpec | undefined {
  for (let length = 2; length <= 4; length += 1) {
    const code = text.slice(pos, pos + length);
    if (code.length < length || !isDigits(code)) return undefined;
    const spec = AI_BY_CODE.get(code);
    if (spec !== undefined) return spec;
  }
  return undefined;
}

function parseConcatenated(body: string): Gs1Element[] | Failure {
  const elements: Gs1Element[] = [];
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === GS) {
      pos += 1; // leading, doubled or trailing FNC1: harmless
      continue;
    }
    const spec = aiAt(body, pos);
    if (spec === undefined) return fail('unknown_ai', `no supported AI at position ${pos}: ${JSON.stringify(body.slice(pos, pos + 4))}`);
    pos += spec.ai.length;
    let end: number;
    if (spec.fixed) {
      end = Math.min(pos + spec.maxLength, body.length);
      const gsAt = body.indexOf(GS, pos);
      if (gsAt !== -1 && gsAt < end) end = gsAt; // a GS inside a fixed field means the field is short
    } else {
      const gsAt = body.indexOf(GS, pos);
      end = gsAt === -1 ? body.length : gsAt;
    }
    const value = body.slice(pos, end);
    const problem = checkValue(spec, value);
    if (problem !== null) return problem;
    elements.push({ ai: spec.ai, value });
    pos = end;
  }
  return elements;
}

function parseBracketed(body: string): Gs1Element[] | Failure {
  // Every "(" + 2–4 digits + ")" is an AI; any other "(" or ")" — both legal in set 82 — is data.
  const starts = [...body.matchAll(/\((\d{2,4})\)/g)].map((m) => ({ at: m.index, ai: m[1] ?? '', length: m[0].length }));
  if (starts[0]?.at !== 0) return fail('unknown_ai', `no AI in brackets at the start of ${JSON.stringify(body.slice(0, 8))}`);
  const elements: Gs1Element[] = [];
  for (const [index, start] of starts.entries()) {
    const spec = AI_BY_CODE.get(start.ai);
    if (spec === undefined) return fail('unknown_ai', `AI (${start.ai}) is not supported`);
    const next = starts[index + 1];
    const value = body.slice(start.at + start.length, next === undefined ? body.length : next.at);
    const problem = checkValue(spec, value);
    if (problem !== null) return problem;
    elements.push({ ai: spec.ai, value });
  }
  return elements;
}

/**
 * Parse a GS1 element string: optionally preceded by a GS1 symbology identifier, with GS (or a
 * configured substitute) ending variable-length values, or in the bracketed human-readable form.
 * Every value is checked against the AI table; the first problem found is reported.
 */
export function parseGs1(text: string, options: Gs1Options = {}): Gs1Result {
  let body = text.trim();
  const symbologyId = gs1SymbologyId(body);
  if (symbologyId !== undefined) body = body.slice(symbologyId.length);
  body = replaceSubstitutes(body, options.gsSubstitutes ?? DEFAULT_GS_SUBSTITUTES);
  if (body.split(GS).join('') === '') return fail('empty', 'no GS1 data');

  const parsed = body.startsWith('(') ? parseBracketed(body) : parseConcatenated(body);
  if (!Array.isArray(parsed)) return parsed;
  const gtin = parsed.find((e) => e.ai === '01');
  return gtin === undefined ? { ok: true, elements: parsed } : { ok: true, elements: parsed, gtin14: gtin.value };
}

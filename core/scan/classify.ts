// What did the cashier just scan? One function that turns a raw scanner string into a product
// (GTIN), GS1 data, a voucher code, or an explained "unknown".
//
// Order of the decisions, and why:
//  1. Trim (wedge scanners end with CR/LF/Tab) and strip a leading AIM symbology identifier (`]E0`,
//     `]C0`, `]Q1`…), remembering whether it announced GS1 (`]C1`, `]e0`, `]d2`, `]Q3`, `]J1`).
//  2. Anything explicitly GS1 (symbology id, GS or a GS substitute, bracketed form) is parsed as GS1
//     and nothing else: a broken GS1 string is a misread, not a voucher code.
//  3. All digits of GTIN length (8/12/13/14) is a GTIN (eight digits: EAN-8 or UPC-E, whichever check
//     digit verifies — both readings when both do, AIM ]E0 putting UPC-E first; see gtin.ts). 15, 17
//     or 18 digits may be an EAN-13 or UPC-A with a 2- or 5-digit add-on (14 digits only with AIM ]E3),
//     the add-on kept apart from the product key. A wrong check digit means a misread barcode,
//     so the result is `unknown`/`bad_check_digit` — never a voucher — unless the caller opts in
//     with `badCheckDigit: 'try-voucher'`. When a valid GTIN also fits the voucher code format, the
//     normalised code is attached as `voucherCandidate` so the caller can fall back to a voucher
//     lookup when no product has that barcode.
//  4. A URI is only ever a voucher URL (see qr-payload.ts): http(s) with a code; other schemes are refused.
//  5. An undecorated string may still be GS1 (a scanner set up to send neither symbology id nor GS).
//     By default it counts as GS1 only when it parses completely *and* starts with an identification
//     key whose check digit verifies (AI 00, 01 or 02) — "starts with any known AI" would swallow
//     ordinary codes: `10AB-CD12` parses as AI (10) batch "AB-CD12". `unmarkedGs1: 'any-ai'` widens it.
//  6. Otherwise it is a voucher code if the caller's rules say so, else `unknown`.
//
// The voucher code rules (normalise + format check) are core/code.ts's by default; a caller may pass
// others (a chain whose codes follow a narrower house format, say).

import { DEFAULT_GS_SUBSTITUTES, gs1SymbologyId, hasGs1Marker, parseGs1 } from './gs1';
import type { Gs1Element } from './gs1';
import { classifyGtin, isDigits, splitAddOn } from './gtin';
import type { GtinFormat } from './gtin';
import { extractVoucherCandidate, hasUriScheme } from './qr-payload';
import { isValidCode, normaliseCode } from '../code';

export type VoucherCodeRules = {
  normaliseCode: (raw: string) => string;
  isVoucherCode: (normalised: string) => boolean;
};

export const DEFAULT_CODE_RULES: VoucherCodeRules = { normaliseCode, isVoucherCode: isValidCode };

export type ClassifyOptions = Partial<VoucherCodeRules> & {
  /** Strings the scanner sends in place of GS (FNC1). Default DEFAULT_GS_SUBSTITUTES. */
  gsSubstitutes?: readonly string[];
  /** When an undecorated string counts as GS1 (rule 5 above). Default 'key-first'. */
  unmarkedGs1?: 'key-first' | 'any-ai' | 'never';
  /** What a GTIN-length digit string with a wrong check digit is. Default 'unknown'. */
  badCheckDigit?: 'unknown' | 'try-voucher';
};

export type UnknownScanReason = 'empty' | 'bad_check_digit' | 'gs1_invalid' | 'url_rejected' | 'unrecognised';

export type ScanResult =
  | {
      kind: 'product';
      format: GtinFormat;
      gtin14: string;
      raw: string;
      voucherCandidate?: string;
      /** Eight digits valid both as EAN-8 and as UPC-E: the second reading's key (gtin.ts); a lookup tries it second. */
      alternativeGtin14?: string;
      /** A 2- or 5-digit add-on scanned after the GTIN (issue number, price); not part of the product key. */
      addOn?: string;
    }
  | { kind: 'gs1'; elements: Gs1Element[]; gtin14?: string; raw: string; voucherCandidate?: string }
  | { kind: 'voucher'; code: string; source: 'plain' | 'qr-url'; raw: string }
  | { kind: 'unknown'; reason: UnknownScanReason; detail: string; raw: string };

const GTIN_LENGTHS = [8, 12, 13, 14];
const ADD_ON_LENGTHS = [14, 15, 17, 18];
const IDENTIFICATION_KEY_AIS = ['00', '01', '02'];
// AIM symbology identifier: "]" + symbology letter + modifier character.
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

function voucherCode(candidate: string, rules: VoucherCodeRules): string | undefined {
  const code = rules.normaliseCode(candidate);
  return rules.isVoucherCode(code) ? code : undefined;
}

export function classifyScan(raw: string, options?: ClassifyOptions): ScanResult {
  const rules: VoucherCodeRules = { ...DEFAULT_CODE_RULES, ...options };
  const unknown = (reason: UnknownScanReason, detail: string): ScanResult => ({ kind: 'unknown', reason, detail, raw });
  const gsSubstitutes = options?.gsSubstitutes ?? DEFAULT_GS_SUBSTITUTES;

  const trimmed = raw.trim();
  const announcedGs1 = gs1SymbologyId(trimmed) !== undefined;
  const body = trimmed.replace(AIM_ID, '');
  if (body === '') return unknown('empty', 'nothing scanned');

  // 2. Explicit GS1.
  if (announcedGs1 || hasGs1Marker(body, { gsSubstitutes })) {
    const gs1 = parseGs1(body, { gsSubstitutes });
    if (gs1.ok) return { kind: 'gs1', elements: gs1.elements, ...(gs1.gtin14 === undefined ? {} : { gtin14: gs1.gtin14 }), raw };
    return unknown(gs1.reason === 'bad_check_digit' ? 'bad_check_digit' : 'gs1_invalid', `GS1 ${gs1.reason}: ${gs1.detail}`);
  }

  // 3. GTIN.
  const voucherOf = (text: string) => voucherCode(text, rules);
  if (isDigits(body) && (GTIN_LENGTHS.includes(body.length) || ADD_ON_LENGTHS.includes(body.length))) {
    // Which symbology the scanner read matters only for 8 digits (EAN-8 or UPC-E) and 14 (GTIN-14 or UPC-A + add-on).
    const symbology = body.length === 8 || body.length === 14 ? AIM_ID.exec(trimmed)?.[0] : undefined;
    const eightDigits = symbology === ']E0' ? 'UPC_E' : 'EAN_8';
    // A GTIN of the string's own length first: 14 digits are a GTIN-14 before a UPC-A with an add-on.
    let gtin = GTIN_LENGTHS.includes(body.length) ? classifyGtin(body, eightDigits) : undefined;
    let addOn: string | undefined;
    // Fourteen digits are a GTIN-14 (a misread one when its check fails), not a UPC-A with a 2-digit
    // add-on, unless the scanner's AIM identifier says it read an add-on (]E3).
    const split = gtin?.ok || (body.length === 14 && symbology !== ']E3') ? null : splitAddOn(body);
    if (split) {
      gtin = classifyGtin(split.gtin);
      addOn = split.addOn;
    }
    if (gtin?.ok) {
      const voucherCandidate = voucherOf(body);
      return {
        kind: 'product',
        format: gtin.format,
        gtin14: gtin.gtin14,
        raw,
        ...(gtin.alternativeGtin14 === undefined ? {} : { alternativeGtin14: gtin.alternativeGtin14 }),
        ...(addOn === undefined ? {} : { addOn }),
        ...(voucherCandidate === undefined ? {} : { voucherCandidate }),
      };
    }
  }
  if (isDigits(body) && GTIN_LENGTHS.includes(body.length)) {
    const detail = `${body.length} digits with a wrong check digit: a misread barcode`;
    if (options?.badCheckDigit !== 'try-voucher') return unknown('bad_check_digit', detail);
    const code = voucherOf(body);
    return code === undefined ? unknown('bad_check_digit', detail) : { kind: 'voucher', code, source: 'plain', raw };
  }

  // 4. URL.
  if (hasUriScheme(body)) {
    const payload = extractVoucherCandidate(body);
    if (!payload.ok) return unknown('url_rejected', `${payload.reason}: ${payload.detail}`);
    const code = voucherOf(payload.candidate);
    if (code === undefined) return unknown('url_rejected', 'the code in the URL is not a voucher code');
    return { kind: 'voucher', code, source: 'qr-url', raw };
  }

  // 5. Undecorated GS1.
  const policy = options?.unmarkedGs1 ?? 'key-first';
  if (policy !== 'never') {
    const gs1 = parseGs1(body, { gsSubstitutes });
    const first = gs1.ok ? gs1.elements[0] : undefined;
    if (gs1.ok && first !== undefined && (policy === 'any-ai' || IDENTIFICATION_KEY_AIS.includes(first.ai))) {
      const voucherCandidate = voucherOf(body);
      return {
        kind: 'gs1',
        elements: gs1.elements,
        ...(gs1.gtin14 === undefined ? {} : { gtin14: gs1.gtin14 }),
        raw,
        ...(voucherCandidate === undefined ? {} : { voucherCandidate }),
      };
    }
  }

  // 6. Plain voucher code.
  const code = voucherOf(body);
  if (code !== undefined) return { kind: 'voucher', code, source: 'plain', raw };
  return unknown('unrecognised', 'not a GTIN, GS1 data or voucher code');
}

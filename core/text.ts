// The boundary rule for text: every string that reaches HQ is well-formed Unicode without NUL.
// PostgreSQL stores neither U+0000 nor an unpaired UTF-16 surrogate (JSON.parse happily produces both
// from "\u0000" and "\ud800"), so such a string must be refused where it enters — as a 400, or as a
// REJECTED op — never discovered by the database as a 500. Codes, currencies and pairing codes are
// ASCII, and are upper-cased as ASCII only: Unicode case mapping folds look-alikes into ASCII
// ("ſ" → "S", "ﬀ" → "FF", and "ı".toUpperCase() is "I"), which would let "ſale" match "SALE".
import { z } from 'zod';
import { msg } from './words/msg';

// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** True when the string has no NUL and every UTF-16 surrogate is half of a pair. */
export function isWellFormedText(value: string): boolean {
  if (!SUSPECT.test(value)) return true; // the common case, in one native scan
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1); // NaN past the end
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/**
 * The string with every NUL and unpaired surrogate replaced by U+FFFD: for text HQ builds from what it
 * refuses (a reason, an error detail), which must itself be storable without echoing the bad input.
 */
export function toWellFormedText(value: string): string {
  if (isWellFormedText(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += value[i]! + value[i + 1]!;
        i++;
      } else {
        out += '\uFFFD';
      }
    } else {
      out += c === 0 || (c >= 0xdc00 && c <= 0xdfff) ? '\uFFFD' : value[i]!;
    }
  }
  return out;
}

/** At most `max` UTF-16 units of well-formed text (a surrogate pair cut in half becomes U+FFFD). */
export function truncateText(value: string, max: number): string {
  return toWellFormedText(value.slice(0, max));
}

export const TEXT_MESSAGE = msg('must not contain NUL characters or unpaired UTF-16 surrogates');

/**
 * Every string schema of the wire and the model starts here: `Text.max(255)`, `Text.regex(…)`. The
 * refinement composes with zod's own checks, and with all of them the issues are reported together.
 */
export const Text = z.string().refine(isWellFormedText, { message: TEXT_MESSAGE });

/** Upper-case a-z only; every other character is kept as it is (and then fails an ASCII pattern). */
export function asciiUpperCase(value: string): string {
  return value.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

// ---- free-form JSON (voucher metadata) -----------------------------------------------------------

export const METADATA_LIMITS = { depth: 8, bytes: 16 * 1024, keyLength: 100 } as const;

type Issue = { path: (string | number)[]; message: string };

/** Bytes of `value` in UTF-8 (well-formed input: a surrogate pair is 4 bytes, 2 units of 2). */
function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

/**
 * What is wrong with a free-form JSON object, or [] when nothing: every key and string well-formed
 * text, keys at most 100 characters, numbers finite (JSON.parse reads 1e400 as Infinity, which
 * JSON.stringify would silently store as null), nesting at most 8 levels (the object itself is level
 * 1), and at most 16 KiB as JSON. The walk is iterative and does not descend below the depth limit,
 * so a deeply nested value costs no stack, and it stops after as many values as the size allows.
 */
export function jsonObjectIssues(root: Record<string, unknown>, limits: { depth: number; bytes: number; keyLength: number } = METADATA_LIMITS): Issue[] {
  const issues: Issue[] = [];
  const stack: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value: root, path: [], depth: 1 }];
  // Every value takes at least one byte of JSON: past that many values (walked or waiting), the size
  // check would fail anyway, so the walk stops there.
  const tooBig = [{ path: [], message: `more than ${limits.bytes} bytes as JSON` }];
  let nodes = 0;
  while (stack.length && issues.length < 10) {
    if (++nodes + stack.length > limits.bytes) return tooBig;
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'string') {
      if (!isWellFormedText(value)) issues.push({ path, message: TEXT_MESSAGE });
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) issues.push({ path, message: 'must be a finite number' });
    } else if (typeof value === 'object') {
      if (depth > limits.depth) {
        issues.push({ path, message: `nested deeper than ${limits.depth} levels` });
      } else if (Array.isArray(value)) {
        if (nodes + stack.length + value.length > limits.bytes) return tooBig;
        value.forEach((item, i) => stack.push({ value: item, path: [...path, i], depth: depth + 1 }));
      } else {
        const entries = Object.entries(value);
        if (nodes + stack.length + entries.length > limits.bytes) return tooBig;
        for (const [key, item] of entries) {
          if (!isWellFormedText(key)) issues.push({ path: [...path, key], message: `a key ${TEXT_MESSAGE}` });
          else if (key.length > limits.keyLength) issues.push({ path: [...path, key], message: `key longer than ${limits.keyLength} characters` });
          else stack.push({ value: item, path: [...path, key], depth: depth + 1 });
        }
      }
    } else {
      issues.push({ path, message: 'must be JSON (an object, array, string, finite number, boolean or null)' });
    }
  }
  if (!issues.length) {
    const bytes = utf8Length(JSON.stringify(root));
    if (bytes > limits.bytes) issues.push({ path: [], message: `${bytes} bytes as JSON, more than ${limits.bytes}` });
  }
  return issues;
}

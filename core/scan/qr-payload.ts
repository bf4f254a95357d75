// Where a voucher code sits in a QR payload: the payload itself ("ABCD-1234") or an http(s) URL that
// carries it, as `?code=…` / `?voucher=…` / `?v=…` or as the last path segment after /v/, /voucher/,
// /vouchers/ or /redeem/.
//
// core has neither the DOM nor Node, hence no URL global: the URL is taken apart by hand. That is
// safe because we only ever *read* a code out of it (the code is then looked up, never trusted), so
// the parser only has to be strict about what could make it pick the wrong code:
//   - only http and https are URLs here; a payload starting with any other `scheme:` is refused, not
//     read as a code (so a voucher code cannot look like `name:…`);
//   - names and the path keywords compare case-insensitively (QR alphanumeric mode upper-cases URLs);
//   - the fragment is ignored; each query value and path segment is percent-decoded on its own, so
//     `%2F` or `%26` cannot split or join parts; malformed escapes refuse the URL;
//   - when the URL names more than one different code (two parameters, or a parameter and the path),
//     it is refused as ambiguous rather than guessing.
// Checking that the candidate *is* a voucher code is the caller's job (core/code.ts rules).

export type HttpUrl = {
  scheme: 'http' | 'https';
  /** Lower-cased, without user info and port. */
  host: string;
  /** Percent-decoded path segments, empty ones (from `//` or a trailing `/`) removed. */
  segments: string[];
  /** Percent-decoded query parameters in order; `+` is a space (form encoding). */
  query: [name: string, value: string][];
};

export type UrlFailureReason = 'not_a_url' | 'unsupported_scheme' | 'malformed_url';

export type UrlParse = { ok: true; url: HttpUrl } | { ok: false; reason: UrlFailureReason; detail: string };

// Any `scheme:` start makes the payload a URI (RFC 3986 scheme syntax), so `mailto:…`, `WIFI:…` or
// `javascript:…` are refused as URIs rather than handed on as if they were codes.
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// Registered names and IPv4 (letters, digits, dots, hyphens), or a bracketed IPv6 literal.
const HOST = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])$/;

function percentDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null; // URIError: a lone or malformed %-escape
  }
}

function hasForbiddenUrlChar(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    // C0 controls and space, DEL, backslash, and the other Unicode spaces.
    if (c <= 0x20 || c === 0x7f || c === 0x5c || /\s/.test(text.charAt(i))) return true;
  }
  return false;
}

/** Whether `text` starts with a URI scheme (`https:`, `mailto:`…). */
export function hasUriScheme(text: string): boolean {
  return SCHEME.test(text.trim());
}

/** Take an absolute http(s) URL apart. Strict about anything that could change which part is which. */
export function parseHttpUrl(text: string): UrlParse {
  const m = SCHEME.exec(text);
  if (m === null) return { ok: false, reason: 'not_a_url', detail: 'no scheme:' };
  const scheme = (m[1] ?? '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return { ok: false, reason: 'unsupported_scheme', detail: `${scheme}: is not http or https` };
  }
  // Whitespace, controls and backslashes are not valid in a URL, and browsers "repair" them in ways
  // (e.g. \ → /) that would make our reading differ from theirs: refuse instead.
  if (hasForbiddenUrlChar(text)) {
    return { ok: false, reason: 'malformed_url', detail: 'whitespace, control character or backslash in URL' };
  }
  if (!text.startsWith('//', m[0].length)) return { ok: false, reason: 'malformed_url', detail: `no // after ${scheme}:` };
  const rest = text.slice(m[0].length + 2);
  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt);
  const authorityEnd = beforeHash.search(/[/?]/);
  const authority = authorityEnd === -1 ? beforeHash : beforeHash.slice(0, authorityEnd);
  const afterAuthority = authorityEnd === -1 ? '' : beforeHash.slice(authorityEnd);
  const queryAt = afterAuthority.indexOf('?');
  const rawPath = queryAt === -1 ? afterAuthority : afterAuthority.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : afterAuthority.slice(queryAt + 1);

  const hostPort = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : (hostPort.split(':')[0] ?? '');
  const port = hostPort.slice(host.length);
  if (!HOST.test(host) || !/^(?::\d*)?$/.test(port)) {
    return { ok: false, reason: 'malformed_url', detail: `bad host ${JSON.stringify(authority)}` };
  }

  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue;
    const decoded = percentDecode(raw);
    if (decoded === null) return { ok: false, reason: 'malformed_url', detail: `bad percent-encoding in path segment ${JSON.stringify(raw)}` };
    segments.push(decoded);
  }

  const query: [string, string][] = [];
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = percentDecode((eq === -1 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '));
    if (name === null || value === null) return { ok: false, reason: 'malformed_url', detail: `bad percent-encoding in query ${JSON.stringify(pair)}` };
    query.push([name, value]);
  }

  return { ok: true, url: { scheme, host, segments, query } };
}

const CODE_PARAMS = ['code', 'voucher', 'v'];
const CODE_PATH_KEYWORDS = ['v', 'voucher', 'vouchers', 'redeem'];

export type QrPayload =
  | { ok: true; source: 'plain'; candidate: string }
  | { ok: true; source: 'qr-url'; candidate: string; host: string }
  | { ok: false; reason: 'empty' | UrlFailureReason | 'no_code_in_url' | 'ambiguous_code'; detail: string };

/** The codes a URL names, in order: query parameters first, then the path. */
function codesInUrl(url: HttpUrl): string[] {
  const fromQuery = url.query.filter(([name]) => CODE_PARAMS.includes(name.toLowerCase())).map(([, value]) => value);
  const last = url.segments.at(-1);
  const keyword = url.segments.at(-2)?.toLowerCase();
  const fromPath = last !== undefined && keyword !== undefined && CODE_PATH_KEYWORDS.includes(keyword) ? [last] : [];
  return [...fromQuery, ...fromPath].filter((code) => code.trim() !== '');
}

/**
 * The voucher code candidate a QR payload carries: the trimmed payload itself, or the code read from
 * an http(s) URL. The candidate is raw — not normalised, not checked against the code format.
 */
export function extractVoucherCandidate(payload: string): QrPayload {
  const text = payload.trim();
  if (text === '') return { ok: false, reason: 'empty', detail: 'empty payload' };
  if (!hasUriScheme(text)) return { ok: true, source: 'plain', candidate: text };

  const parsed = parseHttpUrl(text);
  if (!parsed.ok) return parsed;
  const codes = [...new Set(codesInUrl(parsed.url))];
  const [code] = codes;
  if (code === undefined) return { ok: false, reason: 'no_code_in_url', detail: `no code parameter or /v/… path in a URL to ${parsed.url.host}` };
  if (codes.length > 1) return { ok: false, reason: 'ambiguous_code', detail: `URL names ${codes.length} different codes` };
  return { ok: true, source: 'qr-url', candidate: code, host: parsed.url.host };
}

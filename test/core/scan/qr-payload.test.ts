import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { extractVoucherCandidate, parseHttpUrl } from '../../../core/scan/qr-payload';

describe('extractVoucherCandidate: codes carried by URLs', () => {
  it.each<[string, string, string]>([
    ['https://shop.example/v/ABCD1234', 'ABCD1234', 'shop.example'],
    ['https://x.example/redeem?Code=abcd-1234#frag', 'abcd-1234', 'x.example'],
    ['http://shop.example/voucher/ABCD-1234', 'ABCD-1234', 'shop.example'],
    ['https://shop.example/de/vouchers/ABCD-1234/', 'ABCD-1234', 'shop.example'],
    ['https://shop.example/redeem/ABCD-1234?utm_source=print', 'ABCD-1234', 'shop.example'],
    ['https://shop.example/gift?voucher=XY12', 'XY12', 'shop.example'],
    ['https://shop.example/?v=XY12&lang=de', 'XY12', 'shop.example'],
    ['https://shop.example?VOUCHER=XY12', 'XY12', 'shop.example'],
    ['HTTPS://SHOP.EXAMPLE/V/ABCD1234', 'ABCD1234', 'shop.example'], // QR alphanumeric mode upper-cases
    ['https://shop.example/v/AB%2DCD%2012', 'AB-CD 12', 'shop.example'],
    ['https://shop.example/redeem?code=ab%2Bcd+12', 'ab+cd 12', 'shop.example'],
    ['https://shop.example/v/AB%2FCD', 'AB/CD', 'shop.example'], // %2F stays inside the segment
    ['https://user:pw@Shop.Example:8443/v/ABCD', 'ABCD', 'shop.example'],
    ['https://[2001:db8::1]/v/ABCD', 'ABCD', '[2001:db8::1]'],
    ['https://shop.example/v/ABCD#/v/EVIL', 'ABCD', 'shop.example'], // the fragment is ignored
    ['https://shop.example/v/ABCD?code=ABCD', 'ABCD', 'shop.example'], // same code twice is fine
  ])('%s → %s', (url, candidate, host) => {
    expect(extractVoucherCandidate(url)).toEqual({ ok: true, source: 'qr-url', candidate, host });
  });

  it.each<[string, string]>([
    ['ftp://shop.example/v/ABCD', 'unsupported_scheme'],
    ['javascript:alert(1)//?code=ABCD', 'unsupported_scheme'],
    ['mailto:ABCD@shop.example', 'unsupported_scheme'],
    ['WIFI:S:shop;T:WPA;P:secret;;', 'unsupported_scheme'],
    ['data:text/plain,ABCD', 'unsupported_scheme'],
    ['https:shop.example/v/ABCD', 'malformed_url'],
    ['https:///v/ABCD', 'malformed_url'],
    ['https://shop example/v/ABCD', 'malformed_url'],
    ['https://shop.example\\v\\ABCD', 'malformed_url'],
    ['https://shop.example/v/AB%ZZ', 'malformed_url'],
    ['https://shop.example/?code=%E0%A4%A', 'malformed_url'],
    ['https://shop.example:port/v/ABCD', 'malformed_url'],
    ['https://shop.example/', 'no_code_in_url'],
    ['https://shop.example/v/', 'no_code_in_url'],
    ['https://shop.example/v/ABCD/details', 'no_code_in_url'],
    ['https://shop.example/products/ABCD', 'no_code_in_url'],
    ['https://shop.example/?code=', 'no_code_in_url'],
    ['https://shop.example/#code=ABCD', 'no_code_in_url'],
    ['https://shop.example/?code=AAAA&v=BBBB', 'ambiguous_code'],
    ['https://shop.example/v/AAAA?code=BBBB', 'ambiguous_code'],
    ['', 'empty'],
    ['  \r\n', 'empty'],
  ])('%j is refused: %s', (payload, reason) => {
    const result = extractVoucherCandidate(payload);
    expect(result).toMatchObject({ ok: false, reason });
  });
});

describe('extractVoucherCandidate: plain payloads', () => {
  it.each([
    ['ABCD-1234', 'ABCD-1234'],
    ['  abcd-1234\r\n', 'abcd-1234'],
    ['shop.example/v/ABCD', 'shop.example/v/ABCD'], // no scheme: not a URL, and the format check will refuse it
  ])('%j → %j', (payload, candidate) => {
    expect(extractVoucherCandidate(payload)).toEqual({ ok: true, source: 'plain', candidate });
  });

  it('hands back any payload without a scheme unchanged but trimmed', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKMNPQRSTVWXYZ0123456789-'), minLength: 1 }), (code) => {
        expect(extractVoucherCandidate(` ${code}\n`)).toEqual({ ok: true, source: 'plain', candidate: code });
      }),
    );
  });

  it('finds any percent-encoded code in /v/ and in ?code=', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), (code) => {
        const encoded = encodeURIComponent(code);
        expect(extractVoucherCandidate(`https://shop.example/v/${encoded}`)).toMatchObject({ ok: true, candidate: code });
        expect(extractVoucherCandidate(`https://shop.example/r?code=${encoded}`)).toMatchObject({ ok: true, candidate: code });
      }),
    );
  });
});

describe('parseHttpUrl', () => {
  it('takes a URL apart', () => {
    expect(parseHttpUrl('https://a.example:8080/x/%41b//c/?q=1&flag&e=a%3Db#f')).toEqual({
      ok: true,
      url: {
        scheme: 'https',
        host: 'a.example',
        segments: ['x', 'Ab', 'c'],
        query: [
          ['q', '1'],
          ['flag', ''],
          ['e', 'a=b'],
        ],
      },
    });
  });

  it('agrees with the WHATWG URL parser on host, path and query for simple URLs', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcxyz0129-._~'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https', 'HTTPS'),
        fc.array(word, { minLength: 1, maxLength: 3 }),
        // "." and ".." are dot segments the WHATWG parser resolves; they never carry a code
        fc.array(word.filter((w) => !/^\.+$/.test(w)), { maxLength: 3 }),
        fc.array(fc.tuple(word, fc.string({ maxLength: 6 })), { maxLength: 3 }),
        (scheme, labels, path, params) => {
          // letter-first labels: an all-numeric host would be read as IPv4 by the WHATWG parser
          const host = labels.map((l) => `h${l.replace(/[._~-]/g, 'a')}`).join('.');
          const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const text = `${scheme}://${host}/${path.join('/')}${query === '' ? '' : `?${query}`}`;
          const ours = parseHttpUrl(text);
          const theirs = new URL(text);
          expect(ours.ok).toBe(true);
          if (!ours.ok) return;
          expect(ours.url.host).toBe(theirs.hostname);
          expect(ours.url.query).toEqual([...theirs.searchParams.entries()]);
          const theirSegments = theirs.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
          expect(ours.url.segments).toEqual(theirSegments);
        },
      ),
    );
  });
});

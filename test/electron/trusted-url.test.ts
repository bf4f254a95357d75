// The origin checks every other guard relies on, against look-alike URLs.
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, checkHqUrl, isHqUrl, isLoopbackHost, isTrustedAppUrl } from '../../electron/trusted-url';

describe('isTrustedAppUrl', () => {
  it.each(['app://till/', 'app://till/index.html', 'app://till/assets/index-abc.js?x=1#y', 'app://till', `${APP_ORIGIN}/checkout`])('trusts %s', (url) => {
    expect(isTrustedAppUrl(url)).toBe(true);
  });

  it.each([
    'app://till.evil/',
    'app://till.evil.example/index.html',
    'app://evil.till/',
    'app://user@till/',
    'app://till:pw@till/',
    'app://till@evil/',
    'app://till\\@evil/',
    'app://till:80/',
    'app://till%2e/',
    'app://till./',
    'app:/till/index.html',
    'app:till',
    'apps://till/',
    'https://till/',
    'http://localhost:5173/',
    'file:///work/main/dist/renderer/index.html',
    'data:text/html,<script>1</script>',
    'javascript:alert(1)',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isTrustedAppUrl(url)).toBe(false);
  });
});

describe('checkHqUrl', () => {
  it.each([
    ['https://hq.example.com', 'https://hq.example.com'],
    ['https://hq.example.com:8443/api/', 'https://hq.example.com:8443'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ])('accepts %s with origin %s', (url, origin) => {
    expect(checkHqUrl(url)).toEqual({ ok: true, origin });
  });

  it.each([
    ['http://localhost.evil.example', /only allowed for localhost/],
    ['http://127.0.0.1.nip.io:8080', /only allowed for localhost/],
    ['http://hq.example.com', /must use https/],
    ['ftp://hq.example.com', /must use https/],
    ['javascript:alert(1)', /must use https/],
    ['https://user:pw@hq.example.com', /user name or password/],
    ['https://hq.example.com/?token=x', /query/],
    ['https://hq.example.com/#x', /fragment/],
    ['hq.example.com', /not a valid absolute URL/],
  ])('refuses %s', (url, reason) => {
    const check = checkHqUrl(url);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });
});

describe('isHqUrl', () => {
  const hq = 'https://hq.example.com';
  it('matches the HQ origin, any path', () => {
    expect(isHqUrl('https://hq.example.com/v1/sync/stream', hq)).toBe(true);
  });
  it.each(['https://hq.example.com.evil.example/', 'https://evil.example/?https://hq.example.com', 'http://hq.example.com/', 'https://hq.example.com:444/', 'https://x@hq.example.com/'])(
    'refuses look-alike %s',
    (url) => expect(isHqUrl(url, hq)).toBe(false),
  );
  it('refuses everything when no HQ is configured', () => expect(isHqUrl('https://hq.example.com/', null)).toBe(false));
});

it('loopback is an exact host match', () => {
  expect(isLoopbackHost('localhost')).toBe(true);
  expect(isLoopbackHost('localhost.evil.example')).toBe(false);
  expect(isLoopbackHost('127.0.0.2')).toBe(false);
});

// The policy the till window runs under: only the app itself, plus HQ for fetch/SSE, plus
// data:/blob: images; nothing that would let injected markup run or exfiltrate.
import { describe, expect, it } from 'vitest';
import { PRINT_CSP, buildCsp } from '../../electron/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

describe('buildCsp', () => {
  const csp = directives(buildCsp({ hqOrigin: 'https://hq.example.com' }));

  it('denies by default and names every fetch directive the app needs', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    for (const d of ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src', 'object-src', 'frame-src', 'frame-ancestors', 'form-action', 'base-uri']) {
      expect(csp.has(d), d).toBe(true);
    }
  });

  it('runs only the app\'s own scripts: no inline, no eval, no other origin', () => {
    expect(csp.get('script-src')).toEqual(["'self'", 'app://till']);
  });

  it('connects only to the app and the HQ origin (fetch and the SSE stream)', () => {
    expect(csp.get('connect-src')).toEqual(["'self'", 'app://till', 'https://hq.example.com']);
  });

  it('allows data: and blob: images for barcodes, nothing remote', () => {
    expect(csp.get('img-src')).toEqual(["'self'", 'app://till', 'data:', 'blob:']);
  });

  it('shuts frames, plugins, forms and <base> completely', () => {
    for (const d of ['object-src', 'frame-src', 'child-src', 'frame-ancestors', 'form-action', 'base-uri']) expect(csp.get(d), d).toEqual(["'none'"]);
  });

  it('never contains unsafe keywords or wildcards', () => {
    const text = buildCsp({ hqOrigin: 'https://hq.example.com' });
    expect(text).not.toMatch(/unsafe-|\*|https:(?!\/\/hq)|http:/);
  });

  it('without an HQ the app can connect only to itself', () => {
    expect(directives(buildCsp({ hqOrigin: null })).get('connect-src')).toEqual(["'self'", 'app://till']);
  });
});

it('the print policy blocks every fetch and all scripts', () => {
  const csp = directives(PRINT_CSP);
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.has('script-src')).toBe(false); // falls back to default-src 'none'
  expect(csp.get('img-src')).toEqual(['data:', 'blob:']);
});

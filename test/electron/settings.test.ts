// The settings file: defaults, the environment override, and errors that name the field and the reason.
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, toShellConfig } from '../../electron/settings';

const FILE = '/profile/settings.json';

function errorsOf(result: ReturnType<typeof parseSettings>): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('parseSettings', () => {
  it('no file means all defaults', () => {
    expect(parseSettings(null, FILE)).toEqual({ ok: true, settings: { hqUrl: null, hqOrigin: null, printer: null, kiosk: false, allowPlainTextToken: false } });
  });

  it('reads every field and derives the HQ origin', () => {
    const text = JSON.stringify({ hqUrl: 'https://hq.example.com/base/', printer: 'EPSON TM-T20', kiosk: true, allowPlainTextToken: true });
    expect(parseSettings(text, FILE)).toEqual({
      ok: true,
      settings: { hqUrl: 'https://hq.example.com/base/', hqOrigin: 'https://hq.example.com', printer: 'EPSON TM-T20', kiosk: true, allowPlainTextToken: true },
    });
  });

  it('reports malformed JSON with the file name', () => {
    expect(errorsOf(parseSettings('{"kiosk": tru', FILE))[0]).toMatch(/^\/profile\/settings\.json: not valid JSON/);
  });

  it('names the field and the reason for a bad HQ URL', () => {
    const [error] = errorsOf(parseSettings(JSON.stringify({ hqUrl: 'http://localhost.evil.example' }), FILE));
    expect(error).toMatch(/settings\.json: hqUrl: must use https:\/\/.*localhost\.evil\.example/);
  });

  it('names a wrongly typed field', () => {
    expect(errorsOf(parseSettings(JSON.stringify({ kiosk: 'yes' }), FILE))[0]).toMatch(/settings\.json: kiosk: .*boolean/i);
  });

  it('refuses an empty printer name with a hint', () => {
    expect(errorsOf(parseSettings(JSON.stringify({ printer: '  ' }), FILE))[0]).toMatch(/printer: must not be empty \(use null/);
  });

  it('names unknown (e.g. misspelt) settings instead of ignoring them', () => {
    expect(errorsOf(parseSettings(JSON.stringify({ hqURL: 'https://hq.example.com' }), FILE))[0]).toMatch(/unknown setting\(s\) 'hqURL'/);
  });

  it('refuses a file that is not an object', () => {
    expect(errorsOf(parseSettings('[]', FILE))[0]).toMatch(/settings\.json: \(top level\)/);
  });

  it('TILL_HQ_URL overrides the file and is validated the same way', () => {
    const text = JSON.stringify({ hqUrl: 'https://hq.example.com' });
    const ok = parseSettings(text, FILE, { TILL_HQ_URL: 'http://127.0.0.1:8080' });
    expect(ok.ok && ok.settings.hqOrigin).toBe('http://127.0.0.1:8080');
    expect(errorsOf(parseSettings(text, FILE, { TILL_HQ_URL: 'http://hq.evil.example' }))[0]).toMatch(/^environment variable TILL_HQ_URL: .*must use https/);
  });

  it('TILL_KIOSK overrides kiosk and refuses anything but 1/0/true/false', () => {
    const on = parseSettings(null, FILE, { TILL_KIOSK: '1' });
    expect(on.ok && on.settings.kiosk).toBe(true);
    expect(errorsOf(parseSettings(null, FILE, { TILL_KIOSK: 'maybe' }))[0]).toMatch(/TILL_KIOSK: must be 1, 0, true or false/);
  });

  it('exposes only hqUrl, printer and kiosk to the renderer', () => {
    const r = parseSettings(JSON.stringify({ hqUrl: 'https://hq.example.com', allowPlainTextToken: true }), FILE);
    expect(r.ok && toShellConfig(r.settings)).toEqual({ hqUrl: 'https://hq.example.com', printer: null, kiosk: false });
  });
});

describe('loadSettings', () => {
  const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  it('a missing file is not an error', async () => {
    expect((await loadSettings(FILE, () => Promise.reject(enoent), {})).ok).toBe(true);
  });
  it('any other read error is reported, not swallowed', async () => {
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(await loadSettings(FILE, () => Promise.reject(eacces), {})).toEqual({ ok: false, errors: [`${FILE}: cannot be read — EACCES: permission denied`] });
  });
});

// Silent printing decisions, with a fake print window and a fake clock.
import { describe, expect, it, vi } from 'vitest';
import { PRINT_CSP } from '../../electron/csp';
import { choosePrinter, MAX_DATA_URL_LENGTH, printDocumentUrl, printHtml, printOutcome, toPrinterInfo, type PrintDeps, type PrintWindowLike } from '../../electron/printing';

/** Let pending promise callbacks run (no real time passes). */
const flush = () => new Promise((r) => setImmediate(r));

const decode = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8');

describe('choosePrinter', () => {
  const installed = ['TM-T20', 'Office'];
  it('prefers the requested printer, then the configured one, then the system default', () => {
    expect(choosePrinter('Office', 'TM-T20', installed)).toEqual({ ok: true, deviceName: 'Office' });
    expect(choosePrinter(undefined, 'TM-T20', installed)).toEqual({ ok: true, deviceName: 'TM-T20' });
    expect(choosePrinter(undefined, null, installed)).toEqual({ ok: true, deviceName: undefined });
  });
  it('reports a printer that is not installed, and no printers at all', () => {
    expect(choosePrinter(undefined, 'Gone', installed)).toEqual({ ok: false, result: { ok: false, reason: 'no-printer', message: expect.stringMatching(/'Gone' is not installed/) } });
    expect(choosePrinter(undefined, null, [])).toMatchObject({ ok: false, result: { reason: 'no-printer' } });
  });
});

describe('printDocumentUrl', () => {
  it('puts the print CSP first, after any doctype', () => {
    const doc = printDocumentUrl('<!DOCTYPE html><html><body>Total 9.99 €</body></html>');
    expect(doc.ok).toBe(true);
    if (!doc.ok) return;
    expect(doc.url).toMatch(/^data:text\/html;charset=utf-8;base64,/);
    expect(decode(doc.url)).toBe(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}"><html><body>Total 9.99 €</body></html>`);
  });
  it('also protects a fragment without a doctype', () => {
    const doc = printDocumentUrl('<p>x</p><img src="https://tracker.example/p.gif">');
    expect(doc.ok && decode(doc.url).startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
  });
  it('refuses documents too large for a URL', () => {
    expect(printDocumentUrl('x'.repeat(MAX_DATA_URL_LENGTH))).toMatchObject({ ok: false, message: expect.stringMatching(/too large/) });
  });
});

it('maps Electron print outcomes', () => {
  expect(printOutcome(true, '')).toEqual({ ok: true });
  expect(printOutcome(false, 'Print job canceled')).toMatchObject({ ok: false, reason: 'cancelled' });
  expect(printOutcome(false, 'Print job failed')).toMatchObject({ ok: false, reason: 'failed', message: 'Print job failed' });
});

it('reads isDefault from printer options when the OS reports it', () => {
  expect(toPrinterInfo({ name: 'a', displayName: 'A', options: { 'is-default': 'true' } })).toEqual({ name: 'a', displayName: 'A', isDefault: true });
  expect(toPrinterInfo({ name: 'b', displayName: '', options: {} })).toEqual({ name: 'b', displayName: 'b', isDefault: false });
});

describe('printHtml', () => {
  function setup(behaviour: 'succeed' | 'fail' | 'hang' | 'load-error') {
    const timers = { pending: [] as (() => void)[], setTimeout: (fn: () => void) => timers.pending.push(fn), clearTimeout: vi.fn() };
    const win: PrintWindowLike & { printed: unknown[] } = {
      printed: [],
      loadURL: vi.fn(async () => {
        if (behaviour === 'load-error') throw new Error('ERR_ABORTED');
      }),
      print: vi.fn((options, callback) => {
        win.printed.push(options);
        if (behaviour === 'succeed') callback(true, '');
        if (behaviour === 'fail') callback(false, 'Print job failed');
      }),
      destroy: vi.fn(),
    };
    const deps: PrintDeps = { createWindow: () => win, listPrinterNames: async () => ['TM-T20'], configuredPrinter: 'TM-T20', timers, timeoutMs: 60_000 };
    return { win, deps, timers };
  }

  it('prints silently to the configured printer and closes the window', async () => {
    const { win, deps } = setup('succeed');
    expect(await printHtml('<p>receipt</p>', undefined, deps)).toEqual({ ok: true });
    expect(win.printed).toEqual([{ silent: true, printBackground: true, deviceName: 'TM-T20' }]);
    expect(win.destroy).toHaveBeenCalledOnce();
  });

  it('reports a failed job and a failed load, and always closes the window', async () => {
    for (const behaviour of ['fail', 'load-error'] as const) {
      const { win, deps } = setup(behaviour);
      expect(await printHtml('<p>x</p>', undefined, deps)).toMatchObject({ ok: false, reason: 'failed' });
      expect(win.destroy).toHaveBeenCalledOnce();
    }
  });

  it('gives up when the spooler never answers (bounded by the timeout)', async () => {
    const { win, deps, timers } = setup('hang');
    const result = printHtml('<p>x</p>', undefined, deps);
    await flush();
    expect(win.print).toHaveBeenCalled();
    timers.pending.forEach((fn) => fn());
    expect(await result).toMatchObject({ ok: false, reason: 'failed', message: expect.stringMatching(/did not finish/) });
    expect(win.destroy).toHaveBeenCalledOnce();
  });

  it('does not open a window when the printer is missing', async () => {
    const { deps } = setup('succeed');
    const createWindow = vi.fn(deps.createWindow);
    expect(await printHtml('<p>x</p>', 'Gone', { ...deps, createWindow })).toMatchObject({ ok: false, reason: 'no-printer' });
    expect(createWindow).not.toHaveBeenCalled();
  });
});

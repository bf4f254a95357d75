// Silent receipt printing: the HTML is loaded into a hidden window (window-options.ts: no JS, own
// in-memory session) as a data: URL whose first element is a CSP that blocks every fetch, then
// printed with webContents.print({ silent: true, deviceName }). Electron is reached only through the
// small PrintWindowLike surface so the decisions here are unit-tested.
import type { PrintResult, PrinterInfo } from '../renderer/shell/till-shell-api';
import { PRINT_CSP } from './csp';
import type { Timers } from './quit-guard';

/** Chromium refuses URLs longer than 2 MiB. */
export const MAX_DATA_URL_LENGTH = 2 * 1024 * 1024;

export type ElectronPrinterLike = { name: string; displayName: string; options?: object };

export function toPrinterInfo(printer: ElectronPrinterLike): PrinterInfo {
  // Electron 45's PrinterInfo has no isDefault; CUPS reports it in options on some systems.
  const flag = (printer.options as Record<string, unknown> | undefined)?.['is-default'];
  return { name: printer.name, displayName: printer.displayName || printer.name, isDefault: flag === true || flag === 'true' };
}

export type PrinterChoice = { ok: true; deviceName: string | undefined } | { ok: false; result: PrintResult };

/** The printer asked for, else the configured one, else the system default (deviceName undefined). */
export function choosePrinter(requested: string | undefined, configured: string | null, installed: readonly string[]): PrinterChoice {
  const wanted = requested ?? configured ?? undefined;
  if (installed.length === 0) return { ok: false, result: { ok: false, reason: 'no-printer', message: 'No printer is installed.' } };
  if (wanted === undefined) return { ok: true, deviceName: undefined };
  if (!installed.includes(wanted)) {
    return { ok: false, result: { ok: false, reason: 'no-printer', message: `Printer '${wanted}' is not installed (installed: ${installed.join(', ')}).` } };
  }
  return { ok: true, deviceName: wanted };
}

/** Map Electron's print callback to the renderer's result. */
export function printOutcome(success: boolean, failureReason: string): PrintResult {
  if (success) return { ok: true };
  if (/cancel/i.test(failureReason)) return { ok: false, reason: 'cancelled', message: failureReason || 'Print job cancelled.' };
  return { ok: false, reason: 'failed', message: failureReason || 'Print job failed.' };
}

/** The receipt as a data: URL with the print CSP as its first element (a meta CSP covers only what follows it). */
export function printDocumentUrl(html: string): { ok: true; url: string } | { ok: false; message: string } {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  const doc = doctype ? `${doctype[0]}${meta}${html.slice(doctype[0].length)}` : `${meta}${html}`;
  const url = `data:text/html;charset=utf-8;base64,${Buffer.from(doc, 'utf8').toString('base64')}`;
  if (url.length > MAX_DATA_URL_LENGTH) return { ok: false, message: `The document is too large to print (${url.length} bytes encoded, limit ${MAX_DATA_URL_LENGTH}).` };
  return { ok: true, url };
}

export type PrintWindowLike = {
  loadURL(url: string): Promise<void>;
  print(options: { silent: true; printBackground: boolean; deviceName?: string }, callback: (success: boolean, failureReason: string) => void): void;
  destroy(): void;
};

export type PrintDeps = {
  createWindow: () => PrintWindowLike;
  listPrinterNames: () => Promise<string[]>;
  configuredPrinter: string | null;
  timers: Timers;
  /** Bound on load + print: a stuck spooler must not leave the cashier waiting forever. */
  timeoutMs: number;
};

export async function printHtml(html: string, requestedPrinter: string | undefined, deps: PrintDeps): Promise<PrintResult> {
  const choice = choosePrinter(requestedPrinter, deps.configuredPrinter, await deps.listPrinterNames());
  if (!choice.ok) return choice.result;
  const doc = printDocumentUrl(html);
  if (!doc.ok) return { ok: false, reason: 'failed', message: doc.message };

  const win = deps.createWindow();
  let timer: unknown;
  const timeout = new Promise<PrintResult>((resolve) => {
    timer = deps.timers.setTimeout(() => resolve({ ok: false, reason: 'failed', message: `Printing did not finish within ${deps.timeoutMs} ms.` }), deps.timeoutMs);
  });
  const job = (async (): Promise<PrintResult> => {
    await win.loadURL(doc.url);
    return new Promise<PrintResult>((resolve) => {
      const options = choice.deviceName === undefined ? { silent: true as const, printBackground: true } : { silent: true as const, printBackground: true, deviceName: choice.deviceName };
      win.print(options, (success, failureReason) => resolve(printOutcome(success, failureReason)));
    });
  })().catch((e: unknown): PrintResult => ({ ok: false, reason: 'failed', message: `Printing failed: ${e instanceof Error ? e.message : String(e)}` }));
  try {
    return await Promise.race([job, timeout]);
  } finally {
    deps.timers.clearTimeout(timer);
    win.destroy();
  }
}

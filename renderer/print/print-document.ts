// A printable document from a React element: the same component the screen shows, rendered to static
// HTML with print styles, then handed to the shell (silent printing in Electron, the print dialog in
// a browser).
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PrintResult, TillShellApi } from '../shell/till-shell-api';
import { languageOf, textDirection } from '../../core/words/i18n';

const PRINT_CSS = `
  @page { margin: 4mm; }
  body { font: 12px/1.35 system-ui, sans-serif; color: #000; width: 72mm; margin: 0 auto; }
  h1 { font-size: 16px; text-align: center; margin: 0 0 4px; }
  table { width: 100%; border-collapse: collapse; }
  td, th { padding: 1px 0; vertical-align: top; text-align: start; font-weight: normal; }
  .num { text-align: end; white-space: nowrap; }
  .codes { text-align: center; margin-top: 8px; }
  .codes img { max-width: 100%; display: block; margin: 4px auto; }
  .qr { width: 30mm; }
  hr { border: 0; border-top: 1px dashed #000; }
  .muted { color: #333; }
`;

/** `locale`: the till's, so a receipt in Arabic is printed right to left (logical CSS above mirrors it). */
export function printableHtml(title: string, element: ReactElement, locale = 'en'): string {
  const body = renderToStaticMarkup(element);
  const safeTitle = title.replace(/[<>&"]/g, '');
  return `<!doctype html><html lang="${languageOf(locale)}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><title>${safeTitle}</title><style>${PRINT_CSS}</style></head><body>${body}</body></html>`;
}

export function printElement(shell: TillShellApi, title: string, element: ReactElement, printer: string | null, locale: string): Promise<PrintResult> {
  return shell.printHtml(printableHtml(title, element, locale), printer ? { printer } : undefined);
}

import type { ReactElement } from 'react';
import { printElement } from '../print/print-document';
import { useTill } from './store-context';
import { useShell } from './shell-context';
import { useT } from './use-format';

/** Print a document through the shell and say how it went. */
export function usePrint(): (title: string, element: ReactElement) => Promise<void> {
  const shell = useShell();
  const printer = useTill((s) => s.settings.printer);
  const say = useTill((s) => s.say);
  const locale = useTill((s) => s.settings.locale);
  const t = useT();
  return async (title, element) => {
    const result = await printElement(shell, title, element, printer, locale);
    if (!result.ok) {
      // The shell's message is English and names the printers (for IT); the reason is said in the till's language.
      const why = result.reason === 'no-printer' ? t('The printer chosen in Settings is not installed, or there is no printer.') : result.message;
      say('error', t('Printing failed: {{error}}', { error: why }));
    }
  };
}

import type { ReactElement } from 'react';
import { printElement } from '../print/print-document';
import { useTill } from './store-context';
import { useShell } from './shell-context';

/** Print a document through the shell and say how it went. */
export function usePrint(): (title: string, element: ReactElement) => Promise<void> {
  const shell = useShell();
  const printer = useTill((s) => s.settings.printer);
  const say = useTill((s) => s.say);
  return async (title, element) => {
    const result = await printElement(shell, title, element, printer);
    if (!result.ok) say('error', `Printing failed: ${result.message}`);
  };
}

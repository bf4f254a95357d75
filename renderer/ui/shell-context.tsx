import { createContext, useContext, type ReactNode } from 'react';
import type { TillShellApi } from '../shell/till-shell-api';

const ShellContext = createContext<TillShellApi | null>(null);

export function ShellProvider({ shell, children }: { shell: TillShellApi; children: ReactNode }) {
  return <ShellContext.Provider value={shell}>{children}</ShellContext.Provider>;
}

export function useShell(): TillShellApi {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('ShellProvider is missing');
  return shell;
}

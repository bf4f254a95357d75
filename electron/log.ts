// The shell's log: one line per event, to stderr and to <userData>/logs/till-shell.log so a support
// person can see crashes, refused IPC and navigation attempts after the fact.
import fs from 'node:fs';
import path from 'node:path';

export type Log = (message: string) => void;

export function createLog(file: string | null, now: () => Date = () => new Date()): Log {
  if (file !== null) fs.mkdirSync(path.dirname(file), { recursive: true });
  return (message) => {
    const line = `${now().toISOString()} ${message}\n`;
    process.stderr.write(line);
    if (file === null) return;
    try {
      fs.appendFileSync(file, line);
    } catch {
      // Logging must never take the till down (full disk, read-only profile).
    }
  };
}

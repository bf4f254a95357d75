// What the catalog tests read from the source: every sentence a program asks to be translated —
// t('…') or msg('…') with a literal in single quotes, the only form these checks can read (a test
// refuses the others) — and what a catalog holds for it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

/** The .ts/.tsx files under a folder (catalogs themselves left out), or the file itself. */
export function sources(dir: string): string[] {
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every literal sentence passed to t(…) or msg(…) in these files, with the file that asks for it. */
export function sentencesAskedFor(files: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:t|msg)\(\s*'((?:[^'\\]|\\.)*)'/g)) keys.set(m[1]!.replace(/\\'/g, "'"), file.slice(ROOT.length + 1));
  }
  return keys;
}

/** Calls a check cannot read: a sentence in a template or double quotes, or t of a computed translator. */
export function unreadableCalls(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/\b(?:t|msg)\(\s*[`"]|translatorFor\([^)]*\)\(/g)].map((m) => `${file.slice(ROOT.length + 1)}: ${m[0]}`);
  });
}

export const PLURAL = /_(zero|one|two|few|many|other)$/;
/** Whether a catalog has a sentence, as itself or in plural forms. */
export const has = (catalog: Readonly<Record<string, string>>, key: string) => key in catalog || Object.keys(catalog).some((k) => k.replace(PLURAL, '') === key);
/** The names of a sentence's {{placeholders}} ({{count, number}} counts as count). */
export const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

/**
 * What is wrong with a catalog's entries, as lines a failing test prints: an entry no code asks for, a
 * placeholder lost in translation (a plural form may leave out the number it counts), or a count
 * not written as the language writes numbers ({{count, number}}: "1.250 Punkte", not "1250 Punkte").
 */
export function entryProblems(lng: string, catalog: Readonly<Record<string, string>>, asked: ReadonlyMap<string, string>): string[] {
  return Object.entries(catalog).flatMap(([key, value]) => {
    const problems: string[] = [];
    if (!asked.has(key.replace(PLURAL, ''))) problems.push(`${lng}: "${key}" is used nowhere`);
    // The number a plural form counts ({{count}}, or {{n}}/{{points}} holding it written out) may go in a form that says it: "one point", "قسيمتان".
    const need = placeholders(key.replace(PLURAL, '')).filter((p) => !(PLURAL.test(key) && (p === 'count' || p === 'points' || p === 'n')));
    const kept = placeholders(value).filter((p) => need.includes(p));
    if (kept.join() !== need.join()) problems.push(`${lng}: "${key}" keeps {{${kept.join('}}, {{')}}} of {{${need.join('}}, {{')}}}`);
    if (value.includes('{{count}}')) problems.push(`${lng}: "${key}" writes {{count}} without ", number"`);
    return problems;
  });
}

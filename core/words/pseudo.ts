// A pseudo-locale for tests: every translated sentence comes out accented, a third longer and in
// brackets — "⟦Ṕàý (Éñð) ~~~~⟧" — with its {{placeholders}} kept. A screen in this locale shows at a
// glance what was never translated (plain English), what was pieced together from fragments (brackets
// in the middle of a line), and what is clipped when a language runs longer (no closing bracket).
export const PSEUDO_LOCALE = 'en-XA';

const ACCENTED: Record<string, string> = {
  a: 'à', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ', n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'À', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ', N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

export function pseudo(text: string): string {
  // {{placeholders}} and $t(nesting) stay as they are; everything else is accented.
  const parts = text.split(/(\{\{[^}]*\}\}|\$t\([^)]*\))/);
  const body = parts.map((p, i) => (i % 2 ? p : [...p].map((c) => ACCENTED[c] ?? c).join(''))).join('');
  const letters = text.replace(/\{\{[^}]*\}\}/g, '').length;
  return `⟦${body} ${'~'.repeat(Math.max(1, Math.ceil(letters / 3)))}⟧`;
}

/** The pseudo catalog of these keys (plural keys keep their suffix). */
export function pseudoCatalog(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, pseudo(k.replace(/_(zero|one|two|few|many|other)$/, ''))]));
}

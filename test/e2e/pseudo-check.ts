// What the pseudo-locale (en-XA, core/words/pseudo.ts) shows on a page, for the till's and the console's
// e2e tests: every translated sentence comes out accented in ⟦brackets⟧, so words left outside brackets
// escaped translation or were pieced together, a bracket without its partner is a sentence cut or
// glued, and a button narrower than its label clips it.
import type { Page } from '@playwright/test';

/**
 * Every text a person reads on the page — the options of every list too, open or not — and the labels a
 * screen reader reads out; not what is marked data (`translate="no"`: a till's or a store's name) or
 * matches `skip` (`td`: the cells of a list of data).
 */
function texts(page: Page, skip: string): Promise<string[]> {
  return page.evaluate((skip) => {
    const out: string[] = [];
    const data = (el: Element) => el.closest(`[translate="no"], input, textarea, [hidden]${skip ? `, ${skip}` : ''}`) !== null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el && !data(el) && (el.offsetParent !== null || el.closest('select') !== null)) out.push(n.textContent ?? '');
    }
    for (const el of document.querySelectorAll('[aria-label], [alt], [title], [placeholder]')) {
      if (data(el)) continue;
      for (const a of ['aria-label', 'alt', 'title', 'placeholder']) if (el.hasAttribute(a)) out.push(el.getAttribute(a) ?? '');
    }
    return out;
  }, skip);
}

/** Words left once every translated sentence (innermost first) is taken out, less what `data` says is data. */
export function leftoverWords(text: string, data: RegExp): string[] {
  let rest = text;
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  }
  return rest.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w) && !data.test(w) && !/[⟦⟧]/.test(w));
}

/** The words on the page that escaped translation. */
export async function untranslatedWords(page: Page, data: RegExp, skip = ''): Promise<string[]> {
  return (await texts(page, skip)).flatMap((text) => leftoverWords(text, data));
}

/** Texts whose brackets do not pair: a translated sentence cut, or glued to another. */
export async function brokenSentences(page: Page, skip = ''): Promise<string[]> {
  return (await texts(page, skip)).filter((t) => (t.match(/⟦/g) ?? []).length !== (t.match(/⟧/g) ?? []).length);
}

/** Visible buttons whose label is wider than the button. */
export function clippedButtons(page: Page): Promise<(string | null)[]> {
  return page.locator('button:visible').evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent));
}

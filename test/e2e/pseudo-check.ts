// What the pseudo-locale (en-XA, core/words/pseudo.ts) shows on a page, for the till's and the console's
// e2e tests: every translated sentence comes out accented in ⟦brackets⟧, so words left outside brackets
// escaped translation or were pieced together, a bracket without its partner is a sentence cut or
// glued, and a button narrower than its label clips it.
import type { Page } from '@playwright/test';

/** Every text a person reads on the page, and the labels a screen reader reads out. */
function texts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el && el.closest('input, textarea, [hidden]') === null && el.offsetParent !== null) out.push(n.textContent ?? '');
    }
    for (const el of document.querySelectorAll('[aria-label], [alt], [title], [placeholder]')) {
      for (const a of ['aria-label', 'alt', 'title', 'placeholder']) if (el.hasAttribute(a)) out.push(el.getAttribute(a) ?? '');
    }
    return out;
  });
}

/** Words left once every translated sentence (innermost first) is taken out, less what `data` says is data. */
export async function untranslatedWords(page: Page, data: RegExp): Promise<string[]> {
  return (await texts(page)).flatMap((text) => {
    let rest = text;
    for (let before = ''; before !== rest; ) {
      before = rest;
      rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
    }
    return rest.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w) && !data.test(w) && !/[⟦⟧]/.test(w));
  });
}

/** Texts whose brackets do not pair: a translated sentence cut, or glued to another. */
export async function brokenSentences(page: Page): Promise<string[]> {
  return (await texts(page)).filter((t) => (t.match(/⟦/g) ?? []).length !== (t.match(/⟧/g) ?? []).length);
}

/** Visible buttons whose label is wider than the button. */
export function clippedButtons(page: Page): Promise<(string | null)[]> {
  return page.locator('button:visible').evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent));
}

// Marks a sentence kept as data and translated where it is shown (`t(shortcut.label)`, `t(issue.message)`):
// it returns the sentence unchanged, and the catalog tests find it like a call of t. Its own module, with
// no imports, so a schema anywhere in core can mark its messages without loading i18next and catalogs.
export function msg(sentence: string): string {
  return sentence;
}

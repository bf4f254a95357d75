// A small ESLint rule (after Actual Budget's no-untranslated-strings): words a person reads must go
// through t('…') (core/words/i18n.ts), so no sentence of the till or the console stays English in German or Arabic.
// It reports text written straight into JSX — a text child, a string or template in braces, or a
// string in an attribute people read (aria-label, title, placeholder, alt, label) — when it holds
// letters. Symbols (✕, −, ×), numbers and punctuation alone pass; so do anything inside t(…), key
// names on keycaps (<kbd>Esc</kbd>) and names held in constants (the product's name, BRAND).
// Outside JSX, options name what else reaches a person: `calls` — functions and which argument of theirs
// is shown (`{ say: 1 }`: the till's `say(tone, text)`), and `errors` — `new Error('…')`, whose message the console shows; a
// sentence there must be t('…') or msg('…') too.
const READ_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description']);
const WORDS = /\p{L}{2,}/u;

/** The literal text an expression may show: a string, a template's fixed parts, or either branch of `a ? b : c` / `a && b` / `a || b`. */
function literalText(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((q) => q.value.cooked ?? '').join(' ');
  if (node.type === 'ConditionalExpression') return [literalText(node.consequent), literalText(node.alternate)].filter(Boolean).join(' ') || null;
  if (node.type === 'LogicalExpression') return literalText(node.right);
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const untranslatedRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Words a person reads go through t() so they can be translated.' },
    schema: [{ type: 'object', properties: { calls: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } }, errors: { type: 'boolean' } }, additionalProperties: false }],
    messages: { untranslated: 'Untranslated text "{{text}}": write t(\'{{text}}\') and add it to the catalogs (core/words/locales/, or backoffice/words/locales/ for the console).' },
  },
  create(context) {
    const report = (node, text) => context.report({ node, messageId: 'untranslated', data: { text: text.trim().slice(0, 60) } });
    const { calls = {}, errors = false } = context.options[0] ?? {};
    const shown = (arg) => {
      const text = literalText(arg);
      if (text && WORDS.test(text)) report(arg, text);
    };
    return {
      CallExpression(node) {
        const callee = node.callee.type === 'MemberExpression' ? node.callee.property : node.callee;
        if (callee.type === 'Identifier' && Object.hasOwn(calls, callee.name)) shown(node.arguments[calls[callee.name]]);
      },
      NewExpression(node) {
        if (errors && node.callee.type === 'Identifier' && node.callee.name === 'Error') shown(node.arguments[0]);
      },
      JSXText(node) {
        // Key names on keycaps (<kbd>End</kbd>) are what is printed on the keyboard, not words.
        const parent = node.parent?.type === 'JSXElement' ? node.parent.openingElement.name : null;
        if (parent?.type === 'JSXIdentifier' && parent.name === 'kbd') return;
        if (WORDS.test(node.value)) report(node, node.value);
      },
      JSXExpressionContainer(node) {
        if (node.parent?.type === 'JSXAttribute') return; // judged with the attribute
        const text = literalText(node.expression);
        if (text && WORDS.test(text)) report(node, text);
      },
      JSXAttribute(node) {
        const name = node.name.type === 'JSXIdentifier' ? node.name.name : null;
        if (!name || !READ_ATTRIBUTES.has(name)) return;
        const value = node.value?.type === 'JSXExpressionContainer' ? node.value.expression : node.value;
        const text = literalText(value);
        if (text && WORDS.test(text)) report(node, text);
      },
    };
  },
};

export default { rules: { 'no-untranslated-text': untranslatedRule } };

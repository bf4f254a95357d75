// The rule that keeps the till's words translatable (issue 16) is only as good as what it catches:
// these cases prove it bites on text in JSX and lets through what is not words.
import { describe, it } from 'vitest';
import { RuleTester } from 'eslint';
import { untranslatedRule } from '../../tools/eslint-untranslated.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } });
const untranslated = [{ messageId: 'untranslated' as const }];

tester.run('no-untranslated-text', untranslatedRule, {
  valid: [
    { code: "const a = <button>{t('Pay (End)')}</button>;" },
    { code: "const a = <p aria-label={t('Ticket')} title={t('Total')}>{t('{{n}} points', { n })}</p>;" },
    { code: 'const a = <span>✕ − × 12 %: {money(x)}</span>;' },
    { code: 'const a = <footer><kbd>End</kbd> {t(label)}</footer>;' },
    { code: 'const a = <strong className="brand">{BRAND}</strong>;' },
    { code: 'const a = <td className="num" data-testid="subtotal">{product.name}</td>;' },
    { code: "const a = <p>{ok ? t('Yes') : t('No')}</p>;" },
    { code: "const label = 'Not in JSX: a .ts slice is checked by the catalog test, not this rule';" },
  ],
  invalid: [
    { code: 'const a = <button>Pay</button>;', errors: untranslated },
    { code: "const a = <p>{'Nothing to pay'}</p>;", errors: untranslated },
    { code: 'const a = <p>{`Change due: ${x}`}</p>;', errors: untranslated },
    { code: 'const a = <img alt="Ticket QR code" />;', errors: untranslated },
    { code: 'const a = <input placeholder="Search products" />;', errors: untranslated },
    { code: "const a = <nav aria-label={'Screens'} />;", errors: untranslated },
    { code: "const a = <p>{ok ? 'Online' : t('Offline')}</p>;", errors: untranslated },
    { code: "const a = <p>{busy && 'Syncing…'}</p>;", errors: untranslated },
    { code: "const a = <section aria-label={open ? 'Open' : 'Closed'} />;", errors: untranslated },
    { code: 'const a = <p>Über 18 € — Ärger</p>;', errors: untranslated },
  ],
});

// Outside JSX: the argument a named function shows (the till's say(tone, text)), and the console's thrown errors.
const sayOptions = [{ calls: { say: 1 } }];
const errorOptions = [{ errors: true }];
tester.run('no-untranslated-text: shown arguments and errors', untranslatedRule, {
  valid: [
    { code: "get().say('error', t('Printing failed: {{error}}', { error }));", options: sayOptions },
    { code: "say('success', text);", options: sayOptions },
    { code: "throw new Error('not shown: the option is off');", options: sayOptions },
    { code: "throw new Error(msg('Only admins manage people.'));", options: errorOptions },
  ],
  invalid: [
    { code: "get().say('error', 'Printing failed');", options: sayOptions, errors: untranslated },
    { code: 'say(\'error\', `Printer ${name} is gone`);', options: sayOptions, errors: untranslated },
    { code: "throw new Error('Only admins manage people.');", options: errorOptions, errors: untranslated },
  ],
});

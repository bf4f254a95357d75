import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './tools/eslint-layers.js';
import untranslated from './tools/eslint-untranslated.js';

const root = import.meta.dirname;

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { local: layers },
    rules: {
      'local/layers': ['error', { root }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // core/ is pure: besides the import rule above, ban the globals that would tie it to a platform.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'indexedDB', 'fetch', 'process', 'Buffer', 'require', 'setTimeout', 'setInterval'].map(
          (name) => ({ name, message: `core/ is pure: take '${name}' (or the time) as a parameter instead.` }),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ is pure: take now as a parameter.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ is pure: take now as a parameter.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use crypto.getRandomValues (core/code.ts) — codes must be unguessable.' },
      ],
    },
  },
  { files: ['renderer/**/*.{ts,tsx}', 'backoffice/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  // The till's and the console's words are translated (issue 16): no sentence written straight into their JSX.
  // Outside JSX: what the till says (`say`), and the console's thrown errors, which its error note shows.
  { files: ['renderer/**/*.{ts,tsx}'], plugins: { i18n: untranslated }, rules: { 'i18n/no-untranslated-text': ['error', { calls: { say: 1 } }] } },
  { files: ['backoffice/**/*.{ts,tsx}'], plugins: { i18n: untranslated }, rules: { 'i18n/no-untranslated-text': ['error', { errors: true }] } },
  { files: ['**/*.js', '**/*.mjs', 'tools/**', 'scripts/**', 'bench/**', 'hq/**', 'electron/**', 'test/**', 'testkit/**'], languageOptions: { globals: globals.node } },
);

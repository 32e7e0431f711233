// ESLint finds problems; Prettier owns the layout (eslint-config-prettier, last, turns off any rule that would clash).
// The sets are the non-type-checked `recommended` ones: typed linting runs the TypeScript checker a second time
// (+5 s here), and the one typed rule worth it, no-floating-promises, found nothing outside tests (where node:test's
// `it()` promises are meant to float). The import-direction rule is local: scripts/eslint-layers.mjs.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './scripts/eslint-layers.mjs';

export default defineConfig(
  globalIgnores(['dist/', '.build/', 'data/', 'coverage/']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // Mistakes that pass the type checker; none fires on the code today, so each hit will be news.
      eqeqeq: ['error', 'smart'],
      'array-callback-return': 'error',
      'no-template-curly-in-string': 'error',
      'no-self-compare': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
      'no-throw-literal': 'error',
      // `_name` marks a value left unused on purpose (a destructured field dropped, a callback's unused argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `cond ? a++ : b++` and `ok && go()` are statements people mean; a bare unused value is still an error.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // Off: 41 deliberate `any`s (JSON read in tests, Dexie rows); strict tsc already forbids the implicit ones.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['client/**'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/best-practice']],
    languageOptions: { globals: globals.browser },
    settings: { wc: { elementBaseClasses: ['LitElement'] } },
    rules: {
      // Lit mistakes the recommended set leaves out (no hits today).
      'lit/lifecycle-super': 'error',
      'lit/attribute-names': 'error',
      'lit/no-native-attributes': 'error',
      'lit/no-classfield-shadowing': 'error',
      'lit/no-invalid-escape-sequences': 'error',
      'lit/no-legacy-imports': 'error',
      // ARCHITECTURE.md: one custom element per file, named after its tag (mcl-results-page in results-page.ts).
      // What several elements share goes into a module without an element (records/list-page.ts, ui/composer.ts).
      'wc/max-elements-per-file': ['error', { max: 1 }],
      'wc/file-name-matches-element': 'error',
      // Off: LitElement defines every lifecycle callback, so `super.connectedCallback()` needs no guard (11 hits).
      'wc/guard-super-call': 'off',
      // A bare `name`, `event` or `status` is window's, and the type checker accepts it: always a slip.
      'no-restricted-globals': ['error', 'event', 'name', 'length', 'status', 'parent', 'top', 'opener', 'closed'],
    },
  },
  // Chai assertions (`expect(x).to.exist`) are property reads, which is how chai is written.
  {
    files: ['client/**/*.test.ts', 'client/ui/expect-labelled.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', 'wc/file-name-matches-element': 'off' },
  },
  { files: ['sw/**'], languageOptions: { globals: globals.serviceworker } },
  {
    files: ['server/**', 'scripts/**', 'test/**', 'bench/**', '*.js', '*.mjs'],
    languageOptions: { globals: globals.node },
  },
  { plugins: { layers }, rules: { 'layers/imports': 'error' } },
  prettier,
);

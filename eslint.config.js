import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'release/', 'node_modules/', 'test-results/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'bench/ui.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // The layers (README, "Where things go"): each floor imports only from below, the window only types.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**'],
              allowTypeImports: true,
              message: 'The window imports only types from the host (electron/core/contract.ts): values reach it over the API.',
            },
            {
              regex: '(^|/)servers/(?!products/(limits|field-types)$)',
              message: 'The window never loads server code (only the plain constants in servers/products/limits.ts and field-types.ts).',
            },
            { group: ['zod', 'zod/*'], message: 'The window does not validate with zod: the host checks every call at its boundary.' },
          ],
        },
      ],
    },
  },
  {
    files: ['servers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/electron/**', 'electron'], message: 'Servers run on their own (stdio): they never import the app.' }] },
      ],
    },
  },
  {
    files: ['views/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**', 'electron', '**/servers/**'],
              message: 'Views run in the AI app’s sandbox: they import neither the app nor the servers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['servers/products/postgres/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sqlite/**', 'better-sqlite3', '**/shared/db', '**/shared/db.js'],
              message: 'The PostgreSQL engine never loads SQLite: shared rules live in domain/, shared constants in leaf modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['servers/products/sqlite/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/postgres/**', 'pg', 'pg-*'], message: 'The SQLite engine never loads PostgreSQL.' }] },
      ],
    },
  },
  {
    files: ['servers/products/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sqlite/**', '**/postgres/**', 'better-sqlite3', 'pg', '**/shared/db', '**/shared/db.js'],
              message: 'The catalog rules know no engine: they ask the engine surface (domain/engine.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**'], message: 'The preload is bundled on its own, sandboxed: it never imports the main process.' },
            {
              group: ['**/core/**', '!**/core/methods.js', '!**/core/contract.js'],
              message: 'The preload takes the method list (core/methods.ts) and contract types only.',
            },
            { group: ['**/core/contract.js'], allowTypeImports: true, message: 'Types only from the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'src/db/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        WebAssembly: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // process.env is read in one place, the config schema; tests set up child environments.
    files: ['src/**/*.ts'],
    ignores: ['src/config/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config/env.ts.' },
      ],
    },
  },
  {
    // Prettier wraps code at 140 columns but leaves strings and comments as they are; this catches those.
    files: ['src/**/*.ts', 'src/**/*.js'],
    rules: { 'max-len': ['error', { code: 140, ignoreUrls: true }] },
  },
  {
    // Hand-written SQL is built with Kysely (src/db/sql.ts), so the schema's types check it; raw
    // statements would not be checked.
    files: ['src/**/*.ts'],
    ignores: ['src/db/sql.ts', 'src/db/client.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe)?$/]',
          message: 'Build SQL with Kysely (sql.build) and run it with sql.rows or sql.execute.',
        },
      ],
    },
  },
  {
    // The demo's web client runs in the browser.
    files: ['src/demo/client/**/*.ts'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        history: 'readonly',
        navigator: 'readonly',
        EventSource: 'readonly',
        HTMLElement: 'readonly',
        HTMLInputElement: 'readonly',
        HTMLSelectElement: 'readonly',
        HTMLButtonElement: 'readonly',
        HTMLTextAreaElement: 'readonly',
        KeyboardEvent: 'readonly',
        MessageEvent: 'readonly',
        Node: 'readonly',
        CSS: 'readonly',
        Intl: 'readonly',
      },
    },
  },
  {
    // Listeners and views never touch the database; services never touch Bolt.
    files: ['src/slack/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/db/generated/**', '@prisma/*'], message: 'Slack code calls services; it never touches Prisma.' }] },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@slack/*', '**/slack/**'], message: 'Services and domain rules never touch Bolt or Slack.' }] },
      ],
    },
  },
);

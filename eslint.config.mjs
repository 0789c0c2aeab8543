import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/test/fixtures/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  // Plain JavaScript (build scripts, jest configs, bins) belongs to no tsconfig: no type information.
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    // The React code of both plugins and the sandbox's shell.
    files: [
      'grafana-plugins/src/**/*.{ts,tsx}',
      'grafana-plugins/sandbox/shell/**/*.{ts,tsx}',
      'datasource-timescale/plugin/src/**/*.{ts,tsx}',
    ],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Tests read JSON answers, parsed files and fixtures they built themselves, and jest's asymmetric
    // matchers (expect.any, objectContaining) are typed `any`: ~480 no-unsafe-* findings whose fix
    // would be casts, not safety. Product code keeps these rules, and every other type-aware rule
    // applies to tests too.
    files: ['**/*.test.ts', '**/*.test.tsx', '*/test/**', '*/*/test/**', '*/bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      // Node's URL and URLSearchParams (the rule's default allows only lib's) print as they should.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
            { from: 'package', package: 'url', name: ['URL', 'URLSearchParams'] },
          ],
        },
      ],
    },
  },
  {
    // Test support sits at the top of the dependency graph: tests and benches use it, what ships never does.
    files: ['*/src/**', '*/bin/**', 'agent/tools/**', 'datasource-timescale/plugin/src/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nester/testing', '@nester/testing/*'], message: 'product code must not use test support' },
          ],
        },
      ],
    },
  },
  {
    // What crosses a process boundary, bundled into the plugins too: nothing but its own modules
    // (no Node built-ins, no packages; tsconfig's empty `types` keeps Buffer and process out).
    files: ['common/contracts/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^[^.]', message: '@nester/contracts imports nothing but its own modules' }] },
      ],
    },
  },
  {
    // The plugins run in the browser: of our packages they share only @nester/contracts with the
    // servers, and never import a server's source.
    files: ['grafana-plugins/src/**', 'datasource-timescale/plugin/src/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nester/*', '!@nester/contracts'],
              message: 'a plugin imports only @nester/contracts of our packages (the browser gets nothing else)',
            },
            {
              regex: '^(\\.\\./)+(src|common|agent|nester|testing|datasource-timescale)(/|$)',
              message: 'a plugin must not import server source: what crosses the boundary belongs in @nester/contracts',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        globalThis: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

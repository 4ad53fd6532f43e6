// Lint rules, including the import direction of shared/style.md:
// core ← planner ← sim; core ← store; core, planner, store ← app; app ← http, cli.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders each layer must not import from. */
const forbidden = {
  core: ['planner', 'sim', 'store', 'app', 'http', 'cli', 'live'],
  planner: ['sim', 'store', 'app', 'http', 'cli', 'live'],
  sim: ['store', 'app', 'http', 'cli', 'live'],
  store: ['planner', 'sim', 'app', 'http', 'cli', 'live'],
  app: ['sim', 'http', 'cli', 'live'],
  // The simulator driving the product: it plays sim's residents through app's use cases.
  live: ['http', 'cli'],
  http: ['cli', 'live'],
  cli: [],
};

const layerRules = Object.entries(forbidden).map(([layer, banned]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: banned.map((b) => ({
          group: [`../${b}/*`, `../../${b}/*`, `../../../${b}/*`, `**/src/${b}/*`],
          message: `src/${layer} must not import src/${b} (imports point inward only; see shared/style.md)`,
        })),
      },
    ],
  },
}));

/** The web app talks to the server only through HTTP: its types come from web/src/api-schema.gen.ts. */
const webRule = {
  files: ['web/**/*.ts', 'web/**/*.tsx'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/src/*', '../../src/*', '../../../src/*', '../../../../src/*'],
            message: 'web/ must not import src/ (use the types generated from the OpenAPI document: npm run gen:api)',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'web/src/api-schema.gen.ts',
      'dist/**',
      'node_modules/**',
      'web/dist/**',
      'coverage/**',
      'test-results/**',
      'data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  ...layerRules,
  webRule,
);

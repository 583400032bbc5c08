// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['mongoose', 'bullmq', 'ioredis', 'express', 'nodemailer', 'pino', 'axios'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.data/**',
      'web/**',
      'bench/results/**',
      'infra/**/*.go',
      'eslint.config.mjs',
      '.dependency-cruiser.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    // Workflow code is replayed: it must be deterministic, so no I/O and no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code must not use Node built-ins (determinism).' },
            { group: ioModules, message: 'Workflow code must not do I/O; call an activity.' },
            {
              group: ['**/activities/*', '**/store/*', '**/infra/*', '**/jobs/*'],
              message: 'Workflows import activity types only.',
              allowTypeImports: true,
            },
          ],
          paths: [
            'fs',
            'path',
            'crypto',
            'http',
            'https',
            'os',
            'child_process',
            'net',
            'events',
            'stream',
            'util',
            'timers',
          ].map((name) => ({ name, message: 'Workflow code must not use Node built-ins (determinism).' })),
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ioModules, message: 'domain/ is pure logic.' }] },
      ],
    },
  },
);

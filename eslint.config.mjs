// Flat config shared by every workspace: typescript-eslint's recommended rules on all TS sources.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.turbo/**',
      '**/dist/**',
      '**/.build/**',
      '.dtss/**',
      'packages/db/src/generated/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The web app's components: hooks called unconditionally and effects that name what they read.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // A session cookie may stand for a session that has ended (its user's session epoch moved
      // on): only sessionActor() reads it, and it checks that.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@/auth',
              importNames: ['auth'],
              message:
                'Use sessionActor() or requireUser() (src/server): auth() alone accepts sessions that have ended.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/server/auth/actor.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);

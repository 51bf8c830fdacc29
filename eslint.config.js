// typescript-eslint's recommended rules over the TypeScript sources; formatting is prettier's job (npm run lint).
import eslint from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', '.build/', 'node_modules/', '**/*.cjs', '**/*.js', '__tests__/fixtures/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The sanitizers (terminal output, relay paths, bundle checks) look for control characters on purpose.
      'no-control-regex': 'off',
      // `_`-prefixed names are deliberately unused (parameters a signature requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
      ]
    }
  }
)

// Lint: typescript-eslint's recommended rules, unused code, and the layers.
//
// The layers (README, "Layers"): electron/shared is the bottom layer and
// imports nothing above it; electron/core imports shared and never Electron;
// the renderer imports only shared and never Node; the hosts (main, preload,
// preview) sit on top. eslint-plugin-boundaries resolves every import
// (static, dynamic, re-export, type-only) to a file and checks the policy
// below; test/unit/layering.test.ts proves a wrong-way import still fails.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const LAYERS = [
  { type: 'shared', pattern: 'electron/shared' },
  { type: 'core', pattern: 'electron/core' },
  { type: 'main', pattern: 'electron/main' },
  { type: 'preload', pattern: 'electron/preload' },
  { type: 'preview', pattern: 'electron/preview' },
  { type: 'renderer', pattern: 'renderer/src' },
];

/**
 * Code's client is one payment rail's business: only electron/core/rails/
 * talks to Code (code-rail.ts), so a second rail, or Code changing its SDK,
 * touches one folder. Tests may use the client directly to probe the sandbox.
 */
const CODE_CLIENT_ONLY_IN_RAILS = 'Only electron/core/rails/ talks to Code: go through the PaymentRail interface (electron/core/rails/payment-rail.ts).';

const layer = (type) => ({ element: { type } });
const layers = (...types) => ({ element: { types: { anyOf: types } } });
/** Node's own modules (node:fs, path …) and Electron. */
const nodeBuiltins = { module: { origin: 'core' } };
const electron = { module: { source: 'electron' } };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `void promise` marks a deliberately unawaited call.
      'no-void': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'bench/**/*.ts'],
    ignores: ['electron/core/rails/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@code-wallet/client', message: CODE_CLIENT_ONLY_IN_RAILS },
            { name: '@code-wallet/intents', message: CODE_CLIENT_ONLY_IN_RAILS },
          ],
          patterns: [{ group: ['@code-wallet/client/*', '@code-wallet/intents/*'], message: CODE_CLIENT_ONLY_IN_RAILS }],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS,
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.json', '.d.ts'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          // External and Node modules too, not only the project's own files.
          checkAllOrigins: true,
          policies: [
            // Between the layers: only downwards.
            { from: layer('shared'), disallow: { to: layers('core', 'main', 'preload', 'preview', 'renderer') } },
            { from: layer('core'), disallow: { to: layers('main', 'preload', 'preview', 'renderer') } },
            { from: layer('main'), disallow: { to: layers('preload', 'preview', 'renderer') } },
            { from: layer('preload'), disallow: { to: layers('core', 'main', 'preview', 'renderer') } },
            { from: layer('preview'), disallow: { to: layers('main', 'preload', 'renderer') } },
            { from: layer('renderer'), disallow: { to: layers('core', 'main', 'preload', 'preview') } },
            // What each layer may not take from outside: the core and the
            // bottom layer never Electron; the renderer and the bottom layer never Node.
            { from: layers('shared', 'core'), disallow: { to: electron } },
            { from: layers('shared', 'renderer'), disallow: { to: nodeBuiltins } },
            { from: layer('renderer'), disallow: { to: electron } },
          ],
        },
      ],
    },
  },
);

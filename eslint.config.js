// Lint with the layering rules of DESIGN.md §2: the engine never imports Electron, the
// renderer imports only shared/ and itself (no Node, no database clients), shared/ imports
// neither side.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'child_process', 'net', 'http', 'https', 'crypto', 'os', 'url', 'util', 'stream', 'events', 'worker_threads', 'tls', 'dns'];
const nodeModules = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `node:${m}/*`]);
const databaseClients = ['pg', 'ioredis', 'undici', 'better-sqlite3', 'commander'];
const noElectron = { name: 'electron', message: 'Bad layering: only electron/main (and preload) may import electron (DESIGN.md §2).' };
const noRenderer = { group: ['**/renderer/**'], message: 'Bad layering: the engine never imports the renderer.' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'scratch/**', 'tests/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['electron/core/**', 'electron/cli/**', 'electron/server/**', 'demo/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer] }],
    },
  },
  {
    // The throw-away Postgres/Redis and the sample API are the demo's, the tests' and the benches':
    // the engine and `preflight serve` never carry them (only `preflight demo` and `--demo` load them).
    files: ['electron/core/**', 'electron/server/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, { group: ['**/demo/**'], message: 'Bad layering: the engine never imports the demo stack (demo/ holds the throw-away servers).' }] }],
    },
  },
  {
    // Probes do I/O and leave observations; checks judge them (DESIGN.md §1). A probe that
    // imports a check couples the two halves: the face that runs a probe hands in the judge.
    files: ['electron/core/probes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Bad layering: only electron/main (and preload) may import electron (DESIGN.md §2).' }],
          patterns: [
            { group: ['**/renderer/**'], message: 'Bad layering: the engine never imports the renderer.' },
            { group: ['**/checks', '**/checks/**'], message: 'Bad layering: probes never import checks (a probe observes, a check judges; pass the judge in from the face).' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser, process: 'off', require: 'off', __dirname: 'off', Buffer: 'off', global: 'off' } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Bad layering: the renderer reaches the engine through the contract only.' }, ...[...nodeModules, ...databaseClients].map((name) => ({ name, message: 'Bad layering: the renderer has no Node and no database clients (DESIGN.md §2).' }))],
          patterns: [{ group: ['**/electron/**', '**/demo/**', 'node:*'], message: 'Bad layering: the renderer imports only shared/ and itself.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'alert', message: 'No alert(): use an in-app dialog or toast (DESIGN.md §6).' }, { name: 'confirm', message: 'Use an in-app dialog.' }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeModules, ...databaseClients], patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/demo/**'], message: 'Bad layering: shared/ imports neither side.' }] }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // One rule for every file read at run time: PROJECT_ROOT (electron/core/util/project-root.ts).
    // A path relative to a module's own location breaks once the code is bundled (dist/electron,
    // app.asar): import.meta is empty in the CommonJS main bundle, __dirname is dist/electron.
    files: ['electron/**', 'shared/**', 'demo/**'],
    ignores: ['electron/core/util/project-root.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MetaProperty[meta.name='import']", message: 'Find run-time files with projectPath() from electron/core/util/project-root.ts: import.meta does not survive bundling.' }],
      'no-restricted-globals': ['error', { name: '__dirname', message: 'Use projectPath() (electron/core/util/project-root.ts).' }, { name: '__filename', message: 'Use projectPath() (electron/core/util/project-root.ts).' }],
    },
  },
  {
    files: ['electron/cli/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);

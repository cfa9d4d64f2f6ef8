import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Process kills and server restarts wait out real timeouts: `npm run test:faults` (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.fault.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Two cores: each workflow test file runs its own time-skipping server; more in parallel only thrashes.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

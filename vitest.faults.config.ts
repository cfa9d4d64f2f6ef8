import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault-injection tests that kill and restart processes (a worker,
 * PostgreSQL, the Temporal dev server) and wait out real timeouts. Too slow for `npm test`;
 * CI runs them after it. One file at a time: each starts its own servers, and on two cores
 * running them side by side would only make every wait longer.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.fault.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

/**
 * `npm run test:topology`: the system on a production-style Temporal cluster (dev/temporal-cluster.ts:
 * the server built from its Go module, four services as four processes, PostgreSQL), with two API
 * and two worker processes, through the faults of test/topology/. The first run on a machine builds
 * the server into .tools/ (several minutes; the global setup does it before any file), and each file
 * starts a cluster and the system (about a minute). CI runs it last. One file at a time, in one
 * fork: it starts a dozen processes and kills some of them.
 */
export default defineConfig({
  test: {
    // Named *.topology.ts, not *.test.ts: `npm test` (vitest.config.ts) takes every test/**/*.test.ts,
    // and must not build and start a Temporal cluster.
    include: ['test/topology/**/*.topology.ts'],
    // The server's build, if needed, before any file: no hook timeout applies to it.
    globalSetup: ['test/topology/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});

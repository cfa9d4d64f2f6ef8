import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuByProcess } from '../../bench/measure.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

/** Busy for `ms` of wall time on this thread. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('the benchmarks’ CPU split by process', () => {
  it('counts this process’s CPU and the database server’s, each where it was spent', async () => {
    const before = cpuByProcess();
    spin(300);
    const afterSpin = cpuByProcess();
    // This thread was busy for 300 ms: most of it is CPU, even when other tests take the core a while.
    expect(afterSpin.benchProcess - before.benchProcess).toBeGreaterThan(100);

    // A query that keeps a backend busy for about 1.7 s of CPU here: the server's, not this process's.
    await sql`SELECT count(*) FROM generate_series(1, 10000000)`.execute(database.db);
    const afterQuery = cpuByProcess();
    expect(afterQuery.postgres - afterSpin.postgres).toBeGreaterThan(800);
    expect(afterQuery.benchProcess - afterSpin.benchProcess).toBeLessThan(300);
  });
});

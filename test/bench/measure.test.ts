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

    // A statement that keeps a backend busy for 1.5 s of wall time, whatever the host's speed (a fixed
    // amount of work finished in under 0.8 s of CPU on a fast host): the server's CPU, not this process's.
    await sql`DO $$ BEGIN WHILE clock_timestamp() < statement_timestamp() + interval '1500 milliseconds' LOOP PERFORM 1; END LOOP; END $$`.execute(database.db);
    const afterQuery = cpuByProcess();
    expect(afterQuery.postgres - afterSpin.postgres).toBeGreaterThan(500);
    expect(afterQuery.benchProcess - afterSpin.benchProcess).toBeLessThan(300);
  });
});

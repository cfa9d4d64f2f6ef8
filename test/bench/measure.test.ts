import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuByProcess } from '../../bench/measure.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

/**
 * Busy on this thread until the process has spent `ms` of CPU (as Node counts it), whatever else
 * the host is running: under load, a spin of fixed wall time was measured at under a third of it.
 */
function spin(ms: number): void {
  const start = process.cpuUsage();
  const giveUpAt = performance.now() + 20 * ms;
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms || performance.now() > giveUpAt) return;
  }
}

describe('the benchmarks’ CPU split by process', () => {
  it('counts this process’s CPU and the database server’s, each where it was spent', async () => {
    const before = cpuByProcess();
    spin(300);
    const afterSpin = cpuByProcess();
    // The process spent 300 ms of CPU spinning: all of it is counted as this process's.
    expect(afterSpin.benchProcess - before.benchProcess).toBeGreaterThan(250);

    // A statement that keeps a backend busy for 1.5 s of wall time, whatever the host's speed (a fixed
    // amount of work finished in under 0.8 s of CPU on a fast host): the server's CPU, not this process's.
    await sql`DO $$ BEGIN WHILE clock_timestamp() < statement_timestamp() + interval '1500 milliseconds' LOOP PERFORM 1; END LOOP; END $$`.execute(database.db);
    const afterQuery = cpuByProcess();
    expect(afterQuery.postgres - afterSpin.postgres).toBeGreaterThan(500);
    expect(afterQuery.benchProcess - afterSpin.benchProcess).toBeLessThan(300);
  });
});

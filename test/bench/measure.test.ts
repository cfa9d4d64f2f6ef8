import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuByProcess, cpuMsOfStat } from '../../bench/measure.js';
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

  it('reads a process’s own CPU and its reaped children’s from its stat line', () => {
    // A postmaster (pid 41) that used 0.12 s + 0.03 s itself and has reaped backends that used 7.5 s + 0.5 s, in ticks of 10 ms.
    const line = '41 (postgres: main) S 40 41 41 0 -1 4194560 1200 0 0 0 12 3 750 50 20 0 1 0 100 2000000 500 18446744073709551615';
    expect(cpuMsOfStat(line)).toBe(8_150);
  });

  it('still counts the CPU of a backend whose connection has closed', async () => {
    const before = cpuByProcess();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`DO $$ BEGIN WHILE clock_timestamp() < statement_timestamp() + interval '1500 milliseconds' LOOP PERFORM 1; END LOOP; END $$`);
    await client.end();
    // The backend is gone once the postmaster has reaped it; its CPU is then the postmaster's children's.
    let after = cpuByProcess();
    for (let waited = 0; after.postgres - before.postgres <= 300 && waited < 2_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = cpuByProcess();
    }
    // A loaded host gives the backend less than its 1.5 s of wall time (the first test saw 0.44 s with four others running).
    expect(after.postgres - before.postgres).toBeGreaterThan(300);
  });
});

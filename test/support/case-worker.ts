import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Db } from '../../db/client.js';
import type { WorkingDayCalendar } from '../../domain/time/working-days.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTimeSkippingEnvironment, workflowBundle } from './temporal.js';

/** What a workflow test file works against: the Temporal environment, its database and its task queue. */
export interface CaseWorkerHarness {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  taskQueue: string;
}

/**
 * Registers, for the test file that calls it, a Temporal environment (the time-skipping server
 * unless another is given), a fresh database and the real case worker with real activities on
 * its own task queue, torn down after the file. Its fields are set once beforeAll has run.
 */
export function useCaseWorker(
  name: string,
  options: {
    environment?: () => Promise<TestWorkflowEnvironment>;
    /** The calendar the activities read: the packaged data, unless the file loads years into its database (`calendarFromDatabase`). */
    calendar?: (db: Db) => () => Promise<WorkingDayCalendar>;
  } = {},
): CaseWorkerHarness {
  const harness = { taskQueue: `${name}-${randomUUID()}` } as CaseWorkerHarness;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    [harness.env, harness.database] = await Promise.all([(options.environment ?? createTimeSkippingEnvironment)(), createTestDatabase()]);
    worker = await createCaseWorker({
      connection: harness.env.nativeConnection,
      taskQueue: harness.taskQueue,
      db: harness.database.db,
      clock: () => new Date(),
      calendar: options.calendar?.(harness.database.db) ?? (async () => packagedCalendar()),
      workflowBundle: await workflowBundle(),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await harness.env?.teardown();
    await harness.database?.drop();
  });
  return harness;
}

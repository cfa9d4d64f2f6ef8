import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { readStream } from '../../db/event-store.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import { acceptMaterialsUpdate, chuyingLoanStateQuery, passComplianceReviewUpdate, submissionRecordedUpdate } from '../../workflows/chuying-loan.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { cacReviewer, fundReviewer, loanApplication } from '../support/actors.js';
import { spawnChildWorker, type ChildWorker } from '../support/child-worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startLocalTemporal } from '../support/local-temporal.js';
import '../support/temporal.js';
import { expectIntactAndRebuildable } from './event-store-audit.js';

/**
 * kill -9 of the worker in the middle of an activity, at the two points that matter: after the
 * append has committed but before Temporal heard of it (the retry must not append again), and
 * inside the append's transaction (nothing may be left half-written). Real dev server, real time:
 * the retry comes after the activity's 30-second start-to-close timeout.
 */
let env: TestWorkflowEnvironment;
let database: TestDatabase;
const workers: ChildWorker[] = [];
const taskQueue = `kill-${randomUUID()}`;

beforeAll(async () => {
  [env, database] = await Promise.all([startLocalTemporal(), createTestDatabase()]);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await env?.teardown();
  await database?.drop();
});

/** A worker process whose database sessions carry its name, so the test can see them end. */
function startWorker(extra: Record<string, string> = {}): ChildWorker & { name: string } {
  const name = `fault-worker-${workers.length + 1}`;
  const worker = spawnChildWorker({
    TEMPORAL_ADDRESS: env.address,
    DATABASE_URL: `${database.appUrl}?application_name=${name}`,
    TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    ...extra,
  });
  workers.push(worker);
  return Object.assign(worker, { name });
}

const request = <A>(actor: typeof fundReviewer, action: A) => ({ actor, requestId: randomUUID(), action });

async function waitFor(what: string, predicate: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('kill -9 of the worker in the middle of an activity', () => {
  it('stores exactly one set of events once a new worker has retried the activity', async () => {
    const committed = loanApplication();
    const inTransaction = loanApplication();
    const first = startWorker({ FAULT_PAUSE_AFTER_APPEND: `${committed.caseId}/MaterialsAccepted` });
    await first.waitForLine(/^running$/);

    const handles = await Promise.all(
      [committed, inTransaction].map(async (input) => {
        const handle = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
        await handle.executeUpdate(submissionRecordedUpdate);
        return handle;
      }),
    );

    // The second case's append will wait inside its transaction for the stream row this test holds.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM streams WHERE stream_id = $1 FOR UPDATE', [inTransaction.caseId]);

    const accepted = handles.map((handle) => handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] }));
    for (const p of accepted) p.catch(() => {});
    await first.waitForLine(new RegExp(`^paused-after-commit ${committed.caseId}$`));
    await waitFor('the second append to wait on the lock', async () => {
      const { rows } = await blocker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return rows[0]!.n === 1;
    });
    expect((await readStream(database.db, committed.caseId)).map((e) => e.type)).toEqual(['LoanApplicationSubmitted', 'MaterialsAccepted', 'TimeLimitStarted']);

    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await blocker.query('COMMIT');
    await blocker.end();
    // Its sessions end as Postgres finds their client gone; the one waiting on the lock rolls back.
    await waitFor('the killed worker’s database sessions to end', async () => {
      const { rows } = await database.db.executeQuery<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${first.name}`.compile(database.db),
      );
      return rows[0]!.n === 0;
    });
    expect((await readStream(database.db, inTransaction.caseId)).map((e) => e.type)).toEqual(['LoanApplicationSubmitted']);

    const second = startWorker();
    await second.waitForLine(/^running$/);
    const results = await Promise.all(accepted);
    // Each acceptance once, with the 网信 review's time limit it starts (version 3).
    expect(results.map((r) => [r.version, r.status])).toEqual([
      [3, 'compliance-review'],
      [3, 'compliance-review'],
    ]);

    for (const [index, input] of [committed, inTransaction].entries()) {
      const events = await readStream(database.db, input.caseId);
      expect(events.map((e) => `${e.streamVersion} ${e.type}`)).toEqual(['1 LoanApplicationSubmitted', '2 MaterialsAccepted', '3 TimeLimitStarted']);
      // The workflow goes on from the version the store has: the next action appends at version 4 (and its step's limit at 5).
      const next = await handles[index]!.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '内容积极健康' })] });
      expect(next).toMatchObject({ version: 5, status: 'funding-decision' });
      expect((await handles[index]!.query(chuyingLoanStateQuery)).version).toBe(5);
      const row = await database.db.selectFrom('cases').select(['version', 'status']).where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
      expect(row).toEqual({ version: 5, status: 'funding-decision' });
    }

    await expectIntactAndRebuildable(database.db, database.url);
    expect(await second.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
});

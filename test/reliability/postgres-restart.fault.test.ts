import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ActivityInterceptorsFactory, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { createDb, type Db } from '../../db/client.js';
import { appendToStream, readStream, type AppendRequest } from '../../db/event-store.js';
import { migrateToLatest } from '../../db/migrations/index.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../dev/embedded-postgres.js';
import { freePort } from '../../dev/free-port.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import {
  acceptMaterialsUpdate,
  approveFundingUpdate,
  chuyingLoanStateQuery,
  passComplianceReviewUpdate,
  recordDisbursementUpdate,
  recordRepaymentUpdate,
  submissionRecordedUpdate,
} from '../../workflows/chuying-loan.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { startLocalTemporal } from '../support/local-temporal.js';
import { workflowBundle } from '../support/temporal.js';
import { expectIntactAndRebuildable } from './event-store-audit.js';

/**
 * PostgreSQL restarted twice under load — once with a fast shutdown (transactions aborted), once
 * with an immediate one (no checkpoint: crash recovery from the WAL on start) — while writers
 * append 25-event batches directly and case workflows append through their activities.
 */
const DATA = fileURLToPath(new URL('../../.data/', import.meta.url));
const WRITERS = 6;
const BATCHES = 12;
const BATCH = 25;
const CASES = 6;
const REPAYMENTS = 8;

let postgres: RunningPostgres;
let dataDir: string;
let port: number;
let db: Db;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let failedActivityAttempts = 0;
const taskQueue = `pg-restart-${randomUUID()}`;

const countFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        failedActivityAttempts++;
        throw error;
      }
    },
  },
});

beforeAll(async () => {
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir: `${DATA}fault-postgres-${process.pid}`, database: 'youchuang', persistent: true, port });
  dataDir = postgres.dataDir;
  db = createDb(postgres.url);
  await migrateToLatest(db);
  env = await startLocalTemporal();
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    taskQueue,
    db,
    clock: () => new Date(),
    calendar: async () => packagedCalendar(),
    workflowBundle: await workflowBundle(),
    workerOptions: { interceptors: { activity: [countFailures] } },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
  await postgres?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Stops the server the hard way (a signal to the postmaster), waits until it is gone, and starts it again on the same data and port. */
async function restartPostgres(signal: 'SIGINT' | 'SIGQUIT'): Promise<void> {
  const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  process.kill(pid, signal);
  while (isAlive(pid)) await sleep(50);
  postgres = await startEmbeddedPostgres({ dataDir: `${DATA}fault-postgres-${process.pid}`, database: 'youchuang', persistent: true, port });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A caller that retries what it could not finish: the same request, the same event ids. */
let appendRetries = 0;
async function appendUntilStored(request: AppendRequest): Promise<void> {
  for (;;) {
    try {
      await appendToStream(db, request, { now: () => new Date() });
      return;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      appendRetries++;
      await sleep(100);
    }
  }
}

/** Per stream: its head's version and, in the same snapshot, how many events it really has. */
async function streamCounts(streamType: string) {
  const { rows } = await sql<{ stream_id: string; version: number; events: number }>`
    SELECT s.stream_id, s.version, (SELECT count(*) FROM events e WHERE e.stream_id = s.stream_id)::int AS events
    FROM streams s WHERE s.stream_type = ${streamType} ORDER BY s.stream_id`.execute(db);
  return rows;
}

const request = <A>(actor: typeof fundReviewer, action: A) => ({ actor, requestId: randomUUID(), action });

describe('PostgreSQL restarted during appends', () => {
  it('leaves no partial batch, and every retried append and case action completes exactly once', async () => {
    let batchesStored = 0;
    const batchesOf = (streamId: string) =>
      Array.from({ length: BATCHES }, (_, b): AppendRequest => ({
        streamId,
        streamType: 'fault-batch',
        expectedVersion: b * BATCH,
        events: Array.from({ length: BATCH }, (_, i) => ({
          eventId: randomUUID(),
          type: 'Noted',
          data: { batch: b, index: i, note: `第 ${b * BATCH + i + 1} 条` },
          metadata: { actor: fundReviewer, correlationId: streamId, causationId: `batch-${b}` },
        })),
      }));
    const streams = Array.from({ length: WRITERS }, () => randomUUID());
    const planned = new Map(streams.map((s) => [s, batchesOf(s)]));
    const writers = streams.map(async (streamId) => {
      for (const batch of planned.get(streamId)!) {
        await appendUntilStored(batch);
        batchesStored++;
        await sleep(20);
      }
    });

    const today = shanghaiDateOf(Date.now());
    const cases = Array.from({ length: CASES }, () => loanApplication());
    const lives = cases.map(async (input) => {
      const handle = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
      await handle.executeUpdate(submissionRecordedUpdate);
      await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
      await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '通过' })] });
      await handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })] });
      await handle.executeUpdate(recordDisbursementUpdate, { args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn: today, bankReference: `B-${input.caseId}` })] });
      for (let n = 1; n <= REPAYMENTS; n++) {
        await handle.executeUpdate(recordRepaymentUpdate, { args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: 1_000_000, paidOn: today, reference: `R${n}-${input.caseId}` })] });
      }
      return handle;
    });

    const total = WRITERS * BATCHES;
    while (batchesStored < total / 3) await sleep(20);
    await restartPostgres('SIGINT');
    const afterFast = await streamCounts('fault-batch');
    while (batchesStored < (2 * total) / 3) await sleep(20);
    await restartPostgres('SIGQUIT');
    const afterCrash = await streamCounts('fault-batch');

    // Right after each restart: every stream holds whole batches only, and its head agrees.
    for (const snapshot of [afterFast, afterCrash]) {
      expect(snapshot).toHaveLength(WRITERS);
      for (const row of snapshot) {
        expect(row.events % BATCH, `${row.stream_id} holds a partial batch`).toBe(0);
        expect(row.version).toBe(row.events);
      }
    }

    await Promise.all(writers);
    const handles = await Promise.all(lives);
    expect(appendRetries).toBeGreaterThan(0);
    expect(failedActivityAttempts).toBeGreaterThan(0);

    // Every planned batch stored once, in order, with exactly the ids it was sent with.
    for (const [streamId, batches] of planned) {
      const stored = await readStream(db, streamId);
      expect(stored.map((e) => e.eventId)).toEqual(batches.flatMap((b) => b.events.map((e) => e.eventId)));
      expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: BATCHES * BATCH }, (_, i) => i + 1));
    }
    // Every case action recorded once: submission, four steps (three starting the next step's time limit), eight repayments.
    for (const [index, input] of cases.entries()) {
      const types = (await readStream(db, input.caseId)).map((e) => e.type);
      expect(types).toEqual([
        'LoanApplicationSubmitted',
        'MaterialsAccepted',
        'TimeLimitStarted',
        'ComplianceReviewPassed',
        'TimeLimitStarted',
        'FundingApproved',
        'TimeLimitStarted',
        'LoanDisbursed',
        ...Array.from({ length: REPAYMENTS }, () => 'RepaymentRecorded'),
      ]);
      expect((await handles[index]!.query(chuyingLoanStateQuery)).version).toBe(types.length);
    }

    await expectIntactAndRebuildable(db, postgres.url);
  });
});

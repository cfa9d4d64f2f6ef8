import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import { startOfShanghaiDay, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
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
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `continue-as-new-${randomUUID()}`;

beforeAll(async () => {
  [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    taskQueue,
    db: database.db,
    clock: () => new Date(),
    calendar: async () => packagedCalendar(),
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

const request = <A>(actor: typeof fundReviewer, action: A) => ({ actor, requestId: randomUUID(), action });

async function skipTo(date: LocalDate) {
  const target = startOfShanghaiDay(date) + 10 * 60 * 60 * 1000;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

describe('a long case continues as new, carrying its state', () => {
  it('a 36-month loan with a low history limit runs on in new runs, and every repayment and the event chain stay intact', async () => {
    // A limit of 60 history events: the loan passes it within its first repayments, and again later.
    const input = { ...loanApplication(), historyLimit: 60 };
    const workflowId = caseWorkflowId(input.caseId);
    const handle = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId, taskQueue, args: [input] });
    const firstRunId = handle.firstExecutionRunId;
    await handle.executeUpdate(submissionRecordedUpdate);
    await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '' })] });
    await handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '' })] });
    await handle.executeUpdate(recordDisbursementUpdate, {
      args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn: shanghaiDateOf(await env.currentTimeMs()), bankReference: 'BANK-CAN-1' })],
    });

    const { instalments } = await handle.query(chuyingLoanStateQuery);
    for (const instalment of instalments.slice(0, 12)) {
      await skipTo(instalment.dueOn);
      // A handle without a run id follows the chain of runs: the action reaches whichever run is current.
      await env.client.workflow.getHandle(workflowId).executeUpdate(recordRepaymentUpdate, {
        args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: instalment.amountFen, paidOn: instalment.dueOn, reference: `CAN-R${instalment.number}` })],
      });
    }

    const first = await env.client.workflow.getHandle(workflowId, firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const current = await env.client.workflow.getHandle(workflowId).describe();
    expect(current.runId).not.toBe(firstRunId);
    expect(current.status.name).toBe('RUNNING');

    // The state the new run carries is the state the events fold to: nothing lost, nothing twice.
    const state = await env.client.workflow.getHandle(workflowId).query(chuyingLoanStateQuery);
    const stream = await readStream(database.db, input.caseId);
    expect(state.version).toBe(stream.length);
    expect(state.status).toBe('repaying');
    expect(state.referenceNo).toBe(input.referenceNo);
    expect(state.instalments.filter((i) => i.paidFen === i.amountFen).map((i) => i.number)).toEqual(instalments.slice(0, 12).map((i) => i.number));
    expect(state.repayments).toHaveLength(12);
    expect(stream.filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(12);
    expect(verifyChain(stream)).toBeUndefined();

    // A repeat of a repayment recorded by an earlier run is still recognised by the run now current.
    const repeat = await env.client.workflow.getHandle(workflowId).executeUpdate(recordRepaymentUpdate, {
      args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: instalments[0]!.amountFen, paidOn: instalments[0]!.dueOn, reference: 'CAN-R1' })],
    });
    expect(repeat.alreadyRecorded).toBe(true);
    expect(repeat.events).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Actor } from '../domain/cases/actor.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import { chuyingLoanWorkflow } from '../workflows/index.js';
import {
  acceptMaterialsUpdate,
  approveFundingUpdate,
  passComplianceReviewUpdate,
  recordDisbursementUpdate,
  submissionRecordedUpdate,
} from '../workflows/chuying-loan.messages.js';
import { caseWorkflowId } from '../workflows/task-queues.js';
import { cacReviewer, fundApprover, fundReviewer, loanApplication } from '../test/support/actors.js';
import { noopCaseWorkflow, noopStepUpdate, noopSubmissionRecordedUpdate } from './workflows/noop-case.workflow.js';

/**
 * One 雏鹰 case from submission to disbursement, as the API drives it: start the workflow, wait
 * until the submission is stored, then four officials' actions as Updates. Fourteen activities run:
 * on start the company's one-loan claim, two working-day look-ups (the opening's limits) and the
 * append; accepting and passing a look-up and an append each; approving the decision letter, a
 * look-up and an append; disbursing the bank reference's look-up across loans, the repayment
 * schedule and an append. Each step also starts its
 * time limit's timer and cancels the last one. Each append carries its hash chain and projection.
 */
// 3.6 万元 a case: a run's several hundred cases stay within the 雏鹰 pool, which refuses an approval beyond what remains.
export async function runChuyingCase(client: Client, taskQueue: string): Promise<void> {
  const input = loanApplication({ referenceNo: `CY-BENCH-${randomUUID()}` });
  const handle = await client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
  const act = <A>(actor: Actor, action: A) => ({ args: [{ actor, requestId: randomUUID(), action }] as [never] });
  await handle.executeUpdate(submissionRecordedUpdate);
  await handle.executeUpdate(acceptMaterialsUpdate, act(fundReviewer, { type: 'AcceptMaterials' }));
  await handle.executeUpdate(passComplianceReviewUpdate, act(cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' }));
  await handle.executeUpdate(approveFundingUpdate, act(fundApprover, { type: 'ApproveFunding', approvedAmountFen: 3_600_000, notes: '核定 3.6 万元' }));
  await handle.executeUpdate(recordDisbursementUpdate, act(fundReviewer, { type: 'RecordDisbursement', disbursedOn: shanghaiDateOf(Date.now()), bankReference: `BENCH-${input.caseId}` }));
}

/**
 * The same conversation with the no-op workflow, with as many activities at each point as the real
 * case runs (above) and a timer per step. Keep the two in step when the case workflow changes: the
 * ratio is only the case's work while the twin has the case's shape.
 */
export async function runNoopCase(client: Client, taskQueue: string): Promise<void> {
  const handle = await client.workflow.start(noopCaseWorkflow, { workflowId: `noop-${randomUUID()}`, taskQueue, args: [{ activitiesOnStart: 4 }] });
  await handle.executeUpdate(noopSubmissionRecordedUpdate);
  for (const [step, activities] of [['accept', 2], ['pass', 2], ['approve', 3], ['disburse', 3]] as const) {
    await handle.executeUpdate(noopStepUpdate, { args: [{ step, activities }] });
  }
}

/** Cases one after another on `concurrency` lanes until `stop()` is called; counts what finished. */
export function continuousCaseLoad(client: Client, taskQueue: string, concurrency: number) {
  let stopping = false;
  let completed = 0;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (!stopping) {
      await runChuyingCase(client, taskQueue);
      completed++;
    }
  });
  return {
    get completed() {
      return completed;
    },
    async stop(): Promise<number> {
      stopping = true;
      await Promise.all(lanes);
      return completed;
    },
  };
}

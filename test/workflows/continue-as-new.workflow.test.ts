import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readStream, verifyChain } from '../../db/event-store.js';
import { startOfShanghaiDay, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
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
import { useCaseWorker } from '../support/case-worker.js';

const harness = useCaseWorker('continue-as-new');

const request = <A>(actor: typeof fundReviewer, action: A) => ({ actor, requestId: randomUUID(), action });

async function skipTo(date: LocalDate) {
  const target = startOfShanghaiDay(date) + 10 * 60 * 60 * 1000;
  const now = await harness.env.currentTimeMs();
  if (target > now) await harness.env.sleep(target - now);
}

describe('a long case continues as new, carrying its state', () => {
  it('a 36-month loan with a low history limit runs on in new runs, and every repayment and the event chain stay intact', async () => {
    // A limit of 60 history events: the loan passes it within its first repayments, and again later.
    const input = { ...loanApplication(), historyLimit: 60 };
    const workflowId = caseWorkflowId(input.caseId);
    const handle = await harness.env.client.workflow.start(chuyingLoanWorkflow, { workflowId, taskQueue: harness.taskQueue, args: [input] });
    const firstRunId = handle.firstExecutionRunId;
    await handle.executeUpdate(submissionRecordedUpdate);
    await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '' })] });
    await handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })] });
    await handle.executeUpdate(recordDisbursementUpdate, {
      args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn: shanghaiDateOf(await harness.env.currentTimeMs()), bankReference: 'BANK-CAN-1' })],
    });

    const { instalments } = await handle.query(chuyingLoanStateQuery);
    for (const instalment of instalments.slice(0, 12)) {
      await skipTo(instalment.dueOn);
      // A handle without a run id follows the chain of runs: the action reaches whichever run is current.
      await harness.env.client.workflow.getHandle(workflowId).executeUpdate(recordRepaymentUpdate, {
        args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: instalment.amountFen, paidOn: instalment.dueOn, reference: `CAN-R${instalment.number}` })],
      });
    }

    const first = await harness.env.client.workflow.getHandle(workflowId, firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const current = await harness.env.client.workflow.getHandle(workflowId).describe();
    expect(current.runId).not.toBe(firstRunId);
    expect(current.status.name).toBe('RUNNING');

    // The state the new run carries is the state the events fold to: nothing lost, nothing twice.
    const state = await harness.env.client.workflow.getHandle(workflowId).query(chuyingLoanStateQuery);
    const stream = await readStream(harness.database.db, input.caseId);
    expect(state.version).toBe(stream.length);
    expect(state.status).toBe('repaying');
    expect(state.referenceNo).toBe(input.referenceNo);
    expect(state.instalments.filter((i) => i.paidFen === i.amountFen).map((i) => i.number)).toEqual(instalments.slice(0, 12).map((i) => i.number));
    expect(state.repayments).toHaveLength(12);
    expect(stream.filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(12);
    expect(verifyChain(stream)).toBeUndefined();

    // A repeat of a repayment recorded by an earlier run is still recognised by the run now current.
    const repeat = await harness.env.client.workflow.getHandle(workflowId).executeUpdate(recordRepaymentUpdate, {
      args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: instalments[0]!.amountFen, paidOn: instalments[0]!.dueOn, reference: 'CAN-R1' })],
    });
    expect(repeat.alreadyRecorded).toBe(true);
    expect(repeat.events).toEqual([]);
  });
});

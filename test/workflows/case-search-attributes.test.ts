import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { temporalCli } from '../../dev/temporal-binaries.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { registerCaseSearchAttributes } from '../../worker/search-attributes.js';
import { caseStatusKey, caseTypeKey, departmentKey, nextDeadlineKey, programmeIdKey, referenceNoKey } from '../../workflows/case-search-attributes.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import {
  acceptMaterialsUpdate,
  approveFundingUpdate,
  passComplianceReviewUpdate,
  recordDisbursementUpdate,
  submissionRecordedUpdate,
} from '../../workflows/chuying-loan.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { cacReviewer, fundApprover, fundReviewer, loanApplication, type applicant } from '../support/actors.js';
import { startLocalTemporal } from '../support/local-temporal.js';
import { useCaseWorker } from '../support/case-worker.js';

/**
 * What an operator sees: on the real dev server (whose visibility store answers list queries, as a
 * cluster's does), loan cases driven through the real workflow are found by status and reference.
 */
// A fresh dev server knows none of the keys: the worker registers them before it runs a case.
const harness = useCaseWorker('search', { environment: startLocalTemporal });

const request = <A>(actor: typeof applicant, action: A) => ({ actor, requestId: randomUUID(), action });

async function openCase() {
  const input = loanApplication();
  const handle = await harness.env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
  await handle.executeUpdate(submissionRecordedUpdate);
  return { input, handle };
}

/** Workflow ids a visibility query lists, polled until they are `expected` (the dev server's visibility lags its writes a little). */
async function listed(query: string, expected: string[]): Promise<string[]> {
  let ids: string[] = [];
  for (const started = Date.now(); Date.now() - started < 15_000; await new Promise((resolve) => setTimeout(resolve, 200))) {
    ids = [];
    for await (const execution of harness.env.client.workflow.list({ query })) ids.push(execution.workflowId);
    ids.sort();
    if (JSON.stringify(ids) === JSON.stringify([...expected].sort())) break;
  }
  return ids;
}

describe('case search attributes on the dev server', () => {
  it('lists a loan case in 还款中 by CaseStatus and finds it by its reference number, and the temporal CLI finds it too', async () => {
    const repaying = await openCase();
    const waiting = await openCase();
    const other = (await harness.env.client.workflow.start(chuyingLoanWorkflow, { workflowId: `not-a-case-${randomUUID()}`, taskQueue: `idle-${randomUUID()}`, args: [loanApplication()] })).workflowId;

    await repaying.handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    await repaying.handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '内容积极健康' })] });
    await repaying.handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })] });
    const result = await repaying.handle.executeUpdate(recordDisbursementUpdate, {
      args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn: shanghaiDateOf(Date.now()), bankReference: 'BANK-0001' })],
    });
    expect(result.status).toBe('repaying');

    const repayingId = repaying.handle.workflowId;
    expect(await listed(`CaseStatus = 'repaying'`, [repayingId])).toEqual([repayingId]);
    expect(await listed(`CaseType = 'chuying-loan' AND CaseStatus = 'repaying'`, [repayingId])).toEqual([repayingId]);
    expect(await listed(`ReferenceNo = '${repaying.input.referenceNo}'`, [repayingId])).toEqual([repayingId]);
    // The other case is listed by its own status; a workflow that never ran sets nothing and is in neither list.
    expect(await listed(`CaseStatus = 'completeness-check'`, [waiting.handle.workflowId])).toEqual([waiting.handle.workflowId]);
    expect(await listed(`CaseType = 'chuying-loan'`, [repayingId, waiting.handle.workflowId])).not.toContain(other);

    // Every attribute, as the workflow last set it: the next deadline is the first instalment's reminder, weeks ahead.
    const attributes = (await repaying.handle.describe()).typedSearchAttributes;
    expect(attributes.get(caseTypeKey)).toBe('chuying-loan');
    expect(attributes.get(caseStatusKey)).toBe('repaying');
    expect(attributes.get(referenceNoKey)).toBe(repaying.input.referenceNo);
    expect(attributes.get(departmentKey)).toBe('yangpu-fund');
    expect(attributes.get(programmeIdKey)).toBe('chuying-loan');
    expect(attributes.get(nextDeadlineKey)?.getTime()).toBeGreaterThan(Date.now() + 20 * 24 * 60 * 60 * 1000);
    const waitingAttributes = (await waiting.handle.describe()).typedSearchAttributes;
    // The waiting case's next deadline is the end of its completeness window (一次性告知, since issue 13).
    const waitingState = await waiting.handle.query<{ completeness?: { deadlineAt: string } }>('chuyingLoanState');
    expect(waitingAttributes.get(nextDeadlineKey)?.toISOString()).toBe(waitingState.completeness?.deadlineAt);

    // What an operator types, through the installed CLI.
    const cli = temporalCli();
    if (cli.type === 'existing-path') {
      const { stdout } = await promisify(execFile)(cli.path, [
        'workflow', 'list', '--address', harness.env.address, '--namespace', 'default', '--query', "CaseType='chuying-loan' AND CaseStatus='repaying'", '--output', 'json',
      ]);
      expect(stdout).toContain(repayingId);
      expect(stdout).not.toContain(waiting.handle.workflowId);
    }
  });

  it('registers the keys again without complaint (every worker start does)', async () => {
    await expect(registerCaseSearchAttributes(harness.env.nativeConnection)).resolves.toBeUndefined();
    await expect(registerCaseSearchAttributes(harness.env.connection)).resolves.toBeUndefined();
  });
});

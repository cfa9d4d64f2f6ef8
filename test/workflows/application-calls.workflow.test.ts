import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CallInput } from '../../cases/call.case.js';
import { readCallLedger, recomputeCallLedger } from '../../db/budget-ledger.js';
import { readStream } from '../../db/event-store.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { applicationCase } from '../../cases/application.case.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { applicationWorkflow, callWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, cacReviewer } from '../support/actors.js';
import { applicationInput, huangpuApprover, huangpuReviewer, verifyOpenClaims } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { actOnApplication as act, applicationStateOf as stateOf } from '../support/workflow-updates.js';

const harness = useCaseWorker('application-calls');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;


/** Opens a call of the 黄浦 department and has a second official approve its budget. */
async function openCall(call: Partial<CallInput['call']> & Pick<CallInput['call'], 'programmeId' | 'budgetFen' | 'mode'>): Promise<string> {
  const now = await harness.env.currentTimeMs();
  const caseId = randomUUID();
  const input: CallInput = {
    caseId,
    referenceNo: `PC-2026-${caseId.slice(0, 6)}`,
    applicant: huangpuReviewer,
    openedBy: huangpuReviewer,
    requestId: randomUUID(),
    call: { catalogueVersion: CATALOGUE_VERSION, title: '2026 年黄浦载体扶持（先到先审）', opensAt: now - HOUR, closesAt: now + 30 * DAY, ...call },
  };
  const handle = await harness.env.client.workflow.start(callWorkflow, { workflowId: caseWorkflowId(caseId), taskQueue: harness.taskQueue, args: [input] });
  await handle.executeUpdate(caseOpenedUpdate);
  await handle.executeUpdate(caseActionUpdate<CallCommand>('approveCallBudget'), { args: [{ actor: huangpuApprover, requestId: randomUUID(), action: { type: 'ApproveCallBudget' } }] });
  return caseId;
}

async function submit(programmeId: string, facts: ApplicationFacts) {
  const who: Actor = { ...applicant, accountId: `acct-${randomUUID()}`, displayName: `上海载体运营${randomUUID().slice(0, 4)}有限公司` };
  const input = applicationInput(programmeId, { applicant: who, facts });
  const handle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
  await handle.executeUpdate(caseOpenedUpdate);
  return { input, handle: handle as WorkflowHandle };
}

/** An opened application taken through every step to its approval of `amountFen`. */
async function approve(handle: WorkflowHandle, amountFen: number) {
  await act(handle, huangpuReviewer, { type: 'AcceptMaterials' });
  const verification = verifyOpenClaims(await stateOf(handle));
  if (verification) await act(handle, huangpuReviewer, verification);
  await act(handle, cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' });
  await act(handle, huangpuReviewer, { type: 'ScoreApplication', score: 80, comments: '' });
  await act(handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: amountFen, notes: '' });
}

/** A submission refused when it opens (`why` says why it should be): the refusal, once the workflow has failed and recorded nothing. */
async function refusedAtOpening(input: ReturnType<typeof applicationInput>, why: string): Promise<Error & { type?: string }> {
  const handle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
  const refusal = await handle.executeUpdate(caseOpenedUpdate).then(
    () => expect.fail(why),
    (error: unknown) => (error as WorkflowUpdateFailedError).cause as Error & { type?: string },
  );
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  expect(await readStream(harness.database.db, input.caseId)).toEqual([]);
  return refusal;
}

describe('applications in a first-come call', () => {
  it('fifty simultaneous approvals against a budget that covers ten approve exactly ten; the rest are refused naming what remains; the ledger is the sum of its events', async () => {
    const amountFen = 10_000_000;
    const callId = await openCall({ programmeId: 'huangpu-carrier-operator', budgetFen: 10 * amountFen, mode: 'first-come' });
    const cases = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const opened = await submit('huangpu-carrier-operator', { applicantKind: 'carrier-operator', requestedAmountFen: amountFen, registeredDistrict: '黄浦区' });
        await act(opened.handle, huangpuReviewer, { type: 'AcceptMaterials' });
        // Issue 14: the applicant's claims are verified before any money is decided on them.
        const verification = verifyOpenClaims(await stateOf(opened.handle));
        if (verification) await act(opened.handle, huangpuReviewer, verification);
        await act(opened.handle, huangpuReviewer, { type: 'ScoreApplication', score: 80, comments: '' });
        return opened;
      }),
    );
    expect((await stateOf(cases[0]!.handle)).call).toMatchObject({ callId, mode: 'first-come', publicityWorkingDays: 5 });

    const outcomes = await Promise.allSettled(cases.map(({ handle }) => act(handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: amountFen, notes: '' })));
    const approved = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(approved).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const { reason } of refused) {
      expect(reason).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (reason as WorkflowUpdateFailedError).cause as Error & { type?: string };
      expect(cause.type).toBe('conflict');
      expect(cause.message).toContain('本批次预算剩余 0.00 元，不足以核定 100,000.00 元');
    }

    // The ten are on 公示 with their commitment; the forty still await a decision, nothing recorded for the refusal.
    const states = await Promise.all(cases.map(({ handle }) => stateOf(handle)));
    expect(states.filter((s) => s.status === 'publicity')).toHaveLength(10);
    expect(states.filter((s) => s.status === 'review')).toHaveLength(40);
    const ledger = await readCallLedger(harness.database.db, callId);
    expect(ledger).toMatchObject({ budgetFen: 10 * amountFen, committedFen: 10 * amountFen, remainingFen: 0, paidFen: 0 });
    expect(await recomputeCallLedger(harness.database.db, callId)).toEqual(ledger);

    // The read model shows the call, the overview names it, and the 公示 line is public (a company by its name).
    const publicised = cases[states.findIndex((s) => s.status === 'publicity')]!;
    const row = await harness.database.db.selectFrom('cases').selectAll().where('case_id', '=', publicised.input.caseId).executeTakeFirstOrThrow();
    expect(row.details).toMatchObject({ call: { callId, title: '2026 年黄浦载体扶持（先到先审）' }, publicEntry: { recipient: publicised.input.applicant.displayName, amountYuan: '100,000.00', status: 'in-publicity' } });
    expect(applicationCase.view!(row as never).overview).toContainEqual({ label: '申报批次', value: '2026 年黄浦载体扶持（先到先审）（先到先审，公示 5 个工作日）' });
    const events = (await readStream(harness.database.db, publicised.input.caseId)).map((e) => e.type);
    expect(events.slice(-2)).toEqual(['ApplicationApproved', 'PublicityStarted']);
  }, 180_000); // Fifty cases, each now with a 核验事实 update before the race (issue 14), on a shared 2-core machine.

  it('a first-come call whose budget is used up refuses the next application at submission, saying so (预算已用完), and records nothing', async () => {
    const amountFen = 5_000_000;
    const now = await harness.env.currentTimeMs();
    const title = '2026 年黄浦平台扶持（先到先审，小额）';
    // A programme of its own: one call of a programme at a time, and the first test's call of 载体运营方 is still open.
    const callId = await openCall({ programmeId: 'huangpu-platform-subsidy', budgetFen: amountFen, mode: 'first-come', title, closesAt: now + 10 * DAY });
    const facts: ApplicationFacts = { applicantKind: 'mcn', requestedAmountFen: amountFen, registeredDistrict: '黄浦区' };
    const first = await submit('huangpu-platform-subsidy', facts);
    expect((await stateOf(first.handle)).call).toMatchObject({ callId });
    await approve(first.handle, amountFen);
    expect(await readCallLedger(harness.database.db, callId)).toMatchObject({ remainingFen: 0 });

    const input = applicationInput('huangpu-platform-subsidy', { applicant: { ...applicant, accountId: `acct-${randomUUID()}`, displayName: '上海后到文化传媒有限公司' }, facts });
    const refusal = await refusedAtOpening(input, 'an application to a first-come call with no budget left should be refused');
    expect(refusal.type).toBe('illegal-state');
    expect(refusal.message).toContain(`申报批次「${title}」为先到先审，预算已用完（50,000.00 元已全部核定），不再受理申报；该批次仍在申报批次列表中列出至`);
  });

  it('a first-come call whose places (名额) are all taken refuses the next application at submission, money left, saying so (名额已满), and records nothing', async () => {
    const amountFen = 1_000_000;
    const now = await harness.env.currentTimeMs();
    const title = '2026 年黄浦优质创作者奖励（先到先审，一个名额）';
    // A programme of its own: one call of a programme at a time.
    const callId = await openCall({ programmeId: 'huangpu-creator-reward', budgetFen: 100 * amountFen, quota: 1, mode: 'first-come', title, closesAt: now + 10 * DAY });
    const facts: ApplicationFacts = { applicantKind: 'individual-creator', requestedAmountFen: amountFen, registeredDistrict: '黄浦区' };
    const first = await submit('huangpu-creator-reward', facts);
    expect((await stateOf(first.handle)).call).toMatchObject({ callId });
    await approve(first.handle, amountFen);
    // The one place is taken; most of the money is left.
    expect(await readCallLedger(harness.database.db, callId)).toMatchObject({ remainingFen: 99 * amountFen });

    const input = applicationInput('huangpu-creator-reward', { applicant: { ...applicant, accountId: `acct-${randomUUID()}`, displayName: '后到的创作者' }, facts });
    const refusal = await refusedAtOpening(input, 'an application to a first-come call with no places left should be refused');
    expect(refusal.type).toBe('illegal-state');
    expect(refusal.message).toContain(`申报批次「${title}」为先到先审，本批次名额已满（共 1 个名额，均已获批），不再受理申报；该批次仍在申报批次列表中列出至`);
  });

  it('a programme run by calls refuses an application outside an open call, naming the call’s dates, and records nothing', async () => {
    const now = await harness.env.currentTimeMs();
    await openCall({ programmeId: 'huangpu-event-subsidy', budgetFen: 100_000_000, mode: 'competitive', title: '2027 年黄浦活动扶持', opensAt: now + 10 * DAY, closesAt: now + 40 * DAY });
    const input = applicationInput('huangpu-event-subsidy', { applicant: { ...applicant, accountId: `acct-${randomUUID()}` }, facts: { applicantKind: 'platform', registeredDistrict: '黄浦区', requestedAmountFen: 1_000_000, itemId: `event-${randomUUID()}` } });
    const refusal = await refusedAtOpening(input, 'the submission should have been refused');
    expect(refusal.type).toBe('illegal-state');
    expect(refusal.message).toContain('2027 年黄浦活动扶持');
    expect(refusal.message).toContain('申报时间为');
  });
});

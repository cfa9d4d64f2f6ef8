/**
 * The promised time limits of issue 13, run by the one case driver against real activities and
 * Postgres on the time-skipping server: each case type's breach is recorded by the workflow's
 * timer and escalated to the supervising official, who may then take the step over; a director's
 * extension moves the deadline the case, its row and the queue show.
 */
import { randomUUID } from 'node:crypto';
import { type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { applicationCase } from '../../cases/application.case.js';
import type { CaseRow } from '../../cases/case-module.js';
import { chuyingLoanCase } from '../../cases/chuying-loan.case.js';
import type { RecoveryInput, RecoveryState } from '../../cases/recovery.case.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanState } from '../../domain/chuying/state.js';
import { chineseDate } from '../../domain/time/local-date.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { applicationWorkflow, chuyingLoanWorkflow, recoveryWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, fundReviewer, loanApplication } from '../support/actors.js';
import { applicationInput, FACTS, verifyOpenClaims, yangpuReviewer } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { refusal, sleepUntil } from '../support/workflow-updates.js';

const harness = useCaseWorker('time-limits');

const cacSupervisor: Actor = { accountId: 'acct-cac-supervisor', displayName: '赵分管', role: 'official', department: 'cac', duty: 'supervisor' };
const fundSupervisor: Actor = { accountId: 'acct-fund-supervisor', displayName: '孙分管', role: 'official', department: 'yangpu-fund', duty: 'supervisor' };
const fundDirector: Actor = { accountId: 'acct-fund-director', displayName: '陈处长', role: 'official', department: 'yangpu-fund', duty: 'director' };
const yangpuSupervisor: Actor = { accountId: 'acct-yangpu-supervisor', displayName: '冯分管', role: 'official', department: 'yangpu-investment', duty: 'supervisor' };

type AnyHandle = WorkflowHandle;
/** Any case type's command: the update names it, the module's validator checks it. */
type Command = { type: string } & Record<string, unknown>;
const act = (handle: AnyHandle, update: string, actor: Actor, action: Command) =>
  handle.executeUpdate(caseActionUpdate<Command>(update), { args: [{ actor, requestId: randomUUID(), action }] });

const eventTypes = async (caseId: string) => (await readStream(harness.database.db, caseId)).map((e) => e.type);
const row = (caseId: string) => harness.database.db.selectFrom('cases').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
const overviewLine = (view: Record<string, unknown>, label: string) => (view.overview as { label: string; value: string }[]).find((l) => l.label === label)?.value;

describe('雏鹰 loan: deemed complete, the 网信 review breached and taken over, the decision extended then breached', () => {
  it('records each breach by the timer, escalates it, and lets the supervisor act only then', async () => {
    const input = loanApplication();
    const handle = await harness.env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    const state = () => handle.query<ChuyingLoanState>('chuyingLoanState');

    // 一次性告知: the fund has 5 working days to list what is missing; unanswered, the materials are deemed complete.
    const { completeness } = await state();
    expect(completeness).toMatchObject({ workingDays: 5 });
    expect((await row(input.caseId)).next_deadline_at?.toISOString()).toBe(completeness!.deadlineAt);
    await sleepUntil(harness.env, Date.parse(completeness!.deadlineAt) + 60_000);
    const review = await state();
    expect(review.status).toBe('compliance-review');
    expect(review.timeLimit).toMatchObject({ step: 'compliance-review', department: 'cac', workingDays: 10, startedOn: completeness!.lastWorkingDay });
    expect((await row(input.caseId)).next_deadline_at?.toISOString()).toBe(review.timeLimit!.deadlineAt);

    // Before the breach the supervisor may not take the review over.
    expect((await refusal(act(handle, 'passComplianceReview', cacSupervisor, { type: 'PassComplianceReview', notes: '' }))).type).toBe('forbidden');
    await sleepUntil(harness.env, Date.parse(review.timeLimit!.deadlineAt) + 60_000);
    expect((await state()).timeLimit).toMatchObject({ breachedAt: expect.any(String), escalatedAt: expect.any(String) });
    const breachedRow = await row(input.caseId);
    expect(breachedRow.waiting_for_department).toBe('cac');
    expect((breachedRow.details as { waitingFor: { note: string } }).waitingFor.note).toContain('已超期，已上报分管领导');
    await act(handle, 'passComplianceReview', cacSupervisor, { type: 'PassComplianceReview', notes: '分管领导接手审查' });

    // The decision: 20 working days, extended once by the fund's director by 10, with a reason the applicant sees.
    const decision = (await state()).timeLimit!;
    expect(decision).toMatchObject({ step: 'funding-decision', department: 'yangpu-fund', workingDays: 20 });
    expect((await refusal(act(handle, 'extendTimeLimit', fundReviewer, { type: 'ExtendTimeLimit', extraWorkingDays: 10, reason: '专家评审' }))).type).toBe('forbidden');
    await act(handle, 'extendTimeLimit', fundDirector, { type: 'ExtendTimeLimit', extraWorkingDays: 10, reason: '需补充专家评审意见' });
    const extended = (await state()).timeLimit!;
    expect(extended).toMatchObject({ workingDays: 30, startedOn: decision.startedOn, extension: { extraWorkingDays: 10, reason: '需补充专家评审意见' } });
    expect(Date.parse(extended.deadlineAt)).toBeGreaterThan(Date.parse(decision.deadlineAt));
    const extendedRow = await row(input.caseId);
    expect(extendedRow.next_deadline_at?.toISOString()).toBe(extended.deadlineAt);
    const view = chuyingLoanCase.view!(extendedRow as unknown as CaseRow);
    expect(view.deadline).toMatchObject({ kind: 'time-limit:funding-decision', dueOn: extended.lastWorkingDay });
    expect(overviewLine(view, '办理时限')).toContain('经 陈处长 延长 10 个工作日：需补充专家评审意见');
    expect((await refusal(act(handle, 'extendTimeLimit', fundDirector, { type: 'ExtendTimeLimit', extraWorkingDays: 1, reason: '再延' }))).message).toContain('只能延长一次');

    // Past the extended limit: the second breach, and the fund's supervisor decides.
    await sleepUntil(harness.env, Date.parse(extended.deadlineAt) + 60_000);
    await act(handle, 'approveFunding', fundSupervisor, { type: 'ApproveFunding', approvedAmountFen: 30_000_000, notes: '分管领导决策' });
    expect((await state()).status).toBe('awaiting-disbursement');

    const events = await readStream(harness.database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual([
      'LoanApplicationSubmitted',
      'MaterialsDeemedComplete',
      'TimeLimitStarted',
      'TimeLimitBreached',
      'TimeLimitEscalated',
      'ComplianceReviewPassed',
      'TimeLimitStarted',
      'TimeLimitExtended',
      'TimeLimitBreached',
      'TimeLimitEscalated',
      'FundingApproved',
      // The approved loan awaits disbursement within the fund's 10 working days.
      'TimeLimitStarted',
    ]);
    expect(events[3]!.metadata.actor.role).toBe('system');
    expect(events[4]!.data).toMatchObject({ step: 'compliance-review', to: { role: 'official', department: 'cac', duty: 'supervisor' } });
    expect(events[7]!.data).toMatchObject({ applicantTold: true });
    expect(verifyChain(events)).toBeUndefined();
    await handle.terminate('test over');
  });
});

describe('programme application: the decision breached and escalated to the department supervisor', () => {
  it('shows the 20-working-day deadline in the row, breaches it by the timer, and the supervisor then decides', async () => {
    const input = applicationInput('yangpu-talent-rent', { applicant: { ...applicant, accountId: `acct-${randomUUID()}` }, facts: FACTS['yangpu-talent-rent']! });
    const handle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    const state = () => handle.query<ApplicationState>('applicationState');

    await act(handle, 'acceptMaterials', yangpuReviewer, { type: 'AcceptMaterials' });
    const limit = (await state()).timeLimit!;
    expect(limit).toMatchObject({ step: 'review', department: 'yangpu-investment', workingDays: 20, promisedWorkingDays: 20 });
    const reviewRow = await row(input.caseId);
    expect(reviewRow.next_deadline_at?.toISOString()).toBe(limit.deadlineAt);
    expect(overviewLine(applicationCase.view!(reviewRow as unknown as CaseRow), '办理时限')).toContain(`${chineseDate(limit.lastWorkingDay)}（含）前（评审 20 个工作日`);

    // Issue 14: the reviewer verifies the applicant's claims, so the decision turns on the time limit alone.
    const verification = verifyOpenClaims(await state());
    if (verification) await act(handle, 'verifyFacts', yangpuReviewer, verification);
    await act(handle, 'scoreApplication', yangpuReviewer, { type: 'ScoreApplication', score: 85, comments: '' });
    expect((await refusal(act(handle, 'approveApplication', yangpuSupervisor, { type: 'ApproveApplication', notes: '' }))).message).toContain('分管领导在本步骤超期上报后才能接手办理');
    await sleepUntil(harness.env, Date.parse(limit.deadlineAt) + 60_000);
    expect((await state()).timeLimit).toMatchObject({ breachedAt: expect.any(String), escalatedAt: expect.any(String) });
    expect(await eventTypes(input.caseId)).toEqual(['ApplicationSubmitted', 'MaterialsAccepted', 'TimeLimitStarted', 'FactsVerified', 'ApplicationScored', 'TimeLimitBreached', 'TimeLimitEscalated']);
    expect(overviewLine(applicationCase.view!((await row(input.caseId)) as unknown as CaseRow), '办理时限')).toContain('已超期，已上报分管领导');

    await act(handle, 'approveApplication', yangpuSupervisor, { type: 'ApproveApplication', notes: '分管领导决定' });
    expect((await state()).status).toBe('paying');
    await handle.terminate('test over');
  });
});

describe('追回: the answer to an objection breached and escalated', () => {
  it('limits the answer to 10 working days from the objection and escalates it when they pass', async () => {
    const input: RecoveryInput = {
      caseId: randomUUID(),
      referenceNo: `ZH-TL-${randomUUID().slice(0, 8)}`,
      applicant,
      openedBy: fundReviewer,
      requestId: randomUUID(),
      source: { caseId: randomUUID(), referenceNo: 'AP-2026-000001', programmeId: 'yangpu-talent-rent', programmeName: '人才租房补贴' },
      department: 'yangpu-fund',
      amountFen: 1_600_000,
      reason: '迁离杨浦后多发的两个月租房补贴',
    };
    const handle = await harness.env.client.workflow.start(recoveryWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    const state = () => handle.query<RecoveryState>('recoveryState');

    await act(handle, 'raiseObjection', applicant, { type: 'RaiseObjection', statement: '迁离日期登记有误' });
    const limit = (await state()).timeLimit!;
    expect(limit).toMatchObject({ step: 'objection-review', department: 'yangpu-fund', workingDays: 10 });
    expect((await row(input.caseId)).next_deadline_at?.toISOString()).toBe(limit.deadlineAt);

    await sleepUntil(harness.env, Date.parse(limit.deadlineAt) + 60_000);
    expect(await eventTypes(input.caseId)).toEqual(['RecoveryOpened', 'ObjectionRaised', 'TimeLimitStarted', 'TimeLimitBreached', 'TimeLimitEscalated']);
    await act(handle, 'answerObjection', fundSupervisor, { type: 'AnswerObjection', outcome: 'dismissed', answer: '经核对社保记录，迁离日期无误' });
    expect((await state()).status).toBe('collecting');
    await handle.terminate('test over');
  });
});

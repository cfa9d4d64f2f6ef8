/**
 * Issue 13's "a promised time limit on every step": the steps whose limit starts when the case
 * reaches them (the driver's `limitOnArrival`) — a call's budget approval and its panel's review,
 * an application waiting for its call's panel, an approved loan waiting for its disbursement. Each
 * is recorded on arrival, shown as the case's deadline (its row, so the queue), extended by a
 * director, and breached by the workflow's timer with the escalation to the supervising official.
 */
import { randomUUID } from 'node:crypto';
import { type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { applicationCase } from '../../cases/application.case.js';
import { CALL_ACTIONS } from '../../cases/call.case.js';
import { chuyingLoanCase } from '../../cases/chuying-loan.case.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { CallState } from '../../domain/calls/state.js';
import { SYSTEM_ACTOR, type Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanState } from '../../domain/chuying/state.js';
import { chineseMinute } from '../../domain/calls/shanghai-time.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { applicationWorkflow, chuyingLoanWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { applicationInput, huangpuApprover, huangpuDirector, huangpuReviewer } from '../support/applications.js';
import { startHuangpuCarrierCall } from '../support/huangpu-carrier-call.js';
import { useCaseWorker } from '../support/case-worker.js';
import { refusal, sleepUntil } from '../support/workflow-updates.js';

const harness = useCaseWorker('step-limits-on-arrival');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Command = { type: string } & Record<string, unknown>;
const updateOf = (actions: readonly { type: string; update: string }[], type: string) => actions.find((a) => a.type === type)!.update;
const act = (handle: WorkflowHandle, update: string, actor: Actor, action: Command) =>
  handle.executeUpdate(caseActionUpdate<Command>(update), { args: [{ actor, requestId: randomUUID(), action }] });
const callAct = (handle: WorkflowHandle, actor: Actor, action: Command) => act(handle, updateOf(CALL_ACTIONS, action.type), actor, action);
const applicationAct = (handle: WorkflowHandle, actor: Actor, action: Command) => act(handle, updateOf(applicationCase.actions, action.type), actor, action);
const loanAct = (handle: WorkflowHandle, actor: Actor, action: Command) => act(handle, updateOf(chuyingLoanCase.actions, action.type), actor, action);

const eventTypes = async (caseId: string) => (await readStream(harness.database.db, caseId)).map((e) => e.type);
const row = (caseId: string) => harness.database.db.selectFrom('cases').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
/** Who the case waits for, in words, as its row keeps it (a call keeps its next step whole). */
async function waitingNote(caseId: string): Promise<string | undefined> {
  const details = (await row(caseId)).details as { next?: { waitingFor?: { note: string } }; waitingFor?: { note: string } };
  return (details.waitingFor ?? details.next?.waitingFor)?.note;
}

/** A competitive 黄浦 call opened an hour ago, closing at `closesAt`, its workflow started and its opening recorded (budget not yet approved). */
async function openCall(title: string, start: number, closesAt: number): Promise<{ callId: string; call: WorkflowHandle }> {
  return startHuangpuCarrierCall(harness.env, harness.taskQueue, { title, start, closesAt, budgetFen: 70_000_000, mode: 'competitive', quota: 2 });
}

describe('a call: its budget approval and its panel each have a limit', () => {
  it('breaches an unapproved budget, then counts the panel from the close; a director extends it; the waiting application breaches on its own limit', async () => {
    const start = await harness.env.currentTimeMs();
    const closesAt = start + 10 * DAY;
    const { callId, call } = await openCall('2026 年度黄浦特色载体评选（时限）', start, closesAt);
    const callState = () => call.query<CallState>('callState');

    // The budget awaits a second official: 5 working days from the opening, the call's deadline until then.
    const budgetLimit = (await callState()).timeLimit!;
    expect(budgetLimit).toMatchObject({ step: 'draft', stepLabel: '预算审批', department: 'huangpu', workingDays: 5, startedOn: shanghaiDateOf(start) });
    expect((await row(callId)).next_deadline_at?.toISOString()).toBe(budgetLimit.deadlineAt);
    expect(Date.parse(budgetLimit.deadlineAt)).toBeLessThan(closesAt);

    // Left unapproved past it: the breach, escalated to 黄浦's supervising official; an extension comes too late.
    await sleepUntil(harness.env, Date.parse(budgetLimit.deadlineAt) + 60_000);
    expect((await callState()).timeLimit).toMatchObject({ breachedAt: expect.any(String), escalatedAt: expect.any(String) });
    expect(await waitingNote(callId)).toContain('已超期，已上报分管领导');
    expect((await refusal(callAct(call, huangpuDirector, { type: 'ExtendTimeLimit', extraWorkingDays: 2, reason: '补充预算说明' }))).message).toContain('届满');
    await callAct(call, huangpuApprover, { type: 'ApproveCallBudget' });
    expect((await callState()).timeLimit).toBeUndefined();
    // Approved, the call owes nobody a step until its close: the close is its deadline.
    expect((await row(callId)).next_deadline_at?.toISOString()).toBe(new Date(closesAt).toISOString());

    // An application complete before the close waits for the panel: its limit counts from the close's day, not today's.
    const input = applicationInput('huangpu-carrier-operator', { applicant: { ...applicant, accountId: `acct-${randomUUID()}`, displayName: '上海外滩内容载体运营有限公司' }, facts: { applicantKind: 'carrier-operator', requestedAmountFen: 30_000_000, registeredDistrict: '黄浦区' } });
    const application: WorkflowHandle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
    await application.executeUpdate(caseOpenedUpdate);
    await applicationAct(application, huangpuReviewer, { type: 'AcceptMaterials' });
    const waiting = await application.query<ApplicationState>('applicationState');
    expect(waiting.status).toBe('panel-review');
    expect(waiting.timeLimit).toMatchObject({ step: 'panel-review', stepLabel: '评审委员会评审', department: 'huangpu', workingDays: 20, startedOn: shanghaiDateOf(closesAt - 1) });
    expect((await row(input.caseId)).next_deadline_at?.toISOString()).toBe(waiting.timeLimit!.deadlineAt);

    // The close passes: the call's panel review starts its own 20 working days, counted from that day.
    await sleepUntil(harness.env, closesAt + 60_000);
    const panelLimit = (await callState()).timeLimit!;
    expect(panelLimit).toMatchObject({ step: 'panel-review', stepLabel: '评审及批量审批', workingDays: 20, startedOn: shanghaiDateOf(closesAt + 60_000) });
    expect(panelLimit.lastWorkingDay).toBe(waiting.timeLimit!.lastWorkingDay);

    // Only a director extends, once; the new deadline is the call's, in its row.
    expect((await refusal(callAct(call, huangpuReviewer, { type: 'ExtendTimeLimit', extraWorkingDays: 5, reason: '专家补充意见' }))).type).toBe('forbidden');
    await callAct(call, huangpuDirector, { type: 'ExtendTimeLimit', extraWorkingDays: 5, reason: '专家补充意见' });
    const extended = (await callState()).timeLimit!;
    expect(extended).toMatchObject({ workingDays: 25, promisedWorkingDays: 20, extension: { extraWorkingDays: 5, reason: '专家补充意见' } });
    expect((await row(callId)).next_deadline_at?.toISOString()).toBe(extended.deadlineAt);

    // The application's own limit, not extended, passes first: its breach is escalated to the supervisor.
    await sleepUntil(harness.env, Date.parse(waiting.timeLimit!.deadlineAt) + 60_000);
    expect((await application.query<ApplicationState>('applicationState')).timeLimit).toMatchObject({ step: 'panel-review', breachedAt: expect.any(String), escalatedAt: expect.any(String) });
    expect(await eventTypes(input.caseId)).toEqual(['ApplicationSubmitted', 'MaterialsAccepted', 'TimeLimitStarted', 'TimeLimitBreached', 'TimeLimitEscalated']);
    expect((await callState()).timeLimit?.breachedAt).toBeUndefined();

    // Then the call's extended one.
    await sleepUntil(harness.env, Date.parse(extended.deadlineAt) + 60_000);
    const events = await readStream(harness.database.db, callId);
    expect(events.map((e) => e.type)).toEqual([
      'CallOpened',
      'TimeLimitStarted',
      'TimeLimitBreached',
      'TimeLimitEscalated',
      'CallBudgetApproved',
      'CallEnded',
      'TimeLimitStarted',
      'TimeLimitExtended',
      'TimeLimitBreached',
      'TimeLimitEscalated',
    ]);
    expect(events[9]!.data).toMatchObject({ step: 'panel-review', to: { role: 'official', department: 'huangpu', duty: 'supervisor' } });
    expect(verifyChain(events)).toBeUndefined();
    const overview = ((await row(callId)).details as { timeLimit: { escalatedAt: string | null } }).timeLimit;
    expect(overview.escalatedAt).toEqual(expect.any(String));
    await call.terminate('test over');
    await application.terminate('test over');
  });
});

describe('a competitive call closed before its planned close', () => {
  it('tells its applications when its close moves: one waiting for the panel counts its limit from the new close, one not yet there from its own arrival', async () => {
    // An outsider closed a call weeks early: its waiting applications kept limits counted from the planned close.
    // Extended, the same limits would have fallen due before the call even closed.
    const start = await harness.env.currentTimeMs();
    const plannedClose = start + 30 * DAY;
    const { callId, call } = await openCall('2026 年度黄浦特色载体评选（提前截止）', start, plannedClose);
    await callAct(call, huangpuApprover, { type: 'ApproveCallBudget' });

    const apply = async (name: string) => {
      const input = applicationInput('huangpu-carrier-operator', { applicant: { ...applicant, accountId: `acct-${randomUUID()}`, displayName: name }, facts: { applicantKind: 'carrier-operator', requestedAmountFen: 30_000_000, registeredDistrict: '黄浦区' } });
      const handle: WorkflowHandle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
      await handle.executeUpdate(caseOpenedUpdate);
      return { caseId: input.caseId, handle, state: () => handle.query<ApplicationState>('applicationState') };
    };
    const waiting = await apply('上海外滩内容载体运营有限公司');
    await applicationAct(waiting.handle, huangpuReviewer, { type: 'AcceptMaterials' });
    const before = (await waiting.state()).timeLimit!;
    expect(before).toMatchObject({ step: 'panel-review', startedOn: shanghaiDateOf(plannedClose - 1) });
    const notYetThere = await apply('上海南京东路载体管理有限公司');
    expect((await notYetThere.state()).status).toBe('completeness-check');

    // The office extends the call by 30 days: the waiting limit counts from the new close, no longer due before it.
    const extendedClose = plannedClose + 30 * DAY;
    await callAct(call, huangpuApprover, { type: 'ChangeCall', closesAt: extendedClose });
    const extended = (await waiting.state()).timeLimit!;
    expect(extended).toMatchObject({ step: 'panel-review', workingDays: 20, startedOn: shanghaiDateOf(extendedClose - 1) });
    expect(before.deadlineAt < new Date(extendedClose).toISOString()).toBe(true);
    expect(extended.deadlineAt > new Date(extendedClose).toISOString()).toBe(true);
    expect((await readStream(harness.database.db, waiting.caseId)).at(-1)).toMatchObject({
      type: 'CallCloseRecorded',
      data: { closedEarly: false, closesAt: new Date(extendedClose).toISOString(), previousClosesAt: new Date(plannedClose).toISOString() },
    });

    // Two days on, the director closes the call.
    await sleepUntil(harness.env, start + 2 * DAY);
    await callAct(call, huangpuDirector, { type: 'CloseCall', reason: '申报已满，提前截止' });
    const closedAt = (await call.query<CallState>('callState')).closed!.closedAt;
    const closedOn = shanghaiDateOf(Date.parse(closedAt) - 1);

    // The waiting application's 20 working days now count from the close's day: an earlier deadline, in its row and queue.
    const after = await waiting.state();
    expect(after.call?.closesAt).toBe(closedAt);
    expect(after.timeLimit).toMatchObject({ step: 'panel-review', workingDays: 20, startedOn: closedOn });
    expect(after.timeLimit!.lastWorkingDay < before.lastWorkingDay).toBe(true);
    expect((await row(waiting.caseId)).next_deadline_at?.toISOString()).toBe(after.timeLimit!.deadlineAt);
    const recorded = (await readStream(harness.database.db, waiting.caseId)).at(-1)!;
    expect(recorded).toMatchObject({
      type: 'CallCloseRecorded',
      data: { callId, closesAt: closedAt, previousClosesAt: new Date(extendedClose).toISOString(), closedEarly: true, limit: { previous: { startedOn: extended.startedOn, lastWorkingDay: extended.lastWorkingDay }, current: { startedOn: closedOn, lastWorkingDay: after.timeLimit!.lastWorkingDay } } },
    });
    expect(recorded.metadata.actor.role).toBe('system');

    // The other, still in its completeness check, keeps the close it had and counts from the day it reaches the panel.
    expect((await notYetThere.state()).call?.closesAt).toBe(closedAt);
    expect((await readStream(harness.database.db, notYetThere.caseId)).at(-1)!.data).not.toHaveProperty('limit');
    await sleepUntil(harness.env, start + 3 * DAY);
    await applicationAct(notYetThere.handle, huangpuReviewer, { type: 'AcceptMaterials' });
    expect((await notYetThere.state()).timeLimit).toMatchObject({ step: 'panel-review', startedOn: shanghaiDateOf(await harness.env.currentTimeMs()) });

    // A late applicant is told when the call really closed, and why — not its planned close, a month away.
    const lateInput = applicationInput('huangpu-carrier-operator', { applicant: { ...applicant, accountId: `acct-${randomUUID()}`, displayName: '上海迟到载体有限公司' }, facts: { applicantKind: 'carrier-operator', requestedAmountFen: 30_000_000, registeredDistrict: '黄浦区' } });
    const late: WorkflowHandle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(lateInput.caseId), taskQueue: harness.taskQueue, args: [lateInput] });
    const lateRefusal = (await refusal(late.executeUpdate(caseOpenedUpdate))).message;
    expect(lateRefusal).toContain(`已于 ${chineseMinute(Date.parse(closedAt))}（北京时间）提前截止（申报已满，提前截止）`);
    expect(lateRefusal).not.toContain(chineseMinute(extendedClose));

    // Delivered again, nothing more is recorded; nobody records it by hand.
    const versionBefore = (await waiting.state()).version;
    await applicationAct(waiting.handle, SYSTEM_ACTOR, { type: 'RecordCallClose', callId, closesAt: closedAt, closedEarly: true });
    expect((await waiting.state()).version).toBe(versionBefore);
    expect((await refusal(applicationAct(waiting.handle, huangpuDirector, { type: 'RecordCallClose', callId, closesAt: closedAt, closedEarly: true }))).type).toBe('forbidden');
    for (const handle of [call, waiting.handle, notYetThere.handle]) await handle.terminate('test over');
    await late.terminate('test over').catch(() => undefined);
  });
});

describe('a 雏鹰 loan awaiting disbursement', () => {
  it('starts the fund’s 10 working days on approval, shows them as the deadline, and breaches them by the timer', async () => {
    const input = loanApplication();
    const handle: WorkflowHandle = await harness.env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    await loanAct(handle, fundReviewer, { type: 'AcceptMaterials' });
    await loanAct(handle, cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' });
    await loanAct(handle, fundApprover, { type: 'ApproveFunding', approvedAmountFen: 30_000_000, notes: '核减至 30 万元' });
    const approvedOn = shanghaiDateOf(await harness.env.currentTimeMs());

    const limit = (await handle.query<ChuyingLoanState>('chuyingLoanState')).timeLimit!;
    expect(limit).toMatchObject({ step: 'awaiting-disbursement', stepLabel: '待放款', department: 'yangpu-fund', workingDays: 10, startedOn: approvedOn });
    expect((await row(input.caseId)).next_deadline_at?.toISOString()).toBe(limit.deadlineAt);

    await sleepUntil(harness.env, Date.parse(limit.deadlineAt) + 60_000);
    expect((await handle.query<ChuyingLoanState>('chuyingLoanState')).timeLimit).toMatchObject({ breachedAt: expect.any(String), escalatedAt: expect.any(String) });
    expect((await eventTypes(input.caseId)).slice(-4)).toEqual(['FundingApproved', 'TimeLimitStarted', 'TimeLimitBreached', 'TimeLimitEscalated']);
    expect(await waitingNote(input.caseId)).toContain('已超期，已上报分管领导');

    // Disbursed late, the case goes on: the breach stays on record.
    await loanAct(handle, fundReviewer, { type: 'RecordDisbursement', disbursedOn: shanghaiDateOf(await harness.env.currentTimeMs()), bankReference: 'BANK-LATE-1' });
    expect((await handle.query<ChuyingLoanState>('chuyingLoanState')).status).toBe('repaying');
    await handle.terminate('test over');
  });
});

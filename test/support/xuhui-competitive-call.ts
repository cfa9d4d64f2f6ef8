import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { applicationCase } from '../../cases/application.case.js';
import { CALL_ACTIONS, type CallInput } from '../../cases/call.case.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { applicationWorkflow, callWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant } from './actors.js';
import { applicationInput, FACTS, verifyOpenClaims, xuhuiApprover, xuhuiReviewer } from './applications.js';
import type { CaseWorkerHarness } from './case-worker.js';

/**
 * A 徐汇优质作品 competitive call run through the real call and application workflows, for the tests
 * of what happens to its applications around the panel: two panel members of the department, the
 * call opened and its budget approved, producers applying for dramas of their own.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Command = { type: string } & Record<string, unknown>;
const act = (handle: WorkflowHandle, update: string, actor: Actor, action: Command) => handle.executeUpdate(caseActionUpdate<Command>(update), { args: [{ actor, requestId: randomUUID(), action }] });
export const callAct = (handle: WorkflowHandle, actor: Actor, action: Command) => act(handle, CALL_ACTIONS.find((a) => a.type === action.type)!.update, actor, action);
export const applicationAct = (handle: WorkflowHandle, actor: Actor, action: Command) => act(handle, applicationCase.actions.find((a) => a.type === action.type)!.update, actor, action);

export const CRITERIA = [{ id: 'quality', name: '作品质量', weightPercent: 100, maxPoints: 100 }];
export const sheet = (points: number) => [{ criterionId: 'quality', points, comment: '制作精良' }];

/** Two reviewers of 徐汇 to sit on the panel (甲专家, 乙专家), accounts named by `prefix`; insert them before the tests. */
export function panelMembers(prefix: string): { memberA: Actor; memberB: Actor; insert: (harness: CaseWorkerHarness) => Promise<void> } {
  const memberA: Actor = { accountId: `acct-${prefix}-panel-a`, displayName: '甲专家', role: 'official', department: 'xuhui' };
  const memberB: Actor = { accountId: `acct-${prefix}-panel-b`, displayName: '乙专家', role: 'official', department: 'xuhui' };
  const insert = async (harness: CaseWorkerHarness) => {
    await harness.database.ownerDb
      .insertInto('accounts')
      .values([memberA, memberB].map((m, i) => ({ account_id: m.accountId, username: `${prefix}-panel-${i}`, display_name: m.displayName, role: 'official', department: 'xuhui', duties: ['reviewer'], profile: '{}', created_at: new Date() })) as never)
      .execute();
  };
  return { memberA, memberB, insert };
}

/** The call, open since an hour ago for two days, its budget of 2,000,000.00 approved, `quota` places. */
export async function openXuhuiCall(harness: CaseWorkerHarness, quota: number): Promise<{ callId: string; call: WorkflowHandle }> {
  const start = await harness.env.currentTimeMs();
  const callId = randomUUID();
  const callInput: CallInput = {
    caseId: callId,
    referenceNo: `PC-2026-${callId.slice(0, 6)}`,
    applicant: xuhuiReviewer,
    openedBy: xuhuiReviewer,
    requestId: randomUUID(),
    call: { programmeId: 'xuhui-quality-works', catalogueVersion: CATALOGUE_VERSION, title: '2026 年度徐汇优质作品评选', opensAt: start - HOUR, closesAt: start + 2 * DAY, budgetFen: 200_000_000, quota, mode: 'competitive' },
  };
  const call: WorkflowHandle = await harness.env.client.workflow.start(callWorkflow, { workflowId: caseWorkflowId(callId), taskQueue: harness.taskQueue, args: [callInput] });
  await call.executeUpdate(caseOpenedUpdate);
  await callAct(call, xuhuiApprover, { type: 'ApproveCallBudget' });
  return { callId, call };
}

/** A producer named `name` applies for a drama of its own (or the one `itemId` names); the application is opened, at 材料审查. */
export async function applyToXuhuiCall(harness: CaseWorkerHarness, name: string, itemId = `drama-${randomUUID()}`) {
  const who = { ...applicant, accountId: `acct-${randomUUID()}`, displayName: name };
  const input = applicationInput('xuhui-quality-works', { applicant: who, facts: { ...FACTS['xuhui-quality-works'], itemId } });
  const handle: WorkflowHandle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
  await handle.executeUpdate(caseOpenedUpdate);
  return { input, handle, who };
}

/** The reviewer verifies what the applicant stated (issue 14), where anything is left to verify. */
export async function verifyStatedFacts(handle: WorkflowHandle): Promise<void> {
  const verification = verifyOpenClaims(await handle.query<ApplicationState>('applicationState'));
  if (verification) await applicationAct(handle, xuhuiReviewer, verification);
}

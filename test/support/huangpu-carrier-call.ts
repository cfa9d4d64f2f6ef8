import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CallInput } from '../../cases/call.case.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import type { ApplicationWorkflowInput } from '../../workflows/application.messages.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { applicationWorkflow, callWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant } from './actors.js';
import { applicationInput, huangpuApprover, huangpuReviewer, verifyOpenClaims } from './applications.js';
import { actOnApplication, applicationStateOf } from './workflow-updates.js';

const HOUR = 3_600_000;

/**
 * A call of the 黄浦 department for carrier operators, opened an hour before `start`: its workflow
 * started and its opening recorded, its budget not yet approved.
 */
export async function startHuangpuCarrierCall(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  options: { title: string; start: number; closesAt: number; budgetFen: number } & ({ mode: 'first-come' } | { mode: 'competitive'; quota: number }),
): Promise<{ callId: string; call: WorkflowHandle }> {
  const { title, start, closesAt, budgetFen, ...how } = options;
  const callId = randomUUID();
  const callInput: CallInput = {
    caseId: callId,
    referenceNo: `PC-2026-${callId.slice(0, 6)}`,
    applicant: huangpuReviewer,
    openedBy: huangpuReviewer,
    requestId: randomUUID(),
    call: { catalogueVersion: CATALOGUE_VERSION, title, programmeId: 'huangpu-carrier-operator', budgetFen, opensAt: start - HOUR, closesAt, ...how },
  };
  const call = await env.client.workflow.start(callWorkflow, { workflowId: caseWorkflowId(callId), taskQueue, args: [callInput] });
  await call.executeUpdate(caseOpenedUpdate);
  return { callId, call };
}

/** A first-come call of the 黄浦 department for carrier operators, open from an hour ago, its budget approved by a second official. */
export async function openHuangpuCarrierCall(env: TestWorkflowEnvironment, taskQueue: string, options: { title: string; budgetFen: number; openForMs: number }): Promise<{ callId: string; call: WorkflowHandle }> {
  const now = await env.currentTimeMs();
  const { callId, call } = await startHuangpuCarrierCall(env, taskQueue, { title: options.title, start: now, closesAt: now + options.openForMs, budgetFen: options.budgetFen, mode: 'first-come' });
  await call.executeUpdate(caseActionUpdate<CallCommand>('approveCallBudget'), { args: [{ actor: huangpuApprover, requestId: randomUUID(), action: { type: 'ApproveCallBudget' } }] });
  return { callId, call };
}

/**
 * A carrier operator's application for 100,000.00 in that call, taken through review and approved:
 * its award goes on 公示. `input` is what the workflow started with (its case id, reference number and applicant).
 */
export async function approvedCarrierApplication(env: TestWorkflowEnvironment, taskQueue: string, name: string): Promise<{ handle: WorkflowHandle; input: ApplicationWorkflowInput }> {
  const who: Actor = { ...applicant, accountId: `acct-${randomUUID()}`, displayName: name };
  const input = applicationInput('huangpu-carrier-operator', { applicant: who, facts: { applicantKind: 'carrier-operator', requestedAmountFen: 10_000_000, registeredDistrict: '黄浦区' } });
  const handle = (await env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] })) as WorkflowHandle;
  await handle.executeUpdate(caseOpenedUpdate);
  await actOnApplication(handle, huangpuReviewer, { type: 'AcceptMaterials' });
  const verification = verifyOpenClaims(await applicationStateOf(handle));
  if (verification) await actOnApplication(handle, huangpuReviewer, verification);
  await actOnApplication(handle, huangpuReviewer, { type: 'ScoreApplication', score: 80, comments: '' });
  await actOnApplication(handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 10_000_000, notes: '' });
  return { handle, input };
}

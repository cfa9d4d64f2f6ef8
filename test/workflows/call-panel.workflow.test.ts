import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallActivities } from '../../activities/calls.activities.js';
import { CALL_ACTIONS, type CallInput } from '../../cases/call.case.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { appendToStream, readStream } from '../../db/event-store.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import type { CallState } from '../../domain/calls/state.js';
import { SYSTEM_ACTOR, type Actor } from '../../domain/cases/actor.js';
import { applicationRecordsOf } from '../../domain/panels/application-record.js';
import type { PanelEvent } from '../../domain/panels/events.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { huangpuApprover, huangpuDirector, huangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment } from '../support/temporal.js';
import { receivedQuery, type batchRecipientWorkflow, type callWorkflow } from './support/call-panel.workflows.js';
import { refusal } from '../support/workflow-updates.js';

// The production call workflow beside a stand-in for the applications' workflows, which records what is delivered to it.
const ENTRY = fileURLToPath(new URL('./support/call-panel.workflows.ts', import.meta.url));
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => console.error(message) };
const DAY = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `call-panel-${randomUUID()}`;

const reviewerA: Actor = { accountId: 'acct-panel-rev-a', displayName: '甲评审', role: 'official', department: 'huangpu' };
const reviewerB: Actor = { accountId: 'acct-panel-rev-b', displayName: '乙评审', role: 'official', department: 'huangpu' };
const expertC: Actor = { accountId: 'acct-panel-exp-c', displayName: '丙专家', role: 'expert' };

beforeAll(async () => {
  let bundle;
  [env, database, bundle] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), bundleWorkflowCode({ workflowsPath: ENTRY, logger: quiet })]);
  await database.ownerDb
    .insertInto('accounts')
    .values([
      { account_id: reviewerA.accountId, username: 'panel-rev-a', display_name: reviewerA.displayName, role: 'official', department: 'huangpu', duties: ['reviewer'], profile: '{}', created_at: new Date() },
      { account_id: reviewerB.accountId, username: 'panel-rev-b', display_name: reviewerB.displayName, role: 'official', department: 'huangpu', duties: ['reviewer'], profile: '{}', created_at: new Date() },
      { account_id: expertC.accountId, username: 'panel-exp-c', display_name: expertC.displayName, role: 'expert' as 'official', department: null, duties: [], profile: '{}', created_at: new Date() },
    ] as never)
    .execute();
  // createCaseWorker builds the Temporal client the delivery uses from the worker's own connection.
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar: async () => packagedCalendar(), workflowBundle: bundle });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

type CallHandle = WorkflowHandle<typeof callWorkflow>;
const act = (handle: CallHandle, actor: Actor, action: CallCommand) =>
  handle.executeUpdate(caseActionUpdate<CallCommand>(CALL_ACTIONS.find((a) => a.type === action.type)!.update), { args: [{ actor, requestId: randomUUID(), action }] });
const stateOf = (handle: CallHandle) => handle.query<CallState>('callState');

/** An application of the call waiting for its panel, as its read model shows it (H7's module writes `details.call.callId`). */
async function applicationAwaitingPanel(callId: string, n: number, requestedFen: number, status = 'panel-review') {
  const caseId = randomUUID();
  await database.ownerDb
    .insertInto('cases')
    .values({
      case_id: caseId,
      reference_no: `AP-2026-P${n}-${caseId.slice(0, 4)}`,
      case_type: 'application',
      applicant_account_id: `acct-applicant-${n}`,
      applicant_name: `申请人${n}`,
      status,
      status_label: status === 'panel-review' ? '评审中' : '材料审查',
      requested_fen: requestedFen,
      outstanding_fen: 0,
      version: 3,
      opened_at: new Date(Date.UTC(2026, 9, n)),
      updated_at: new Date(),
      state: '{}',
      programme_id: 'huangpu-creator-reward',
      details: JSON.stringify({ call: { callId } }),
      departments: ['huangpu'],
    } as never)
    .execute();
  const recipient: WorkflowHandle<typeof batchRecipientWorkflow> = await env.client.workflow.start('batchRecipientWorkflow', { workflowId: caseWorkflowId(caseId), taskQueue, args: [{}] });
  return { caseId, recipient };
}

const CRITERIA = [
  { id: 'content', name: '内容质量', weightPercent: 60, maxPoints: 100 },
  { id: 'reach', name: '传播影响', weightPercent: 40, maxPoints: 10 },
];
const sheet = (content: number, reach: number) => [
  { criterionId: 'content', points: content, comment: '选题扎实' },
  { criterionId: 'reach', points: reach, comment: '传播面广' },
];

describe('panel review on a competitive call, through the one case driver', () => {
  it('named panel, a conflicted member excluded, scores, the list within quota and budget, the director’s batch delivered to each application', async () => {
    const now = await env.currentTimeMs();
    const callId = randomUUID();
    const input: CallInput = {
      caseId: callId,
      referenceNo: `PC-2026-${callId.slice(0, 6)}`,
      applicant: huangpuReviewer,
      openedBy: huangpuReviewer,
      requestId: randomUUID(),
      call: { programmeId: 'huangpu-creator-reward', catalogueVersion: CATALOGUE_VERSION, title: '2026 年度黄浦优质创作者评选', opensAt: now + 60_000, closesAt: now + 2 * DAY, budgetFen: 70_000_000, quota: 2, mode: 'competitive' },
    };
    const handle: CallHandle = await env.client.workflow.start('callWorkflow', { workflowId: caseWorkflowId(callId), taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    await act(handle, huangpuApprover, { type: 'ApproveCallBudget' });

    const first = await applicationAwaitingPanel(callId, 1, 30_000_000);
    const second = await applicationAwaitingPanel(callId, 2, 50_000_000);
    const third = await applicationAwaitingPanel(callId, 3, 10_000_000);
    const notYet = await applicationAwaitingPanel(callId, 4, 10_000_000, 'completeness-check');

    // The office names the panel: two reviewer officials and an external expert, each by their account.
    await act(handle, huangpuApprover, { type: 'NamePanel', memberAccountIds: [reviewerA.accountId, reviewerB.accountId, expertC.accountId], criteria: CRITERIA, minScorers: 2 });
    expect((await stateOf(handle)).panel.members.map((m) => [m.displayName, m.kind])).toEqual([
      ['甲评审', 'official'],
      ['乙评审', 'official'],
      ['丙专家', 'expert'],
    ]);

    // 乙 declares a conflict with the first application: its first touch refers it to the panel, and 乙 is excluded from it.
    await act(handle, reviewerB, { type: 'DeclareConflict', caseId: first.caseId, reason: '曾为申请人提供有偿咨询' });
    expect((await refusal(act(handle, reviewerB, { type: 'SubmitScore', caseId: first.caseId, scores: sheet(100, 10) }))).message).toContain('回避，不能为其打分');
    // An application not yet waiting for the panel does not enter it; an expert not on the panel acts on nothing.
    expect((await refusal(act(handle, expertC, { type: 'DeclareNoConflict', caseId: notYet.caseId }))).message).toContain('尚未进入评审');
    expect((await refusal(act(handle, { ...expertC, accountId: 'acct-other-expert' }, { type: 'DeclareNoConflict', caseId: first.caseId }))).type).toBe('forbidden');

    for (const [member, caseId, content, reach] of [
      [reviewerA, first.caseId, 95, 9],
      [expertC, first.caseId, 90, 9],
      [reviewerA, second.caseId, 85, 8],
      [reviewerB, second.caseId, 80, 8],
      [expertC, second.caseId, 85, 8],
      [reviewerA, third.caseId, 60, 6],
      [reviewerB, third.caseId, 60, 5],
    ] as const) {
      await act(handle, member, { type: 'DeclareNoConflict', caseId });
      await act(handle, member, { type: 'SubmitScore', caseId, scores: sheet(content, reach) });
    }

    // The list waits for the close, so every application of the batch competes.
    expect((await refusal(act(handle, huangpuApprover, { type: 'ProposeList' }))).message).toContain('申报截止');
    await env.sleep(3 * DAY);
    expect((await stateOf(handle)).status).toBe('ended');

    // Every application filed in time is weighed: the fourth, still in 材料审查, holds the list up until it leaves the call.
    expect((await refusal(act(handle, huangpuApprover, { type: 'ProposeList' }))).message).toBe('尚有 1 件申请未审查完毕（材料审查 1 件），审查完毕后才能拟定资助名单。');
    await database.ownerDb.updateTable('cases').set({ status: 'withdrawn', status_label: '已撤回' }).where('case_id', '=', notYet.caseId).execute();

    // Quota 2, budget 700,000.00: #1 (300,000.00) fits, #2 (500,000.00) does not fit what is left, #3 (100,000.00) does.
    await act(handle, huangpuApprover, { type: 'ProposeList' });
    const { panel } = await stateOf(handle);
    expect(panel.list).toMatchObject({
      quota: 2,
      budgetFen: 70_000_000,
      proposed: [
        { caseId: first.caseId, rank: 1, amountFen: 30_000_000 },
        { caseId: third.caseId, rank: 3, amountFen: 10_000_000 },
      ],
      passedOver: [{ caseId: second.caseId, rank: 2, reason: 'over-budget', remainingFen: 40_000_000 }],
      totalFen: 40_000_000,
    });
    // The first application was scored by 甲 and 丙 only: 乙's recusal is recorded against it.
    expect(panel.list!.ranking.find((r) => r.caseId === first.caseId)).toMatchObject({ scorers: 2 });

    // Not the proposer, not a panel member: a director of the department approves the batch.
    expect((await refusal(act(handle, huangpuApprover, { type: 'ApproveBatch' }))).type).toBe('forbidden');
    await act(handle, huangpuDirector, { type: 'ApproveBatch' });
    expect(await handle.result()).toMatchObject({ status: 'ended' });

    // Each ranked application received its records from the system, once, with a request id of the batch and the case.
    const events = await readStream(database.db, callId);
    const approved = events.find((e) => e.type === 'BatchApproved')!;
    const listId = (approved.data as { listId: string }).listId;
    const finalState = await stateOf(handle);
    const expected = applicationRecordsOf(finalState.panel, { type: 'BatchApproved', data: approved.data } as PanelEvent);
    expect(expected).toHaveLength(3);
    for (const { caseId, recipient } of [first, second, third]) {
      const received = await recipient.query(receivedQuery);
      expect(received).toEqual([
        { actor: SYSTEM_ACTOR, requestId: `${listId}:${caseId}`, action: { type: 'RecordBatchDecision', callId, batchId: listId, records: expected.find((r) => r.caseId === caseId)!.events } },
      ]);
    }
    const decisionOf = (caseId: string) => expected.find((r) => r.caseId === caseId)!.events.find((e) => e.type === 'BatchDecisionRecorded')!.data;
    expect(decisionOf(first.caseId)).toMatchObject({ decision: 'selected', amountFen: 30_000_000 });
    expect(decisionOf(second.caseId)).toMatchObject({ decision: 'not-selected', passedOver: 'over-budget' });
    const review = expected.find((r) => r.caseId === first.caseId)!.events.find((e) => e.type === 'PanelReviewRecorded')!.data as { excluded: { member: { displayName: string } }[]; sheets: unknown[] };
    expect(review.excluded.map((x) => x.member.displayName)).toEqual(['乙评审']);
    expect(review.sheets).toHaveLength(2);
    expect((await recipientOf(notYet.caseId).query(receivedQuery))).toEqual([]);

    // A case that answers the batch as already recorded counts as delivered; a refusal fails the delivery,
    // naming the case, unless the case's own stream already holds the batch's decision.
    const calls = createCallActivities({ db: database.db, temporal: new Client({ connection: env.nativeConnection }) });
    const recipient = async (options: { refuse?: string; recordedBefore?: boolean }) => {
      const caseId = randomUUID();
      await env.client.workflow.start('batchRecipientWorkflow', { workflowId: caseWorkflowId(caseId), taskQueue, args: [options] });
      return caseId;
    };
    const repeated = await recipient({ recordedBefore: true });
    expect(await calls.deliverBatchDecision({ callId, batchId: listId, deliveries: [{ caseId: repeated, records: [] }] })).toEqual({ delivered: [], alreadyRecorded: [repeated] });
    const refusing = await recipient({ refuse: '本申请已撤回' });
    // The others in the batch are still delivered; the failure names the case that refused and why.
    const alongside = await recipient({});
    const failed = calls.deliverBatchDecision({ callId, batchId: listId, deliveries: [{ caseId: refusing, records: [] }, { caseId: alongside, records: [] }] });
    await expect(failed).rejects.toThrow(`批量审批决定未能送达 1 份申请（批次 ${callId}，名单 ${listId}）：申请 ${refusing}：`);
    expect(await recipientOf(alongside).query(receivedQuery)).toHaveLength(1);
    const refusingButRecorded = await recipient({ refuse: '本批次决定已记录' });
    await appendToStream(
      database.db,
      {
        streamId: refusingButRecorded,
        streamType: 'batch-recipient',
        expectedVersion: 0,
        events: [{ eventId: randomUUID(), type: 'BatchDecisionRecorded', data: { callId, listId }, metadata: { actor: SYSTEM_ACTOR, correlationId: refusingButRecorded, causationId: `${listId}:${refusingButRecorded}` } }],
      },
      { now: () => new Date() },
    );
    expect(await calls.deliverBatchDecision({ callId, batchId: listId, deliveries: [{ caseId: refusingButRecorded, records: [] }] })).toEqual({ delivered: [], alreadyRecorded: [refusingButRecorded] });
  });
});

const recipientOf = (caseId: string) => env.client.workflow.getHandle(caseWorkflowId(caseId));

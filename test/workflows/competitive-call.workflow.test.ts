import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_ACTIONS } from '../../cases/call.case.js';
import { readCallLedger, recomputeCallLedger } from '../../db/budget-ledger.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream } from '../../db/event-store.js';
import type { ApplicationCommand } from '../../domain/applications/commands.js';
import { PUBLIC_OBJECTOR } from '../../domain/applications/in-call.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import { SYSTEM_ACTOR, type Actor } from '../../domain/cases/actor.js';
import { publicityWindow } from '../../domain/publicity/window.js';
import { addDays, shanghaiDateOf, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { applicationWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant } from '../support/actors.js';
import { applicationInput, huangpuApprover, huangpuDirector, huangpuReviewer, verifyOpenClaims } from '../support/applications.js';
import { startHuangpuCarrierCall } from '../support/huangpu-carrier-call.js';
import { useCaseWorker } from '../support/case-worker.js';
import { actOnApplication as act, applicationStateOf as stateOf, sleepUntil } from '../support/workflow-updates.js';

/**
 * Issue 13's "Done when": a competitive call end to end, through the real call and application
 * workflows, the real activities and Postgres, on the time-skipping server.
 */
const harness = useCaseWorker('competitive-call');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const panelA: Actor = { accountId: 'acct-e2e-panel-a', displayName: '甲评审', role: 'official', department: 'huangpu' };
const panelB: Actor = { accountId: 'acct-e2e-panel-b', displayName: '乙评审', role: 'official', department: 'huangpu' };
const panelC: Actor = { accountId: 'acct-e2e-panel-c', displayName: '丙评审', role: 'official', department: 'huangpu' };

beforeAll(async () => {
  await harness.database.ownerDb
    .insertInto('accounts')
    .values(
      [panelA, panelB, panelC].map((m, i) => ({
        account_id: m.accountId,
        username: `e2e-panel-${i}`,
        display_name: m.displayName,
        role: 'official',
        department: 'huangpu',
        duties: ['reviewer'],
        profile: '{}',
        created_at: new Date(),
      })) as never,
    )
    .execute();
});

const callAct = (handle: WorkflowHandle, actor: Actor, action: CallCommand) =>
  handle.executeUpdate(caseActionUpdate<CallCommand>(CALL_ACTIONS.find((a) => a.type === action.type)!.update), { args: [{ actor, requestId: randomUUID(), action }] });

/** 10:00 Shanghai on the first Thursday after `ms`: the 公示 then runs Thu, Fri, (weekend), Mon, Tue, Wed. */
function nextThursdayAt10(ms: number): number {
  let day = addDays(shanghaiDateOf(ms), 1);
  while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 4) day = addDays(day, 1);
  return startOfShanghaiDay(day) + 10 * HOUR;
}

const CRITERIA = [
  { id: 'operation', name: '运营成效', weightPercent: 70, maxPoints: 100 },
  { id: 'gathering', name: '集聚创作者', weightPercent: 30, maxPoints: 10 },
];
const sheet = (operation: number, gathering: number) => [
  { criterionId: 'operation', points: operation, comment: '运营规范' },
  { criterionId: 'gathering', points: gathering, comment: '集聚效果明显' },
];

describe('a competitive call, end to end', () => {
  it('call → applications → a conflicted member excluded → scores → the list within quota and budget → batch approval → 公示 with objections → final award, letters and payment on the budget', async () => {
    // The office opens the call (quota 2, budget 700,000.00) and a second official approves its budget.
    const start = await harness.env.currentTimeMs();
    const { callId, call } = await startHuangpuCarrierCall(harness.env, harness.taskQueue, { title: '2026 年度黄浦特色载体评选', start, closesAt: start + 2 * DAY, budgetFen: 70_000_000, mode: 'competitive', quota: 2 });
    await callAct(call, huangpuApprover, { type: 'ApproveCallBudget' });

    // Three carrier operators apply; once complete, each waits for the panel — no official decides it alone.
    const apply = async (name: string, requestedAmountFen: number) => {
      const input = applicationInput('huangpu-carrier-operator', { applicant: { ...applicant, accountId: `acct-${randomUUID()}`, displayName: name }, facts: { applicantKind: 'carrier-operator', requestedAmountFen, registeredDistrict: '黄浦区' } });
      const handle: WorkflowHandle = await harness.env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
      await handle.executeUpdate(caseOpenedUpdate);
      await act(handle, huangpuReviewer, { type: 'AcceptMaterials' });
      expect(await stateOf(handle)).toMatchObject({ status: 'panel-review', call: { callId, mode: 'competitive' } });
      // Issue 14: the reviewer verifies the applicant's claims, or the batch award would record a rejection.
      const verification = verifyOpenClaims(await stateOf(handle));
      if (verification) await act(handle, huangpuReviewer, verification);
      return { caseId: input.caseId, handle };
    };
    const first = await apply('上海外滩内容载体运营有限公司', 30_000_000);
    const second = await apply('上海南京路创作空间有限公司', 50_000_000);
    const third = await apply('上海老西门文创园管理有限公司', 10_000_000);
    await expect(act(first.handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 30_000_000, notes: '' })).rejects.toThrow();

    // The panel: 乙 declares a conflict with the first application and is excluded from it; the others score.
    await callAct(call, huangpuApprover, { type: 'NamePanel', memberAccountIds: [panelA.accountId, panelB.accountId, panelC.accountId], criteria: CRITERIA, minScorers: 2 });
    await callAct(call, panelB, { type: 'DeclareConflict', caseId: first.caseId, reason: '曾为申请人提供有偿咨询' });
    for (const [member, caseId, operation, gathering] of [
      [panelA, first.caseId, 95, 9],
      [panelC, first.caseId, 90, 9],
      [panelA, second.caseId, 85, 8],
      [panelB, second.caseId, 80, 8],
      [panelC, second.caseId, 85, 8],
      [panelA, third.caseId, 60, 6],
      [panelB, third.caseId, 60, 5],
    ] as const) {
      await callAct(call, member, { type: 'DeclareNoConflict', caseId });
      await callAct(call, member, { type: 'SubmitScore', caseId, scores: sheet(operation, gathering) });
    }

    // After the close: the ranked list within quota 2 and 700,000.00 (#2 at 500,000.00 no longer fits), approved by the director on a Thursday.
    await sleepUntil(harness.env, nextThursdayAt10(start + 2 * DAY));
    await callAct(call, huangpuApprover, { type: 'ProposeList' });
    await callAct(call, huangpuDirector, { type: 'ApproveBatch' });
    const approvedAt = await harness.env.currentTimeMs();
    // The call says it is done, not only how it closed (an outsider read 申报期已结束 as still pending).
    const callRow = await harness.database.db.selectFrom('cases').select(['status_label', 'details']).where('case_id', '=', callId).executeTakeFirstOrThrow();
    expect(callRow.status_label).toMatch(/，名单已批准$/);
    expect((callRow.details as { next: { label: string } }).next.label).toBe(callRow.status_label);

    // Each application recorded the panel's result and the decision in its own case.
    const [one, two, three] = await Promise.all([first, second, third].map(({ handle }) => stateOf(handle)));
    expect(one).toMatchObject({ status: 'publicity', approvedAmountFen: 30_000_000, byDirector: true, committedFen: 30_000_000 });
    expect(one!.panel?.review?.excluded.map((x) => x.member.displayName)).toEqual(['乙评审']);
    expect(one!.panel?.review?.sheets).toHaveLength(2);
    expect(two).toMatchObject({ status: 'rejected' });
    expect(two!.closingReasons[0]).toContain('预算余额不足');
    expect(three).toMatchObject({ status: 'publicity', approvedAmountFen: 10_000_000 });

    // The same batch delivered again (a new request, as after a lost answer) is answered as recorded, and records nothing.
    const delivered = (await readStream(harness.database.db, first.caseId)).filter((e) => e.type === 'PanelReviewRecorded' || e.type === 'BatchDecisionRecorded');
    const records = delivered.map((e) => ({ type: e.type, data: e.data })) as Extract<ApplicationCommand, { type: 'RecordBatchDecision' }>['records'];
    const listId = String(delivered[1]!.data.listId);
    const again = await act(first.handle, SYSTEM_ACTOR, { type: 'RecordBatchDecision', callId, batchId: listId, records });
    expect(again).toMatchObject({ events: [], alreadyRecorded: true, recorded: { listId, decision: 'selected' } });
    expect((await stateOf(first.handle)).version).toBe(one!.version);

    // 公示 for 5 working days from the day of approval, across the weekend.
    const publishedOn = shanghaiDateOf(approvedAt);
    const window = publicityWindow(packagedCalendar(), publishedOn, 5);
    expect(one!.publicity?.window).toEqual(window);
    expect(window.lastWorkingDay > addDays(publishedOn, 5)).toBe(true);
    expect(await readCallLedger(harness.database.db, callId)).toMatchObject({ committedFen: 40_000_000, paidFen: 0, remainingFen: 30_000_000 });

    // On the Friday, the public objects to both awards: upheld for the third (withdrawn), dismissed for the first.
    await sleepUntil(harness.env, startOfShanghaiDay(addDays(publishedOn, 1)) + 10 * HOUR);
    await act(first.handle, PUBLIC_OBJECTOR, { type: 'LodgeObjection', reasons: '该载体入驻创作者数量存疑' });
    await act(third.handle, PUBLIC_OBJECTOR, { type: 'LodgeObjection', reasons: '该园区 2026 年已获同类扶持' });
    const objectionOf = async (handle: WorkflowHandle) => (await stateOf(handle)).publicity!.objections[0]!.objectionId;
    await act(third.handle, huangpuApprover, { type: 'UpholdObjection', objectionId: await objectionOf(third.handle), answer: '经核查，该园区已获同类扶持，撤销本次资助。', remedy: { kind: 'withdraw' } });
    await act(first.handle, huangpuApprover, { type: 'DismissObjection', objectionId: await objectionOf(first.handle), answer: '经核查，入驻创作者数量属实。' });
    expect(await third.handle.result()).toMatchObject({ status: 'withdrawn-after-publicity' });
    // Held in the awards ledger from the approval (so stacking sees it during the 公示), the withdrawn award leaves it.
    const heldAwards = async (caseId: string) => (await harness.database.db.selectFrom('awards').select('award_id').where('case_id', '=', caseId).execute()).map((r) => r.award_id);
    expect(await heldAwards(third.caseId)).toEqual([]);
    expect(await heldAwards(first.caseId)).toEqual([`AW-${first.caseId}`]);

    // The window ends: the first award is final and granted, its payment due (待拨付) — nothing paid yet.
    await sleepUntil(harness.env, Date.parse(window.endsAt) + HOUR);
    expect(await stateOf(first.handle)).toMatchObject({ status: 'paying', totalPaidFen: 0, duePayouts: [{ number: 1, amountFen: 30_000_000 }] });
    expect(await readCallLedger(harness.database.db, callId)).toMatchObject({ committedFen: 30_000_000, paidFen: 0 });
    // An official of the department records the payment: it draws on the budget then, once.
    await act(first.handle, huangpuReviewer, { type: 'RecordPayout', paidOn: shanghaiDateOf(await harness.env.currentTimeMs()), bankReference: `HP-${first.caseId}`, amountFen: 30_000_000 });
    expect(await first.handle.result()).toMatchObject({ status: 'completed' });
    const firstEvents = await readStream(harness.database.db, first.caseId);
    expect(firstEvents.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'MaterialsAccepted',
      // Waiting for the panel: the decision's 20 working days (issue 13: a limit on every step).
      'TimeLimitStarted',
      // The reviewer verified the applicant's claims (issue 14) before the panel's list was decided on.
      'FactsVerified',
      'PanelReviewRecorded',
      'BatchDecisionRecorded',
      'ApplicationApproved',
      'PublicityStarted',
      'ObjectionLodged',
      'ObjectionDismissed',
      'AwardFinalised',
      'AwardGranted',
      'PayoutFellDue',
      'PayoutRecorded',
      'ApplicationCompleted',
    ]);
    expect(firstEvents.find((e) => e.type === 'AwardFinalised')!.data).toMatchObject({ finalisedOn: addDays(window.lastWorkingDay, 1) as LocalDate });

    // Decision letters: the approval, the rejection with its reason, the withdrawal — each with its hash in the event.
    const letterOf = async (caseId: string, type: string) => (await readStream(harness.database.db, caseId)).find((e) => e.type === type)!.data.letter;
    for (const letter of [await letterOf(first.caseId, 'ApplicationApproved'), await letterOf(second.caseId, 'ApplicationRejected'), await letterOf(third.caseId, 'AwardWithdrawnAfterPublicity')]) {
      expect(letter).toMatchObject({ letterNo: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }

    // The budget: 300,000.00 committed and paid; the withdrawn 100,000.00 given back; the ledger is the sum of its events.
    const ledger = await readCallLedger(harness.database.db, callId);
    expect(ledger).toMatchObject({ budgetFen: 70_000_000, committedFen: 30_000_000, paidFen: 30_000_000, remainingFen: 40_000_000 });
    expect(await recomputeCallLedger(harness.database.db, callId)).toEqual(ledger);
  });
});

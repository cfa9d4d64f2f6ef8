import { randomUUID } from 'node:crypto';
import { type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createCallActivities } from '../../activities/calls.activities.js';
import type { CallInput } from '../../cases/call.case.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import type { CallState } from '../../domain/calls/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { callWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { yangpuApprover, yangpuDirector, yangpuReviewer } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { refusal } from '../support/workflow-updates.js';

const harness = useCaseWorker('call');
const DAY = 24 * 60 * 60 * 1000;

type Handle = WorkflowHandle<typeof callWorkflow>;
const UPDATES: Partial<Record<CallCommand['type'], string>> = { ApproveCallBudget: 'approveCallBudget', ChangeCall: 'changeCall', CloseCall: 'closeCall' };
const act = (handle: Handle, actor: Actor, action: CallCommand) =>
  handle.executeUpdate(caseActionUpdate<CallCommand>(UPDATES[action.type]!), { args: [{ actor, requestId: randomUUID(), action }] });
const stateOf = (handle: Handle) => handle.query<CallState>('callState');

async function open(overrides: Partial<CallInput['call']> = {}) {
  const now = await harness.env.currentTimeMs();
  const caseId = randomUUID();
  const input: CallInput = {
    caseId,
    referenceNo: `PC-2026-${caseId.slice(0, 6)}`,
    applicant: yangpuReviewer,
    openedBy: yangpuReviewer,
    requestId: randomUUID(),
    call: {
      programmeId: 'yangpu-content-award',
      catalogueVersion: CATALOGUE_VERSION,
      title: '2026 年度杨浦优质内容评选',
      opensAt: now + DAY,
      closesAt: now + 10 * DAY,
      budgetFen: 500_000_000,
      quota: 20,
      mode: 'competitive',
      ...overrides,
    },
  };
  const handle: Handle = await harness.env.client.workflow.start(callWorkflow, { workflowId: caseWorkflowId(caseId), taskQueue: harness.taskQueue, args: [input] });
  await handle.executeUpdate(caseOpenedUpdate);
  return { input, handle };
}

describe('a call (申报批次) through the one case driver', () => {
  it('a second official approves its budget, the opener may not; a budget change needs approval again; a first-come call ends when its close passes', async () => {
    // A competitive call goes on after its close, for its panel (test/workflows/call-panel.workflow.test.ts).
    const { input, handle } = await open({ mode: 'first-come' });
    expect((await stateOf(handle)).status).toBe('draft');

    // Four-eyes: the official who opened the call may not approve its budget.
    const sameOfficial = await refusal(act(handle, yangpuReviewer, { type: 'ApproveCallBudget' }));
    expect(sameOfficial.type).toBe('forbidden');
    expect(sameOfficial.message).toContain('另一名工作人员');
    await act(handle, yangpuApprover, { type: 'ApproveCallBudget' });
    expect(await stateOf(handle)).toMatchObject({ status: 'approved', budgetApproved: true });

    // A budget cut looks the ledger up (nothing committed yet), and the new budget awaits approval — not by the one who cut it.
    await act(handle, yangpuApprover, { type: 'ChangeCall', budgetFen: 400_000_000 });
    expect(await stateOf(handle)).toMatchObject({ status: 'draft', budgetFen: 400_000_000, budgetApproved: false });
    expect((await refusal(act(handle, yangpuApprover, { type: 'ApproveCallBudget' }))).type).toBe('forbidden');
    await act(handle, yangpuDirector, { type: 'ApproveCallBudget' });

    // The read models: the case row, the call's row, and what an application asks.
    const row = await harness.database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ case_type: 'call', status: 'approved', department: 'yangpu-investment', departments: ['yangpu-investment'], programme_id: 'yangpu-content-award' });
    expect(row.details).toMatchObject({ title: '2026 年度杨浦优质内容评选', budgetFen: 400_000_000, budgetApproved: true, quota: 20, publicityWorkingDays: 5 });
    const calls = createCallActivities({ db: harness.database.db });
    const now = await harness.env.currentTimeMs();
    const early = await calls.findOpenCall({ programmeId: 'yangpu-content-award', at: now });
    expect(early).toMatchObject({ runByCalls: true, call: null, nearest: { callId: input.caseId } });
    expect((early as { refusal: string }).refusal).toMatch(/^「2026 年度杨浦优质内容评选」申报时间为 .+（北京时间），现在不在申报期内$/);
    expect(await calls.findOpenCall({ programmeId: 'yangpu-content-award', at: input.call.opensAt })).toMatchObject({ runByCalls: true, call: { callId: input.caseId, mode: 'first-come', quota: 20 } });
    expect(await calls.findOpenCall({ programmeId: 'yangpu-honour-title', at: now })).toEqual({ runByCalls: false });

    // Time alone ends the call at its close instant.
    expect(await handle.result()).toMatchObject({ status: 'ended' });
    const events = await readStream(harness.database.db, input.caseId);
    // Each time the budget awaits approval, that step's 5-working-day limit starts (domain/calls/time-limits.ts).
    expect(events.map((e) => e.type)).toEqual(['CallOpened', 'TimeLimitStarted', 'CallBudgetApproved', 'CallChanged', 'TimeLimitStarted', 'CallBudgetApproved', 'CallEnded']);
    for (const started of [events[1]!, events[4]!]) expect(started.data).toMatchObject({ limit: { step: 'draft', stepLabel: '预算审批', department: 'yangpu-investment', workingDays: 5 } });
    expect(events[6]!.data).toEqual({ endedAt: new Date(input.call.closesAt).toISOString() });
    expect(verifyChain(events)).toBeUndefined();
    const callRow = await harness.database.db.selectFrom('calls').selectAll().where('call_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(callRow).toMatchObject({ status: 'ended', budget_fen: 400_000_000, budget_approved: true, committed_fen: 0 });
  });

  it('closing a first-come call early ends the workflow with the reason; an opening against a service is refused and opens nothing', async () => {
    const { handle } = await open({ mode: 'first-come' });
    expect((await refusal(act(handle, yangpuDirector, { type: 'CloseCall', reason: ' ' }))).type).toBe('validation');
    await act(handle, yangpuDirector, { type: 'CloseCall', reason: '政策调整，本批次停止受理' });
    expect(await handle.result()).toMatchObject({ status: 'closed' });

    const refused = await open({ programmeId: 'hu9-starlight' }).then(
      () => expect.fail('a call for a continuous service should be refused'),
      (error: unknown) => error as Error & { cause?: { message?: string } },
    );
    expect(String(refused.cause?.message ?? refused.message)).toContain('不设申报批次');
  });

  it('a competitive call reaching its planned close with no application open ends there: no panel, no limit to run out', async () => {
    // An outsider's call nobody applied to waited 待组建评审组 after its close, with 20 working days that would run out and escalate.
    const { input, handle } = await open({ mode: 'competitive' });
    await act(handle, yangpuApprover, { type: 'ApproveCallBudget' });
    expect(await handle.result()).toMatchObject({ status: 'ended' });
    const events = await readStream(harness.database.db, input.caseId);
    expect(events.at(-1)).toMatchObject({ type: 'CallEnded', data: { endedAt: new Date(input.call.closesAt).toISOString(), noApplications: true } });
    expect(events.filter((e) => e.type === 'TimeLimitStarted' && e.streamVersion > 2)).toEqual([]);
    const row = await harness.database.db.selectFrom('cases').select(['status', 'waiting_for_department', 'next_deadline_at', 'details']).where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'ended', waiting_for_department: null, next_deadline_at: null });
    expect((row.details as { next: { label: string } }).next.label).toBe('已截止：没有待评审的申报，不评审');
  });

  it('a quota may not be lowered below the places approvals have taken; to them, or removed, it may', async () => {
    const { input, handle } = await open({ quota: 3 });
    // Two applications approved in the call: their commitments stand, each takes a place.
    await harness.database.db
      .insertInto('budget_commitments')
      .values([randomUUID(), randomUUID()].map((caseId) => ({ case_id: caseId, call_id: input.caseId, committed_fen: 1_000_000 })))
      .execute();
    const refused = await refusal(act(handle, yangpuApprover, { type: 'ChangeCall', quota: 1 }));
    expect(refused.type).toBe('validation');
    expect(refused.message).toContain('本批次已核定 2 个名额，名额不能调减至 1 个');
    expect(await stateOf(handle)).toMatchObject({ quota: 3 });
    await act(handle, yangpuApprover, { type: 'ChangeCall', quota: 2 });
    expect(await stateOf(handle)).toMatchObject({ quota: 2 });
    await act(handle, yangpuApprover, { type: 'ChangeCall', quota: null });
    expect(await stateOf(handle)).toMatchObject({ quota: null });
  });

  it('a quota raised or removed awaits the budget’s approval again, by another official; a quota lowered does not', async () => {
    // A programme no other call here approves (one call of a programme takes applications at a time).
    const { input, handle } = await open({ quota: 3, programmeId: 'yangpu-honour-title' });
    await act(handle, yangpuApprover, { type: 'ApproveCallBudget' });
    const approved = async () => (await harness.database.db.selectFrom('calls').select('budget_approved').where('call_id', '=', input.caseId).executeTakeFirstOrThrow()).budget_approved;

    // Lowered: fewer places than approved, nothing to approve.
    await act(handle, yangpuReviewer, { type: 'ChangeCall', quota: 2 });
    expect(await stateOf(handle)).toMatchObject({ status: 'approved', quota: 2, budgetApproved: true });
    // Raised by the official who opened the call: the call takes no application and the ledger commits nothing until another approves.
    await act(handle, yangpuReviewer, { type: 'ChangeCall', quota: 30 });
    expect(await stateOf(handle)).toMatchObject({ status: 'draft', quota: 30, budgetApproved: false });
    expect(await approved()).toBe(false);
    expect((await refusal(act(handle, yangpuReviewer, { type: 'ApproveCallBudget' }))).type).toBe('forbidden');
    await act(handle, yangpuApprover, { type: 'ApproveCallBudget' });
    expect(await approved()).toBe(true);
    // Removed (no limit): the same.
    await act(handle, yangpuReviewer, { type: 'ChangeCall', quota: null });
    expect(await stateOf(handle)).toMatchObject({ status: 'draft', quota: null, budgetApproved: false });
    const changes = (await readStream(harness.database.db, input.caseId)).filter((e) => e.type === 'CallChanged').map((e) => e.data.budgetAwaitsApproval);
    expect(changes).toEqual([false, true, true]);
  });
});

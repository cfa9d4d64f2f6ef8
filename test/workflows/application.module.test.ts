import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type WorkflowHandle } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNamed } from '../../cases/case-module.js';
import { applicationCase, LEFT_YANGPU_DATE_BOUNDED_PATCH, LEFT_YANGPU_RECORDED_BY_DEPARTMENT_PATCH, PAYOUTS_RECORDED_PATCH } from '../../cases/application.case.js';
import { changesTakenIn } from '../support/patch-markers.js';
import type { ApplicationAction } from '../../domain/applications/commands.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import { formatFen } from '../../domain/money/fen.js';
import { addMonthsClamped, shanghaiDateOf, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, auditor, cacReviewer } from '../support/actors.js';
import { applicationInput, FACTS, huangpuApprover, huangpuDirector, huangpuReviewer, verifyOpenClaims, xuhuiApprover, yangpuApprover, yangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment } from '../support/temporal.js';
import { refusal, sleepUntil } from '../support/workflow-updates.js';

// The production entry: every case type's module under the one driver.
const ENTRY = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
const HISTORIES = new URL('../fixtures/histories/', import.meta.url);

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let bundle: WorkflowBundleWithSourceMap;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `application-module-${randomUUID()}`;

beforeAll(async () => {
  [env, database, bundle] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), bundleWorkflowCode({ workflowsPath: ENTRY, logger: quiet })]);
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar: async () => packagedCalendar(), workflowBundle: bundle });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => console.error(message) };

type Handle = WorkflowHandle;

const newApplicant = (): Actor => ({ ...applicant, accountId: `acct-${randomUUID()}` });

async function open(programmeId: string, who: Actor = newApplicant()) {
  const input = applicationInput(programmeId, { applicant: who, facts: FACTS[programmeId]! });
  const handle: Handle = await env.client.workflow.start(applicationCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
  await handle.executeUpdate(caseOpenedUpdate);
  return { input, handle, applicant: who };
}

function act(handle: Handle, actor: Actor, action: ApplicationAction) {
  const declared = applicationCase.actions.find((a) => a.type === action.type)!;
  return handle.executeUpdate(caseActionUpdate<ApplicationAction>(declared.update), { args: [{ actor, requestId: randomUUID(), action }] });
}

const state = (handle: Handle) => handle.query<ApplicationState>(applicationCase.stateQuery);

/** 核验事实 (issue 14): the department's reviewer verifies the applicant's open claims before money is decided on them. */
async function verify(handle: Handle, reviewer: Actor): Promise<void> {
  const action = verifyOpenClaims(await state(handle));
  if (action) await act(handle, reviewer, action);
}


/** A 黄浦 award through its reviewer's steps and the 网信 review: ready for the approver. */
async function reviewedByHuangpu(handle: Handle): Promise<void> {
  await act(handle, huangpuReviewer, { type: 'AcceptMaterials' });
  await verify(handle, huangpuReviewer);
  await act(handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
  await act(handle, huangpuReviewer, { type: 'ScoreApplication', score: 85, comments: '' });
}

/** A 杨浦 application through its reviewer's steps (materials accepted, claims verified, scored): ready for the approver. */
async function reviewedByYangpu(handle: Handle): Promise<void> {
  await act(handle, yangpuReviewer, { type: 'AcceptMaterials' });
  await verify(handle, yangpuReviewer);
  await act(handle, yangpuReviewer, { type: 'ScoreApplication', score: 80, comments: '' });
}

/** An approved monthly subsidy three months on, its three payments fallen due and recorded by the department's reviewer: the award. */
async function paidThreeMonths(handle: Handle): Promise<NonNullable<ApplicationState['award']>> {
  const { award, caseId } = await state(handle);
  await sleepUntil(env, startOfShanghaiDay(addMonthsClamped(award!.awardedOn, 3)) + 12 * 3600_000);
  expect((await state(handle)).duePayouts).toHaveLength(3);
  const today = shanghaiDateOf(await env.currentTimeMs());
  for (let n = 1; n <= 3; n++) await act(handle, yangpuReviewer, { type: 'RecordPayout', paidOn: today, bankReference: `YP-${caseId}-${n}`, amountFen: 800_000 });
  expect((await state(handle)).payouts).toHaveLength(3);
  return award!;
}

/** The updates a run's history accepted: a validator's refusal is not among them. */
async function updatesIn(handle: Handle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((e) => (e.workflowExecutionUpdateAcceptedEventAttributes ? [e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest!.input!.name!] : []));
}

describe('programme applications run by their module under the one driver', () => {
  it('one-off award: 补正 and its reply, 网信 review, a score, four-eyes, the award with its id, the payment recorded', async () => {
    const { input, handle, applicant: who } = await open('huangpu-creator-reward');
    await act(handle, huangpuReviewer, { type: 'RequestSupplement', missingItems: ['作品清单'] });
    await act(handle, who, { type: 'ProvideSupplement', responses: [{ item: '作品清单', response: 'works.pdf' }] });
    expect((await state(handle)).completeness).toMatchObject({ workingDays: 5 });
    await act(handle, huangpuReviewer, { type: 'AcceptMaterials' });
    await verify(handle, huangpuReviewer);
    await act(handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    await act(handle, huangpuReviewer, { type: 'ScoreApplication', score: 88, comments: '' });

    const live = await state(handle);
    const approve = actionNamed(applicationCase, 'approve-application')!;
    expect(approve.availability(live, huangpuReviewer, Date.now())).toBe('四眼原则：您审查过本案，不能再作决定，请由黄浦区其他未参与审查的人员决定。');
    expect(approve.availability(live, huangpuApprover, Date.now())).toBeUndefined();
    expect(approve.availability(live, xuhuiApprover, Date.now())).toBe('此步骤由黄浦区工作人员办理。');
    expect(live.maxAmountFen).toBeGreaterThan(0);
    // At most what was asked, which is below the measure's cap.
    expect(live.requestedAmountFen).toBeLessThan(live.maxAmountFen!);
    expect(approve.explain!(live)).toBe(`核定金额不超过申请金额 ${formatFen(live.requestedAmountFen!)} 元（本措施最高 ${formatFen(live.maxAmountFen!)} 元）。`);
    expect(approve.prefill!(live)).toEqual(live.requestedAmountFen ? { approvedAmountFen: live.requestedAmountFen } : {});
    expect(actionNamed(applicationCase, 'score-application')!.availability(live, huangpuReviewer, Date.now())).toBe('您已为本案打分，每位评审只打一次分。');
    expect(actionNamed(applicationCase, 'score-application')!.alreadyTaken!(live, huangpuReviewer)).toBe(true);
    expect(actionNamed(applicationCase, 'score-application')!.alreadyTaken!(live, huangpuApprover)).toBe(false);
    const fourEyes = await refusal(act(handle, huangpuReviewer, { type: 'ApproveApplication', notes: '' }));
    expect(fourEyes).toMatchObject({ type: 'forbidden', message: expect.stringContaining('四眼原则：您审查过本案') });
    // The rule's code and the English ride beside the Chinese in the failure's details, for the API.
    expect((fourEyes as { details?: unknown[] }).details?.[1]).toMatchObject({ code: 'four-eyes', en: expect.stringContaining('four-eyes rule: 陈评审 reviewed case') });
    expect(fourEyes.message).toContain('请由黄浦区其他未参与审查的人员决定');

    await act(handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '' });
    await act(handle, huangpuReviewer, { type: 'RecordPayout', paidOn: shanghaiDateOf(await env.currentTimeMs()), bankReference: `HP-${input.caseId}`, amountFen: 60_000_000 });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'SupplementRequested',
      'SupplementProvided',
      'MaterialsAccepted',
      // Each official step after the completeness check starts with its promised time limit (issue 13).
      'TimeLimitStarted',
      // The reviewer verified the applicant's claims (issue 14) before anyone decided on them.
      'FactsVerified',
      'ComplianceReviewPassed',
      'TimeLimitStarted',
      'ApplicationScored',
      'ApplicationApproved',
      'AwardGranted',
      'PayoutFellDue',
      'PayoutRecorded',
      'ApplicationCompleted',
    ]);
    expect(verifyChain(events)).toBeUndefined();
    const awardId = events.find((e) => e.type === 'AwardGranted')!.data.awardId as string;
    expect(awardId).toMatch(/^AW-[0-9a-f-]{36}$/);
    expect(await database.db.selectFrom('awards').select(['award_id', 'amount_fen']).where('case_id', '=', input.caseId).execute()).toEqual([{ award_id: awardId, amount_fen: 60_000_000 }]);
  });

  it('monthly 杨浦 subsidy: a report of leaving is bounded by the start of the subsidy in a new history, and stops the payments', async () => {
    const { input, handle, applicant: who } = await open('yangpu-talent-rent');
    await reviewedByYangpu(handle);
    expect(actionNamed(applicationCase, 'approve-application')!.explain!(await state(handle))).toContain('金额按规则确定');
    await act(handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });
    const award = await paidThreeMonths(handle);

    const early = await refusal(act(handle, who, { type: 'ReportLeftYangpu', leftOn: '2000-01-01' as never, note: '' }));
    expect(early).toMatchObject({ type: 'validation', message: expect.stringContaining('早于补贴起始日') });
    await act(handle, who, { type: 'ReportLeftYangpu', leftOn: addMonthsClamped(award.awardedOn, 2), note: '迁往浦东' });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    expect(events.slice(-3).map((e) => e.type)).toEqual(['LeftYangpuReported', 'PayoutsStopped', 'ApplicationCompleted']);

    expect(changesTakenIn(await handle.fetchHistory())).toContain(LEFT_YANGPU_DATE_BOUNDED_PATCH);
  });

  it('monthly 杨浦 subsidy: the department records the leaving, saying how it knows, under its own change; the payments stop as on the applicant’s report', async () => {
    const { input, handle } = await open('yangpu-talent-rent');
    await reviewedByYangpu(handle);
    await act(handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });
    const award = await paidThreeMonths(handle);
    const leftOn = addMonthsClamped(award.awardedOn, 2);
    const recorded = { type: 'RecordLeftYangpu' as const, leftOn, note: '市场监管登记迁出' };

    // Another department's official, the applicant of another case, an auditor: refused by the validator, nothing in the history.
    const before = await updatesIn(handle);
    expect(await refusal(act(handle, huangpuApprover, recorded))).toMatchObject({ type: 'forbidden', message: '此步骤由杨浦区投促办工作人员办理。' });
    expect(await refusal(act(handle, newApplicant(), recorded))).toMatchObject({ type: 'forbidden', message: '此步骤由杨浦区投促办工作人员办理。' });
    expect(await refusal(act(handle, auditor, recorded))).toMatchObject({ type: 'forbidden', message: '审计人员只能查看案件，不能办理。' });
    expect(await refusal(act(handle, yangpuApprover, { ...recorded, leftOn: '2000-01-01' as never }))).toMatchObject({ type: 'validation', message: expect.stringContaining('早于补贴起始日') });
    expect(await updatesIn(handle)).toEqual(before);

    await act(handle, yangpuApprover, recorded);
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    expect(events.slice(-3).map((e) => e.type)).toEqual(['LeftYangpuRecorded', 'PayoutsStopped', 'ApplicationCompleted']);
    expect(events.at(-3)!.data).toMatchObject({ by: { displayName: '钱审批' }, department: 'yangpu-investment', leftOn, note: '市场监管登记迁出' });
    expect(events.at(-2)!.data).toMatchObject({ paidCount: 3, paidFen: 2_400_000, entitledFen: 1_600_000, recoverableFen: 800_000, forgoneFen: 26_400_000 });
    expect(changesTakenIn(await handle.fetchHistory())).toContain(LEFT_YANGPU_RECORDED_BY_DEPARTMENT_PATCH);
  });

  it('an award is paid when recorded, under its own change: 待拨付 until another official records it; a bank reference another case recorded is refused', async () => {
    const first = await open('huangpu-creator-reward');
    await reviewedByHuangpu(first.handle);
    await act(first.handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '' });
    expect(await state(first.handle)).toMatchObject({ status: 'paying', totalPaidFen: 0, duePayouts: [{ number: 1, amountFen: 60_000_000 }] });
    expect(actionNamed(applicationCase, 'record-payout')!.availability(await state(first.handle), huangpuApprover, Date.now())).toContain('四眼原则');
    const today = shanghaiDateOf(await env.currentTimeMs());
    const reference = `HP-${first.input.caseId.slice(0, 8)}-001`;
    await act(first.handle, huangpuDirector, { type: 'RecordPayout', paidOn: today, bankReference: reference, amountFen: 60_000_000 });
    expect(await first.handle.result()).toMatchObject({ status: 'completed' });
    expect(changesTakenIn(await first.handle.fetchHistory())).toContain(PAYOUTS_RECORDED_PATCH);

    // Another award, paid under the first one's transfer, typed in lower case and without its hyphens: one transfer is one payment.
    const second = await open('huangpu-creator-reward');
    await reviewedByHuangpu(second.handle);
    await act(second.handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '' });
    const used = await refusal(act(second.handle, huangpuDirector, { type: 'RecordPayout', paidOn: shanghaiDateOf(await env.currentTimeMs()), bankReference: reference.toLowerCase().replaceAll('-', ''), amountFen: 60_000_000 }));
    expect(used).toMatchObject({ type: 'conflict', message: expect.stringContaining(`已登记为办件 ${first.input.referenceNo} 的奖补拨付（登记时写作 ${reference}）`) });
    expect(await state(second.handle)).toMatchObject({ status: 'paying', payouts: [] });
    await second.handle.terminate('test over');
  });

  it('an action of another department is refused by the validator and leaves nothing in the history', async () => {
    const { input, handle } = await open('huangpu-creator-reward');
    const refused = await refusal(act(handle, xuhuiApprover, { type: 'AcceptMaterials' }));
    expect(refused).toMatchObject({ type: 'forbidden', message: '此步骤由黄浦区工作人员办理。', details: [[], { code: 'department-official-only', en: 'AcceptMaterials on 黄浦优质内容创作者奖励 is done by an official of 黄浦区' }] });
    expect(await updatesIn(handle)).toEqual(['submissionRecorded']);
    expect((await readStream(database.db, input.caseId)).map((e) => e.type)).toEqual(['ApplicationSubmitted']);
    await handle.terminate('test over');
  });

  it('a submission the rules refuse records nothing and fails the opening', async () => {
    const input = applicationInput('yangpu-talent-apartment', { applicant: newApplicant(), facts: { ...FACTS['yangpu-talent-apartment'], stayDays: 6 } });
    const handle = await env.client.workflow.start(applicationCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    expect((await refusal(handle.executeUpdate(caseOpenedUpdate))).message).toContain('每次入住 1 至 5 天；申请入住 6 天');
    expect(await readStream(database.db, input.caseId)).toEqual([]);
  });
});

describe('recorded histories of the application workflow', () => {
  it('replay under the module and the driver without a determinism error', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.startsWith('application.') && f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const histories = await Promise.all(files.map(async (file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(await readFile(new URL(file, HISTORIES), 'utf8'))) })));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) results.push({ workflowId: result.workflowId, error: result.error?.message });
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  });
});

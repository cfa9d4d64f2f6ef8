import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationAction } from '../../domain/applications/commands.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { shanghaiDateOf, startOfShanghaiDay, addMonthsClamped } from '../../domain/time/local-date.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import { recordRegisterChange } from '../../db/registers/register-store.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { applicationStateQuery, applicationSubmissionRecordedUpdate, applicationUpdateFor } from '../../workflows/application.messages.js';
import { applicationWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, cacReviewer } from '../support/actors.js';
import {
  applicationInput,
  cacApprover,
  FACTS,
  huangpuApprover,
  huangpuDirector,
  huangpuReviewer,
  xuhuiApprover,
  xuhuiReviewer,
  yangpuApprover,
  yangpuReviewer,
  verifyOpenClaims,
} from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';
import { refusal, sleepUntil } from '../support/workflow-updates.js';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `applications-${randomUUID()}`;

beforeAll(async () => {
  [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    taskQueue,
    db: database.db,
    clock: () => new Date(),
    calendar: async () => packagedCalendar(),
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

type Handle = WorkflowHandle<typeof applicationWorkflow>;

/** A fresh applicant per case, so one test's awards never stack against another's. */
const newApplicant = (): Actor => ({ ...applicant, accountId: `acct-${randomUUID()}` });

async function open(programmeId: string, options: { facts?: ApplicationFacts; applicant?: Actor } = {}) {
  const who = options.applicant ?? newApplicant();
  const input = applicationInput(programmeId, { applicant: who, facts: options.facts ?? FACTS[programmeId]! });
  const handle: Handle = await env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
  await handle.executeUpdate(applicationSubmissionRecordedUpdate);
  return { input, handle, applicant: who };
}

const act = (handle: Handle, actor: Actor, action: ApplicationAction) => handle.executeUpdate(applicationUpdateFor(action.type), { args: [{ actor, requestId: randomUUID(), action }] });

const state = (handle: Handle) => handle.query(applicationStateQuery);
/** 核验事实: the department's reviewer verifies the applicant's open claims, as money is never decided on a bare claim. */
const verify = async (handle: Handle, reviewer: Actor) => {
  const action = verifyOpenClaims(await state(handle));
  if (action) await act(handle, reviewer, action);
};
const eventTypes = async (caseId: string) => (await readStream(database.db, caseId)).map((e) => e.type);
const awardRows = (caseId: string) => database.db.selectFrom('awards').selectAll().where('case_id', '=', caseId).execute();

describe('payout shapes, each run to completion against real Postgres', () => {
  it('one-off (黄浦优质内容创作者奖励): completeness, 网信 review, score, four-eyes decision, award, 待拨付, and the payment recorded by another official', async () => {
    const { input, handle } = await open('huangpu-creator-reward');
    await act(handle, huangpuReviewer, { type: 'AcceptMaterials' });
    await verify(handle, huangpuReviewer);
    await act(handle, cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' });
    await act(handle, huangpuReviewer, { type: 'ScoreApplication', score: 88, comments: '影响力大' });
    const fourEyes = await refusal(act(handle, huangpuReviewer, { type: 'ApproveApplication', notes: '' }));
    expect(fourEyes).toMatchObject({ type: 'forbidden' });
    expect(fourEyes.message).toContain('四眼原则');
    await act(handle, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '核定 60 万元' });

    // Approved is not paid: the payment waits for the department, counted as paid by nobody yet.
    const approved = await state(handle);
    expect(approved).toMatchObject({ status: 'paying', totalPaidFen: 0, payouts: [], duePayouts: [{ number: 1, of: 1, amountFen: 60_000_000 }] });
    const waiting = await database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ status: 'paying', status_label: '待拨付', waiting_for_role: 'official', waiting_for_department: 'huangpu' });
    const today = shanghaiDateOf(await env.currentTimeMs());
    const payout = { type: 'RecordPayout', paidOn: today, bankReference: `HP-${input.caseId}`, amountFen: 60_000_000 } as const;
    const approverRecords = await refusal(act(handle, huangpuApprover, payout));
    expect(approverRecords).toMatchObject({ type: 'forbidden' });
    expect(approverRecords.message).toContain('四眼原则：您批准了本案的资助，不能再登记拨付');
    await act(handle, huangpuDirector, payout);

    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
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
    expect(events.at(-2)!.data).toMatchObject({ paidOn: today, bankReference: `HP-${input.caseId}`, by: { accountId: huangpuDirector.accountId } });
    expect(events.at(-1)!.data).toMatchObject({ totalPaidFen: 60_000_000 });
    expect(verifyChain(events)).toBeUndefined();
    const [award] = await awardRows(input.caseId);
    expect(award).toMatchObject({ programme_id: 'huangpu-creator-reward', applicant_account_id: input.applicant.accountId, amount_fen: 60_000_000, item_id: `person:huangpu-creator-reward:${input.applicant.accountId}` });
    const row = await database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ case_type: 'application', programme_id: 'huangpu-creator-reward', status: 'completed', approved_fen: 60_000_000, priority: 0, decided_on: award!.awarded_on });
  });

  it('monthly talent rent subsidy: 36 payments of min(rent, 8,000.00), each falling due a month apart and paid when recorded, then completed', async () => {
    const { input, handle } = await open('yangpu-talent-rent');
    await act(handle, yangpuReviewer, { type: 'AcceptMaterials' });
    await verify(handle, yangpuReviewer);
    await act(handle, yangpuReviewer, { type: 'ScoreApplication', score: 80, comments: '' });
    await act(handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });
    const { award } = await state(handle);
    expect(award?.plan).toMatchObject({ kind: 'monthly', monthlyFen: 800_000, months: 36 });

    // Past the 36th due date: every month fell due on its day, none counted as paid.
    await sleepUntil(env, startOfShanghaiDay(addMonthsClamped(award!.awardedOn, 36)) + 12 * 3600_000);
    const due = (await readStream(database.db, input.caseId)).filter((e) => e.type === 'PayoutFellDue');
    expect(due).toHaveLength(36);
    expect(due.map((e) => e.data.dueOn)).toEqual(Array.from({ length: 36 }, (_, i) => addMonthsClamped(award!.awardedOn, i + 1)));
    // Each fell due at 00:00 of its due date (plus the task's latency), never before.
    for (const p of due) {
      const at = Date.parse(String(p.data.at));
      expect(at).toBeGreaterThanOrEqual(startOfShanghaiDay(p.data.dueOn as never));
      expect(at - startOfShanghaiDay(p.data.dueOn as never)).toBeLessThan(60_000);
    }
    expect(await state(handle)).toMatchObject({ status: 'paying', totalPaidFen: 0 });
    const today = shanghaiDateOf(await env.currentTimeMs());
    for (let n = 1; n <= 36; n++) await act(handle, yangpuReviewer, { type: 'RecordPayout', paidOn: today, bankReference: `YP-${input.caseId}-${n}`, amountFen: 800_000 });

    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    expect(events.filter((e) => e.type === 'PayoutRecorded').map((e) => e.data.number)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'PayoutIssued')).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'ApplicationCompleted', data: { totalPaidFen: 28_800_000 } });
    expect((await awardRows(input.caseId))[0]).toMatchObject({ amount_fen: 28_800_000 });
  });

  it('monthly talent rent subsidy stops when the applicant reports leaving 杨浦; the ledger keeps what was due', async () => {
    const { input, handle, applicant: who } = await open('yangpu-talent-rent');
    await act(handle, yangpuReviewer, { type: 'AcceptMaterials' });
    await verify(handle, yangpuReviewer);
    await act(handle, yangpuReviewer, { type: 'ScoreApplication', score: 80, comments: '' });
    await act(handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });
    const { award } = await state(handle);
    await sleepUntil(env, startOfShanghaiDay(addMonthsClamped(award!.awardedOn, 3)) + 12 * 3600_000);
    expect((await state(handle)).duePayouts).toHaveLength(3);
    // Only the first month recorded as paid; the second and third wait.
    const today = shanghaiDateOf(await env.currentTimeMs());
    await act(handle, yangpuReviewer, { type: 'RecordPayout', paidOn: today, bankReference: `YP-${input.caseId}-1`, amountFen: 800_000 });

    expect((await refusal(act(handle, yangpuApprover, { type: 'ReportLeftYangpu', leftOn: award!.awardedOn, note: '' }))).type).toBe('forbidden');
    const leftOn = addMonthsClamped(award!.awardedOn, 2);
    await act(handle, who, { type: 'ReportLeftYangpu', leftOn, note: '迁往浦东' });
    let events = await readStream(database.db, input.caseId);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['LeftYangpuReported', 'PayoutsStopped']);
    // The second month, due on the day of leaving, is owed; the third, due after it and never paid, is not to recover: it is forgone.
    expect(events.at(-1)!.data).toMatchObject({ paidCount: 1, paidFen: 800_000, entitledFen: 1_600_000, recoverableFen: 0, owedFen: 800_000, forgoneFen: 34 * 800_000 });
    await act(handle, yangpuReviewer, { type: 'RecordPayout', paidOn: today, bankReference: `YP-${input.caseId}-2`, amountFen: 800_000 });

    expect(await handle.result()).toMatchObject({ status: 'completed' });
    events = await readStream(database.db, input.caseId);
    expect(events.at(-1)).toMatchObject({ type: 'ApplicationCompleted', data: { totalPaidFen: 1_600_000 } });
    // Nothing more falls due once stopped.
    await env.sleep(60 * 24 * 3600_000);
    expect((await eventTypes(input.caseId)).filter((t) => t === 'PayoutFellDue')).toHaveLength(3);
    expect((await awardRows(input.caseId))[0]).toMatchObject({ amount_fen: 1_600_000 });
  });

  it('rent waiver: contract years 1, 2 and 3 at 100%, 75% and 50%, then completed', async () => {
    // Issue 14: admission to a carrier is answered by 杨浦区投促办's 载体入驻企业名录, keyed by the company's credit code.
    // Admitted on the day it applies: the waiver's contract years count from admission (a tenant admitted years before has none left).
    const unifiedSocialCreditCode = '91310110MA1G8D0012';
    const admittedOn = shanghaiDateOf(await env.currentTimeMs());
    await recordRegisterChange(
      database.db,
      'carrier-tenants',
      { type: 'AddEntry', entryId: 'RE-rent-waiver-1', fields: { subject: unifiedSocialCreditCode, name: '上海滨江载体测试有限公司', detail: { carrier: 'V聚场' }, from: admittedOn, to: null }, reason: '入驻协议已签订' },
      yangpuReviewer,
      () => new Date(),
    );
    const { input, handle } = await open('yangpu-rent-waiver', { facts: { ...FACTS['yangpu-rent-waiver'], unifiedSocialCreditCode } });
    await act(handle, yangpuReviewer, { type: 'AcceptMaterials' });
    await verify(handle, yangpuReviewer);
    await act(handle, yangpuReviewer, { type: 'ScoreApplication', score: 90, comments: '' });
    await act(handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });

    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    const years = events.filter((e) => e.type === 'RentWaiverYearStarted').map((e) => [e.data.year, e.data.waivedBasisPoints, e.data.waivedFen, e.data.tenantPaysFen]);
    expect(years).toEqual([
      [1, 10_000, 24_000_000, 0],
      [2, 7_500, 18_000_000, 6_000_000],
      [3, 5_000, 12_000_000, 12_000_000],
    ]);
    const completed = events.at(-1)!;
    expect(completed).toMatchObject({ type: 'ApplicationCompleted', data: { totalPaidFen: 54_000_000 } });
    expect(shanghaiDateOf(Date.parse(String(completed.data.completedAt)))).toBe(addMonthsClamped(admittedOn, 36));
  });

  it('voucher (徐汇 算力券): issued once with the award, then completed', async () => {
    const { input, handle } = await open('xuhui-compute-voucher', { facts: { ...FACTS['xuhui-compute-voucher'], itemId: `compute-${randomUUID()}` } });
    await act(handle, xuhuiReviewer, { type: 'AcceptMaterials' });
    await verify(handle, xuhuiReviewer);
    await act(handle, xuhuiReviewer, { type: 'ScoreApplication', score: 75, comments: '' });
    await act(handle, xuhuiApprover, { type: 'ApproveApplication', approvedAmountFen: 20_000_000, notes: '' });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const events = await readStream(database.db, input.caseId);
    expect(events.filter((e) => e.type === 'VouchersIssued').map((e) => e.data.amountFen)).toEqual([20_000_000]);
    expect((await awardRows(input.caseId))[0]).toMatchObject({ programme_id: 'xuhui-compute-voucher', amount_fen: 20_000_000 });
  });

  it('none (盾牌行动, a service): decided without scores, completed, nothing in the ledger, first in the 网信 queue', async () => {
    const { input, handle } = await open('hu9-shield');
    expect(await database.db.selectFrom('cases').select(['priority', 'waiting_for_department']).where('case_id', '=', input.caseId).executeTakeFirstOrThrow()).toEqual({
      priority: 1,
      waiting_for_department: 'cac',
    });
    await act(handle, cacReviewer, { type: 'AcceptMaterials' });
    await verify(handle, cacReviewer);
    expect((await refusal(act(handle, cacApprover, { type: 'ApproveApplication', approvedAmountFen: 100, notes: '' }))).message).toContain('不发放资金');
    await act(handle, cacApprover, { type: 'ApproveApplication', notes: '已责令删除侵权内容' });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    expect(await eventTypes(input.caseId)).toEqual(['ApplicationSubmitted', 'MaterialsAccepted', 'TimeLimitStarted', 'FactsVerified', 'ApplicationApproved', 'ApplicationCompleted']);
    expect(await awardRows(input.caseId)).toEqual([]);
  });
});

describe('the completeness check: deemed complete at the end of the 5th working day', () => {
  it('keeps the check open until 24:00 of the 5th working day, then records that it was deemed complete', async () => {
    const { input, handle } = await open('yangpu-talent-rent');
    const { completeness } = await state(handle);
    const deadline = Date.parse(completeness!.deadlineAt);
    expect(completeness).toMatchObject({ workingDays: 5, startedOn: (await state(handle)).submittedOn });

    await sleepUntil(env, deadline - 60_000);
    expect((await state(handle)).status).toBe('completeness-check');
    await sleepUntil(env, deadline + 60_000);
    const after = await state(handle);
    expect(after).toMatchObject({ status: 'review', deemedCompleteAt: expect.any(String) });
    expect(Date.parse(after.deemedCompleteAt!)).toBeGreaterThanOrEqual(deadline);

    const late = await refusal(act(handle, yangpuReviewer, { type: 'RequestSupplement', missingItems: ['租赁合同'] }));
    expect(late.type).toBe('illegal-state');
    const events = await readStream(database.db, input.caseId);
    // The decision's limit starts with it, counted (at submission) from the window's last working day.
    expect(events.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'MaterialsDeemedComplete', 'TimeLimitStarted']);
    expect(events[1]!.metadata.actor.role).toBe('system');
    expect(after.timeLimit).toMatchObject({ step: 'review', workingDays: 20, startedOn: completeness!.lastWorkingDay });
    await handle.terminate('test over');
  });

  it('lets the official list the missing items once, within the window; the reply opens a new 5-working-day window', async () => {
    const { handle, applicant: who } = await open('yangpu-talent-rent');
    await act(handle, yangpuReviewer, { type: 'RequestSupplement', missingItems: ['租赁合同', '社保证明'] });
    expect((await refusal(act(handle, who, { type: 'ProvideSupplement', responses: [{ item: '租赁合同', response: 'lease.pdf' }] }))).message).toContain('社保证明');
    await act(handle, who, { type: 'ProvideSupplement', responses: [{ item: '租赁合同', response: 'lease.pdf' }, { item: '社保证明', response: 'si.pdf' }] });
    const reopened = await state(handle);
    expect(reopened).toMatchObject({ status: 'completeness-check', completeness: { workingDays: 5, startedOn: shanghaiDateOf(await env.currentTimeMs()) } });
    expect((await refusal(act(handle, yangpuReviewer, { type: 'RequestSupplement', missingItems: ['身份证'] }))).message).toContain('一次性告知');
    await handle.terminate('test over');
  });
});

describe('director above 1,000,000.00', () => {
  it('refuses an official approving 1,500,000.00 and records the director’s approval', async () => {
    const { input, handle } = await open('huangpu-platform-subsidy');
    await act(handle, huangpuReviewer, { type: 'AcceptMaterials' });
    await verify(handle, huangpuReviewer);
    await act(handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    await act(handle, huangpuReviewer, { type: 'ScoreApplication', score: 92, comments: '' });
    const notDirector = await refusal(act(handle, huangpuApprover, { type: 'ApproveApplication', notes: '' }));
    expect(notDirector).toMatchObject({
      type: 'forbidden',
      message: expect.stringContaining('批准金额 1,500,000.00元超过 1,000,000.00元'),
      details: [[], { code: 'director-approval-required', en: expect.stringContaining('approving 1,500,000.00 is above 1,000,000.00'), params: { amountFen: 150_000_000, thresholdFen: 100_000_000 } }],
    });
    await act(handle, huangpuDirector, { type: 'ApproveApplication', notes: '处长审批' });
    // The director approved it: another official of the department records the payment.
    await act(handle, huangpuApprover, { type: 'RecordPayout', paidOn: shanghaiDateOf(await env.currentTimeMs()), bankReference: `HP-${input.caseId}`, amountFen: 150_000_000 });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const approved = (await readStream(database.db, input.caseId)).find((e) => e.type === 'ApplicationApproved')!;
    expect(approved.data).toMatchObject({ approvedAmountFen: 150_000_000, byDirector: true, by: { displayName: '吴处长' } });
  });
});

describe('stacking against the whole ledger, at submission and again at the award', () => {
  const recordAward = (awardId: string, programmeId: string, itemId: string, amountFen: number, applicantAccountId = 'someone-else') =>
    database.db
      .insertInto('awards')
      .values({ award_id: awardId, case_id: randomUUID(), applicant_account_id: applicantAccountId, programme_id: programmeId, catalogue_version: '2026-11-23', item_id: itemId, amount_fen: amountFen, awarded_on: '2026-03-01', recorded_at: new Date() })
      .execute();

  // Since catalogue 2026-12-03 two 徐汇 measures the sources say nothing of stack with a note for review; what the
  // ledger refuses is the same measure funding the same item again (funded once).
  it('refuses a submission for an item the same measure already funded: the workflow fails with the message saying so (another applicant’s award, not its id), nothing is recorded', async () => {
    const itemId = `drama-${randomUUID()}`;
    await recordAward('AW-EARLIER-1', 'xuhui-quality-works', itemId, 50_000_000);
    const input = applicationInput('xuhui-quality-works', { applicant: newApplicant(), facts: { ...FACTS['xuhui-quality-works'], itemId } });
    const handle: Handle = await env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    const refused = await refusal(handle.executeUpdate(applicationSubmissionRecordedUpdate));
    expect(refused.type).toBe('validation');
    expect(refused.message).toContain('资助（另一申请人所获），同一事项不重复资助');
    expect(refused.message).not.toContain('500,000.00');
    expect(refused.message).not.toContain('AW-EARLIER-1');
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await readStream(database.db, input.caseId)).toEqual([]);
  });

  it('counts an item typed in other letter case, width or spacing as the same item: the ledger finds the award of “W-1” for “ｗ-1 ”', async () => {
    const id = randomUUID();
    await recordAward('AW-SPELLED-1', 'xuhui-quality-works', `DRAMA-${id.toUpperCase()}`, 50_000_000);
    const input = applicationInput('xuhui-quality-works', { applicant: newApplicant(), facts: { ...FACTS['xuhui-quality-works'], itemId: ` ｄrama - ${id} ` } });
    const handle: Handle = await env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    const refused = await refusal(handle.executeUpdate(applicationSubmissionRecordedUpdate));
    expect(refused.message).toContain('（另一申请人所获），同一事项不重复资助');
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await readStream(database.db, input.caseId)).toEqual([]);
  });

  it('re-checks at the award: an award that landed meanwhile refuses the approval (409), saying so', async () => {
    const itemId = `drama-${randomUUID()}`;
    const { input, handle } = await open('xuhui-quality-works', { facts: { ...FACTS['xuhui-quality-works'], itemId } });
    await act(handle, xuhuiReviewer, { type: 'AcceptMaterials' });
    await verify(handle, xuhuiReviewer);
    await act(handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    await act(handle, xuhuiReviewer, { type: 'ScoreApplication', score: 70, comments: '' });
    await recordAward('AW-MEANWHILE-1', 'xuhui-quality-works', itemId, 20_000_000);
    const conflict = await refusal(act(handle, xuhuiApprover, { type: 'ApproveApplication', notes: '' }));
    expect(conflict.type).toBe('conflict');
    expect(conflict.message).toContain('资助（另一申请人所获），同一事项不重复资助');
    expect((await state(handle)).status).toBe('review');
    expect(await awardRows(input.caseId)).toEqual([]);
    await act(handle, xuhuiApprover, { type: 'RejectApplication', reasons: ['同一作品已获徐汇优质短剧支持'] });
    expect(await handle.result()).toMatchObject({ status: 'rejected' });
  });
});

describe('YOUNG人才公寓: ≤ 2 stays a calendar year, counted from the read model, not the applicant’s claim', () => {
  it('approves two stays in a year and refuses the third at submission and at the decision', async () => {
    const who = newApplicant();
    const stay = async () => {
      const opened = await open('yangpu-talent-apartment', { applicant: who, facts: { ...FACTS['yangpu-talent-apartment'], staysThisYear: 0 } });
      await act(opened.handle, yangpuReviewer, { type: 'AcceptMaterials' });
      await verify(opened.handle, yangpuReviewer);
      return opened;
    };
    const first = await stay();
    await act(first.handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });
    expect((await state(first.handle)).facts.staysThisYear).toBe(0);
    // Two pending at once: both pass the submission with one stay taken; only one can be approved.
    const second = await stay();
    const third = await stay();
    expect((await state(third.handle)).facts.staysThisYear).toBe(1);
    await act(second.handle, yangpuApprover, { type: 'ApproveApplication', notes: '' });
    const overQuota = await refusal(act(third.handle, yangpuApprover, { type: 'ApproveApplication', notes: '' }));
    expect(overQuota).toMatchObject({ type: 'conflict', message: expect.stringContaining('每个自然年最多入住 2 次；本年度已入住 2 次') });
    await third.handle.terminate('test over');

    const input = applicationInput('yangpu-talent-apartment', { applicant: who, facts: { ...FACTS['yangpu-talent-apartment'], staysThisYear: 0 } });
    const fourth: Handle = await env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    const refused = await refusal(fourth.executeUpdate(applicationSubmissionRecordedUpdate));
    expect(refused.message).toContain('每个自然年最多入住 2 次；本年度已入住 2 次');
  });

  it('refuses a stay longer than 5 days', async () => {
    const input = applicationInput('yangpu-talent-apartment', { applicant: newApplicant(), facts: { ...FACTS['yangpu-talent-apartment'], stayDays: 6 } });
    const handle: Handle = await env.client.workflow.start(applicationWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    expect((await refusal(handle.executeUpdate(applicationSubmissionRecordedUpdate))).message).toContain('每次入住 1 至 5 天；申请入住 6 天');
  });
});

import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, endOfShanghaiDay, startOfShanghaiDay, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import {
  acceptMaterialsUpdate,
  approveFundingUpdate,
  chuyingLoanStateQuery,
  declareRepaymentUpdate,
  withdrawRepaymentDeclarationUpdate,
  rejectRepaymentDeclarationUpdate,
  cancelFundingUpdate,
  withdrawUpdate,
  passComplianceReviewUpdate,
  provideSupplementUpdate,
  recordDisbursementUpdate,
  recordRepaymentUpdate,
  requestSupplementUpdate,
  submissionRecordedUpdate,
} from '../../workflows/chuying-loan.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';
import { changesTakenIn, patchMarkersOf } from '../support/patch-markers.js';
import { CHANGES_TO_2026_12_03 } from '../../workflows/support/changes.js';
import { DISBURSEMENT_APART_FROM_APPROVAL } from '../../domain/chuying/decide.js';
import { BANK_REFERENCE_ONCE_PATCH, DECLARE_REPAYMENT_PATCH, CANCEL_FUNDING_PATCH, MONEY_RECORDED_ONCE_PATCH, REJECT_REPAYMENT_DECLARATION_PATCH, WITHDRAW_REPAYMENT_DECLARATION_PATCH } from '../../cases/chuying-loan.case.js';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `chuying-${randomUUID()}`;

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

const request = <A>(actor: typeof applicant, action: A) => ({ actor, requestId: randomUUID(), action });

async function startCase(overrides = {}) {
  const input = loanApplication(overrides);
  const handle = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
  await handle.executeUpdate(submissionRecordedUpdate);
  return { input, handle };
}

/** Each loan's disbursement has its own bank reference: one bank transaction is recorded on one loan. */
const bankReferenceOf = (handle: WorkflowHandle<typeof chuyingLoanWorkflow>) => `BANK-${handle.workflowId.slice(-8)}`;

async function bringToDisbursement(handle: WorkflowHandle<typeof chuyingLoanWorkflow>) {
  await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
  await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '内容积极健康' })] });
  await handle.executeUpdate(approveFundingUpdate, {
    args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })],
  });
  const today = shanghaiDateOf(await env.currentTimeMs());
  await handle.executeUpdate(recordDisbursementUpdate, {
    args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn: today, bankReference: bankReferenceOf(handle) })],
  });
  return today;
}

/** Advances the time-skipping server to 10:00 Shanghai time on a date. */
async function skipTo(date: LocalDate) {
  const target = startOfShanghaiDay(date) + 10 * 60 * 60 * 1000;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

describe('雏鹰 loan workflow, real activities against real Postgres', () => {
  it('runs from application through 补正, review, decision and disbursement to the 36th repayment', async () => {
    const { input, handle } = await startCase();

    await handle.executeUpdate(requestSupplementUpdate, {
      args: [request(fundReviewer, { type: 'RequestSupplement' as const, missingItems: ['营业执照副本', '项目预算表'] })],
    });
    await handle.executeUpdate(provideSupplementUpdate, {
      args: [
        request(applicant, {
          type: 'ProvideSupplement' as const,
          responses: [
            { item: '营业执照副本', response: 'file:license.pdf' },
            { item: '项目预算表', response: 'file:budget.xlsx' },
          ],
        }),
      ],
    });
    await bringToDisbursement(handle);

    const { instalments } = await handle.query(chuyingLoanStateQuery);
    expect(instalments).toHaveLength(36);
    expect(instalments.reduce((sum, i) => sum + i.amountFen, 0)).toBe(36_000_000);

    for (const instalment of instalments) {
      await skipTo(instalment.dueOn);
      await handle.executeUpdate(recordRepaymentUpdate, {
        args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: instalment.amountFen, paidOn: instalment.dueOn, reference: `${bankReferenceOf(handle)}-R${instalment.number}` })],
      });
    }

    expect(await handle.result()).toEqual({ status: 'completed', version: expect.any(Number) });
    const events = await readStream(database.db, input.caseId);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 10)).toEqual([
      'LoanApplicationSubmitted',
      'SupplementRequested',
      'SupplementProvided',
      'MaterialsAccepted',
      // The 网信 review, the fund's decision and the disbursement each start with their promised time limit (issue 13).
      'TimeLimitStarted',
      'ComplianceReviewPassed',
      'TimeLimitStarted',
      'FundingApproved',
      'TimeLimitStarted',
      'LoanDisbursed',
    ]);
    expect(events[8]!.data).toMatchObject({ limit: { step: 'awaiting-disbursement', stepLabel: '待放款', department: 'yangpu-fund', workingDays: 10 } });
    expect(types.filter((t) => t === 'RepaymentRecorded')).toHaveLength(36);
    expect(types).not.toContain('InstalmentOverdue');
    expect(types.at(-1)).toBe('LoanRepaid');
    expect(verifyChain(events)).toBeUndefined();
    expect(events.find((e) => e.type === 'FundingApproved')?.metadata.actor).toMatchObject({ accountId: fundApprover.accountId, role: 'official' });

    const row = await database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'completed', outstanding_fen: 0, approved_fen: 36_000_000, version: events.length });
    const paid = await database.db.selectFrom('loan_instalments').select(['status']).where('case_id', '=', input.caseId).execute();
    expect(paid.every((i) => i.status === 'paid')).toBe(true);
  });

  it('marks a missed instalment overdue at the end of its due date, reminds after 3 days and flags it delinquent after 30', async () => {
    const { input, handle } = await startCase();
    await bringToDisbursement(handle);
    const first = (await handle.query(chuyingLoanStateQuery)).instalments[0]!;

    await env.sleep(startOfShanghaiDay(first.dueOn) + 24 * 3600_000 + 60_000 - (await env.currentTimeMs()));
    let state = await handle.query(chuyingLoanStateQuery);
    expect(state.instalments[0]!.overdueSince).toBeDefined();
    expect(state.instalments[0]!.remindedAt).toBeUndefined();

    await env.sleep(3 * 24 * 3600_000);
    state = await handle.query(chuyingLoanStateQuery);
    expect(state.instalments[0]!.remindedAt).toBeDefined();
    expect(state.instalments[0]!.delinquentSince).toBeUndefined();

    await env.sleep(27 * 24 * 3600_000);
    state = await handle.query(chuyingLoanStateQuery);
    expect(state.instalments[0]!.delinquentSince).toBeDefined();

    // A partial payment stays on the oldest instalment; it is not paid off until the rest arrives.
    await handle.executeUpdate(recordRepaymentUpdate, {
      args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: 500_000, paidOn: shanghaiDateOf(await env.currentTimeMs()), reference: 'P1' })],
    });
    state = await handle.query(chuyingLoanStateQuery);
    expect(state.instalments[0]!.paidFen).toBe(500_000);
    expect(state.instalments[0]!.paidOffAt).toBeUndefined();

    const events = await readStream(database.db, input.caseId);
    const overdue = events.filter((e) => ['InstalmentOverdue', 'RepaymentReminderSent', 'InstalmentDelinquent'].includes(e.type));
    expect(overdue.filter((e) => e.data.number === 1).map((e) => e.type)).toEqual(['InstalmentOverdue', 'RepaymentReminderSent', 'InstalmentDelinquent']);
    // 31 days on, the second instalment is overdue too when its due day (moved off rest days) came less than a month after the first.
    const now = await env.currentTimeMs();
    const dueDays = new Map(state.instalments.map((i) => [i.number, i.dueOn]));
    for (const later of overdue.filter((e) => e.data.number !== 1)) {
      expect(later.type).toBe('InstalmentOverdue');
      expect(endOfShanghaiDay(dueDays.get(later.data.number as number)!)).toBeLessThanOrEqual(now);
    }
    expect(overdue.every((e) => e.metadata.actor.role === 'system')).toBe(true);
    const instalmentRow = await database.db.selectFrom('loan_instalments').selectAll().where('case_id', '=', input.caseId).where('number', '=', 1).executeTakeFirstOrThrow();
    expect(instalmentRow).toMatchObject({ status: 'delinquent', paid_fen: 500_000 });
    await handle.terminate('test over');
  });

  it('closes the case as withdrawn when a 补正 request is not answered within 30 days (to the next working day when they end on a rest day)', async () => {
    const { input, handle } = await startCase();
    await handle.executeUpdate(requestSupplementUpdate, { args: [request(fundReviewer, { type: 'RequestSupplement' as const, missingItems: ['财务报表'] })] });
    const { supplement } = await handle.query(chuyingLoanStateQuery);
    expect(supplement?.replyDueOn).toBeDefined();

    expect(await handle.result()).toMatchObject({ status: 'withdrawn' });
    const events = await readStream(database.db, input.caseId);
    const withdrawn = events.at(-1)!;
    expect(withdrawn.type).toBe('ApplicationWithdrawn');
    expect(withdrawn.data.reason).toBe('supplement-not-provided');
    // Closed at 24:00 Shanghai at the end of the reply period (plus the task's own latency), not before:
    // the 30th day, or the first working day after it when it is a rest day (民法典 第二百零三条).
    const closedAt = Date.parse(String(withdrawn.data.withdrawnAt));
    const reached = addDays(shanghaiDateOf(Date.parse(supplement!.requestedAt)), 30);
    const calendar = packagedCalendar();
    expect(supplement!.replyDueOn >= reached).toBe(true);
    expect(calendar.isWorkingDay(supplement!.replyDueOn)).toBe(true);
    for (let day = reached; day < supplement!.replyDueOn; day = addDays(day, 1)) expect(calendar.isWorkingDay(day)).toBe(false);
    expect(closedAt).toBeGreaterThanOrEqual(endOfShanghaiDay(supplement!.replyDueOn));
    expect(closedAt - endOfShanghaiDay(supplement!.replyDueOn)).toBeLessThan(60_000);
  });

  it('refuses actions that are not allowed now or not by this person, and records nothing', async () => {
    const { input, handle } = await startCase();
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => expect.fail('the update should have been refused'),
        (error: unknown) => {
          expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
          return (error as WorkflowUpdateFailedError).cause as Error & { type?: string };
        },
      );

    const early = await refusal(handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 1, notes: '' })] }));
    expect(early.type).toBe('illegal-state');
    expect(early.message).toContain('目前处于“材料审查”，不能办理“同意资助”');

    await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    const wrongDepartment = await refusal(
      handle.executeUpdate(passComplianceReviewUpdate, { args: [request(fundReviewer, { type: 'PassComplianceReview' as const, notes: '' })] }),
    );
    expect(wrongDepartment.type).toBe('forbidden');
    await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: 'ok' })] });

    const fourEyes = await refusal(
      handle.executeUpdate(approveFundingUpdate, { args: [request(fundReviewer, { type: 'ApproveFunding' as const, approvedAmountFen: 100, notes: '' })] }),
    );
    expect(fourEyes.type).toBe('forbidden');
    expect(fourEyes.message).toContain('四眼原则');

    const tooMuch = await refusal(
      handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 50_000_001, notes: '' })] }),
    );
    expect(tooMuch.message).toBe('批准金额 500,000.01元超过申请金额 500,000.00元：基金只能批准申请的金额或更少。');

    const stale = await refusal(
      handle.executeUpdate(approveFundingUpdate, {
        args: [{ ...request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 100, notes: '' }), expectedVersion: 1 }],
      }),
    );
    expect(stale.type).toBe('concurrency');

    const events = await readStream(database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual(['LoanApplicationSubmitted', 'MaterialsAccepted', 'TimeLimitStarted', 'ComplianceReviewPassed', 'TimeLimitStarted']);
    await handle.terminate('test over');
  });
});

describe('money recorded once', () => {
  it('30 copies of one payment, sent at once, all pass their validators; the handlers record one and answer the rest with it', async () => {
    const { input, handle } = await startCase();
    const today = await bringToDisbursement(handle);
    const payment = { type: 'RecordRepayment' as const, amountFen: 1_000_000, paidOn: today, reference: 'R1' };

    const answers = await Promise.all(Array.from({ length: 30 }, () => handle.executeUpdate(recordRepaymentUpdate, { args: [request(fundReviewer, payment)] })));

    expect(answers.filter((a) => !a.alreadyRecorded)).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.recorded))).size).toBe(1);
    const state = await handle.query(chuyingLoanStateQuery);
    expect(state.repaidFen).toBe(1_000_000);
    expect(state.repayments).toEqual([{ reference: 'R1', amountFen: 1_000_000, paidOn: today, version: 9, recordedAt: expect.any(String) }]);
    expect((await readStream(database.db, input.caseId)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);

    // The disbursement sent again at 还款中 is answered, not refused for the step.
    const disbursement = await handle.executeUpdate(recordDisbursementUpdate, {
      args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn: today, bankReference: bankReferenceOf(handle) })],
    });
    expect(disbursement).toMatchObject({ events: [], alreadyRecorded: true, recorded: { type: 'LoanDisbursed', version: 8, reference: bankReferenceOf(handle), amountFen: 36_000_000 } });

    // New histories took the change, by the one marker of every change to 2026-12-03: a replay of them decides under the same rules.
    // A change made since is asked for by its own name: the bank reference looked up across loans (2026-12-04).
    const history = await handle.fetchHistory();
    expect(patchMarkersOf(history)).toEqual([CHANGES_TO_2026_12_03, BANK_REFERENCE_ONCE_PATCH]);
    expect(changesTakenIn(history)).toContain(MONEY_RECORDED_ONCE_PATCH);
    // Temporal sets its TemporalChangeVersion search attribute once a marker, not once per change.
    const changeVersionUpserts = (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
    expect(changeVersionUpserts).toHaveLength(2);
    // And the repeats (answered without an append) replay deterministically.
    await handle.terminate('test over');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
  });
});

describe('four-eyes at the disbursement: whoever approved the loan does not record its disbursement', () => {
  it('refuses the approver and records nothing; a history in which the approver recorded it, from before the rule, replays as it was decided', async () => {
    const { input, handle } = await startCase();
    await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '' })] });
    await handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })] });
    const today = shanghaiDateOf(await env.currentTimeMs());
    const disburse = (actor: typeof fundApprover) =>
      handle.executeUpdate(recordDisbursementUpdate, { args: [request(actor, { type: 'RecordDisbursement' as const, disbursedOn: today, bankReference: bankReferenceOf(handle) })] });

    const refused = await disburse(fundApprover).then(
      () => expect.fail('the approver’s disbursement should have been refused'),
      (error: unknown) => (error as WorkflowUpdateFailedError).cause as Error & { type?: string },
    );
    expect(refused.type).toBe('forbidden');
    expect(refused.message).toContain('四眼原则：您批准了本案的资助，不能再登记本案的放款');
    expect((await readStream(database.db, input.caseId)).filter((e) => e.type === 'LoanDisbursed')).toEqual([]);
    await disburse(fundReviewer);
    expect((await handle.query(chuyingLoanStateQuery)).status).toBe('repaying');
    await handle.terminate('test over');
    const history = await handle.fetchHistory();
    // The validator refused the approver: no marker of the rule in the history.
    expect(changesTakenIn(history)).not.toContain(DISBURSEMENT_APART_FROM_APPROVAL);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId);

    // The same history as a workflow from before the rule would have recorded it, the approver disbursing.
    const beforeTheRule = structuredClone(history);
    const accepted = (beforeTheRule.events ?? []).map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest).filter((r) => r?.input?.name === 'recordDisbursement');
    expect(accepted).toHaveLength(1);
    const payload = accepted[0]!.input!.args!.payloads![0]!;
    const args = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as { actor: unknown };
    payload.data = Buffer.from(JSON.stringify({ ...args, actor: fundApprover }), 'utf8');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, beforeTheRule, handle.workflowId);
  });
});

describe('the borrower reports a repayment (报告已还款)', () => {
  it('is taken under its own change: refusals leave nothing in the history, a repeat is answered with the first, the fund’s record confirms it, and the history replays', async () => {
    const { input, handle } = await startCase();
    const today = await bringToDisbursement(handle);
    const report = { type: 'DeclareRepayment' as const, amountFen: 1_000_000, paidOn: today, reference: `ICBC-${handle.workflowId.slice(-8)}`, note: '' };
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => expect.fail('the update should have been refused'),
        (error: unknown) => (error as WorkflowUpdateFailedError).cause as Error & { type?: string },
      );

    // An official, and a day not yet come: refused by the validator, before anything reaches the history.
    const official = await refused(handle.executeUpdate(declareRepaymentUpdate, { args: [request(fundReviewer, report)] }));
    expect(official).toMatchObject({ type: 'forbidden', message: expect.stringContaining('登记还款') });
    const future = await refused(handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, { ...report, paidOn: addDays(today, 1) })] }));
    expect(future).toMatchObject({ type: 'validation', message: expect.stringContaining('晚于今天') });
    const updates = (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    expect(updates).toBe(5);

    const first = await handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, report)] });
    expect(first).toMatchObject({ events: ['RepaymentDeclared'] });
    const again = await handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, report)] });
    expect(again).toMatchObject({ events: [], alreadyRecorded: true, recorded: { type: 'RepaymentDeclared', version: first.version, reference: report.reference } });
    await handle.executeUpdate(recordRepaymentUpdate, { args: [request(fundReviewer, { type: 'RecordRepayment' as const, amountFen: 1_000_000, paidOn: today, reference: report.reference })] });

    const state = await handle.query(chuyingLoanStateQuery);
    expect(state.repaymentDeclarations).toEqual([{ reference: report.reference, amountFen: 1_000_000, paidOn: today, note: '', version: first.version, declaredAt: expect.any(String) }]);
    expect(state.repaidFen).toBe(1_000_000);
    expect((await readStream(database.db, input.caseId)).slice(-2).map((e) => e.type)).toEqual(['RepaymentDeclared', 'RepaymentRecorded']);

    const history = await handle.fetchHistory();
    expect(patchMarkersOf(history)).toContain(DECLARE_REPAYMENT_PATCH);
    await handle.terminate('test over');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
  });

  it('a report withdrawn under its own change (撤回还款申报) is no longer 待核对, the same reference is reported again, and the history replays', async () => {
    const { handle } = await startCase();
    const today = await bringToDisbursement(handle);
    const reference = `ICBC-${handle.workflowId.slice(-8)}`;
    const report = { type: 'DeclareRepayment' as const, amountFen: 10_000_000, paidOn: today, reference, note: '' };
    await handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, report)] });
    const withdrawn = await handle.executeUpdate(withdrawRepaymentDeclarationUpdate, { args: [request(applicant, { type: 'WithdrawRepaymentDeclaration' as const, reference, reason: '金额填错' })] });
    expect(withdrawn).toMatchObject({ events: ['RepaymentDeclarationWithdrawn'] });
    const again = await handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, { ...report, amountFen: 1_000_000 })] });
    expect(again).toMatchObject({ events: ['RepaymentDeclared'] });

    const state = await handle.query(chuyingLoanStateQuery);
    expect(state.repaymentDeclarations?.map((d) => [d.amountFen, d.withdrawal?.reason ?? null])).toEqual([
      [10_000_000, '金额填错'],
      [1_000_000, null],
    ]);
    expect(patchMarkersOf(await handle.fetchHistory())).toContain(WITHDRAW_REPAYMENT_DECLARATION_PATCH);
    await handle.terminate('test over');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
  });

  it('a report the fund returns under its own change (退回还款申报) is no longer 待核对, the borrower reports it again, and the history replays', async () => {
    const { handle } = await startCase();
    const today = await bringToDisbursement(handle);
    const reference = `CMB-${handle.workflowId.slice(-8)}`;
    const report = { type: 'DeclareRepayment' as const, amountFen: 1_000_000, paidOn: today, reference, note: '' };
    await handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, report)] });
    const returnIt = { type: 'RejectRepaymentDeclaration' as const, reference, reason: '未查到到账' };
    // The borrower may not return their own report: refused by the validator, before anything reaches the history.
    await expect(handle.executeUpdate(rejectRepaymentDeclarationUpdate, { args: [request(applicant, returnIt)] })).rejects.toThrow();
    const returned = await handle.executeUpdate(rejectRepaymentDeclarationUpdate, { args: [request(fundReviewer, returnIt)] });
    expect(returned).toMatchObject({ events: ['RepaymentDeclarationRejected'] });
    const repeated = await handle.executeUpdate(rejectRepaymentDeclarationUpdate, { args: [request(fundReviewer, returnIt)] });
    expect(repeated).toMatchObject({ events: [], alreadyRecorded: true });
    const again = await handle.executeUpdate(declareRepaymentUpdate, { args: [request(applicant, report)] });
    expect(again).toMatchObject({ events: ['RepaymentDeclared'] });

    const state = await handle.query(chuyingLoanStateQuery);
    expect(state.repaymentDeclarations?.map((d) => d.rejection?.reason ?? null)).toEqual(['未查到到账', null]);
    expect(patchMarkersOf(await handle.fetchHistory())).toContain(REJECT_REPAYMENT_DECLARATION_PATCH);
    await handle.terminate('test over');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
  });
});

describe('an approval undone before the disbursement', () => {
  const approve = async (handle: WorkflowHandle<typeof chuyingLoanWorkflow>) => {
    await handle.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    await handle.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: '内容积极健康' })] });
    await handle.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })] });
  };

  it('cancelled by the fund under its own change (撤销资助决定): the case ends with its letter, and the history replays', async () => {
    const { input, handle } = await startCase();
    await approve(handle);
    await expect(handle.executeUpdate(cancelFundingUpdate, { args: [request(applicant, { type: 'CancelFunding' as const, reasons: ['x'] })] })).rejects.toThrow();
    const cancelled = await handle.executeUpdate(cancelFundingUpdate, { args: [request(fundApprover, { type: 'CancelFunding' as const, reasons: ['企业已注销'] })] });
    expect(cancelled).toMatchObject({ events: ['FundingCancelled'] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
    const recorded = (await readStream(database.db, input.caseId)).find((e) => e.type === 'FundingCancelled');
    expect(recorded?.data).toMatchObject({ reasons: ['企业已注销'], budgetMovements: [{ callId: 'chuying-fund', kind: 'release', amountFen: 36_000_000 }], letter: { letterNo: expect.any(String) } });
    const history = await handle.fetchHistory();
    expect(patchMarkersOf(history)).toContain(CANCEL_FUNDING_PATCH);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId);
  });

  it('declined by the borrower: withdrawn, the pool given back, and the history replays', async () => {
    const { input, handle } = await startCase();
    await approve(handle);
    await handle.executeUpdate(withdrawUpdate, { args: [request(applicant, { type: 'Withdraw' as const, reason: '' })] });
    expect(await handle.result()).toMatchObject({ status: 'withdrawn' });
    const recorded = (await readStream(database.db, input.caseId)).find((e) => e.type === 'ApplicationWithdrawn');
    expect(recorded?.data).toMatchObject({ afterApproval: true, budgetMovements: [{ kind: 'release', amountFen: 36_000_000 }] });
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
  });
});

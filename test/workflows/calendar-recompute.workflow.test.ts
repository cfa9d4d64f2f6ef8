import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { chineseDate, parseLocalDate, shanghaiDateOf, startOfShanghaiDay, yearOf } from '../../domain/time/local-date.js';
import { calendarFromDatabase, recordCalendarYear } from '../../db/calendar/calendar-store.js';
import { readStream } from '../../db/event-store.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { calendarLoadedSignal } from '../../workflows/calendar.messages.js';
import {
  acceptMaterialsUpdate,
  approveFundingUpdate,
  chuyingLoanStateQuery,
  passComplianceReviewUpdate,
  recordDisbursementUpdate,
  submissionRecordedUpdate,
} from '../../workflows/chuying-loan.messages.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import { dramaFilingStateQuery, filingSubmissionRecordedUpdate } from '../../workflows/drama-filing.messages.js';
import { dramaFilingWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { admin, cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, filingInput } from '../support/filings.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let calendar: ReturnType<typeof calendarFromDatabase>;
const taskQueue = `recompute-${randomUUID()}`;

beforeAll(async () => {
  [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  calendar = calendarFromDatabase(database.db);
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar, workflowBundle: await workflowBundle() });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

const request = <A>(actor: typeof fundReviewer, action: A) => ({ actor, requestId: randomUUID(), action });

describe('loading a year recomputes every open provisional deadline, with old and new values recorded', () => {
  it('a 5-working-day filing from 30 Dec 2026 and a loan disbursed that day: provisional until 2027 is loaded', async () => {
    // Wed 30 Dec 2026, 10:00 Shanghai (or now, if the clock is already past it).
    const target = startOfShanghaiDay(parseLocalDate('2026-12-30')) + 10 * 3600_000;
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);

    const input = filingInput('drama-release-filing');
    const filing = await env.client.workflow.start(dramaFilingWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    await filing.executeUpdate(filingSubmissionRecordedUpdate);
    const before = (await filing.query(dramaFilingStateQuery)).rounds[0]!.deadline!;
    expect(before.provisional).toBe(true);

    const loanInput = loanApplication({ requestedAmountFen: 3_600_000 });
    const loan = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(loanInput.caseId), taskQueue, args: [loanInput] });
    await loan.executeUpdate(submissionRecordedUpdate);
    await loan.executeUpdate(acceptMaterialsUpdate, { args: [request(fundReviewer, { type: 'AcceptMaterials' as const })] });
    await loan.executeUpdate(passComplianceReviewUpdate, { args: [request(cacReviewer, { type: 'PassComplianceReview' as const, notes: 'ok' })] });
    await loan.executeUpdate(approveFundingUpdate, { args: [request(fundApprover, { type: 'ApproveFunding' as const, approvedAmountFen: 3_600_000, notes: '' })] });
    const disbursedOn = shanghaiDateOf(await env.currentTimeMs());
    await loan.executeUpdate(recordDisbursementUpdate, { args: [request(fundReviewer, { type: 'RecordDisbursement' as const, disbursedOn, bankReference: 'B-1' })] });
    const firstProvisional = (await loan.query(chuyingLoanStateQuery)).instalments.find((i) => i.provisional)!;
    expect(firstProvisional).toBeDefined();

    // A made-up arrangement for the year the filing's count reaches: its provisional last working
    // day is a day off, and so is the loan's first provisional due date (when in the same year).
    // Like any real one it also rests on the fixed-date holidays the provisional count already skipped.
    const year = yearOf(before.lastWorkingDay);
    const holidays = [...new Set([...fixedDateHolidaysOf(year), before.lastWorkingDay, ...(yearOf(firstProvisional.dueOn) === year ? [firstProvisional.dueOn] : [])])];
    const { revision } = await recordCalendarYear(database.db, { arrangement: { year, holidays, makeUpWorkdays: [] }, note: 'test', actor: admin }, () => new Date());
    const reason = { calendarYear: year, revision, loadedBy: { accountId: admin.accountId, displayName: admin.displayName } };
    await filing.signal(calendarLoadedSignal, reason);
    await loan.signal(calendarLoadedSignal, reason);

    const merged = await calendar();
    expect(merged.isOfficialYear(year)).toBe(true);
    const expected = reviewDeadline(merged, before.startedOn, before.workingDays);
    const recomputed = await eventually(async () => (await readStream(database.db, input.caseId)).find((e) => e.type === 'DeadlineRecomputed'), 'DeadlineRecomputed');
    expect(recomputed.data).toMatchObject({ round: 1, previous: before, current: expected, reason });
    expect(expected.lastWorkingDay > before.lastWorkingDay).toBe(true);
    expect((await filing.query(dramaFilingStateQuery)).rounds[0]!.deadline).toEqual(expected);
    const review = await database.db.selectFrom('filing_reviews').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ last_working_day: expected.lastWorkingDay, provisional: expected.provisional });

    const schedule = repaymentSchedule(merged, 3_600_000, disbursedOn, 36);
    const loanEvent = await eventually(async () => (await readStream(database.db, loanInput.caseId)).find((e) => e.type === 'InstalmentDueDatesRecomputed'), 'InstalmentDueDatesRecomputed');
    const changes = loanEvent.data.changes as { number: number; previous: { dueOn: string }; current: { dueOn: string; provisional: boolean } }[];
    for (const change of changes) expect(change.current).toEqual({ dueOn: schedule[change.number - 1]!.dueOn, provisional: schedule[change.number - 1]!.provisional });
    if (holidays.includes(firstProvisional.dueOn)) {
      expect(changes.find((c) => c.number === firstProvisional.number)).toMatchObject({ previous: { dueOn: firstProvisional.dueOn } });
      expect(schedule[firstProvisional.number - 1]!.dueOn > firstProvisional.dueOn).toBe(true);
    }
    const state = await loan.query(chuyingLoanStateQuery);
    expect(state.instalments.map((i) => [i.dueOn, i.provisional])).toEqual(schedule.map((i) => [i.dueOn, i.provisional]));
    const rows = await database.db.selectFrom('loan_instalments').select(['number', 'due_on', 'provisional']).where('case_id', '=', loanInput.caseId).orderBy('number').execute();
    expect(rows.map((r) => [r.due_on, r.provisional])).toEqual(schedule.map((i) => [i.dueOn, i.provisional]));

    // A second signal for the same load changes nothing and records nothing.
    await filing.signal(calendarLoadedSignal, reason);
    await loan.signal(calendarLoadedSignal, reason);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await readStream(database.db, input.caseId)).filter((e) => e.type === 'DeadlineRecomputed')).toHaveLength(1);
    expect((await readStream(database.db, loanInput.caseId)).filter((e) => e.type === 'InstalmentDueDatesRecomputed')).toHaveLength(1);

    // The calendar load itself is on record: who loaded what, replacing nothing (the year was provisional).
    const load = await readStream(database.db, `calendar-${year}`);
    expect(load.map((e) => [e.type, e.data.previous, e.metadata.actor.accountId])).toEqual([['CalendarYearLoaded', null, admin.accountId]]);

    // A correction of the year that takes a final due date in it off: the contract's rule puts it on the next working day.
    const finalInYear = state.instalments.find((i) => !i.provisional && yearOf(i.dueOn) === year && i.paidFen === 0)!;
    expect(finalInYear).toBeDefined();
    const correctedHolidays = [...holidays, finalInYear.dueOn];
    const correction = await recordCalendarYear(database.db, { arrangement: { year, holidays: correctedHolidays, makeUpWorkdays: [] }, note: 'test correction', actor: admin }, () => new Date());
    const correctionReason = { calendarYear: year, revision: correction.revision, loadedBy: { accountId: admin.accountId, displayName: admin.displayName } };
    await loan.signal(calendarLoadedSignal, correctionReason);
    const correctedSchedule = repaymentSchedule(await calendar(), 3_600_000, disbursedOn, 36);
    const moved = await eventually(async () => (await readStream(database.db, loanInput.caseId)).filter((e) => e.type === 'InstalmentDueDatesRecomputed')[1], 'a second InstalmentDueDatesRecomputed');
    expect(moved.data.changes).toEqual([
      { number: finalInYear.number, previous: { dueOn: finalInYear.dueOn, provisional: false }, current: { dueOn: correctedSchedule[finalInYear.number - 1]!.dueOn, provisional: false } },
    ]);
    expect(correctedSchedule[finalInYear.number - 1]!.dueOn > finalInYear.dueOn).toBe(true);
    const movedRow = await database.db.selectFrom('loan_instalments').select(['due_on', 'provisional']).where('case_id', '=', loanInput.caseId).where('number', '=', finalInYear.number).executeTakeFirstOrThrow();
    expect(movedRow).toEqual({ due_on: correctedSchedule[finalInYear.number - 1]!.dueOn, provisional: false });
    // The borrower is told which instalment moved, from which day to which (a move off a holiday reached them only on the schedule).
    const told = await database.db.selectFrom('notices').select(['kind', 'recipient_account_id', 'title', 'body']).where('event_id', '=', moved.eventId).execute();
    expect(told).toEqual([
      {
        kind: 'deadline-moved',
        recipient_account_id: loanInput.applicant.accountId,
        title: expect.stringMatching(/^还款应还日已变更：雏鹰计划借款申请/),
        body: expect.stringContaining(`第${finalInYear.number}期应还日由${chineseDate(finalInYear.dueOn)}改为${chineseDate(correctedSchedule[finalInYear.number - 1]!.dueOn)}`),
      },
    ]);
    await filing.terminate('test over');
    await loan.terminate('test over');
  });
});

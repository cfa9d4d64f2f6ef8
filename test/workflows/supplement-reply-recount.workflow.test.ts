/**
 * A 补正 asked when its 30 days reach a year whose holiday arrangement is not loaded: the case
 * records the reply's last day as 暂定; when an admin loads that year and the day turns out to be a
 * holiday, the case records the day counted again, its timer follows, and it is not withdrawn on
 * the day it was first given.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { addDays, endOfShanghaiDay, parseLocalDate, startOfShanghaiDay, yearOf } from '../../domain/time/local-date.js';
import { calendarFromDatabase, recordCalendarYear } from '../../db/calendar/calendar-store.js';
import { readStream } from '../../db/event-store.js';
import { calendarLoadedSignal } from '../../workflows/calendar.messages.js';
import { chuyingLoanStateQuery, requestSupplementUpdate, submissionRecordedUpdate } from '../../workflows/chuying-loan.messages.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { admin, fundReviewer, loanApplication } from '../support/actors.js';
import { useCaseWorker } from '../support/case-worker.js';
import { eventually } from '../support/filings.js';

const harness = useCaseWorker('supplement-recount', { calendar: calendarFromDatabase });

const sleepUntil = async (instant: number) => {
  const now = await harness.env.currentTimeMs();
  if (instant > now) await harness.env.sleep(instant - now);
};

describe('a 补正 reply day in a year not yet loaded', () => {
  it('is 暂定 until the year is loaded, then moves off the holiday the arrangement adds, and the case waits for the new day', async () => {
    // Thu 3 Dec 2026, 10:00 Shanghai (or now, if the clock is past it): 30 days reach 2027.
    await sleepUntil(startOfShanghaiDay(parseLocalDate('2026-12-03')) + 10 * 3600_000);
    const { env, database, taskQueue } = harness;
    const input = loanApplication({ requestedAmountFen: 3_600_000 });
    const loan = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    await loan.executeUpdate(submissionRecordedUpdate);
    await loan.executeUpdate(requestSupplementUpdate, { args: [{ actor: fundReviewer, requestId: randomUUID(), action: { type: 'RequestSupplement' as const, missingItems: ['财务报表'] } }] });
    const told = (await loan.query(chuyingLoanStateQuery)).supplement!;
    expect(told.replyPeriod).toMatchObject({ days: 30, provisional: true });
    const row = async () => database.db.selectFrom('cases').select(['status', 'next_deadline_at', 'state']).where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect((await row()).next_deadline_at!.getTime()).toBe(endOfShanghaiDay(told.replyDueOn));

    // The arrangement published for that year makes the provisional last day a holiday (with the fixed-date ones any real one has).
    const year = yearOf(told.replyDueOn);
    const holidays = [...new Set([...fixedDateHolidaysOf(year), told.replyDueOn])];
    const { revision } = await recordCalendarYear(database.db, { arrangement: { year, holidays, makeUpWorkdays: [] }, note: 'test', actor: admin }, () => new Date());
    const reason = { calendarYear: year, revision, loadedBy: { accountId: admin.accountId, displayName: admin.displayName } };
    await loan.signal(calendarLoadedSignal, reason);

    const merged = await calendarFromDatabase(database.db)();
    let expected = addDays(told.replyDueOn, 1);
    while (!merged.isWorkingDay(expected)) expected = addDays(expected, 1);
    const recounted = await eventually(async () => (await readStream(database.db, input.caseId)).find((e) => e.type === 'SupplementReplyRecomputed'), 'SupplementReplyRecomputed');
    expect(recounted.data).toMatchObject({ previous: { replyDueOn: told.replyDueOn, provisional: true }, current: { replyDueOn: expected, provisional: false }, reason });
    expect((await loan.query(chuyingLoanStateQuery)).supplement).toMatchObject({ replyDueOn: expected, replyPeriod: { provisional: false } });
    const moved = await row();
    expect(moved.next_deadline_at!.getTime()).toBe(endOfShanghaiDay(expected));
    expect((moved.state as { supplement: { replyDueOn: string } }).supplement.replyDueOn).toBe(expected);

    // Past the end of the day first given: still waiting for the applicant.
    await sleepUntil(endOfShanghaiDay(told.replyDueOn) + 3600_000);
    expect((await loan.query(chuyingLoanStateQuery)).status).toBe('awaiting-supplement');
    // Past the end of the day that holds: withdrawn, as the 补正 said.
    await sleepUntil(endOfShanghaiDay(expected) + 3600_000);
    const withdrawn = await eventually(async () => (await readStream(database.db, input.caseId)).find((e) => e.type === 'ApplicationWithdrawn'), 'ApplicationWithdrawn');
    expect(Date.parse(withdrawn.data.withdrawnAt as string)).toBeGreaterThanOrEqual(endOfShanghaiDay(expected));
    expect(withdrawn.data).toMatchObject({ reason: 'supplement-not-provided' });
  });
});

/**
 * An award in a call put on 公示 near the end of the year: its last day falls in a year whose
 * holiday arrangement is not loaded, so it is 暂定. When an administrator loads that year and the
 * day turns out to be a holiday, the case records the 公示 counted again, and the applicant and the
 * department running the call are told the old and new last day (before, nobody was).
 */
import { describe, expect, it } from 'vitest';
import { calendarFromDatabase, recordCalendarYear } from '../../db/calendar/calendar-store.js';
import { readStream } from '../../db/event-store.js';
import { publicityWindow } from '../../domain/publicity/window.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { chineseDate, parseLocalDate, startOfShanghaiDay, yearOf } from '../../domain/time/local-date.js';
import { calendarLoadedSignal } from '../../workflows/calendar.messages.js';
import { admin } from '../support/actors.js';
import { useCaseWorker } from '../support/case-worker.js';
import { approvedCarrierApplication, openHuangpuCarrierCall } from '../support/huangpu-carrier-call.js';
import { eventually } from '../support/filings.js';
import { applicationStateOf as stateOf, sleepUntil } from '../support/workflow-updates.js';

const harness = useCaseWorker('publicity-recount', { calendar: calendarFromDatabase });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;


describe('an award on 公示 whose last day is 暂定 when its year is loaded', () => {
  it('records the 公示 counted again and tells the applicant and the department the old and new last day, and why', async () => {
    // Wed 30 Dec 2026, 10:00 Shanghai (or now, if the clock is past it): 5 working days reach 2027.
    await sleepUntil(harness.env, startOfShanghaiDay(parseLocalDate('2026-12-30')) + 10 * HOUR);
    const { env, database, taskQueue } = harness;

    // A first-come call of the 黄浦 department, its budget approved by a second official, and an award in it on 公示.
    const { call } = await openHuangpuCarrierCall(env, taskQueue, { title: '2026 年黄浦载体扶持（年末批次）', budgetFen: 20_000_000, openForMs: 30 * DAY });
    const { handle, input } = await approvedCarrierApplication(env, taskQueue, '上海外滩载体运营有限公司');
    const before = (await stateOf(handle)).publicity!.window!;
    expect(before).toMatchObject({ publishedOn: '2026-12-30', provisional: true });

    // The arrangement published for that year makes the 暂定 last day a holiday (with the fixed-date ones any real one has).
    const year = yearOf(before.lastWorkingDay);
    const holidays = [...new Set([...fixedDateHolidaysOf(year), before.lastWorkingDay])];
    const { revision } = await recordCalendarYear(database.db, { arrangement: { year, holidays, makeUpWorkdays: [] }, note: 'test', actor: admin }, () => new Date());
    const reason = { calendarYear: year, revision, loadedBy: { accountId: admin.accountId, displayName: admin.displayName } };
    await handle.signal(calendarLoadedSignal, reason);

    const expected = publicityWindow(await calendarFromDatabase(database.db)(), before.publishedOn, before.workingDays);
    expect(expected.lastWorkingDay > before.lastWorkingDay).toBe(true);
    const recounted = await eventually(async () => (await readStream(database.db, input.caseId)).find((e) => e.type === 'PublicityWindowRecomputed'), 'PublicityWindowRecomputed');
    expect(recounted.data).toMatchObject({ previous: before, current: { lastWorkingDay: expected.lastWorkingDay, provisional: false }, reason });

    // Whose 公示, the old and new last day and why: to the applicant, and to the department that takes the objections.
    const told = await database.db
      .selectFrom('notices')
      .select(['kind', 'recipient_account_id', 'recipient_department', 'title', 'body'])
      .where('event_id', '=', recounted.eventId)
      .orderBy('recipient_department', 'desc')
      .execute();
    const moved = `公示截止日由${chineseDate(before.lastWorkingDay)}改为${chineseDate(expected.lastWorkingDay)}。`;
    const name = `黄浦内容创作特色载体运营方扶持申请（${input.referenceNo}）`;
    expect(told).toEqual([
      { kind: 'deadline-moved', recipient_account_id: input.applicant.accountId, recipient_department: null, title: `公示截止日已变更：${name}`, body: expect.stringContaining(`${year} 年节假日安排公布后重新计算，您的${name}的${moved}`) },
      { kind: 'deadline-moved', recipient_account_id: null, recipient_department: 'huangpu', title: `公示截止日已变更：${name}`, body: expect.stringContaining(`${year} 年节假日安排公布后重新计算，${name}的${moved}`) },
    ]);

    await handle.terminate('test over');
    await call.terminate('test over');
  }, 120_000);
});

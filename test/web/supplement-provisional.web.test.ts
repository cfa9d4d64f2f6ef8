import { describe, expect, it } from 'vitest';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { addDays, parseLocalDate, startOfShanghaiDay, yearOf, type LocalDate } from '../../domain/time/local-date.js';
import { validApplication } from '../support/api-harness.js';
import { loadCalendarYear } from '../support/calendar.js';
import { dateInWords } from '../../web/src/format.js';
import { browserSuite, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * A 补正 whose 30 days reach a year whose holiday arrangement is not published: the applicant on a
 * phone is told the day is 暂定 (countdown, note, form, timeline, notice); once an admin loads the year
 * with that day a holiday, the page shows the next working day, final, and says why it moved.
 */
const suite = browserSuite();

describe('a 补正 reply day in a year not yet loaded, in the browser', () => {
  it('is 暂定 on the applicant’s phone until the year is loaded, then the moved day is shown as final', async () => {
    screenshotOnFailure(() => suite.pages(), 'supplement-provisional');
    const shot = stepShots('supplement-provisional');
    // Thu 3 Dec 2026, 10:00 Shanghai (or now, if the clock is past it): 30 days reach 2027.
    const target = startOfShanghaiDay(parseLocalDate('2026-12-03')) + 10 * 3600_000;
    const now = await suite.harness.env.currentTimeMs();
    if (target > now) await suite.harness.env.sleep(target - now);

    const opened = await (await suite.harness.as('creator'))('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();
    const asked = await (await suite.harness.as('fund-reviewer'))('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本'] });
    expect(asked.statusCode, asked.body).toBe(200);
    const told = asked.json().case.deadline as { dueOn: LocalDate; provisional: boolean };
    expect(told.provisional).toBe(true);

    const phone = await suite.signedIn('creator', { phone: true });
    // 我的办件: the line counts the days down, 暂定.
    await phone.goto(`${suite.base}#/cases`);
    const line = phone.locator(`tr[data-reference="${referenceNo}"]`);
    await expect.poll(async () => line.locator('.countdown-text').innerText()).toMatch(/^剩余 \d+ 天（暂定）$/);
    await shot(phone, 'my-cases-provisional');
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    await expect.poll(async () => phone.locator('.countdown-text').innerText()).toMatch(/^剩余 \d+ 天（暂定）$/);
    expect(await phone.locator('#main').innerText()).toContain('暂定：所在年度的国务院节假日安排尚未公布，暂按周末和元旦、劳动节、国庆节计算，公布后重新确定。');
    // Above the answers: the day, and that it may move later but not earlier.
    expect(await phone.locator('#main').innerText()).toContain(`于${dateInWords(told.dueOn)}（含）前提交；逾期未提交视为撤回申请。该日期为暂定：所在年度的节假日安排公布后重新确定，不会提前。`);
    // The timeline's request says the same.
    expect(await phone.locator('#main').innerText()).toContain('（暂定：该年度节假日安排公布后重新确定，不会提前）');
    await fitsTheScreen(phone);
    await shot(phone, 'reply-day-provisional');

    // The arrangement of that year is published with the provisional day a holiday.
    const year = yearOf(told.dueOn);
    const holidays = [...new Set([...fixedDateHolidaysOf(year), told.dueOn])].sort();
    const loaded = await loadCalendarYear(suite.harness, year, { holidays, makeUpWorkdays: [], note: '测试用（非官方）' });
    expect(loaded.statusCode, loaded.body).toBe(200);
    expect(loaded.json().recomputation.loans).toBeGreaterThanOrEqual(1);
    const calendar = await calendarFromDatabase(suite.harness.database.db)();
    let moved = addDays(told.dueOn, 1);
    while (!calendar.isWorkingDay(moved)) moved = addDays(moved, 1);

    await expect
      .poll(async () => (await (await suite.harness.as('creator'))('GET', `/api/cases/${caseId}`)).json().deadline)
      .toMatchObject({ dueOn: moved, provisional: false });
    await phone.reload();
    await expect.poll(async () => phone.locator('.countdown-text').innerText()).toMatch(/^剩余 \d+ 天$/);
    const page = await phone.locator('#main').innerText();
    expect(page).not.toContain('暂定：所在年度');
    expect(page).toContain(`于${dateInWords(moved)}（含）前提交；逾期未提交视为撤回申请。`);
    expect(page).not.toContain('该日期为暂定');
    expect(page).toContain('按节假日安排重新确定补正期限');
    expect(page).toContain(`补正期限由 ${dateInWords(told.dueOn)} 改为 ${dateInWords(moved)}，已确定`);
    await shot(phone, 'reply-day-final');

    await phone.goto(`${suite.base}#/cases`);
    await expect.poll(async () => line.locator('.countdown-text').innerText()).toMatch(/^剩余 \d+ 天$/);

    // And the inbox says so.
    await phone.goto(`${suite.base}#/inbox`);
    const notice = phone.locator('li.card').filter({ hasText: '补正期限已确定' });
    await expect.poll(async () => notice.first().innerText()).toContain(`由${dateInWords(told.dueOn)}改为${dateInWords(moved)}`);
    await shot(phone, 'reply-day-notice');
  });
});

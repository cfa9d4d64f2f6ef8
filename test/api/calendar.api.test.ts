import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLocalDate, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { readStream } from '../../db/event-store.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission, eventually } from '../support/filings.js';
import { loadCalendarYear, TEST_NOTICE } from '../support/calendar.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';

let harness: ApiHarness;
let admin: ApiCaller;
let creator: ApiCaller;
let filingReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  admin = await harness.as('admin');
  creator = await harness.as('creator');
  filingReviewer = await harness.as('filing-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

const get = (url: string) => harness.app.inject({ method: 'GET', url });
const deadline = async (submittedAt: string, workingDays: number | string) => {
  const response = await get(`/api/calendar/deadline?submittedAt=${encodeURIComponent(submittedAt)}&workingDays=${workingDays}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
/** Proposes a year's arrangement (citing a notice unless the body names its own). */
const put = (caller: ApiCaller, year: number | string, body: object) => caller('PUT', `/api/calendar/${year}`, { source: TEST_NOTICE, ...body });
/** Puts a year's arrangement in force: proposed by one administrator, approved by another. */
const load = (year: number, body: { holidays: string[]; makeUpWorkdays: string[]; note?: string; expectedRevision?: number }) => loadCalendarYear(harness, year, body);
/** 元旦, 劳动节 and 国庆节 of 2027: fixed by date in law, so every arrangement loaded for 2027 holds them. */
const STATUTORY_2027: string[] = fixedDateHolidaysOf(2027);
/** The signals a case's workflow has received, and whether it has done all it had to with them (no task or activity pending). */
const workflowOf = (caseId: string) => harness.env.client.workflow.getHandle(caseWorkflowId(caseId));
const signalsOf = async (caseId: string) => ((await workflowOf(caseId).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
const settled = async (caseId: string) => {
  const { raw } = await workflowOf(caseId).describe();
  return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask;
};
/**
 * Call before a load: the returned wait ends once the case has received a signal more and done all
 * it had to with it. A load's answer says the cases were signalled, not that they counted again: a
 * case counts on the calendar as it is when its look-up runs, so a correction saved before the case
 * looked up an earlier load would be counted under the earlier load's revision.
 */
const handled = async (caseId: string) => {
  const signalsBefore = await signalsOf(caseId);
  return async () => eventually(async () => ((await signalsOf(caseId)) > signalsBefore && (await settled(caseId))) || undefined, `case ${caseId} handled the load`);
};

describe('GET /api/calendar/deadline (public): the 2026 holidays and their make-up days', () => {
  it.each([
    // [submittedAt, working days, last working day, deadline, why]
    ['2026-09-30T02:00:00Z', 2, '2026-10-09', '2026-10-10T00:00:00+08:00', 'DOMAIN example: National Day 1–7 Oct off, then Thu 8, Fri 9'],
    ['2026-09-30T02:00:00Z', 5, '2026-10-13', '2026-10-14T00:00:00+08:00', '8, 9, Sat 10 Oct (调休), 12, 13'],
    ['2026-10-03T03:00:00Z', 1, '2026-10-08', '2026-10-09T00:00:00+08:00', 'submitted on a holiday: the first working day after it'],
    ['2026-10-09T15:59:59Z', 2, '2026-10-12', '2026-10-13T00:00:00+08:00', 'still Fri 9 Oct in Shanghai: Sat 10 (调休), Mon 12'],
    ['2026-10-09T16:30:00Z', 2, '2026-10-13', '2026-10-14T00:00:00+08:00', 'the time-zone edge: Sat 10 Oct in Shanghai, a working day that does not count itself'],
    ['2026-10-10T00:30:00+08:00', 2, '2026-10-13', '2026-10-14T00:00:00+08:00', 'the same instant written in Shanghai time'],
    ['2026-02-13T02:00:00Z', 2, '2026-02-24', '2026-02-25T00:00:00+08:00', 'Spring Festival: Sat 14 Feb (调休), then 15–23 Feb off'],
    ['2026-02-12T10:00:00+08:00', 5, '2026-02-26', '2026-02-27T00:00:00+08:00', '13, Sat 14 (调休), 24, 25, 26'],
    ['2026-02-22T10:00:00+08:00', 5, '2026-02-28', '2026-03-01T00:00:00+08:00', 'during the festival: 24, 25, 26, 27, Sat 28 Feb (调休)'],
    ['2026-09-18T10:00:00+08:00', 1, '2026-09-20', '2026-09-21T00:00:00+08:00', 'Fri 18 Sep + 1 = Sun 20 Sep (调休)'],
  ])('%s + %i working days → %s (%s)', async (submittedAt, workingDays, lastWorkingDay, end) => {
    expect(await deadline(submittedAt, workingDays)).toEqual({ lastWorkingDay, deadline: end, provisional: false });
  });

  it('reads an unencoded + in the offset (a space in a query string) as +', async () => {
    const response = await get('/api/calendar/deadline?submittedAt=2026-10-10T00:30:00+08:00&workingDays=2');
    expect(response.json()).toEqual({ lastWorkingDay: '2026-10-13', deadline: '2026-10-14T00:00:00+08:00', provisional: false });
  });

  it('a count that reaches 2027 (no arrangement loaded yet) is provisional', async () => {
    // Wed 30 Dec + 5: Thu 31 Dec, (Fri 1 Jan 元旦), Mon 4, Tue 5, Wed 6, Thu 7.
    expect(await deadline('2026-12-30T02:00:00Z', 5)).toEqual({ lastWorkingDay: '2027-01-07', deadline: '2027-01-08T00:00:00+08:00', provisional: true });
  });

  it('answers 400 with a clear message for a bad instant or a count out of range', async () => {
    const cases: [string, string][] = [
      ['submittedAt=2026-10-09T16:30:00&workingDays=2', '不是带时区的时间'],
      ['submittedAt=2026-02-30T10:00:00Z&workingDays=2', '日期 2026-02-30 不存在'],
      ['submittedAt=2026-10-09T25:00:00Z&workingDays=2', '时间或时区不存在'],
      ['submittedAt=1989-10-09T10:00:00Z&workingDays=2', '提交时间应在 1990 至 2199 年之间'],
      ['submittedAt=yesterday&workingDays=2', '不是带时区的时间'],
      ['submittedAt=2026-10-09T16:30:00Z&workingDays=0', '应为 1 至 30 个工作日'],
      ['submittedAt=2026-10-09T16:30:00Z&workingDays=31', '应为 1 至 30 个工作日'],
      ['submittedAt=2026-10-09T16:30:00Z&workingDays=1.5', '应为 1 至 30 个工作日'],
      ['workingDays=2', '提交时间：必须填写'],
      ['submittedAt=2026-10-09T16:30:00Z&workingDays=2&extra=1', '不认识的字段「extra」'],
    ];
    for (const [query, message] of cases) {
      const response = await get(`/api/calendar/deadline?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().message, query).toContain(message);
    }
  });
});

describe('GET /api/calendar/<year> (public)', () => {
  it('2026 is official, from the packaged State Council data', async () => {
    const year = (await get('/api/calendar/2026')).json();
    expect(year).toMatchObject({ year: 2026, official: true, provisional: false, source: 'chinese-days', workingDayCount: 248, loaded: null });
    expect(year.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(year.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07', '2026-02-16', '2026-02-23']));
    expect(year.nonWorkingDays).toHaveLength(365 - 248);
  });

  it('a year with no arrangement is provisional (weekends and the fixed-date holidays)', async () => {
    const year = (await get('/api/calendar/2028')).json();
    expect(year).toMatchObject({ year: 2028, official: false, provisional: true, source: 'none', holidays: [], makeUpWorkdays: [] });
    expect(year.nonWorkingDays).toContain('2028-01-01'); // a Saturday
    expect(year.nonWorkingDays).toContain('2028-10-02'); // a Monday, 国庆节: fixed by law
    expect(year.nonWorkingDays).not.toContain('2028-10-04'); // a Wednesday: only the arrangement can add it
  });

  it('refuses a path that is not a year', async () => {
    expect((await get('/api/calendar/twenty')).statusCode).toBe(400);
    expect((await get('/api/calendar/1800')).json().message).toContain('年份应在 1990 至 2200 之间');
  });
});

describe('PUT /api/calendar/<year>: an admin loads a year; open provisional deadlines are recomputed', () => {
  // A made-up 2027 arrangement (the real one is published late in 2026): New Year 1–3 Jan off.
  // Like any real one it holds the days the law fixes by date (May Day, National Day), or it is refused.
  const arrangement = { holidays: ['2027-01-01', '2027-01-02', '2027-01-03', ...STATUTORY_2027.slice(1)], makeUpWorkdays: [], note: '测试用（非官方）' };
  /** The open cases the first load counted again: the corrections below count them once more. */
  let counted: { filing: string; application: string; call: string; loan: string };

  it('is for admins only; admins do not act on cases', async () => {
    expect((await harness.app.inject({ method: 'PUT', url: '/api/calendar/2027', payload: arrangement })).statusCode).toBe(401);
    for (const caller of [creator, filingReviewer]) {
      const refused = await put(caller, 2027, arrangement);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toContain('只有管理员可以办理此项');
    }
    expect((await put(auditor, 2027, arrangement)).statusCode).toBe(403);
    expect((await admin('POST', '/api/cases/drama-planning-filing', dramaSubmission())).statusCode).toBe(403);
  });

  it('refuses a year gone by: its deadlines have all passed', async () => {
    const past = new Date().getUTCFullYear() - 2;
    const refused = await put(admin, past, { holidays: [`${past}-01-01`], makeUpWorkdays: [] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'calendar-year-past', message: expect.stringContaining(`${past} 年已经过去`) });
    expect((await get(`/api/calendar/${past}`)).json().loaded).toBeNull();
  });

  it('refuses an arrangement with a message per bad entry, and records nothing', async () => {
    const refused = await put(admin, 2027, { holidays: ['2027-02-30', '2026-10-01', ...STATUTORY_2027], makeUpWorkdays: ['2027-01-04'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'calendar-arrangement-invalid', message: expect.stringMatching(/^2027 年的放假安排有 3 处需要修改/) });
    expect(refused.json().issues).toEqual([
      { field: 'holidays.0', message: '“2027-02-30”不是真实存在的日期（写作“年-月-日”，如 2027-01-01）', code: 'not-a-date' },
      { field: 'holidays.1', message: '2026年10月1日不在 2027 年', code: 'other-year' },
      { field: 'makeUpWorkdays.0', message: '2027年1月4日是星期一：调休上班日只能是星期六或星期日', code: 'make-up-day-on-weekday' },
    ]);
    const english = await admin('PUT', '/api/calendar/2027', { holidays: ['2026-10-01', ...STATUTORY_2027], makeUpWorkdays: [], source: TEST_NOTICE }, { 'accept-language': 'en' });
    expect(english.json()).toMatchObject({ code: 'calendar-arrangement-invalid', issues: [{ field: 'holidays.0', message: '2026-10-01 is not in 2027' }] });
    expect((await get('/api/calendar/2027')).json().official).toBe(false);
  });

  it('loads 2027, records who loaded it, and the open filing whose deadline reached 2027 records the recomputed deadline', async () => {
    // The case clock: Wed 30 Dec 2026, 10:00 Shanghai, where a 5-working-day review reaches 2027.
    const target = startOfShanghaiDay(parseLocalDate('2026-12-30')) + 10 * 3600_000;
    const now = await harness.env.currentTimeMs();
    if (target > now) await harness.env.sleep(target - now);
    const opened = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission());
    expect(opened.statusCode, opened.body).toBe(201);
    const filing = opened.json();
    expect(filing.deadline).toMatchObject({ kind: 'filing-review', provisional: true });
    // An application opened the same day: its 5-working-day completeness window reaches 2027 too.
    const application = await creator('POST', '/api/applications/hu9-starlight', { title: '星光计划自荐', summary: '自荐作品', facts: { applicantKind: 'company' } });
    expect(application.statusCode, application.body).toBe(201);

    // And a call opened that day: its budget's 5 working days for a second official reach 2027.
    const officeCaller = await harness.as('huangpu-reviewer');
    const call = await officeCaller('POST', '/api/cases/call', { programmeId: 'huangpu-carrier-operator', title: '2027 年度黄浦特色载体评选', opensAt: '2027-01-04T09:00', closesAt: '2027-03-31T17:00', budgetFen: 50_000_000, mode: 'first-come' });
    expect(call.statusCode, call.body).toBe(201);
    const callView = (await officeCaller('GET', `/api/cases/${call.json().caseId}`)).json();
    expect(callView.timeLimit).toMatchObject({ step: 'draft', workingDays: 5, startedOn: '2026-12-30', provisional: true });

    // And a loan whose 补正 is asked that day: its 30 days reach Fri 29 Jan 2027, a day the year's arrangement may still make a holiday.
    const loan = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(loan.statusCode, loan.body).toBe(201);
    const loanId = loan.json().caseId as string;
    const asked = await (await harness.as('fund-reviewer'))('POST', `/api/cases/${loanId}/request-supplement`, { missingItems: ['营业执照副本'] });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().case.deadline).toMatchObject({ kind: 'supplement-reply', dueOn: '2027-01-29', provisional: true });
    // The applicant's list counts it down in days, 暂定; so does the fund's view of its department's cases.
    const fundReviewer = await harness.as('fund-reviewer');
    const listed = async (caller: ApiCaller, url: string) => ((await caller('GET', url)).json().cases as { caseId: string; countdown: { counting: string; provisional: boolean } }[]).find((c) => c.caseId === loanId)!.countdown;
    expect(await listed(creator, '/api/worklist')).toMatchObject({ counting: 'calendar-days', provisional: true });
    expect(await listed(fundReviewer, '/api/worklist?view=all')).toMatchObject({ counting: 'calendar-days', provisional: true });

    const loaded = await load(2027, arrangement);
    expect(loaded.statusCode, loaded.body).toBe(200);
    expect(loaded.json()).toMatchObject({
      year: 2027,
      official: true,
      source: 'loaded',
      holidays: arrangement.holidays,
      loaded: { revision: 1, by: { displayName: '系统管理员' }, approvedBy: { displayName: '安全管理员' }, noticeSource: TEST_NOTICE, note: '测试用（非官方）' },
      recomputation: { filings: 1, loans: 1, applications: 1, others: 1 },
    });
    // The public answer is now final: 31 Dec, Mon 4, Tue 5, Wed 6, Thu 7 Jan.
    expect(await deadline('2026-12-30T02:00:00Z', 5)).toEqual({ lastWorkingDay: '2027-01-07', deadline: '2027-01-08T00:00:00+08:00', provisional: false });

    const recomputed = await eventually(async () => {
      const events = (await creator('GET', `/api/cases/${filing.caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      return events.find((e) => e.type === 'DeadlineRecomputed');
    }, 'the recomputed deadline');
    expect(recomputed.data).toMatchObject({ previous: { provisional: true, lastWorkingDay: filing.deadline.dueOn }, current: { provisional: false }, reason: { calendarYear: 2027, revision: 1 } });
    const view = (await creator('GET', `/api/cases/${filing.caseId}`)).json();
    expect(view.deadline.provisional).toBe(false);
    const publicAnswer = await deadline(view.rounds[0].submittedAt, 5);
    expect(view.deadline).toMatchObject({ dueOn: publicAnswer.lastWorkingDay, at: publicAnswer.deadline });

    const windowRecomputed = await eventually(async () => {
      const events = (await creator('GET', `/api/cases/${application.json().caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      return events.find((e) => e.type === 'CompletenessWindowRecomputed');
    }, 'the recomputed completeness window');
    expect(windowRecomputed.data).toMatchObject({ previous: { provisional: true }, current: { provisional: false }, reason: { calendarYear: 2027, revision: 1 } });

    const limitRecomputed = await eventually(async () => {
      const events = (await officeCaller('GET', `/api/cases/${call.json().caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      return events.find((e) => e.type === 'TimeLimitRecomputed');
    }, "the call's recomputed budget-approval limit");
    expect(limitRecomputed.data).toMatchObject({ step: 'draft', previous: { provisional: true }, current: { provisional: false }, reason: { calendarYear: 2027, revision: 1 } });
    expect((await officeCaller('GET', `/api/cases/${call.json().caseId}`)).json().timeLimit).toMatchObject({ provisional: false });

    // The loan's reply day stays Fri 29 Jan, now final, and the applicant is told so.
    const replyRecomputed = await eventually(async () => {
      const events = (await creator('GET', `/api/cases/${loanId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      return events.find((e) => e.type === 'SupplementReplyRecomputed');
    }, 'the recounted 补正 reply period');
    expect(replyRecomputed.data).toMatchObject({ previous: { replyDueOn: '2027-01-29', provisional: true }, current: { replyDueOn: '2027-01-29', provisional: false }, reason: { calendarYear: 2027, revision: 1 } });
    expect((await creator('GET', `/api/cases/${loanId}`)).json().deadline).toMatchObject({ kind: 'supplement-reply', dueOn: '2027-01-29', provisional: false });
    expect(await listed(creator, '/api/worklist')).toMatchObject({ counting: 'calendar-days', provisional: false });
    const told = await eventually(async () => {
      const notices = (await creator('GET', '/api/inbox')).json().notices as { caseId: string; title: string; body: string }[];
      return notices.find((n) => n.caseId === loanId && n.title.startsWith('补正期限已确定'));
    }, 'the notice of the final reply day');
    expect(told.body).toContain('确定为2027年1月29日');

    counted = { filing: filing.caseId, application: application.json().caseId, call: call.json().caseId, loan: loanId };

    // The load itself is on record, with who proposed it, who approved it and what it replaced.
    const events = await readStream(harness.database.db, 'calendar-2027');
    expect(events.map((e) => [e.type, e.metadata.actor.accountId])).toEqual([
      ['CalendarChangeProposed', 'demo-admin'],
      ['CalendarChangeApproved', 'demo-second-admin'],
      ['CalendarYearLoaded', 'demo-second-admin'],
    ]);
    expect(events[2]!.data).toMatchObject({ previous: null, loadedBy: { accountId: 'demo-admin' }, approvedBy: { accountId: 'demo-second-admin' }, source: TEST_NOTICE, revision: 1 });
  });

  it('an override with a stale revision is refused; with the current one it becomes revision 2', async () => {
    const stale = await put(admin, 2027, { ...arrangement, expectedRevision: 0 });
    expect(stale.statusCode).toBe(409);
    // Said in words, not the store's (an outside tester was shown “stream calendar-2027 is at version 1…”).
    expect(stale.json().message).toBe('2027 年的放假安排已被修改（现为第 1 版，您看到的是第 0 版）：请刷新页面，核对最新的安排后再保存');
    const waits = await Promise.all(Object.values(counted).map(handled));
    const override = await load(2027, { holidays: STATUTORY_2027, makeUpWorkdays: [], expectedRevision: 1 });
    expect(override.statusCode, override.body).toBe(200);
    expect(override.json()).toMatchObject({ holidays: STATUTORY_2027, loaded: { revision: 2 }, recomputation: { filings: 1, loans: 1, applications: 1, others: 1 } });
    // Each case has counted again on revision 2 (nothing moved) before the next test corrects the year.
    for (const wait of waits) await wait();
    const loads = (await readStream(harness.database.db, 'calendar-2027')).filter((e) => e.type === 'CalendarYearLoaded');
    expect(loads[1]!.data.previous).toEqual({ source: 'loaded', holidays: arrangement.holidays, makeUpWorkdays: [] });
  });

  it('a correction of the loaded year counts again what was counted through it: final days move later, never earlier', async () => {
    const eventsOf = async (caller: ApiCaller, caseId: string, type: string) =>
      ((await caller('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type === type);
    const officeCaller = await harness.as('huangpu-reviewer');
    // Each case's deadline is final at Thu 7 Jan 2027 (the loan's reply day at Fri 29 Jan), counted on revision 2.
    expect((await creator('GET', `/api/cases/${counted.filing}`)).json().deadline).toMatchObject({ dueOn: '2027-01-07', provisional: false });

    // Revision 3: the office finds it left out two days off, 7 and 29 Jan.
    const corrected = await load(2027, { holidays: [...STATUTORY_2027, '2027-01-07', '2027-01-29'], makeUpWorkdays: [], note: '更正：补录两天假日', expectedRevision: 2 });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().recomputation).toMatchObject({ filings: 1, loans: 1, applications: 1, others: 1 });
    const revision3 = { calendarYear: 2027, revision: 3 };
    const moved = async (caller: ApiCaller, caseId: string, type: string) =>
      eventually(async () => (await eventsOf(caller, caseId, type)).find((e) => (e.data.reason as { revision: number }).revision === 3), `${type} on revision 3`);

    const filingMoved = await moved(creator, counted.filing, 'DeadlineRecomputed');
    expect(filingMoved.data).toMatchObject({ previous: { lastWorkingDay: '2027-01-07', provisional: false }, current: { lastWorkingDay: '2027-01-08', provisional: false }, reason: revision3 });
    expect((await creator('GET', `/api/cases/${counted.filing}`)).json().deadline).toMatchObject({ dueOn: '2027-01-08', provisional: false });
    const windowMoved = await moved(creator, counted.application, 'CompletenessWindowRecomputed');
    expect(windowMoved.data).toMatchObject({ previous: { lastWorkingDay: '2027-01-07' }, current: { lastWorkingDay: '2027-01-08', provisional: false } });
    const limitMoved = await moved(officeCaller, counted.call, 'TimeLimitRecomputed');
    expect(limitMoved.data).toMatchObject({ step: 'draft', previous: { lastWorkingDay: '2027-01-07' }, current: { lastWorkingDay: '2027-01-08' } });
    const replyMoved = await moved(creator, counted.loan, 'SupplementReplyRecomputed');
    expect(replyMoved.data).toMatchObject({ previous: { replyDueOn: '2027-01-29', provisional: false }, current: { replyDueOn: '2027-02-01', provisional: false } });
    expect((await creator('GET', `/api/cases/${counted.loan}`)).json().deadline).toMatchObject({ kind: 'supplement-reply', dueOn: '2027-02-01', provisional: false });
    const told = await eventually(async () => {
      const notices = (await creator('GET', '/api/inbox')).json().notices as { caseId: string; title: string; body: string }[];
      return notices.find((n) => n.caseId === counted.loan && n.title.startsWith('补正期限已更改'));
    }, 'the notice of the moved reply day');
    expect(told.body).toContain('节假日安排更正后');
    expect(told.body).toContain('由2027年1月29日改为2027年2月1日');

    // Revision 4 takes 7 Jan back off the list: the days already moved stay where they were promised.
    const waits = await Promise.all(Object.values(counted).map(handled));
    const back = await load(2027, { holidays: [...STATUTORY_2027, '2027-01-29'], makeUpWorkdays: [], expectedRevision: 3 });
    expect(back.statusCode, back.body).toBe(200);
    for (const wait of waits) await wait();
    for (const [caller, caseId, type] of [
      [creator, counted.filing, 'DeadlineRecomputed'],
      [creator, counted.application, 'CompletenessWindowRecomputed'],
      [officeCaller, counted.call, 'TimeLimitRecomputed'],
    ] as const) {
      expect((await eventsOf(caller, caseId, type)).map((e) => (e.data.reason as { revision: number }).revision)).toEqual([1, 3]);
    }
    expect((await creator('GET', `/api/cases/${counted.filing}`)).json().deadline).toMatchObject({ dueOn: '2027-01-08', provisional: false });
  });

  it('one administrator alone changes no deadline: the proposal waits, its proposer cannot approve it, a second administrator does, and then deadlines move', async () => {
    const secondAdmin = await harness.as('second-admin');
    const eventsOf = async (caseId: string) => (await creator('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: { reason?: { revision: number } } }[];
    const before = (await get('/api/calendar/2027')).json();
    expect(before.loaded).toMatchObject({ revision: 4 });
    // Two more days off in the first week of January: the filing due Fri 8 Jan would be due Mon 11 Jan.
    const holidays = [...before.holidays, '2027-01-04', '2027-01-05'].sort();

    // A proposal cites the State Council's notice, at its field.
    const uncited = await admin('PUT', '/api/calendar/2027', { holidays, makeUpWorkdays: [], note: '补录两天' });
    expect(uncited.statusCode).toBe(400);
    expect(uncited.json().issues).toEqual([expect.objectContaining({ field: 'source', message: expect.stringMatching(/[\u4e00-\u9fff]/) })]);

    const proposed = await admin('PUT', '/api/calendar/2027', { holidays, makeUpWorkdays: [], note: '补录两天', source: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号）', expectedRevision: 4 });
    expect(proposed.statusCode, proposed.body).toBe(202);
    const proposal = proposed.json().proposal;
    expect(proposal).toMatchObject({
      year: 2027,
      status: 'pending',
      baseRevision: 4,
      proposedBy: { accountId: 'demo-admin' },
      source: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号）',
      changes: { holidaysAdded: ['2027-01-04', '2027-01-05'], holidaysRemoved: [], makeUpWorkdaysAdded: [], makeUpWorkdaysRemoved: [] },
      impact: { recount: { filings: 1 }, movingFilingDeadlines: [{ caseId: counted.filing, from: '2027-01-08', to: '2027-01-11' }] },
    });

    // Nothing has changed: the year, the filing's deadline, and no case was told to count again.
    const signalsBefore = await signalsOf(counted.filing);
    expect((await get('/api/calendar/2027')).json()).toMatchObject({ holidays: before.holidays, loaded: { revision: 4 } });
    expect((await creator('GET', `/api/cases/${counted.filing}`)).json().deadline).toMatchObject({ dueOn: '2027-01-08' });
    expect(await signalsOf(counted.filing)).toBe(signalsBefore);

    // The proposer cannot approve it, nor put another one beside it.
    const own = await admin('POST', `/api/calendar/2027/proposals/${proposal.proposalId}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'four-eyes', message: expect.stringContaining('提出的管理员不能自己批准') });
    const another = await put(admin, 2027, { holidays: before.holidays, makeUpWorkdays: [] });
    expect(another.statusCode).toBe(409);
    expect(another.json()).toMatchObject({ code: 'calendar-proposal-pending', message: expect.stringContaining('等待批准') });

    // The second administrator reads exactly what it changes, and approves it.
    const waiting = (await secondAdmin('GET', '/api/calendar/proposals')).json().proposals;
    expect(waiting).toEqual([expect.objectContaining({ proposalId: proposal.proposalId, changes: proposal.changes, impact: proposal.impact })]);
    const approved = await secondAdmin('POST', `/api/calendar/2027/proposals/${proposal.proposalId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      holidays,
      loaded: { revision: 5, by: { displayName: '系统管理员' }, approvedBy: { displayName: '安全管理员' } },
      recomputation: { filings: 1 },
      proposal: { status: 'approved', decidedBy: { accountId: 'demo-second-admin' }, impact: null },
    });
    const movedOn5 = await eventually(async () => (await eventsOf(counted.filing)).find((e) => e.type === 'DeadlineRecomputed' && e.data.reason?.revision === 5), 'the deadline recounted on revision 5');
    expect(movedOn5.data).toMatchObject({ previous: { lastWorkingDay: '2027-01-08' }, current: { lastWorkingDay: '2027-01-11' } });
    expect((await secondAdmin('POST', `/api/calendar/2027/proposals/${proposal.proposalId}/approve`, {})).statusCode).toBe(409);
    expect((await secondAdmin('GET', '/api/calendar/proposals')).json().proposals).toEqual([]);

    // The auditor's record: who proposed, who approved, on the year's hash-chained stream.
    const events = await readStream(harness.database.db, 'calendar-2027');
    expect(events.slice(-3).map((e) => [e.type, e.metadata.actor.accountId])).toEqual([
      ['CalendarChangeProposed', 'demo-admin'],
      ['CalendarChangeApproved', 'demo-second-admin'],
      ['CalendarYearLoaded', 'demo-second-admin'],
    ]);
  });

  it('a proposal refused by another administrator, or withdrawn by its proposer, changes nothing', async () => {
    const secondAdmin = await harness.as('second-admin');
    const before = (await get('/api/calendar/2027')).json();
    const proposeOne = async () => {
      const proposed = await put(admin, 2027, { holidays: [...before.holidays, '2027-03-01'].sort(), makeUpWorkdays: [] });
      expect(proposed.statusCode, proposed.body).toBe(202);
      return proposed.json().proposal.proposalId as string;
    };
    const first = await proposeOne();
    const unexplained = await secondAdmin('POST', `/api/calendar/2027/proposals/${first}/refuse`, {});
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.json().issues).toEqual([expect.objectContaining({ field: 'reason' })]);
    const refused = await secondAdmin('POST', `/api/calendar/2027/proposals/${first}/refuse`, { reason: '与通知不符：3月1日不放假' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json().proposal).toMatchObject({ status: 'refused', decidedBy: { accountId: 'demo-second-admin' }, reason: '与通知不符：3月1日不放假' });
    expect((await admin('POST', `/api/calendar/2027/proposals/${first}/approve`, {})).statusCode).toBe(409);

    const second = await proposeOne();
    const withdrawn = await admin('POST', `/api/calendar/2027/proposals/${second}/refuse`, { reason: '填错了' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().proposal).toMatchObject({ status: 'withdrawn', decidedBy: { accountId: 'demo-admin' } });
    expect((await get('/api/calendar/2027')).json()).toMatchObject({ holidays: before.holidays, loaded: { revision: before.loaded.revision } });
    const events = await readStream(harness.database.db, 'calendar-2027');
    expect(events.slice(-4).map((e) => [e.type, e.metadata.actor.accountId])).toEqual([
      ['CalendarChangeProposed', 'demo-admin'],
      ['CalendarChangeRefused', 'demo-second-admin'],
      ['CalendarChangeProposed', 'demo-admin'],
      ['CalendarChangeWithdrawn', 'demo-admin'],
    ]);
  });
});

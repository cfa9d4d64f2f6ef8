/**
 * A 补正 request's reply period through the case modules, as the driver runs them: `prepare` looks
 * the last day up in the calendar (the real look-up activity on the packaged calendar) and `decide`
 * records it. 民法典 第二百零三条: a period whose last day is a rest day ends on the next working day.
 */
import { describe, expect, it } from 'vitest';
import { createApplicationActivities } from '../../activities/applications.activities.js';
import { applicationCase } from '../../cases/application.case.js';
import { chuyingLoanCase } from '../../cases/chuying-loan.case.js';
import type { CaseLookups, DecisionSupport } from '../../cases/case-module.js';
import { SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH, SUPPLEMENT_REPLY_PROVISIONAL_PATCH } from '../../cases/supplement-reply.js';
import { packagedArrangements, packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Db } from '../../db/client.js';
import { initialApplicationState, type ApplicationState } from '../../domain/applications/state.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { endOfShanghaiDay, parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar, mergeArrangements } from '../../domain/time/working-days.js';
import { fundReviewer } from '../support/actors.js';
import { termsOf } from '../support/applications.js';
import { history, MISSING_ITEMS } from '../domain/chuying-loan.fixtures.js';

const { computeWorkingDayWindow } = createApplicationActivities({ db: undefined as unknown as Db, calendar: async () => packagedCalendar() });

function support(now: string, patched: boolean): DecisionSupport & { asked: unknown[]; patches: string[] } {
  const asked: unknown[] = [];
  const patches: string[] = [];
  const lookups = {
    computeWorkingDayWindow: async (input: Parameters<typeof computeWorkingDayWindow>[0]) => (asked.push(input), computeWorkingDayWindow(input)),
  } as unknown as CaseLookups;
  return { lookups, caseId: 'case-1', now: () => Date.parse(now), uuid: () => 'u', patched: (id) => (patches.push(id), patched), asked, patches };
}

async function replyDueOn(now: string, patched = true): Promise<{ dueOn: unknown; event: unknown; ask: ReturnType<typeof support> }> {
  const ask = support(now, patched);
  const state = foldChuyingLoan(history.completenessCheck);
  const command = { type: 'RequestSupplement' as const, missingItems: MISSING_ITEMS };
  const prepared = await chuyingLoanCase.prepare!(command, state, ask);
  const [event] = chuyingLoanCase.decide(command, state, { actor: fundReviewer, now: ask.now(), legacy: false, prepared });
  return { dueOn: (event as { data: { replyDueOn: unknown } }).data.replyDueOn, event, ask };
}

describe('the 补正 reply period of a loan', () => {
  it.each([
    // 30 days from Thu 3 Dec 2026 reach Sat 2 Jan 2027, a rest day (and 元旦 on the Friday before): Mon 4 Jan,
    // provisional: 2027's arrangement is not loaded, so its 调休 and Spring Festival are not known.
    ['2026-12-03T02:00:00Z', '2027-01-04', true],
    // From Fri 4 Sep 2026 they reach Sun 4 Oct, inside the 国庆 holiday (1–7 Oct): Thu 8 Oct.
    ['2026-09-04T02:00:00Z', '2026-10-08', false],
    // From Tue 10 Nov 2026 they reach Thu 10 Dec, a working day: that day.
    ['2026-11-10T02:00:00Z', '2026-12-10', false],
  ])('requested at %s is due on %s (provisional: %s)', async (now, expected, provisional) => {
    const { dueOn, event, ask } = await replyDueOn(now);
    expect(dueOn).toBe(expected);
    expect(event).toMatchObject({ data: { replyPeriod: { countedFrom: now.slice(0, 10), days: 30, provisional } } });
    expect(ask.patches).toEqual([SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH, SUPPLEMENT_REPLY_PROVISIONAL_PATCH]);
    const awaiting = chuyingLoanCase.evolve(foldChuyingLoan(history.completenessCheck), event as never);
    expect(chuyingLoanCase.nextStep(awaiting).deadline).toMatchObject({ kind: 'supplement-reply', dueOn: expected, provisional });
  });

  it('records no provisional mark when replaying a history recorded before the mark', async () => {
    const ask = support('2026-12-03T02:00:00Z', true);
    ask.patched = (id) => (ask.patches.push(id), id === SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH);
    const state = foldChuyingLoan(history.completenessCheck);
    const command = { type: 'RequestSupplement' as const, missingItems: MISSING_ITEMS };
    const [event] = chuyingLoanCase.decide(command, state, { actor: fundReviewer, now: ask.now(), legacy: false, prepared: await chuyingLoanCase.prepare!(command, state, ask) });
    expect(event).toMatchObject({ data: { replyDueOn: '2027-01-04' } });
    expect((event as { data: object }).data).not.toHaveProperty('replyPeriod');
    expect(chuyingLoanCase.nextStep(chuyingLoanCase.evolve(state, event!)).deadline).toMatchObject({ provisional: false });
  });

  it('keeps the bare 30 days, asking nothing, when replaying a history recorded before the change', async () => {
    const { dueOn, ask } = await replyDueOn('2026-12-03T02:00:00Z', false);
    expect(dueOn).toBe('2027-01-02');
    expect(ask.asked).toEqual([]);
  });
});

/**
 * A reply period that ends in a year not yet loaded is counted again when that year is loaded
 * (calendar.recompute, as the driver runs it on the calendarLoaded signal): the later of the day the
 * applicant was told and the day now counted holds, and the deadline is no longer 暂定.
 */
describe('a provisional 补正 reply period when its year is loaded', () => {
  const reason = { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'admin', displayName: '管理员' } };
  const with2027 = (arrangement: { holidays: string[]; makeUpWorkdays: string[] }) =>
    createWorkingDayCalendar(
      mergeArrangements(packagedArrangements(), [{ year: 2027, holidays: [...new Set([...fixedDateHolidaysOf(2027), ...arrangement.holidays.map(parseLocalDate)])], makeUpWorkdays: arrangement.makeUpWorkdays.map(parseLocalDate) }]),
    );
  function loaded(calendar: ReturnType<typeof packagedCalendar>): DecisionSupport & { asked: unknown[] } {
    const activities = createApplicationActivities({ db: undefined as unknown as Db, calendar: async () => calendar });
    const asked: unknown[] = [];
    const lookups = { computeWorkingDayWindow: async (input: { startedOn: LocalDate; workingDays: number }) => (asked.push(input), activities.computeWorkingDayWindow(input)) } as unknown as CaseLookups;
    return { lookups, caseId: 'case-1', now: () => Date.parse('2026-12-20T02:00:00Z'), uuid: () => 'u', patched: () => true, asked };
  }
  /** A loan awaiting the 补正 asked on Thu 3 Dec 2026: 30 days reach Sat 2 Jan 2027, provisionally due Mon 4 Jan. */
  async function awaitingLoan() {
    const { event } = await replyDueOn('2026-12-03T02:00:00Z');
    return chuyingLoanCase.evolve(foldChuyingLoan(history.completenessCheck), event as never);
  }
  /** The same 补正 on a programme application. */
  const awaitingApplication: ApplicationState = {
    ...initialApplicationState(),
    status: 'awaiting-supplement',
    terms: termsOf('huangpu-creator-reward'),
    supplementRounds: 1,
    supplement: { missingItems: ['作品清单'], requestedAt: '2026-12-03T02:00:00.000Z', replyDueOn: parseLocalDate('2027-01-04'), replyPeriod: { countedFrom: parseLocalDate('2026-12-03'), days: 30, provisional: true } },
  };

  it('moves the loan’s last day later when the arrangement makes it a day off, and records both days', async () => {
    const ask = loaded(with2027({ holidays: ['2027-01-04'], makeUpWorkdays: [] }));
    const state = await awaitingLoan();
    const events = await chuyingLoanCase.calendar!.recompute(state, reason, ask);
    expect(ask.asked).toEqual([{ startedOn: '2027-01-01', workingDays: 1 }]);
    expect(events).toEqual([
      { type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: '2027-01-04', provisional: true }, current: { replyDueOn: '2027-01-05', provisional: false }, reason, at: '2026-12-20T02:00:00.000Z' } },
    ]);
    const after = events.reduce(chuyingLoanCase.evolve, state);
    expect(after.supplement).toMatchObject({ replyDueOn: '2027-01-05', replyPeriod: { provisional: false } });
    expect(chuyingLoanCase.nextStep(after).deadline).toMatchObject({ kind: 'supplement-reply', dueOn: '2027-01-05', provisional: false });
    // The case is withdrawn at the end of the new day, not the old one.
    expect(chuyingLoanCase.nextThreshold!(after)).toBe(endOfShanghaiDay(parseLocalDate('2027-01-05')));
    // Final now: a second load of the same year asks nothing more.
    const again = loaded(with2027({ holidays: ['2027-01-04'], makeUpWorkdays: [] }));
    expect(await chuyingLoanCase.calendar!.recompute(after, reason, again)).toEqual([]);
    expect(again.asked).toEqual([]);
  });

  it('records the day as final when the arrangement leaves it where it was', async () => {
    const events = await chuyingLoanCase.calendar!.recompute(await awaitingLoan(), reason, loaded(with2027({ holidays: [], makeUpWorkdays: [] })));
    expect(events).toMatchObject([{ type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: '2027-01-04', provisional: true }, current: { replyDueOn: '2027-01-04', provisional: false } } }]);
  });

  it('never moves the day earlier than the applicant was told, even when the arrangement makes the Saturday a working day', async () => {
    const calendar = with2027({ holidays: [], makeUpWorkdays: ['2027-01-02'] });
    expect(calendar.isWorkingDay(parseLocalDate('2027-01-02'))).toBe(true);
    const events = await chuyingLoanCase.calendar!.recompute(await awaitingLoan(), reason, loaded(calendar));
    expect(events).toMatchObject([{ data: { current: { replyDueOn: '2027-01-04', provisional: false } } }]);
  });

  it('records nothing while the year is still not loaded (another year was)', async () => {
    const ask = loaded(packagedCalendar());
    expect(await chuyingLoanCase.calendar!.recompute(await awaitingLoan(), { ...reason, calendarYear: 2026 }, ask)).toEqual([]);
    expect(ask.asked).toHaveLength(1);
  });

  it('asks nothing for a 补正 recorded before the provisional mark', async () => {
    const { replyPeriod: _none, ...supplement } = (await awaitingLoan()).supplement!;
    const ask = loaded(with2027({ holidays: ['2027-01-04'], makeUpWorkdays: [] }));
    expect(await chuyingLoanCase.calendar!.recompute({ ...(await awaitingLoan()), supplement }, reason, ask)).toEqual([]);
    expect(ask.asked).toEqual([]);
  });

  it('counts a programme application’s reply period again the same way', async () => {
    const ask = loaded(with2027({ holidays: ['2027-01-04', '2027-01-05'], makeUpWorkdays: [] }));
    expect(applicationCase.nextStep(awaitingApplication).deadline).toMatchObject({ kind: 'supplement-reply', dueOn: '2027-01-04', provisional: true });
    const events = await applicationCase.calendar!.recompute(awaitingApplication, reason, ask);
    expect(events).toMatchObject([{ type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: '2027-01-04', provisional: true }, current: { replyDueOn: '2027-01-06', provisional: false } } }]);
    const after = events.reduce(applicationCase.evolve, awaitingApplication);
    expect(applicationCase.nextStep(after).deadline).toMatchObject({ dueOn: '2027-01-06', provisional: false });
    expect(applicationCase.nextThreshold!(after)).toBe(endOfShanghaiDay(parseLocalDate('2027-01-06')));
  });
});

/**
 * A year already loaded is loaded again, corrected (a make-up day entered by mistake, a holiday left
 * out): the counts made on it are counted again, and a final day only moves later
 * (domain/time/recount.ts), for every kind of deadline a case keeps.
 */
import { describe, expect, it } from 'vitest';
import { packagedArrangements, packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { decideSupplementReplyRecomputed, type OpenSupplement } from '../../domain/cases/supplement-reply.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { decideCompletenessWindowRecomputed } from '../../domain/chuying/recompute.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import { deadlineDueRecount, decideDeadlineRecomputed } from '../../domain/drama-filing/decide.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { foldDramaFiling } from '../../domain/drama-filing/state.js';
import { endOfShanghaiDay, parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import { countedThrough, recountDue, recountReplaces } from '../../domain/time/recount.js';
import { decideLimitRecomputed, recountOf, type StepTimeLimit, type WorkingDayCount } from '../../domain/time-limits/step-time-limit.js';
import { createWorkingDayCalendar, mergeArrangements } from '../../domain/time/working-days.js';
import { dramaFilingTerms } from '../../domain/drama-filing/terms.js';
import { applicant } from '../support/actors.js';
import { CASE_ID, COMPANY, PROJECT, REFERENCE_NO, ref } from './chuying-loan.fixtures.js';

const d = parseLocalDate;
const instant = (shanghai: string) => Date.parse(`${shanghai}+08:00`);
const correction = { calendarYear: 2026, revision: 2, loadedBy: { accountId: 'demo-admin', displayName: '系统管理员' } };
const NOW = instant('2026-09-28T10:00:00');

/** The packaged 2026 as a correction loads it again: with a day off it left out, or without a make-up day entered by mistake. */
const corrected2026 = (change: { addDayOff?: string; dropMakeUpDay?: string }) => {
  const arrangement = packagedCalendar().arrangement(2026)!;
  const holidays = change.addDayOff ? [...arrangement.holidays, d(change.addDayOff)] : arrangement.holidays;
  const makeUpWorkdays = arrangement.makeUpWorkdays.filter((m) => m !== change.dropMakeUpDay);
  return createWorkingDayCalendar(mergeArrangements(packagedArrangements(), [{ year: 2026, holidays, makeUpWorkdays }]));
};
const withDayOff = (day: string) => corrected2026({ addDayOff: day });
const withoutMakeUpDay = (day: string) => corrected2026({ dropMakeUpDay: day });
const dayOf = (count: WorkingDayCount, day: string): WorkingDayCount => ({ ...count, lastWorkingDay: d(day), deadlineAt: new Date(endOfShanghaiDay(d(day))).toISOString() });

describe('which counts a load counts again', () => {
  it('a count runs through the years from the one it started in to the one it ended in', () => {
    expect(countedThrough({ startedOn: d('2026-12-28'), lastWorkingDay: d('2027-01-05') }, 2026)).toBe(true);
    expect(countedThrough({ startedOn: d('2026-12-28'), lastWorkingDay: d('2027-01-05') }, 2027)).toBe(true);
    expect(countedThrough({ startedOn: d('2026-12-28'), lastWorkingDay: d('2027-01-05') }, 2028)).toBe(false);
    expect(countedThrough({ startedOn: d('2026-03-02'), lastWorkingDay: d('2026-03-09') }, 2025)).toBe(false);
  });

  it('a provisional count always; a final one only for a case that counts corrections, and only through the year loaded', () => {
    const final = { startedOn: d('2026-09-28'), lastWorkingDay: d('2026-10-12'), provisional: false };
    expect(recountDue({ ...final, provisional: true }, { calendarYear: 2030 }, false)).toBe(true);
    expect(recountDue(final, { calendarYear: 2026 }, false)).toBe(false);
    expect(recountDue(final, { calendarYear: 2026 }, true)).toBe(true);
    expect(recountDue(final, { calendarYear: 2027 }, true)).toBe(false);
  });

  it('a provisional day gives way to any count; a final day only to a later one', () => {
    expect(recountReplaces({ lastWorkingDay: d('2026-10-12'), provisional: true }, { lastWorkingDay: d('2026-10-09') })).toBe(true);
    expect(recountReplaces({ lastWorkingDay: d('2026-10-12'), provisional: false }, { lastWorkingDay: d('2026-10-13') })).toBe(true);
    expect(recountReplaces({ lastWorkingDay: d('2026-10-12'), provisional: false }, { lastWorkingDay: d('2026-10-12') })).toBe(false);
    expect(recountReplaces({ lastWorkingDay: d('2026-10-12'), provisional: false }, { lastWorkingDay: d('2026-10-09') })).toBe(false);
  });

  it('a day provisional for 2027 follows the publication of 2027, but a correction of 2026 only moves it later', () => {
    // An outside tester added two make-up Saturdays to the official 2026: a limit provisional for 2027 moved from 4 Jan back to 30 Dec.
    const provisional2027 = { lastWorkingDay: d('2027-01-04'), provisional: true };
    expect(recountReplaces(provisional2027, { lastWorkingDay: d('2026-12-30') }, 2027)).toBe(true);
    expect(recountReplaces(provisional2027, { lastWorkingDay: d('2026-12-30') }, 2026)).toBe(false);
    expect(recountReplaces(provisional2027, { lastWorkingDay: d('2027-01-05') }, 2026)).toBe(true);
    // A case that does not count corrections moves it as it always did.
    expect(recountReplaces(provisional2027, { lastWorkingDay: d('2026-12-30') })).toBe(true);
  });
});

describe('a step time limit counted through a corrected year', () => {
  // Mon 28 Sep 2026, 10 working days, over the National Day holiday and its make-up Saturday 10 Oct.
  const counted = reviewDeadline(packagedCalendar(), d('2026-09-28'), 10);
  const limit: StepTimeLimit = { step: 'funding-decision', stepLabel: '基金评审决策', department: 'yangpu-fund', ...counted, promisedWorkingDays: 10 };

  it('is counted again when the case counts corrections, and not before', () => {
    expect(counted.provisional).toBe(false);
    expect(recountOf(limit, correction, false)).toBeUndefined();
    expect(recountOf(limit, correction, true)).toEqual({ startedOn: '2026-09-28', workingDays: 10 });
    expect(recountOf(limit, { calendarYear: 2027 }, true)).toBeUndefined();
    expect(recountOf({ ...limit, breachedAt: '2026-10-16T00:00:00.000Z' }, correction, true)).toBeUndefined();
  });

  it('moves later when the correction takes a working day away, recorded with the old and the new day', () => {
    // 10 Oct was entered as a make-up day by mistake: without it, the count ends a working day later.
    const recounted = reviewDeadline(withoutMakeUpDay('2026-10-10'), d('2026-09-28'), 10);
    expect(recounted.lastWorkingDay > counted.lastWorkingDay).toBe(true);
    const [event] = decideLimitRecomputed(limit, recounted, correction, NOW, true);
    expect(event).toEqual({
      type: 'TimeLimitRecomputed',
      data: { step: 'funding-decision', previous: counted, current: recounted, reason: correction, at: new Date(NOW).toISOString() },
    });
    // The same count for a case that does not count corrections records nothing.
    expect(decideLimitRecomputed(limit, recounted, correction, NOW, false)).toEqual([]);
  });

  it('stays when the correction would bring it earlier: the day was promised', () => {
    const earlier = dayOf(counted, '2026-10-13');
    expect(earlier.lastWorkingDay < counted.lastWorkingDay).toBe(true);
    expect(decideLimitRecomputed(limit, earlier, correction, NOW, true)).toEqual([]);
  });
});

describe("a filing's review deadline counted through a corrected year", () => {
  const submitted: DramaFilingEvent = {
    type: 'FilingSubmitted',
    data: {
      caseId: CASE_ID, referenceNo: 'BA-2026-000001', filingType: 'drama-release-filing', applicant: ref(applicant),
      submission: { title: '外滩往事', producer: '上海星河文化传媒有限公司', episodeCount: 80, episodeLengthMinutes: 2, aiGenerated: true, synopsis: '外滩爱情故事', platform: '抖音' },
      submittedAt: new Date(instant('2026-09-29T10:00:00')).toISOString(), submittedOn: d('2026-09-29'), terms: dramaFilingTerms('drama-release-filing'),
      deadline: reviewDeadline(packagedCalendar(), d('2026-09-29'), 5),
    },
  };

  it('is counted again, and moves only later', () => {
    const state = foldDramaFiling([submitted]);
    const deadline = deadlineDueRecount(state, correction, true)!;
    expect(deadline).toMatchObject({ startedOn: '2026-09-29', provisional: false });
    expect(deadlineDueRecount(state, correction, false)).toBeUndefined();
    const later = reviewDeadline(withDayOff(deadline.lastWorkingDay), d('2026-09-29'), 5);
    expect(later.lastWorkingDay > deadline.lastWorkingDay).toBe(true);
    expect(decideDeadlineRecomputed(state, later, correction, NOW, true)).toEqual([
      { type: 'DeadlineRecomputed', data: { round: 1, previous: deadline, current: later, reason: correction, at: new Date(NOW).toISOString() } },
    ]);
    expect(decideDeadlineRecomputed(state, dayOf(deadline, '2026-10-09') as never, correction, NOW, true)).toEqual([]);
  });
});

describe("a loan's completeness window and a 补正's reply day counted through a corrected year", () => {
  it('the window moves later, with the 网信 limit counted from its new end', () => {
    const window = reviewDeadline(packagedCalendar(), d('2026-06-01'), 5);
    const submitted: ChuyingLoanEvent = {
      type: 'LoanApplicationSubmitted',
      data: {
        caseId: CASE_ID, referenceNo: REFERENCE_NO, applicant: ref(applicant), company: COMPANY, project: PROJECT, requestedAmountFen: 50_000_000,
        submittedAt: new Date(instant('2026-06-01T10:00:00')).toISOString(), submittedOn: d('2026-06-01'), terms: CHUYING_LOAN_TERMS,
        completeness: window, limitIfDeemedComplete: reviewDeadline(packagedCalendar(), window.lastWorkingDay, 10),
      },
    };
    const state = foldChuyingLoan([submitted]);
    const corrected = withDayOff(window.lastWorkingDay);
    const recounted = reviewDeadline(corrected, d('2026-06-01'), 5);
    const following = reviewDeadline(corrected, recounted.lastWorkingDay, 10);
    expect(decideCompletenessWindowRecomputed(state, recounted, following, correction, NOW, false)).toEqual([]);
    const [event] = decideCompletenessWindowRecomputed(state, recounted, following, correction, NOW, true);
    expect(event).toMatchObject({ type: 'CompletenessWindowRecomputed', data: { previous: window, current: recounted, limitIfDeemedComplete: following, reason: correction } });
    expect(decideCompletenessWindowRecomputed(state, dayOf(window, '2026-06-05'), following, correction, NOW, true)).toEqual([]);
  });

  it('a final reply day moves to the next working day when the correction makes it a day off, never earlier', () => {
    // Asked Tue 15 Sep 2026: 30 days reach Thu 15 Oct, a working day, told as final.
    const supplement: OpenSupplement = { replyDueOn: d('2026-10-15'), replyPeriod: { countedFrom: d('2026-09-15'), days: 30, provisional: false } };
    const period = (endsOn: string) => ({ countedFrom: d('2026-09-15'), days: 30, endsOn: d(endsOn) as LocalDate, provisional: false });
    expect(decideSupplementReplyRecomputed(supplement, period('2026-10-16'), correction, NOW, false)).toEqual([]);
    expect(decideSupplementReplyRecomputed(supplement, period('2026-10-16'), correction, NOW, true)).toEqual([
      { type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: '2026-10-15', provisional: false }, current: { replyDueOn: '2026-10-16', provisional: false }, reason: correction, at: new Date(NOW).toISOString() } },
    ]);
    expect(decideSupplementReplyRecomputed(supplement, period('2026-10-15'), correction, NOW, true)).toEqual([]);
    // A request recorded before reply periods were marked has nothing to count again.
    expect(decideSupplementReplyRecomputed({ replyDueOn: d('2026-10-15') }, period('2026-10-16'), correction, NOW, true)).toEqual([]);
  });
});

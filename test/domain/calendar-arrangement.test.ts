import { describe, expect, it } from 'vitest';
import { packagedArrangements, packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { decideInstalmentDueDatesRecomputed, provisionalOpenInstalments } from '../../domain/chuying/recompute.js';
import { repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { DomainError } from '../../domain/errors.js';
import { parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import {
  checkYearArrangement,
  createWorkingDayCalendar,
  mergeArrangements,
  nonWorkingDaysOf,
  workingDaysBetween,
} from '../../domain/time/working-days.js';
import { event } from './chuying-loan.fixtures.js';

const d = (text: string): LocalDate => parseLocalDate(text);
/** What every 2027 arrangement holds whatever else it says: 元旦, 劳动节 and 国庆节, fixed by date in law. */
const STATUTORY_2027 = ['2027-01-01', '2027-05-01', '2027-05-02', '2027-10-01', '2027-10-02', '2027-10-03'];

function refusal(input: Parameters<typeof checkYearArrangement>[0]): DomainError {
  try {
    checkYearArrangement(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  return expect.fail('the arrangement should have been refused');
}

describe('an arrangement an admin loads is checked', () => {
  it('accepts real dates within the year, sorted, with make-up days on weekends', () => {
    expect(checkYearArrangement({ year: 2027, holidays: ['2027-10-03', '2027-02-08', ...STATUTORY_2027.slice(0, 5)], makeUpWorkdays: ['2027-02-06'] })).toEqual({
      year: 2027,
      holidays: ['2027-01-01', '2027-02-08', '2027-05-01', '2027-05-02', '2027-10-01', '2027-10-02', '2027-10-03'],
      makeUpWorkdays: ['2027-02-06'],
    });
  });

  it('names each bad entry: not a date, another year, listed twice, a weekday as make-up day, in both lists', () => {
    const error = refusal({ year: 2027, holidays: ['2027-02-30', '2026-12-31', '2027-01-01', '2027-01-01', ...STATUTORY_2027.slice(1)], makeUpWorkdays: ['2027-01-04', '2027-01-01'] });
    expect(error.kind).toBe('validation');
    expect(error.code).toBe('calendar-arrangement-invalid');
    expect(error.issues.map(({ field, message, code }) => ({ field, message, code }))).toEqual([
      { field: 'holidays.0', message: '“2027-02-30”不是真实存在的日期（写作“年-月-日”，如 2027-01-01）', code: 'not-a-date' },
      { field: 'holidays.1', message: '2026年12月31日不在 2027 年', code: 'other-year' },
      { field: 'holidays.3', message: '2027年1月1日重复填写', code: 'listed-twice' },
      { field: 'makeUpWorkdays.0', message: '2027年1月4日是星期一：调休上班日只能是星期六或星期日', code: 'make-up-day-on-weekday' },
      { field: 'makeUpWorkdays.1', message: '2027年1月1日是星期五：调休上班日只能是星期六或星期日', code: 'make-up-day-on-weekday' },
    ]);
    expect(error.issues[3]?.english).toBe('2027-01-04 is a Monday; make-up working days (调休) fall on a Saturday or Sunday');
    const both = refusal({ year: 2027, holidays: ['2027-01-02', ...STATUTORY_2027], makeUpWorkdays: ['2027-01-02'] });
    expect(both.issues).toEqual([expect.objectContaining({ field: 'makeUpWorkdays', message: '同一天不能既放假又调休上班：2027年1月2日' })]);
  });

  it('refuses an arrangement that leaves out a day the law fixes by date, naming each', () => {
    // An outside tester loaded an "official" 2027 without 国庆节: its October deadlines counted 1–3 Oct as working days.
    const error = refusal({ year: 2027, holidays: ['2027-01-01', '2027-02-08', '2027-05-01'], makeUpWorkdays: [] });
    expect(error.issues.map(({ field, message, code }) => ({ field, message, code }))).toEqual([
      { field: 'holidays', message: '缺少劳动节2027年5月2日：《全国年节及纪念日放假办法》规定这一天放假', code: 'statutory-holiday-missing' },
      { field: 'holidays', message: '缺少国庆节2027年10月1日、2027年10月2日、2027年10月3日：《全国年节及纪念日放假办法》规定这几天放假', code: 'statutory-holiday-missing' },
    ]);
    expect(error.message).toMatch(/^2027 年的放假安排有 2 处需要修改：缺少劳动节/);
    // Years before the law's 2025 revision had other fixed dates: not asked for.
    expect(checkYearArrangement({ year: 2020, holidays: ['2020-01-01'], makeUpWorkdays: [] }).holidays).toEqual(['2020-01-01']);
  });

  it('refuses an arrangement without any day off, and a year out of range', () => {
    expect(refusal({ year: 2027, holidays: [], makeUpWorkdays: [] }).issues).toEqual([
      expect.objectContaining({ field: 'holidays', message: '请至少填写一天放假日' }),
      ...['元旦', '劳动节', '国庆节'].map((name) => expect.objectContaining({ field: 'holidays', code: 'statutory-holiday-missing', message: expect.stringContaining(`缺少${name}`) })),
    ]);
    const outOfRange = refusal({ year: 1989, holidays: ['1989-01-01'], makeUpWorkdays: [] });
    expect(outOfRange).toMatchObject({ code: 'calendar-year-out-of-range', message: expect.stringContaining('1990 至 2200'), english: expect.stringContaining('from 1990 to 2200') });
  });
});

describe('merging loaded years over the packaged data', () => {
  it('a loaded year replaces the packaged one whole; other years are untouched', () => {
    const override2026 = { year: 2026, holidays: [d('2026-10-01')], makeUpWorkdays: [] };
    const merged = createWorkingDayCalendar(mergeArrangements(packagedArrangements(), [override2026]));
    expect(merged.isWorkingDay(d('2026-10-02'))).toBe(true); // no longer a day off in the override
    expect(merged.isWorkingDay(d('2026-10-10'))).toBe(false); // Saturday, no longer a make-up day
    expect(merged.isWorkingDay(d('2025-10-02'))).toBe(false); // 2025 as packaged
  });
});

describe('counting working days', () => {
  const calendar = packagedCalendar();
  it('counts the working days after one date up to and including another', () => {
    expect(workingDaysBetween(calendar, d('2026-09-30'), d('2026-10-09'))).toBe(2);
    expect(workingDaysBetween(calendar, d('2026-09-30'), d('2026-10-13'))).toBe(5);
    expect(workingDaysBetween(calendar, d('2026-09-30'), d('2026-09-30'))).toBe(0);
  });

  it('lists every non-working day of a year: 365 − 248 working days in 2026', () => {
    const days = nonWorkingDaysOf(calendar, 2026);
    expect(days).toHaveLength(365 - 248);
    expect(days).toContain('2026-10-01');
    expect(days).not.toContain('2026-10-10');
  });
});

describe('雏鹰 instalments: provisional due dates recomputed once the year is loaded', () => {
  // Disbursed 30 Nov 2026: instalment 1 falls on Wed 30 Dec 2026 (final); instalment 2 on Sat 30 Jan 2027,
  // provisionally moved to Mon 1 Feb. A made-up 2027 arrangement that takes 1 Feb off moves it to Tue 2 Feb.
  const disbursedOn = d('2026-11-30');
  const before = repaymentSchedule(packagedCalendar(), 3_600_000, disbursedOn, 36);
  const with2027 = createWorkingDayCalendar(mergeArrangements(packagedArrangements(), [{ year: 2027, holidays: [d('2027-02-01')], makeUpWorkdays: [] }]));
  const after = repaymentSchedule(with2027, 3_600_000, disbursedOn, 36);
  const reason = { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'acct-admin', displayName: '系统管理员' } };
  /** The loan of 3,600,000 fen disbursed on 30 Nov 2026, on the packaged calendar's schedule. */
  const disbursedLoan = () => {
    const disbursed = event.disbursed();
    return foldChuyingLoan([
      event.submitted({ requestedAmountFen: 3_600_000 }),
      event.materialsAccepted(),
      event.compliancePassed(),
      event.fundingApproved(3_600_000),
      { ...disbursed, data: { ...disbursed.data, amountFen: 3_600_000, disbursedOn, schedule: before, recordedAt: '2026-11-30T02:00:00.000Z' } },
    ]);
  };

  it('records each changed open instalment with its old and new due date, and leaves final ones alone', () => {
    expect(before[0]).toMatchObject({ dueOn: '2026-12-30', provisional: false });
    expect(before[1]).toMatchObject({ dueOn: '2027-02-01', provisional: true });
    const state = disbursedLoan();
    expect(provisionalOpenInstalments(state)).toHaveLength(35);
    const [recomputed] = decideInstalmentDueDatesRecomputed(state, after, reason, Date.parse('2026-12-01T00:00:00Z'));
    expect(recomputed?.type).toBe('InstalmentDueDatesRecomputed');
    const changes = (recomputed as Extract<typeof recomputed, { type: 'InstalmentDueDatesRecomputed' }>).data.changes;
    // Every 2027 instalment becomes final; only instalment 2 also moves.
    expect(changes.filter((c) => c.previous.dueOn !== c.current.dueOn)).toEqual([
      { number: 2, previous: { dueOn: '2027-02-01', provisional: true }, current: { dueOn: '2027-02-02', provisional: false } },
    ]);
    expect(changes.map((c) => c.number)).not.toContain(1);
    const updated = foldChuyingLoan([recomputed!], state);
    expect(updated.instalments[1]).toMatchObject({ dueOn: '2027-02-02', provisional: false });
    expect(decideInstalmentDueDatesRecomputed(updated, after, reason, 0).flatMap((e) => (e.type === 'InstalmentDueDatesRecomputed' ? e.data.changes : []))).toEqual(
      changes.filter((c) => c.current.provisional),
    );
  });

  it('a correction of the year moves a final due date it makes a day off to the next working day, never earlier, and only for that year', () => {
    // An outsider added a holiday to a loaded year: the instalment due on it stayed there, while a loan disbursed after the correction was due the next working day.
    const loaded = disbursedLoan();
    const [first] = decideInstalmentDueDatesRecomputed(loaded, after, reason, 0);
    const final2027 = foldChuyingLoan([first!], loaded);
    expect(final2027.instalments[3]).toMatchObject({ dueOn: '2027-03-30', provisional: false });
    // The correction takes 30 March 2027 off as well.
    const corrected = repaymentSchedule(createWorkingDayCalendar(mergeArrangements(packagedArrangements(), [{ year: 2027, holidays: [d('2027-02-01'), d('2027-03-30')], makeUpWorkdays: [] }])), 3_600_000, disbursedOn, 36);
    const correction = { ...reason, revision: 2 };
    const [moved] = decideInstalmentDueDatesRecomputed(final2027, corrected, correction, 0, 2027);
    expect(moved).toMatchObject({ type: 'InstalmentDueDatesRecomputed', data: { changes: [{ number: 4, previous: { dueOn: '2027-03-30', provisional: false }, current: { dueOn: '2027-03-31', provisional: false } }] } });
    // Before the change (no year named), a final date stays; an earlier date is never taken; another year's finals are not the correction's.
    expect(decideInstalmentDueDatesRecomputed(final2027, corrected, correction, 0)).toEqual([]);
    const undone = foldChuyingLoan([moved!], final2027);
    expect(decideInstalmentDueDatesRecomputed(undone, after, { ...reason, revision: 3 }, 0, 2027)).toEqual([]);
    expect(decideInstalmentDueDatesRecomputed(final2027, corrected, { ...correction, calendarYear: 2028 }, 0, 2028)).toEqual([]);
  });
});

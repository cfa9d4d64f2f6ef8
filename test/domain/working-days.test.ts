import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { packagedArrangements, packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { addDays, isWeekend, parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import {
  createWorkingDayCalendar,
  nthWorkingDayAfter,
  workingDaysBetween,
  workingDayDeadline,
  workingDayOnOrAfter,
  type YearArrangement,
} from '../../domain/time/working-days.js';

const d = (text: string): LocalDate => parseLocalDate(text);
const calendar = packagedCalendar();

/** The raw State Council data as shipped in the package, read independently of the loader. */
const raw = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

describe('the packaged calendar (chinese-days): 2026 arrangement', () => {
  it('has the 2026 arrangement loaded and 2027 not (2027 is provisional: weekends and fixed-date holidays)', () => {
    expect(calendar.isOfficialYear(2026)).toBe(true);
    expect(calendar.isOfficialYear(2027)).toBe(false);
    expect(calendar.arrangement(2027)).toBeUndefined();
  });

  it.each(['2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])(
    'make-up working day (调休) %s is a working day although it falls on a weekend',
    (date) => {
      expect(isWeekend(d(date))).toBe(true);
      expect(calendar.isWorkingDay(d(date))).toBe(true);
    },
  );

  it.each(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'])(
    'National Day %s is not a working day',
    (date) => {
      expect(calendar.isWorkingDay(d(date))).toBe(false);
    },
  );

  it('Spring Festival 2026 (per the package data: 15–23 Feb off, Sat 14 and Sat 28 Feb worked)', () => {
    const springFestival = Object.entries(raw.holidays)
      .filter(([date, name]) => date.startsWith('2026-') && name.includes('春节'))
      .map(([date]) => date)
      .sort();
    expect(springFestival).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    for (const date of springFestival) expect(calendar.isWorkingDay(d(date))).toBe(false);
    // The weekdays inside the festival are days off, and the days around it are worked.
    expect(calendar.isWorkingDay(d('2026-02-16'))).toBe(false); // Monday
    expect(calendar.isWorkingDay(d('2026-02-23'))).toBe(false); // Monday
    expect(calendar.isWorkingDay(d('2026-02-13'))).toBe(true); // Friday before
    expect(calendar.isWorkingDay(d('2026-02-24'))).toBe(true); // Tuesday after
  });

  it.each(['2026-03-07', '2026-03-08', '2026-10-17', '2026-10-18', '2026-12-26', '2026-12-27'])('ordinary weekend day %s is not a working day', (date) => {
    expect(isWeekend(d(date))).toBe(true);
    expect(calendar.isWorkingDay(d(date))).toBe(false);
  });

  it.each(['2026-03-09', '2026-09-30', '2026-10-08', '2026-10-09', '2026-12-31'])('ordinary weekday %s is a working day', (date) => {
    expect(calendar.isWorkingDay(d(date))).toBe(true);
  });

  it('classifies every day of 2026 as the raw State Council data says', () => {
    let workingDays = 0;
    for (let day = d('2026-01-01'); day <= '2026-12-31'; day = addDays(day, 1)) {
      const expected = day in raw.workdays ? true : day in raw.holidays ? false : !isWeekend(day);
      expect(calendar.isWorkingDay(day), day).toBe(expected);
      if (expected) workingDays += 1;
    }
    // 261 weekdays (1 Jan 2026 is a Thursday: 52 weeks + 1 day); 19 of them are holidays (New Year 2,
    // Spring Festival 6, Qingming 1, Labour Day 3, Dragon Boat 1, Mid-autumn 1, National Day 5); plus
    // 6 make-up weekend days (4 Jan, 14 Feb, 28 Feb, 9 May, 20 Sep, 10 Oct): 261 − 19 + 6 = 248.
    expect(workingDays).toBe(248);
  });

  it('loads one arrangement per year, 2004 through 2026', () => {
    const years = packagedArrangements().map((a) => a.year);
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toEqual(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));
  });
});

describe('"within N working days": count from the first working day after submission, deadline at 24:00 Shanghai', () => {
  it('DOMAIN example: planning filing on Wed 2026-09-30, 2 working days → end of Fri 2026-10-09', () => {
    expect(workingDayDeadline(calendar, d('2026-09-30'), 2)).toEqual({
      lastWorkingDay: '2026-10-09',
      deadlineMs: Date.parse('2026-10-09T16:00:00Z'),
      provisional: false,
    });
  });

  it('completed-film filing on 2026-09-30, 5 working days: 8, 9, Sat 10 (调休), 12, 13 Oct → 2026-10-13', () => {
    expect(workingDayDeadline(calendar, d('2026-09-30'), 5)).toEqual({
      lastWorkingDay: '2026-10-13',
      deadlineMs: Date.parse('2026-10-13T16:00:00Z'),
      provisional: false,
    });
  });

  it('a submission on a non-working day counts from the first working day after it', () => {
    // Sat 2026-10-03 is inside National Day: the 1st working day after it is Thu 8 Oct.
    expect(nthWorkingDayAfter(calendar, d('2026-10-03'), 1)).toEqual({ value: '2026-10-08', provisional: false });
    expect(nthWorkingDayAfter(calendar, d('2026-10-03'), 2)).toEqual({ value: '2026-10-09', provisional: false });
    // An ordinary Saturday: Mon and Tue.
    expect(nthWorkingDayAfter(calendar, d('2026-03-07'), 2)).toEqual({ value: '2026-03-10', provisional: false });
  });

  it('the day of submission itself never counts, even when it is a working day', () => {
    expect(nthWorkingDayAfter(calendar, d('2026-03-09'), 1).value).toBe('2026-03-10');
  });

  it('make-up working days count: Fri 2026-10-09 + 1 working day is Sat 10 Oct', () => {
    expect(nthWorkingDayAfter(calendar, d('2026-10-09'), 1).value).toBe('2026-10-10');
    expect(nthWorkingDayAfter(calendar, d('2026-09-18'), 1).value).toBe('2026-09-20'); // Fri → Sun 20 Sep (调休)
  });

  it('Spring Festival 2026: Fri 13 Feb + 2 working days = Sat 14 Feb (调休), then Tue 24 Feb', () => {
    expect(nthWorkingDayAfter(calendar, d('2026-02-13'), 1).value).toBe('2026-02-14');
    expect(nthWorkingDayAfter(calendar, d('2026-02-13'), 2).value).toBe('2026-02-24');
    expect(nthWorkingDayAfter(calendar, d('2026-02-14'), 1).value).toBe('2026-02-24');
    // 24, 25, 26, 27, Sat 28 Feb (调休)
    expect(nthWorkingDayAfter(calendar, d('2026-02-14'), 5).value).toBe('2026-02-28');
    expect(workingDayOnOrAfter(calendar, d('2026-02-15'))).toEqual({ value: '2026-02-24', provisional: false });
  });

  it('workingDayOnOrAfter keeps a working day (including a make-up Saturday) and moves a day off forward', () => {
    expect(workingDayOnOrAfter(calendar, d('2026-10-10'))).toEqual({ value: '2026-10-10', provisional: false });
    expect(workingDayOnOrAfter(calendar, d('2026-10-01'))).toEqual({ value: '2026-10-08', provisional: false });
    expect(workingDayOnOrAfter(calendar, d('2026-03-07'))).toEqual({ value: '2026-03-09', provisional: false });
    expect(workingDayOnOrAfter(calendar, d('2026-03-09'))).toEqual({ value: '2026-03-09', provisional: false });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a working-day count of %s', (n) => {
    expect(() => nthWorkingDayAfter(calendar, d('2026-09-30'), n)).toThrow(RangeError);
    expect(() => workingDayDeadline(calendar, d('2026-09-30'), n)).toThrow(/positive integer/);
  });
});

describe('provisional answers: a year whose arrangement is not loaded', () => {
  it('a deadline fully within 2026 is final', () => {
    expect(workingDayDeadline(calendar, d('2026-12-28'), 3)).toEqual({
      lastWorkingDay: '2026-12-31',
      deadlineMs: Date.parse('2026-12-31T16:00:00Z'),
      provisional: false,
    });
  });

  it('a deadline reaching 2027 is provisional, counted on weekends and 元旦', () => {
    // Wed 2026-12-30 + 5: Thu 31 Dec, then (Fri 1 Jan is 元旦) Mon 4, Tue 5, Wed 6, Thu 7.
    expect(workingDayDeadline(calendar, d('2026-12-30'), 5)).toEqual({
      lastWorkingDay: '2027-01-07',
      deadlineMs: Date.parse('2027-01-07T16:00:00Z'),
      provisional: true,
    });
    expect(workingDayOnOrAfter(calendar, d('2027-03-01'))).toEqual({ value: '2027-03-01', provisional: true });
    // A 2027 weekend day moves to Monday, provisionally.
    expect(workingDayOnOrAfter(calendar, d('2027-01-02'))).toEqual({ value: '2027-01-04', provisional: true });
  });

  it('loading the 2027 arrangement makes the answer final and moves the date', () => {
    // A made-up arrangement (the real one is not published yet): New Year 1–3 Jan 2027 off.
    const madeUp2027: YearArrangement = {
      year: 2027,
      holidays: [d('2027-01-01'), d('2027-01-02'), d('2027-01-03')],
      makeUpWorkdays: [d('2027-01-09')],
    };
    const withNextYear = createWorkingDayCalendar([...packagedArrangements(), madeUp2027]);
    expect(withNextYear.isOfficialYear(2027)).toBe(true);
    expect(withNextYear.isWorkingDay(d('2027-01-01'))).toBe(false);
    expect(withNextYear.isWorkingDay(d('2027-01-09'))).toBe(true);
    // 31 Dec, then Mon 4, Tue 5, Wed 6, Thu 7 Jan.
    expect(workingDayDeadline(withNextYear, d('2026-12-30'), 5)).toEqual({
      lastWorkingDay: '2027-01-07',
      deadlineMs: Date.parse('2027-01-07T16:00:00Z'),
      provisional: false,
    });
    // The made-up Saturday counts: Fri 8 Jan + 1 = Sat 9 Jan.
    expect(nthWorkingDayAfter(withNextYear, d('2027-01-08'), 1)).toEqual({ value: '2027-01-09', provisional: false });
    // …whereas without the arrangement it is Mon 11 Jan, provisionally.
    expect(nthWorkingDayAfter(calendar, d('2027-01-08'), 1)).toEqual({ value: '2027-01-11', provisional: true });
  });

  it('a calendar with no arrangements at all counts weekends and fixed-date holidays only, and says so', () => {
    const bare = createWorkingDayCalendar([]);
    expect(bare.isWorkingDay(d('2026-10-01'))).toBe(false); // Thursday, 国庆节: fixed by law
    expect(bare.isWorkingDay(d('2026-10-05'))).toBe(true); // a Monday off in 2026, but only the arrangement says so
    expect(bare.isWorkingDay(d('2026-10-10'))).toBe(false); // a Saturday: not known to be 调休
    // Wed 30 Sep + 2: Thu 1 – Sat 3 Oct 国庆节, Sun 4, then Mon 5, Tue 6.
    expect(workingDayDeadline(bare, d('2026-09-30'), 2)).toEqual({
      lastWorkingDay: '2026-10-06',
      deadlineMs: Date.parse('2026-10-06T16:00:00Z'),
      provisional: true,
    });
  });
});

describe('the provisional calendar rests on the holidays 《全国年节及纪念日放假办法》 fixes by date', () => {
  it('lists 元旦 1 Jan, 劳动节 1–2 May and 国庆节 1–3 Oct from 2025 on, and nothing for earlier years', () => {
    expect(fixedDateHolidaysOf(2027)).toEqual(['2027-01-01', '2027-05-01', '2027-05-02', '2027-10-01', '2027-10-02', '2027-10-03']);
    expect(fixedDateHolidaysOf(2025)).toHaveLength(6);
    // Before the 2025 revision 劳动节 was one day; those years come from the packaged data.
    expect(fixedDateHolidaysOf(2024)).toEqual([]);
  });

  it('the 2026 arrangement (official) rests on every one of them: the table agrees with published data', () => {
    for (const day of fixedDateHolidaysOf(2026)) expect(calendar.isWorkingDay(day), day).toBe(false);
    for (const day of fixedDateHolidaysOf(2025)) expect(calendar.isWorkingDay(day), day).toBe(false);
  });

  it('2027 (not loaded): 元旦 and 国庆节 are rest days, still provisional', () => {
    expect(calendar.isOfficialYear(2027)).toBe(false);
    expect(calendar.isWorkingDay(d('2027-01-01'))).toBe(false); // Friday, 元旦
    expect(calendar.isWorkingDay(d('2027-10-01'))).toBe(false); // Friday, 国庆节
    expect(calendar.isWorkingDay(d('2027-10-04'))).toBe(true); // Monday: only the arrangement can add days
    expect(calendar.isWorkingDay(d('2027-02-08'))).toBe(true); // 春节 moves with the lunar calendar: left out
    expect(workingDayOnOrAfter(calendar, d('2027-01-01'))).toEqual({ value: '2027-01-04', provisional: true });
    // Thu 30 Sep 2027 + 1: Fri 1 Oct is 国庆节, then the weekend → Mon 4 Oct.
    expect(nthWorkingDayAfter(calendar, d('2027-09-30'), 1)).toEqual({ value: '2027-10-04', provisional: true });
  });

  it('2028 (not loaded): 劳动节 on Mon 1 and Tue 2 May are rest days', () => {
    // Fri 28 Apr 2028 + 1 → Wed 3 May.
    expect(nthWorkingDayAfter(calendar, d('2028-04-28'), 1)).toEqual({ value: '2028-05-03', provisional: true });
    expect(calendar.isWorkingDay(d('2028-05-03'))).toBe(true);
  });

  it('a 补正 sent on Thu 2026-12-03 with 30 days: 元旦 is not counted as a working day', () => {
    // 4 Dec – 31 Dec: 20 working days; Fri 1 Jan 2027 is 元旦; Sat 2 Jan is a weekend.
    expect(workingDaysBetween(calendar, d('2026-12-03'), d('2027-01-02'))).toBe(20);
    expect(workingDayOnOrAfter(calendar, d('2027-01-02'))).toEqual({ value: '2027-01-04', provisional: true });
  });

  it('once the year is loaded, its arrangement alone decides, and the answer is final', () => {
    // A made-up 2028 arrangement: 劳动节 1–5 May off, Sun 30 Apr worked (调休).
    const made2028: YearArrangement = {
      year: 2028,
      holidays: ['2028-05-01', '2028-05-02', '2028-05-03', '2028-05-04', '2028-05-05'].map(d),
      makeUpWorkdays: [d('2028-04-30')],
    };
    const loaded = createWorkingDayCalendar([...packagedArrangements(), made2028]);
    expect(nthWorkingDayAfter(loaded, d('2028-04-28'), 1)).toEqual({ value: '2028-04-30', provisional: false });
    expect(nthWorkingDayAfter(loaded, d('2028-04-30'), 1)).toEqual({ value: '2028-05-08', provisional: false });
    // The table is not consulted for a loaded year: what the loaded arrangement leaves working is working.
    expect(loaded.isWorkingDay(d('2028-10-02'))).toBe(true);
    expect(calendar.isWorkingDay(d('2028-10-02'))).toBe(false);
  });
});

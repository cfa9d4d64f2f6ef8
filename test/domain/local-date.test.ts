import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  compareDates,
  dayOfWeek,
  daysBetween,
  endOfShanghaiDay,
  formatShanghaiInstant,
  isLocalDate,
  parseLocalDate,
  shanghaiDateOf,
  startOfShanghaiDay,
  type LocalDate,
} from '../../domain/time/local-date.js';

const d = (text: string): LocalDate => parseLocalDate(text);

/** Independent oracle: the platform's time-zone database (the code under test uses a fixed +08:00 shift). */
const shanghaiOracle = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('parseLocalDate', () => {
  it.each(['2026-10-09', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'])('accepts the real date %s unchanged', (text) => {
    expect(parseLocalDate(text)).toBe(text);
    expect(isLocalDate(text)).toBe(true);
  });

  it.each(['2026-10-9', '26-10-09', '2026/10/09', '2026-10-09T00:00:00Z', ' 2026-10-09', '20261009', '', 'yesterday'])(
    'refuses %j: not of the form YYYY-MM-DD',
    (text) => {
      expect(() => parseLocalDate(text)).toThrow(RangeError);
      expect(() => parseLocalDate(text)).toThrow(/YYYY-MM-DD/);
      expect(isLocalDate(text)).toBe(false);
    },
  );

  it.each(['2026-02-30', '2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32'])(
    'refuses %s: well formed but not a real calendar date',
    (text) => {
      expect(() => parseLocalDate(text)).toThrow(RangeError);
      expect(() => parseLocalDate(text)).toThrow(/not a real calendar date/);
      expect(isLocalDate(text)).toBe(false);
    },
  );
});

describe('addMonthsClamped: same day of month, clamped to the month’s last day', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'], // 2026 is not a leap year
    ['2028-01-31', 1, '2028-02-29'], // 2028 is
    ['2026-01-31', 2, '2026-03-31'], // the original 31st, not the 28th carried over from February
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-01-31', 4, '2026-05-31'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-01-29', 1, '2026-02-28'],
    ['2026-01-28', 1, '2026-02-28'],
    ['2026-03-15', 1, '2026-04-15'],
    ['2026-11-30', 3, '2027-02-28'], // across a year end
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-12-31', 12, '2027-12-31'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2026-01-31', 36, '2029-01-31'],
    ['2026-05-20', 0, '2026-05-20'],
  ] as const)('%s + %i months = %s', (from, months, expected) => {
    expect(addMonthsClamped(d(from), months)).toBe(expected);
  });

  it('clamps each month from the ORIGINAL day of month, not from the previous clamped date', () => {
    // Chaining month by month from the clamped 28 Feb would drift to the 28th for ever.
    const chained = addMonthsClamped(addMonthsClamped(d('2026-01-31'), 1), 1);
    expect(chained).toBe('2026-03-28');
    // Passing the original day of month keeps the 31st (or the month's last day).
    expect(addMonthsClamped(d('2026-02-28'), 1, 31)).toBe('2026-03-31');
    expect(addMonthsClamped(d('2026-02-28'), 2, 31)).toBe('2026-04-30');
    const series = Array.from({ length: 12 }, (_, i) => addMonthsClamped(d('2026-01-31'), i + 1));
    expect(series).toEqual([
      '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31',
      '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31', '2027-01-31',
    ]);
  });
});

describe('Asia/Shanghai dates of instants', () => {
  it('an instant after 16:00Z falls on the next Shanghai date (DOMAIN: 2026-10-09T16:30Z is made on 2026-10-10)', () => {
    expect(shanghaiDateOf(Date.parse('2026-10-09T16:30:00Z'))).toBe('2026-10-10');
    expect(shanghaiDateOf(new Date('2026-10-09T16:30:00Z'))).toBe('2026-10-10');
  });

  it('the last millisecond before 16:00Z is still the same Shanghai date', () => {
    expect(shanghaiDateOf(Date.parse('2026-10-09T15:59:59.999Z'))).toBe('2026-10-09');
    expect(shanghaiDateOf(Date.parse('2026-10-09T16:00:00.000Z'))).toBe('2026-10-10');
  });

  it('crosses year ends at 16:00Z', () => {
    expect(shanghaiDateOf(Date.parse('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(shanghaiDateOf(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('agrees with the platform’s Asia/Shanghai time zone over a sweep of instants', () => {
    const start = Date.parse('2025-12-25T00:00:00Z');
    const step = 37 * 60 * 1000 + 13_001; // not a divisor of a day, so every time of day is visited
    for (let ms = start; ms < start + 400 * 24 * 3600 * 1000; ms += step) {
      expect(shanghaiDateOf(ms)).toBe(shanghaiOracle.format(ms));
    }
  });

  it('endOfShanghaiDay is 24:00 Shanghai time, i.e. 16:00Z on the same date', () => {
    expect(endOfShanghaiDay(d('2026-10-09'))).toBe(Date.parse('2026-10-09T16:00:00Z'));
    expect(endOfShanghaiDay(d('2026-12-31'))).toBe(Date.parse('2026-12-31T16:00:00Z'));
    expect(startOfShanghaiDay(d('2026-10-10'))).toBe(Date.parse('2026-10-09T16:00:00Z'));
    // The end of a day is the first instant of the next day, and the day's last millisecond is still on it.
    expect(shanghaiDateOf(endOfShanghaiDay(d('2026-10-09')))).toBe('2026-10-10');
    expect(shanghaiDateOf(endOfShanghaiDay(d('2026-10-09')) - 1)).toBe('2026-10-09');
    expect(shanghaiDateOf(startOfShanghaiDay(d('2026-10-09')))).toBe('2026-10-09');
  });

  it('formatShanghaiInstant writes local time with +08:00 and denotes the same instant', () => {
    expect(formatShanghaiInstant(Date.parse('2026-10-09T16:00:00Z'))).toBe('2026-10-10T00:00:00+08:00');
    expect(formatShanghaiInstant(Date.parse('2026-10-09T16:30:00Z'))).toBe('2026-10-10T00:30:00+08:00');
    expect(formatShanghaiInstant(Date.parse('2026-10-09T15:59:59Z'))).toBe('2026-10-09T23:59:59+08:00');
    for (const iso of ['2026-01-01T00:00:00Z', '2026-06-30T23:59:59Z', '2028-02-28T17:45:12Z']) {
      const ms = Date.parse(iso);
      const text = formatShanghaiInstant(ms);
      expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(Date.parse(text)).toBe(ms);
    }
  });
});

describe('calendar arithmetic', () => {
  it('addDays, daysBetween and dayOfWeek', () => {
    expect(addDays(d('2026-10-10'), 30)).toBe('2026-11-09');
    expect(addDays(d('2026-02-28'), 1)).toBe('2026-03-01');
    expect(addDays(d('2028-02-28'), 1)).toBe('2028-02-29');
    expect(addDays(d('2026-12-31'), 1)).toBe('2027-01-01');
    expect(addDays(d('2026-03-01'), -1)).toBe('2026-02-28');
    expect(daysBetween(d('2026-01-01'), d('2027-01-01'))).toBe(365);
    expect(daysBetween(d('2028-01-01'), d('2029-01-01'))).toBe(366);
    expect(daysBetween(d('2026-10-10'), d('2026-10-01'))).toBe(-9);
    expect(dayOfWeek(d('2026-09-30'))).toBe(3); // Wednesday
    expect(dayOfWeek(d('2026-10-10'))).toBe(6); // Saturday
    expect(dayOfWeek(d('2026-09-20'))).toBe(0); // Sunday
  });

  it('compareDates orders ISO dates chronologically', () => {
    expect(compareDates(d('2026-09-30'), d('2026-10-01'))).toBe(-1);
    expect(compareDates(d('2026-10-01'), d('2026-09-30'))).toBe(1);
    expect(compareDates(d('2026-10-01'), d('2026-10-01'))).toBe(0);
  });
});

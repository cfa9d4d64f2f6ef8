import { describe, expect, it } from 'vitest';
import { packagedCalendar } from '../../../db/calendar/official-arrangements.js';
import { publicityWindow } from '../../../domain/publicity/window.js';
import { parseLocalDate, type LocalDate } from '../../../domain/time/local-date.js';
import { createWorkingDayCalendar } from '../../../domain/time/working-days.js';

const d = (text: string): LocalDate => parseLocalDate(text);
const calendar = packagedCalendar();

describe('the 公示 window: N working days counted from the day of publication, ending at 24:00 Shanghai', () => {
  it('counts the day of publication when it is a working day, skips a weekend and a holiday (hand-made calendar)', () => {
    // Monday 7 December declared a day off: Thu 3, Fri 4, (Sat 5, Sun 6, Mon 7 off), Tue 8, Wed 9, Thu 10.
    const withHoliday = createWorkingDayCalendar([{ year: 2026, holidays: [d('2026-12-07')], makeUpWorkdays: [] }]);
    expect(publicityWindow(withHoliday, d('2026-12-03'))).toEqual({
      workingDays: 5,
      publishedOn: d('2026-12-03'),
      firstDay: d('2026-12-03'),
      lastWorkingDay: d('2026-12-10'),
      opensAt: '2026-12-02T16:00:00.000Z',
      endsAt: '2026-12-10T16:00:00.000Z',
      provisional: false,
    });
  });

  it.each([
    // [published, working days, last working day, why]
    ['2026-12-03', 5, '2026-12-09', 'Thu 3, Fri 4, weekend, Mon 7, Tue 8, Wed 9'],
    ['2026-09-29', 5, '2026-10-10', 'National Day: Tue 29, Wed 30 Sep, 1–7 Oct off, Thu 8, Fri 9, Sat 10 Oct (调休)'],
    ['2026-02-12', 5, '2026-02-25', 'Spring Festival: Thu 12, Fri 13, Sat 14 Feb (调休), 15–23 off, Tue 24, Wed 25'],
    ['2026-12-05', 5, '2026-12-11', 'published on a Saturday: the count starts on Monday 7'],
    ['2026-10-03', 5, '2026-10-13', 'published on a holiday: Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13'],
    ['2026-12-07', 1, '2026-12-07', 'one working day: the day of publication itself'],
  ] as const)('published %s for %i working days → ends 24:00 on %s (%s)', (published, workingDays, last, _why) => {
    const window = publicityWindow(calendar, d(published), workingDays);
    expect(window.lastWorkingDay).toBe(last);
    expect(window.endsAt).toBe(new Date(Date.parse(`${last}T16:00:00.000Z`)).toISOString());
  });

  it('defaults to 5 working days', () => {
    expect(publicityWindow(calendar, d('2026-12-03')).workingDays).toBe(5);
  });

  it('is provisional when it runs into a year whose holidays are not loaded', () => {
    // Tue 29, Wed 30, Thu 31 Dec, (Fri 1 Jan 元旦, weekend), Mon 4, Tue 5 Jan.
    const window = publicityWindow(calendar, d('2026-12-29'));
    expect(window.lastWorkingDay).toBe('2027-01-05');
    expect(window.provisional).toBe(true);
  });

  it.each([0, 31, 2.5])('refuses %s working days', (n) => {
    expect(() => publicityWindow(calendar, d('2026-12-03'), n)).toThrow(RangeError);
  });
});

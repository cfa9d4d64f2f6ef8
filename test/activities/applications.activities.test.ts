import { describe, expect, it } from 'vitest';
import { createApplicationActivities } from '../../activities/applications.activities.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Db } from '../../db/client.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';

// The working-day window reads only the calendar; the database is never touched here.
const { computeWorkingDayWindow, computePublicityWindow } = createApplicationActivities({ db: undefined as unknown as Db, calendar: async () => packagedCalendar() });

describe('computeWorkingDayWindow: "within 5 working days" from the calendar data', () => {
  it('counts from the first working day after submission, skipping the National Day holiday and counting the 调休 Saturday', async () => {
    // Submitted Wed 30 Sep 2026: 8, 9, 10 (Sat, 调休), 12, 13 October.
    expect(await computeWorkingDayWindow({ startedOn: parseLocalDate('2026-09-30'), workingDays: 5 })).toEqual({
      workingDays: 5,
      startedOn: '2026-09-30',
      lastWorkingDay: '2026-10-13',
      deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-10-13'))).toISOString(),
      provisional: false,
    });
  });

  it('marks a window reaching a year without a loaded arrangement as provisional', async () => {
    // Mon 28 Dec + 5: 29, 30, 31 Dec, (Fri 1 Jan 元旦, a fixed-date holiday even before 2027 is loaded), Mon 4, Tue 5.
    const window = await computeWorkingDayWindow({ startedOn: parseLocalDate('2026-12-28'), workingDays: 5 });
    expect(window).toMatchObject({ lastWorkingDay: '2027-01-05', provisional: true });
  });

  it('refuses a count that is not a positive whole number, for good (no retry)', async () => {
    await expect(computeWorkingDayWindow({ startedOn: parseLocalDate('2026-09-30'), workingDays: 0 })).rejects.toMatchObject({ type: 'validation', nonRetryable: true });
  });
});

describe('computePublicityWindow: "公示 N 个工作日" from the calendar data', () => {
  it('counts the day of publication when it is a working day, skips the National Day holiday and counts the 调休 Saturday', async () => {
    // Published Wed 30 Sep 2026: 30 Sep, then 1–7 Oct off (8 Oct on), 9, 10 (调休 Saturday), 12 Oct.
    const window = await computePublicityWindow({ publishedOn: parseLocalDate('2026-09-30'), workingDays: 5 });
    expect(window).toMatchObject({ workingDays: 5, publishedOn: '2026-09-30', firstDay: '2026-09-30', lastWorkingDay: '2026-10-12', provisional: false });
    expect(window.endsAt).toBe(new Date(endOfShanghaiDay(parseLocalDate('2026-10-12'))).toISOString());
  });

  it('refuses a 公示 of no working days, for good (no retry)', async () => {
    await expect(computePublicityWindow({ publishedOn: parseLocalDate('2026-09-30'), workingDays: 0 })).rejects.toMatchObject({ type: 'validation', nonRetryable: true });
  });
});

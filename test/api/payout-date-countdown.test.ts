import { describe, expect, it } from 'vitest';
import { countdown, nextDayOf } from '../../api/views/countdown.view.js';
import { createWorkingDayCalendar } from '../../domain/time/working-days.js';
import { countingFor } from '../../domain/time/deadline-counting.js';
import { endOfShanghaiDay, parseLocalDate, startOfShanghaiDay } from '../../domain/time/local-date.js';

describe('the countdown of a monthly payout’s day', () => {
  it('is a date by the award’s schedule: not counted in working days, not 暂定 in a year without its holiday arrangement, never breached', () => {
    // No year loaded: a working-day count to 2027 would be 暂定.
    const calendar = createWorkingDayCalendar([]);
    const now = new Date('2026-12-04T02:00:00Z');
    expect(countingFor(null, 'next-payout')).toBe('payout-date');
    expect(countingFor(null, 'completeness-check')).toBe('working-days');
    expect(countingFor('applicant', 'supplement-reply')).toBe('calendar-days');
    expect(countdown(calendar, now, parseLocalDate('2027-03-15'), false, 'working-days').provisional).toBe(true);
    // A payout is issued at the start of its day (the lists read its day from that instant); a deadline ends at 24:00 of its own.
    expect(nextDayOf(new Date(startOfShanghaiDay(parseLocalDate('2027-03-15'))), 'payout-date')).toBe('2027-03-15');
    expect(nextDayOf(new Date(endOfShanghaiDay(parseLocalDate('2027-03-15'))), 'working-days')).toBe('2027-03-15');
    expect(countdown(calendar, now, parseLocalDate('2027-03-15'), false, countingFor(null, 'next-payout'))).toMatchObject({ counting: 'payout-date', dueOn: '2027-03-15', provisional: false, breached: false, workingDaysLeft: 0 });
  });
});

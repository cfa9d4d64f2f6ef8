import { describe, expect, it } from 'vitest';
import { dayPeriodEndsOn, dayPeriodReaches } from '../../domain/time/day-periods.js';
import { parseLocalDate } from '../../domain/time/local-date.js';

const d = parseLocalDate;

describe('a period given in days (the 补正 reply period)', () => {
  it('reaches the day that many calendar days after the day it was set, across months and years', () => {
    expect(dayPeriodReaches(d('2026-12-03'), 30)).toBe('2027-01-02');
    expect(dayPeriodReaches(d('2026-01-30'), 30)).toBe('2026-03-01');
  });

  it('keeps the bare count for a case recorded before rest days moved it', () => {
    expect(dayPeriodEndsOn(d('2026-12-03'), 30, undefined)).toBe('2027-01-02');
  });

  it('ends on the looked-up working day, also one counted the day before (a look-up that ran across midnight)', () => {
    expect(dayPeriodEndsOn(d('2026-12-03'), 30, { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-04') })).toBe('2027-01-04');
    expect(dayPeriodEndsOn(d('2026-12-04'), 30, { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-04') })).toBe('2027-01-04');
  });

  it.each([
    ['another number of days', { countedFrom: d('2026-12-03'), days: 10, endsOn: d('2027-01-04') }],
    ['counted from a later day', { countedFrom: d('2026-12-04'), days: 30, endsOn: d('2027-01-04') }],
    ['ending before the days reach', { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-01') }],
  ])('refuses a looked-up period of %s', (_, looked) => {
    expect(() => dayPeriodEndsOn(d('2026-12-03'), 30, looked)).toThrow(expect.objectContaining({ code: 'internal-check-failed', english: expect.stringMatching(/period of 30 days/) }));
  });
});

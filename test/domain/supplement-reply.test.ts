import { describe, expect, it } from 'vitest';
import { decideSupplementReplyRecomputed, evolveSupplementReply, provisionalReplyPeriod, replyPeriodRecorded, type OpenSupplement } from '../../domain/cases/supplement-reply.js';
import { parseLocalDate } from '../../domain/time/local-date.js';

const d = parseLocalDate;
const reason = { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'admin', displayName: '管理员' } };
const NOW = Date.parse('2026-12-20T02:00:00Z');
const told: OpenSupplement = { replyDueOn: d('2027-01-04'), replyPeriod: { countedFrom: d('2026-12-03'), days: 30, provisional: true } };

describe('a 补正 reply period counted again when its year is loaded', () => {
  it('records what a request keeps of its looked-up period: nothing for a period looked up before the mark', () => {
    expect(replyPeriodRecorded(undefined)).toEqual({});
    expect(replyPeriodRecorded({ countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-04') })).toEqual({});
    expect(replyPeriodRecorded({ countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-04'), provisional: true })).toEqual({ replyPeriod: told.replyPeriod });
  });

  it('takes the later day, final once the year is loaded', () => {
    const [event] = decideSupplementReplyRecomputed(told, { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-05'), provisional: false }, reason, NOW);
    expect(event).toEqual({
      type: 'SupplementReplyRecomputed',
      data: { previous: { replyDueOn: '2027-01-04', provisional: true }, current: { replyDueOn: '2027-01-05', provisional: false }, reason, at: '2026-12-20T02:00:00.000Z' },
    });
    const after = evolveSupplementReply(told, event!);
    expect(after).toEqual({ replyDueOn: '2027-01-05', replyPeriod: { ...told.replyPeriod, provisional: false } });
    expect(provisionalReplyPeriod(after)).toBeUndefined();
    expect(decideSupplementReplyRecomputed(after, { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-06'), provisional: false }, reason, NOW)).toEqual([]);
  });

  it('keeps the day the applicant was told when the count now ends earlier', () => {
    const [event] = decideSupplementReplyRecomputed(told, { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-02'), provisional: false }, reason, NOW);
    expect(event!.data.current).toEqual({ replyDueOn: '2027-01-04', provisional: false });
  });

  it('records nothing while the day stays where it was and provisional', () => {
    expect(decideSupplementReplyRecomputed(told, { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-04'), provisional: true }, reason, NOW)).toEqual([]);
  });

  it('refuses a recount of another period', () => {
    const refusal = (recounted: { countedFrom: string; days: number; endsOn: string }) => {
      try {
        decideSupplementReplyRecomputed(told, { countedFrom: d(recounted.countedFrom), days: recounted.days, endsOn: d(recounted.endsOn), provisional: false }, reason, NOW);
      } catch (error) {
        return (error as { english?: string }).english;
      }
      return 'nothing refused';
    };
    expect(refusal({ countedFrom: '2026-12-04', days: 30, endsOn: '2027-01-05' })).toBe('the recounted reply period must be the 30 days from 2026-12-03');
    expect(refusal({ countedFrom: '2026-12-03', days: 15, endsOn: '2027-01-05' })).toBe('the recounted reply period must be the 30 days from 2026-12-03');
    // Before the day the 30 days reach (Sat 2 Jan): not a count of this period.
    expect(refusal({ countedFrom: '2026-12-03', days: 30, endsOn: '2027-01-01' })).toBe('the recounted reply period must be the 30 days from 2026-12-03');
    expect(refusal({ countedFrom: '2026-12-03', days: 30, endsOn: '2027-01-02' })).toBe('nothing refused');
  });
});

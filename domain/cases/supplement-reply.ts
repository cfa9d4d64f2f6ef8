import { internalCheck } from '../errors.js';
import { dayPeriodReaches, type DayPeriod } from '../time/day-periods.js';
import type { LocalDate } from '../time/local-date.js';
import type { RecomputeReason } from './calendar-load.js';

/** What a case records of a 补正's reply period so it can count it again when the year is loaded. */
export interface ReplyPeriod {
  countedFrom: LocalDate;
  days: number;
  provisional: boolean;
}

/** What a 补正 request records of its looked-up period: nothing for a period looked up before `provisional` was. */
export function replyPeriodRecorded(looked: DayPeriod | undefined): { replyPeriod?: ReplyPeriod } {
  if (looked?.provisional === undefined) return {};
  return { replyPeriod: { countedFrom: looked.countedFrom, days: looked.days, provisional: looked.provisional } };
}

/** A 补正 as a case keeps it while the applicant has still to answer. */
export interface OpenSupplement {
  replyDueOn: LocalDate;
  /** Since the reply's last day is marked provisional; absent in requests recorded before. */
  replyPeriod?: ReplyPeriod;
}

/** The last day of a 补正's reply period, and whether it may still move. */
export interface ReplyDue {
  replyDueOn: LocalDate;
  provisional: boolean;
}

/**
 * A provisional reply period counted again once the holiday arrangement of its year is loaded, with
 * the day the applicant was told and the day that now holds (the loan's and the application's event alike).
 */
export interface SupplementReplyRecomputed {
  type: 'SupplementReplyRecomputed';
  data: { previous: ReplyDue; current: ReplyDue; reason: RecomputeReason; at: string };
}

/** The reply period of an open 补正 whose last day may still move when a year is loaded. */
export function provisionalReplyPeriod(supplement: OpenSupplement | undefined): ReplyPeriod | undefined {
  return supplement?.replyPeriod?.provisional ? supplement.replyPeriod : undefined;
}

/**
 * Once the year a provisional reply period ends in is loaded, its last day counted again replaces
 * the provisional one. The applicant was told the provisional day in writing, so the count may move
 * it later (a holiday the arrangement adds) but never earlier (a weekend the arrangement makes a
 * working day): nobody loses a day they were given. Recorded only when something changed.
 */
export function decideSupplementReplyRecomputed(supplement: OpenSupplement, recounted: DayPeriod, reason: RecomputeReason, now: number): SupplementReplyRecomputed[] {
  const period = provisionalReplyPeriod(supplement);
  if (!period) return [];
  if (recounted.countedFrom !== period.countedFrom || recounted.days !== period.days || recounted.endsOn < dayPeriodReaches(period.countedFrom, period.days)) {
    throw internalCheck(`the recounted reply period must be the ${period.days} days from ${period.countedFrom}`);
  }
  const later = recounted.endsOn > supplement.replyDueOn ? recounted.endsOn : supplement.replyDueOn;
  const current: ReplyDue = { replyDueOn: later, provisional: recounted.provisional ?? false };
  // Still provisional (another year was loaded) and on the same day: nothing to record.
  if (current.provisional && current.replyDueOn === supplement.replyDueOn) return [];
  return [{ type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: supplement.replyDueOn, provisional: true }, current, reason, at: new Date(now).toISOString() } }];
}

/** The open 补正 after its reply period was counted again. */
export function evolveSupplementReply<T extends OpenSupplement>(supplement: T, event: SupplementReplyRecomputed): T {
  const { current } = event.data;
  return { ...supplement, replyDueOn: current.replyDueOn, ...(supplement.replyPeriod ? { replyPeriod: { ...supplement.replyPeriod, provisional: current.provisional } } : {}) };
}

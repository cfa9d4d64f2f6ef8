import { internalCheck, validationError, type FieldIssue } from '../errors.js';
import { dayPeriodReaches, type DayPeriod } from '../time/day-periods.js';
import type { LocalDate } from '../time/local-date.js';
import { recountDue } from '../time/recount.js';
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
 * The reply period a year loaded counts again (domain/time/recount.ts): a provisional one, or, with
 * `corrections`, one counted through the year loaded. Requests recorded before periods were marked have none.
 */
export function replyPeriodDueRecount(supplement: OpenSupplement | undefined, reason: Pick<RecomputeReason, 'calendarYear'>, corrections = false): ReplyPeriod | undefined {
  const period = supplement?.replyPeriod;
  if (!period) return undefined;
  return recountDue({ startedOn: period.countedFrom, lastWorkingDay: supplement.replyDueOn, provisional: period.provisional }, reason, corrections) ? period : undefined;
}

/**
 * Once the year a provisional reply period ends in is loaded, its last day counted again replaces
 * the provisional one. The applicant was told the provisional day in writing, so the count may move
 * it later (a holiday the arrangement adds) but never earlier (a weekend the arrangement makes a
 * working day): nobody loses a day they were given. A final day the load corrects moves the same
 * way: later, or not at all. Recorded only when something changed.
 */
export function decideSupplementReplyRecomputed(supplement: OpenSupplement, recounted: DayPeriod, reason: RecomputeReason, now: number, corrections = false): SupplementReplyRecomputed[] {
  const period = replyPeriodDueRecount(supplement, reason, corrections);
  if (!period) return [];
  if (recounted.countedFrom !== period.countedFrom || recounted.days !== period.days || recounted.endsOn < dayPeriodReaches(period.countedFrom, period.days)) {
    throw internalCheck(`the recounted reply period must be the ${period.days} days from ${period.countedFrom}`);
  }
  if (!period.provisional && recounted.endsOn <= supplement.replyDueOn) return [];
  const later = recounted.endsOn > supplement.replyDueOn ? recounted.endsOn : supplement.replyDueOn;
  const current: ReplyDue = { replyDueOn: later, provisional: recounted.provisional ?? false };
  // Still provisional (another year was loaded) and on the same day: nothing to record.
  if (current.provisional && current.replyDueOn === supplement.replyDueOn) return [];
  return [{ type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: supplement.replyDueOn, provisional: period.provisional }, current, reason, at: new Date(now).toISOString() } }];
}

/** The open 补正 after its reply period was counted again. */
export function evolveSupplementReply<T extends OpenSupplement>(supplement: T, event: SupplementReplyRecomputed): T {
  const { current } = event.data;
  return { ...supplement, replyDueOn: current.replyDueOn, ...(supplement.replyPeriod ? { replyPeriod: { ...supplement.replyPeriod, provisional: current.provisional } } : {}) };
}

/**
 * What is wrong with a 补正 reply, every problem at once (一次告知), each at its field: an item the
 * request listed and the reply does not answer (at the list of answers, one issue an item), and an
 * answer to an item not asked for (a slip, or the same item renamed, which would otherwise be
 * recorded beside the request and read as answered), at that answer's item. `legacy` while a
 * history recorded before `supplement-answers-as-requested` replays: answers to other items were
 * then taken, and a replay decides as it did. Reads the answers defensively: the action route asks
 * it of a body that may still be malformed elsewhere, to tell these with the body's own problems.
 */
export function supplementReplyProblems(requested: readonly string[], responses: readonly unknown[], legacy: boolean): { missing: string[]; unasked: { item: string; index: number }[]; issues: FieldIssue[] } {
  const answers = responses.map((r, index) => {
    const answer = (r ?? {}) as { item?: unknown; response?: unknown };
    return { index, item: typeof answer.item === 'string' ? answer.item : undefined, answered: typeof answer.response === 'string' && answer.response.trim() !== '' };
  });
  const answered = new Set(answers.filter((a) => a.answered).map((a) => a.item));
  const missing = requested.filter((item) => !answered.has(item));
  // An answer left blank is its own field's problem (不能为空, told by the body's check): the list is told only of items it lacks.
  const present = new Set(answers.map((a) => a.item));
  const absent = missing.filter((item) => !present.has(item));
  const asked = new Set(requested);
  const unasked = legacy ? [] : answers.filter((a) => a.item !== undefined && !asked.has(a.item)).map((a) => ({ item: a.item!, index: a.index }));
  return {
    missing,
    unasked,
    issues: [
      ...absent.map((item) => ({ field: 'responses', message: `尚未答复“${item}”`, code: 'supplement-reply-incomplete', english: `no answer for “${item}”` })),
      ...unasked.map((u) => ({ field: `responses.${u.index}.item`, message: `补正通知没有要求“${u.item}”`, code: 'supplement-item-not-requested', english: 'not an item of the 补正 request' })),
    ],
  };
}

/**
 * A 补正 reply answers every item the request listed, and only those; refused with every problem
 * at once (supplementReplyProblems).
 */
export function checkSupplementReply(requested: readonly string[], responses: readonly { item: string; response: string }[], legacy: boolean): void {
  const { missing, unasked } = supplementReplyProblems(requested, responses, legacy);
  if (missing.length === 0 && unasked.length === 0) return;
  // Each answer blank or missing at its own field: a blank answer at its row, a missing one at the list.
  const issues: FieldIssue[] = [
    ...missing.map((item) => {
      const row = responses.findIndex((r) => r.item === item);
      return row >= 0
        ? { field: `responses.${row}.response`, message: `尚未答复“${item}”`, code: 'supplement-reply-incomplete', english: `no answer for “${item}”` }
        : { field: 'responses', message: `尚未答复“${item}”`, code: 'supplement-reply-incomplete', english: `no answer for “${item}”` };
    }),
    ...unasked.map((u) => ({ field: `responses.${u.index}.item`, message: `补正通知没有要求“${u.item}”`, code: 'supplement-item-not-requested', english: 'not an item of the 补正 request' })),
  ];
  const said = [
    ...(missing.length ? [`补正须逐项答复全部缺件，尚未答复：${missing.join('、')}`] : []),
    ...(unasked.length ? [`补正通知没有要求：${unasked.map((u) => `“${u.item}”`).join('、')}，请只逐项答复通知列明的缺件（${requested.join('、')}），其他材料可在答复中说明`] : []),
  ];
  const english = [
    ...(missing.length ? [`the reply must answer every requested item; not answered: ${missing.join('、')}`] : []),
    ...(unasked.length ? [`the 补正 request did not ask for: ${unasked.map((u) => u.item).join(', ')}; answer only the items it lists`] : []),
  ];
  throw validationError(
    {
      code: missing.length ? 'supplement-reply-incomplete' : 'supplement-item-not-requested',
      zh: issues.length > 1 ? `补正答复有 ${issues.length} 处需要修改：${said.join('；')}。` : `${said[0]}。`,
      en: english.join('; '),
      params: { ...(missing.length ? { missing: missing.join('、') } : {}), ...(unasked.length ? { unasked: unasked.map((u) => u.item).join('、') } : {}) },
    },
    issues,
  );
}

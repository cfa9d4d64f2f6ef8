import type { RecomputeReason } from '../domain/cases/calendar-load.js';
import { decideSupplementReplyRecomputed, provisionalReplyPeriod, replyPeriodDueRecount, supplementReplyProblems, type OpenSupplement, type SupplementReplyRecomputed } from '../domain/cases/supplement-reply.js';
import type { FieldIssue } from '../domain/errors.js';
import { dayPeriodReaches, type DayPeriod } from '../domain/time/day-periods.js';
import { addDays, chineseDate, shanghaiDateOf, type LocalDate } from '../domain/time/local-date.js';
import type { DecisionSupport } from './case-module.js';

/**
 * A 补正 reply period that reaches a rest day ends on the next working day (民法典 第二百零三条).
 * Cases that requested a 补正 before this change replay without the look-up and keep the bare count.
 */
export const SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH = 'supplement-reply-on-working-day';

/**
 * A reply period that ends in a year whose holiday arrangement is not loaded is recorded as
 * provisional, and counted again when that year is loaded. Cases that requested a 补正 before this
 * change recorded no such mark, and ask nothing when a year is loaded.
 */
export const SUPPLEMENT_REPLY_PROVISIONAL_PATCH = 'supplement-reply-provisional';

/**
 * A 补正 reply answers only the items its request listed (domain/cases/supplement-reply.ts
 * checkSupplementReply). Replies recorded before this change took answers to other items, and replay so.
 */
export const SUPPLEMENT_ANSWERS_AS_REQUESTED_PATCH = 'supplement-answers-as-requested';

/** The period's last day, looked up in the calendar: the first working day on or after the day the days reach. */
async function lookUpDayPeriod(countedFrom: LocalDate, days: number, ask: DecisionSupport): Promise<DayPeriod> {
  // The first working day after the day before the days reach: that day itself when it is a working day.
  const window = await ask.lookups.computeWorkingDayWindow({ startedOn: addDays(dayPeriodReaches(countedFrom, days), -1), workingDays: 1 });
  return { countedFrom, days, endsOn: window.lastWorkingDay, ...(ask.patched(SUPPLEMENT_REPLY_PROVISIONAL_PATCH) ? { provisional: window.provisional } : {}) };
}

/**
 * For a 补正 request: the reply period of `days` days from today. Undefined when replaying a history
 * recorded before the look-up.
 */
export async function supplementReplyPeriod(days: number, ask: DecisionSupport): Promise<{ supplementReply?: DayPeriod }> {
  if (!ask.patched(SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH)) return {};
  return { supplementReply: await lookUpDayPeriod(shanghaiDateOf(ask.now()), days, ask) };
}

/**
 * When a year is loaded, for a case awaiting a 补正 whose reply's last day is provisional (or, with
 * `corrections`, was counted through the year loaded): the period counted again (through the
 * look-up, so the answer is in history) and what changed. Nothing else is asked.
 */
export async function recountSupplementReply(supplement: OpenSupplement | undefined, reason: RecomputeReason, ask: DecisionSupport, corrections = false): Promise<SupplementReplyRecomputed[]> {
  const period = replyPeriodDueRecount(supplement, reason, corrections);
  if (!period) return [];
  const recounted = await lookUpDayPeriod(period.countedFrom, period.days, ask);
  return decideSupplementReplyRecomputed(supplement!, recounted, reason, ask.now(), corrections);
}

/** The timeline's title of the recount, in both case types' labels. */
export const SUPPLEMENT_REPLY_RECOMPUTED_LABEL = '按节假日安排重新确定补正期限';

/** What the applicant's 补正 form says above the answers: the round, the day to answer by, and whether that day may still move. */
export function supplementReplyHint(round: number, supplement: OpenSupplement): string {
  const provisional = provisionalReplyPeriod(supplement) ? '该日期为暂定：所在年度的节假日安排公布后重新确定，不会提前。' : '';
  return `第 ${round} 次补正：请逐项答复，于${chineseDate(supplement.replyDueOn)}（含）前提交；逾期未提交视为撤回申请。${provisional}`;
}

/**
 * A 补正 reply's items against those the open request listed, for the action route to tell with
 * the body's own problems (a blank answer, a file not found) in one answer. Nothing while no 补正
 * is open: the step's refusal is the decider's. An item that is not text, or blank, is the body's
 * own problem, not an item the request did not list.
 */
export function supplementReplyBodyIssues(supplement: { missingItems: readonly string[] } | undefined, body: Record<string, unknown>): readonly FieldIssue[] {
  if (!supplement || !Array.isArray(body.responses)) return [];
  const answers = (body.responses as unknown[]).map((r) => {
    const item = (r as { item?: unknown } | null)?.item;
    return typeof item === 'string' && item.trim() !== '' ? r : { ...(r as object), item: undefined };
  });
  return supplementReplyProblems(supplement.missingItems, answers, false).issues;
}

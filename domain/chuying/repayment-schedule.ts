import { chineseAmount, divideRoundHalfUp, formatFen, type Fen } from '../money/fen.js';
import { addMonthsClamped, dateParts, type LocalDate } from '../time/local-date.js';
import { workingDayOnOrAfter, type WorkingDayCalendar } from '../time/working-days.js';
import { validationError, type Wording } from '../errors.js';

export interface ScheduledInstalment {
  number: number;
  /** The day the instalment falls due, moved off non-working days. */
  dueOn: LocalDate;
  amountFen: Fen;
  /** The due date falls in (or was moved across) a year whose holiday arrangement is not loaded. */
  provisional: boolean;
}

/**
 * Interest-free equal instalments (等额本息免息): principal ÷ N rounded half up to the fen for
 * instalments 1…N-1; the last takes the remainder so that the sum is exactly the principal.
 */
export function instalmentAmounts(principalFen: Fen, count: number): Fen[] {
  if (!Number.isSafeInteger(principalFen) || principalFen <= 0) {
    throw validationError({ code: 'principal-invalid', zh: '贷款本金须大于 0 元，最多精确到分。', en: `principal must be a positive whole number of fen, got ${principalFen}`, params: { principalFen } });
  }
  const tooSmall = tooSmallToRepay(principalFen, count);
  if (tooSmall) throw validationError(tooSmall);
  const regular = divideRoundHalfUp(principalFen, count);
  const last = principalFen - regular * (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? last : regular));
}

/**
 * Why a principal cannot be repaid in `count` equal instalments (each at least a fen, the last taking
 * the remainder), or undefined when it can. Not only the smallest sums: 0.54 to 0.70 yuan round each
 * instalment up to 0.02 and leave the last nothing. The rule the loan's application and approval are
 * held to, so that no approved loan is left unable to be disbursed (an outside tester's 0.35 yuan was).
 */
export function tooSmallToRepay(principalFen: Fen, count: number): Wording | undefined {
  const regular = divideRoundHalfUp(principalFen, count);
  if (regular > 0 && principalFen - regular * (count - 1) > 0) return undefined;
  return {
    code: 'principal-too-small',
    zh: `贷款本金 ${chineseAmount(principalFen)}太少，不能分 ${count} 期偿还。`,
    en: `principal ${formatFen(principalFen)} is too small to repay in ${count} instalments`,
    params: { principalFen, instalments: count },
  };
}

/**
 * Due dates: the disbursement's day of month in each following month, clamped to the month's
 * last day, and moved to the next working day when it is not one.
 */
export function repaymentSchedule(
  calendar: WorkingDayCalendar,
  principalFen: Fen,
  disbursedOn: LocalDate,
  count: number,
): ScheduledInstalment[] {
  const amounts = instalmentAmounts(principalFen, count);
  const dayOfMonth = dateParts(disbursedOn).day;
  return amounts.map((amountFen, index) => {
    const contractual = addMonthsClamped(disbursedOn, index + 1, dayOfMonth);
    const due = workingDayOnOrAfter(calendar, contractual);
    return { number: index + 1, dueOn: due.value, amountFen, provisional: due.provisional };
  });
}

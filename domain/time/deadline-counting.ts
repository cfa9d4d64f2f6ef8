/**
 * How a deadline is counted: an official's time limit in working days (办理时限, from the State
 * Council's holiday arrangement); a period the applicant keeps — the 30 days to answer a 补正, a
 * repayment's due day — in calendar days; and a payout's day, which is no time limit at all but a
 * calendar date by the award's schedule (a monthly subsidy paid on the 15th): shown as that date, with
 * no countdown and never 暂定.
 */
export type Counting = 'working-days' | 'calendar-days' | 'payout-date';

/** The kinds of a case's next date that are a payout by its schedule (domain/applications/decide.ts applicationNextStep). */
export const PAYOUT_DATE_KINDS: readonly string[] = ['next-payout'];

/**
 * The kinds of a case's next date that are the applicant's own day whoever moves next: a 雏鹰
 * instalment's due day stays the loan's deadline while the fund checks a reported repayment.
 */
export const CALENDAR_DAY_KINDS: readonly string[] = ['instalment'];

/**
 * The counting of a case's next deadline: a payout's date as a date; an instalment's day in days;
 * otherwise by whose move it is, the applicant's periods in days.
 */
export function countingFor(waitingForRole: string | null | undefined, deadlineKind?: string | null): Counting {
  if (deadlineKind && PAYOUT_DATE_KINDS.includes(deadlineKind)) return 'payout-date';
  if (deadlineKind && CALENDAR_DAY_KINDS.includes(deadlineKind)) return 'calendar-days';
  return waitingForRole === 'applicant' ? 'calendar-days' : 'working-days';
}

/** The kind of the next deadline a case's view model gives (`details.deadline.kind`), where it gives one. */
export function deadlineKindOf(details: unknown): string | undefined {
  const deadline = (details as { deadline?: { kind?: unknown } | null } | null | undefined)?.deadline;
  return typeof deadline?.kind === 'string' ? deadline.kind : undefined;
}

/**
 * What a case's next date is, in the words of its page and of 办件进度查询: a payout's day, the borrower's
 * next instalment (with a repayment report waiting for the fund it had read as the fund's time limit), or a time limit.
 */
export function deadlineTermOf(deadlineKind: string | null | undefined): '下一笔发放' | '下一期应还日' | '办理期限' {
  if (deadlineKind && PAYOUT_DATE_KINDS.includes(deadlineKind)) return '下一笔发放';
  if (deadlineKind === 'instalment') return '下一期应还日';
  return '办理期限';
}

/**
 * How a deadline is counted: an official's time limit in working days (办理时限, from the State
 * Council's holiday arrangement); a period the applicant keeps — the 30 days to answer a 补正, a
 * repayment's due day — in calendar days.
 */
export type Counting = 'working-days' | 'calendar-days';

/** The counting of a case's next deadline by whose move it is: the applicant's periods are in days. */
export function countingFor(waitingForRole: string | null | undefined): Counting {
  return waitingForRole === 'applicant' ? 'calendar-days' : 'working-days';
}

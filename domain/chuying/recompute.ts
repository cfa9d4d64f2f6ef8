import type { RecomputeReason } from '../cases/calendar-load.js';
import { internalCheck } from '../errors.js';
import type { ChuyingLoanEvent, InstalmentDueDateChange } from './events.js';
import type { ScheduledInstalment } from './repayment-schedule.js';
import type { ChuyingLoanState } from './state.js';
import type { WorkingDayCount } from '../time-limits/step-time-limit.js';
import { recountDue, recountReplaces } from '../time/recount.js';

/** Instalments whose due date may still move: provisional, not yet paid off, not yet overdue. */
export function provisionalOpenInstalments(state: ChuyingLoanState) {
  if (state.status !== 'repaying') return [];
  return state.instalments.filter((i) => i.provisional && i.paidFen < i.amountFen && !i.overdueSince);
}

/**
 * Final due dates, open and not yet overdue, in the year a load corrects: the contract's own rule (a
 * due date on a day off is the next working day) may put them later once the year is corrected. An
 * outsider added a holiday to a loaded year and instalment 3 stayed due on it, while the same loan
 * disbursed after the correction was due the next working day.
 */
export function finalOpenInstalmentsIn(state: ChuyingLoanState, calendarYear: number) {
  if (state.status !== 'repaying') return [];
  return state.instalments.filter((i) => !i.provisional && i.paidFen < i.amountFen && !i.overdueSince && i.dueOn.startsWith(`${calendarYear}-`));
}

/**
 * Once a year's arrangement is loaded, the schedule recomputed from the same disbursement replaces
 * the provisional due dates of open instalments; each change is recorded with its old and new value.
 * A final due date moves only when `finalsLaterIn` names its year (a correction of it, since
 * LOAN_DUE_DATES_FOLLOW_CORRECTIONS_PATCH), and only later, never earlier: the day was the
 * borrower's, and taking it away would put a payment made on it out of time.
 */
export function decideInstalmentDueDatesRecomputed(
  state: ChuyingLoanState,
  recomputed: readonly ScheduledInstalment[],
  reason: RecomputeReason,
  now: number,
  finalsLaterIn?: number,
): ChuyingLoanEvent[] {
  const finals = finalsLaterIn === undefined ? [] : finalOpenInstalmentsIn(state, finalsLaterIn);
  const open = [...provisionalOpenInstalments(state), ...finals].sort((a, b) => a.number - b.number);
  if (open.length === 0) return [];
  const byNumber = new Map(recomputed.map((i) => [i.number, i]));
  const changes: InstalmentDueDateChange[] = [];
  for (const instalment of open) {
    const fresh = byNumber.get(instalment.number);
    if (!fresh || fresh.amountFen !== instalment.amountFen) {
      throw internalCheck(`the recomputed schedule does not match instalment ${instalment.number} of case ${state.referenceNo}`);
    }
    // A final date moves to a final later one only.
    if (!instalment.provisional && (fresh.provisional || fresh.dueOn <= instalment.dueOn)) continue;
    if (fresh.dueOn !== instalment.dueOn || fresh.provisional !== instalment.provisional) {
      changes.push({ number: instalment.number, previous: { dueOn: instalment.dueOn, provisional: instalment.provisional }, current: { dueOn: fresh.dueOn, provisional: fresh.provisional } });
    }
  }
  return changes.length === 0 ? [] : [{ type: 'InstalmentDueDatesRecomputed', data: { changes, reason, at: new Date(now).toISOString() } }];
}

/**
 * Once the holiday arrangement of a year the open completeness window counted on weekends only is
 * loaded, or a year it was counted through is corrected (domain/time/recount.ts), the window counted
 * again (by the look-up) replaces it, with the 网信 review's limit counted from its new last day;
 * recorded only when something changed, and a final window only moves later.
 */
export function decideCompletenessWindowRecomputed(
  state: ChuyingLoanState,
  recomputed: WorkingDayCount,
  limitIfDeemedComplete: WorkingDayCount | undefined,
  reason: RecomputeReason,
  now: number,
  corrections = false,
): ChuyingLoanEvent[] {
  const previous = state.completeness;
  if (state.status !== 'completeness-check' || !previous || !recountDue(previous, reason, corrections)) return [];
  if (previous.lastWorkingDay === recomputed.lastWorkingDay && previous.deadlineAt === recomputed.deadlineAt && previous.provisional === recomputed.provisional) return [];
  if (!recountReplaces(previous, recomputed, corrections ? reason.calendarYear : undefined)) return [];
  return [{ type: 'CompletenessWindowRecomputed', data: { previous, current: recomputed, ...(limitIfDeemedComplete ? { limitIfDeemedComplete } : {}), reason, at: new Date(now).toISOString() } }];
}

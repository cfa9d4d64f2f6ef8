import type { RecomputeReason } from '../cases/calendar-load.js';
import { illegalState } from '../errors.js';
import type { ChuyingLoanEvent, InstalmentDueDateChange } from './events.js';
import type { ScheduledInstalment } from './repayment-schedule.js';
import type { ChuyingLoanState } from './state.js';

/** Instalments whose due date may still move: provisional, not yet paid off, not yet overdue. */
export function provisionalOpenInstalments(state: ChuyingLoanState) {
  if (state.status !== 'repaying') return [];
  return state.instalments.filter((i) => i.provisional && i.paidFen < i.amountFen && !i.overdueSince);
}

/**
 * Once a year's arrangement is loaded, the schedule recomputed from the same disbursement replaces
 * the provisional due dates of open instalments; each change is recorded with its old and new value.
 * Due dates that were final stay as they are (a loaded override never moves a final date silently).
 */
export function decideInstalmentDueDatesRecomputed(
  state: ChuyingLoanState,
  recomputed: readonly ScheduledInstalment[],
  reason: RecomputeReason,
  now: number,
): ChuyingLoanEvent[] {
  const open = provisionalOpenInstalments(state);
  if (open.length === 0) return [];
  const byNumber = new Map(recomputed.map((i) => [i.number, i]));
  const changes: InstalmentDueDateChange[] = [];
  for (const instalment of open) {
    const fresh = byNumber.get(instalment.number);
    if (!fresh || fresh.amountFen !== instalment.amountFen) {
      throw illegalState(`the recomputed schedule does not match instalment ${instalment.number} of case ${state.referenceNo}`);
    }
    if (fresh.dueOn !== instalment.dueOn || fresh.provisional !== instalment.provisional) {
      changes.push({ number: instalment.number, previous: { dueOn: instalment.dueOn, provisional: instalment.provisional }, current: { dueOn: fresh.dueOn, provisional: fresh.provisional } });
    }
  }
  return changes.length === 0 ? [] : [{ type: 'InstalmentDueDatesRecomputed', data: { changes, reason, at: new Date(now).toISOString() } }];
}

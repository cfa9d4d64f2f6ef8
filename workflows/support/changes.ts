import { patched } from '@temporalio/workflow';

/**
 * The one marker a case opened since 2026-12-03 records for all the changes below.
 *
 * Each `patched()` a case reaches for the first time adds a marker to its history, and Temporal adds
 * an update of the `TemporalChangeVersion` search attribute with it: two history events and a
 * visibility write per change, on every new case (a new 雏鹰 loan reached six, about 27 ms of the
 * server's CPU on the dev server; README, Benchmarks).
 * A case that runs live with this code takes every change listed here anyway (a patch is true on a
 * live run), so it records this marker once and asks for none of the others.
 *
 * A history that holds this marker took every change listed; one that does not is replayed against
 * the markers it does hold, change by change, as before. A change added after this list is asked for
 * by its own name: a case that recorded this marker before the change existed never took it.
 */
export const CHANGES_TO_2026_12_03 = 'case-changes-to-2026-12-03';

/** The changes that `CHANGES_TO_2026_12_03` stands for; never add one (see above). */
export const CHANGES_IN_ONE_MARKER: ReadonlySet<string> = new Set([
  'case-search-attributes',
  'decision-letters',
  'continue-as-new-when-long',
  'step-time-limits',
  'step-limit-on-arrival',
  'chuying-one-loan-per-company',
  'money-recorded-once',
  'recompute-provisional-instalments',
  'supplement-reply-on-working-day',
  'register-facts',
  'left-yangpu-date-bounded',
  'publicity-recount',
  'batch-award-check',
  'application-calls',
  'panel-withdrawals',
]);

/**
 * Temporal's `patched(changeId)` for case workflows: true where the case runs with the change (a
 * case live now, or a history that recorded the change's marker or the one marker above).
 */
export function hasChange(changeId: string): boolean {
  return (CHANGES_IN_ONE_MARKER.has(changeId) && patched(CHANGES_TO_2026_12_03)) || patched(changeId);
}

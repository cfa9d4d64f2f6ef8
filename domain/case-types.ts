import type { ApplicationEvent } from './applications/events.js';
import { evolveApplication, initialApplicationState } from './applications/state.js';
import type { ChuyingLoanEvent } from './chuying/events.js';
import { evolveChuyingLoan, initialChuyingLoanState } from './chuying/state.js';
import type { DramaFilingEvent } from './drama-filing/events.js';
import { evolveDramaFiling, initialDramaFilingState } from './drama-filing/state.js';

/**
 * How each case type's state is folded from its events: the same fold the workflow uses live, the
 * projections use for read models, and the auditor uses to show a case as of any moment.
 * The key is the event stream's type (`streams.stream_type`, `cases.case_type`).
 */
export interface CaseFold<State = unknown> {
  initial(): State;
  evolve(state: State, event: { type: string; data: Record<string, unknown> }): State;
}

export const CASE_FOLDS: Record<string, CaseFold> = {
  'chuying-loan': {
    initial: initialChuyingLoanState,
    evolve: (state, event) => evolveChuyingLoan(state as ReturnType<typeof initialChuyingLoanState>, event as unknown as ChuyingLoanEvent),
  } satisfies CaseFold,
  // Both drama filings share one fold; the filing type is in the submission.
  'drama-planning-filing': dramaFilingFold(),
  'drama-release-filing': dramaFilingFold(),
  // Every programme application (awards and services of the catalogue); the programme is in the submission.
  application: {
    initial: initialApplicationState,
    evolve: (state, event) => evolveApplication(state as ReturnType<typeof initialApplicationState>, event as unknown as ApplicationEvent),
  } satisfies CaseFold,
};

function dramaFilingFold(): CaseFold {
  return {
    initial: initialDramaFilingState,
    evolve: (state, event) => evolveDramaFiling(state as ReturnType<typeof initialDramaFilingState>, event as unknown as DramaFilingEvent),
  };
}

export function foldCase(caseType: string, events: readonly { type: string; data: Record<string, unknown> }[]): unknown {
  const fold = CASE_FOLDS[caseType];
  if (!fold) throw new RangeError(`no fold is registered for case type ${caseType}`);
  return events.reduce((state, event) => fold.evolve(state, event), fold.initial());
}

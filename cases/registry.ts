import type { CaseModule } from './case-module.js';
import { applicationCase } from './application.case.js';
import { callCase } from './call.case.js';
import { chuyingLoanCase } from './chuying-loan.case.js';
import { dramaFilingCase } from './drama-filing.case.js';
import { recoveryCase } from './recovery.case.js';

/**
 * Every case type the system runs. The driver (workflows/case.workflow.ts), the action route, the
 * read model and the web UI take a case type from here; adding one is a module and a line below
 * (and its workflow's name in workflows/index.ts).
 */
export const CASE_MODULES: readonly CaseModule[] = [chuyingLoanCase as unknown as CaseModule, applicationCase as unknown as CaseModule, dramaFilingCase as unknown as CaseModule, recoveryCase as unknown as CaseModule, callCase as unknown as CaseModule];

/** The module that owns a stream type (`cases.case_type`), if any. */
export function moduleForStreamType(streamType: string): CaseModule | undefined {
  return CASE_MODULES.find((m) => m.streamTypes.includes(streamType));
}

/** The module of a case type named in a URL or a row. */
export function moduleForCaseType(caseType: string): CaseModule | undefined {
  return CASE_MODULES.find((m) => m.caseType === caseType) ?? moduleForStreamType(caseType);
}

/** How a stream type's events fold into its case's state: the same fold the workflow, the projections and the auditor use. */
export interface CaseFold<State = unknown> {
  initial(): State;
  evolve(state: State, event: { type: string; data: Record<string, unknown> }): State;
}

/** Every stream type's fold, from the modules that own them (the auditor's as-of view and replay may add their own). */
export const CASE_FOLDS: Record<string, CaseFold> = Object.fromEntries(
  CASE_MODULES.flatMap((module) =>
    module.streamTypes.map((streamType) => [
      streamType,
      { initial: module.initialState, evolve: (state, event) => module.evolve(state as ReturnType<typeof module.initialState>, event) } satisfies CaseFold,
    ]),
  ),
);

export function foldCase(caseType: string, events: readonly { type: string; data: Record<string, unknown> }[]): unknown {
  const fold = CASE_FOLDS[caseType];
  if (!fold) throw new RangeError(`no fold is registered for case type ${caseType}`);
  return events.reduce((state, event) => fold.evolve(state, event), fold.initial());
}

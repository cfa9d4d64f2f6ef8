import type { CaseFold } from './registry.js';

/**
 * Each stream type's fold, loaded on its own: a thread that only folds (a verification worker,
 * audit/verify-worker.ts) need not load every case module's actions, views and letters, which cost
 * such a thread about 0.4 s of its start. Each is the case module's own `initialState` and `evolve`
 * (test/cases/folds.test.ts checks, and that every stream type of CASE_MODULES is here).
 */
const FOLD_LOADERS: Record<string, () => Promise<CaseFold>> = {
  'chuying-loan': async () => {
    const { initialChuyingLoanState, evolveChuyingLoan } = await import('../domain/chuying/state.js');
    return asFold(initialChuyingLoanState, evolveChuyingLoan);
  },
  application: async () => {
    const { initialApplicationState, evolveApplication } = await import('../domain/applications/state.js');
    return asFold(initialApplicationState, evolveApplication);
  },
  call: async () => {
    const { initialCallState, evolveCall } = await import('../domain/calls/state.js');
    return asFold(initialCallState, evolveCall);
  },
  'drama-planning-filing': dramaFilingFold,
  'drama-release-filing': dramaFilingFold,
  // A recovery's fold lives in its module.
  recovery: async () => {
    const { recoveryCase } = await import('./recovery.case.js');
    return asFold(recoveryCase.initialState, recoveryCase.evolve);
  },
};

async function dramaFilingFold(): Promise<CaseFold> {
  const { initialDramaFilingState, evolveDramaFiling } = await import('../domain/drama-filing/state.js');
  return asFold(initialDramaFilingState, evolveDramaFiling);
}

function asFold<State, Event>(initial: () => State, evolve: (state: State, event: Event) => State): CaseFold {
  return { initial, evolve } as unknown as CaseFold;
}

export const FOLDED_STREAM_TYPES: readonly string[] = Object.keys(FOLD_LOADERS);

/** The fold of a stream type, loading only the modules it needs. */
export async function loadFold(streamType: string): Promise<CaseFold> {
  const load = FOLD_LOADERS[streamType];
  if (!load) throw new RangeError(`no fold is registered for case type ${streamType}`);
  return load();
}

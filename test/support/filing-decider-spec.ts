import type { DramaFilingAction, FilingActionContext } from '../../domain/drama-filing/commands.js';
import { decideFilingAction, decideFilingTimeElapsed } from '../../domain/drama-filing/decide.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { foldDramaFiling, type DramaFilingState } from '../../domain/drama-filing/state.js';
import { outcome } from './decider-spec.js';

/**
 * Given/when/then for the drama-filing decider, like decider-spec.ts for loans:
 *
 *   givenFiling(history).when(action, { actor, now }).then([...expected events])
 *   givenFiling(history).when(action, { actor, now }).thenThrows('forbidden', 'claimed')
 *   givenFiling(history).whenTimeIs(instant).then([...])
 */
export function givenFiling(history: readonly DramaFilingEvent[]) {
  const state: DramaFilingState = foldDramaFiling(history);
  return {
    state,
    when: (action: DramaFilingAction, context: FilingActionContext) => outcome(() => decideFilingAction(state, action, context)),
    whenTimeIs: (now: number) => outcome(() => decideFilingTimeElapsed(state, now)),
  };
}

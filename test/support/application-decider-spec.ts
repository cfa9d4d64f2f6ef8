import type { ApplicationActionContext, ApplicationCommand } from '../../domain/applications/commands.js';
import { decideApplicationAction, decideApplicationTimeElapsed } from '../../domain/applications/decide.js';
import type { ApplicationEvent } from '../../domain/applications/events.js';
import { foldApplication, type ApplicationState } from '../../domain/applications/state.js';
import { outcome as decidedOutcome } from './decider-spec.js';

/**
 * Given/when/then for the programme application decider:
 *
 *   given(history).when(action, { actor, now }).then([...expected events])
 *   given(history).when(action, { actor, now }).thenThrows('forbidden', '四眼原则')
 *   given(history).whenTimeIs(instant).then([...])
 *   given(history).whenTimeIs(instant, () => false).then([...])   (granted by time, before PAYOUTS_RECORDED_PATCH)
 */
export function given(history: readonly ApplicationEvent[]) {
  const state: ApplicationState = foldApplication(history);
  return {
    state,
    when: (action: ApplicationCommand, context: ApplicationActionContext) => outcome(state, () => decideApplicationAction(state, action, context)),
    /** `paidOnRecord`: the workflow's answer where time grants an award (() => false: a history recorded before payouts were recorded). */
    whenTimeIs: (now: number, paidOnRecord?: () => boolean) => outcome(state, () => decideApplicationTimeElapsed(state, now, paidOnRecord)),
  };
}

function outcome(state: ApplicationState, decide: () => ApplicationEvent[]) {
  return {
    ...decidedOutcome(decide),
    /** The state after the decided events. */
    state: (): ApplicationState => foldApplication(decide(), state),
  };
}

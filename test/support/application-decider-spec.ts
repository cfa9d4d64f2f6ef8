import { expect } from 'vitest';
import type { ApplicationAction, ApplicationActionContext } from '../../domain/applications/commands.js';
import { decideApplicationAction, decideApplicationTimeElapsed } from '../../domain/applications/decide.js';
import type { ApplicationEvent } from '../../domain/applications/events.js';
import { foldApplication, type ApplicationState } from '../../domain/applications/state.js';
import { DomainError, type DomainErrorKind } from '../../domain/errors.js';

/**
 * Given/when/then for the programme application decider:
 *
 *   given(history).when(action, { actor, now }).then([...expected events])
 *   given(history).when(action, { actor, now }).thenThrows('forbidden', 'four-eyes')
 *   given(history).whenTimeIs(instant).then([...])
 */
export function given(history: readonly ApplicationEvent[]) {
  const state: ApplicationState = foldApplication(history);
  return {
    state,
    when: (action: ApplicationAction, context: ApplicationActionContext) => outcome(state, () => decideApplicationAction(state, action, context)),
    whenTimeIs: (now: number) => outcome(state, () => decideApplicationTimeElapsed(state, now)),
  };
}

function outcome(state: ApplicationState, decide: () => ApplicationEvent[]) {
  return {
    /** The exact events decided, in order. */
    then(expected: ApplicationEvent[]): void {
      expect(decide()).toEqual(expected);
    },
    /** The events decided, for assertions that are not a whole-list comparison. */
    events: (): ApplicationEvent[] => decide(),
    /** The state after the decided events. */
    state: (): ApplicationState => foldApplication(decide(), state),
    /** A refusal of this kind whose message contains every given part. */
    thenThrows(kind: DomainErrorKind, ...messageParts: string[]): DomainError {
      let thrown: unknown;
      let produced: ApplicationEvent[] | undefined;
      try {
        produced = decide();
      } catch (error) {
        thrown = error;
      }
      if (produced) expect.fail(`expected a ${kind} refusal, but the decider produced ${JSON.stringify(produced.map((e) => e.type))}`);
      expect(thrown).toBeInstanceOf(DomainError);
      const error = thrown as DomainError;
      expect(error.kind, error.message).toBe(kind);
      for (const part of messageParts) expect(error.message).toContain(part);
      return error;
    },
  };
}

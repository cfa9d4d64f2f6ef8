import { expect } from 'vitest';
import type { DramaFilingAction, FilingActionContext } from '../../domain/drama-filing/commands.js';
import { decideFilingAction, decideFilingTimeElapsed } from '../../domain/drama-filing/decide.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { foldDramaFiling, type DramaFilingState } from '../../domain/drama-filing/state.js';
import { DomainError, type DomainErrorKind } from '../../domain/errors.js';

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

function outcome(decide: () => DramaFilingEvent[]) {
  return {
    then(expected: DramaFilingEvent[]): void {
      expect(decide()).toEqual(expected);
    },
    events: (): DramaFilingEvent[] => decide(),
    thenThrows(kind: DomainErrorKind, ...messageParts: string[]): DomainError {
      let thrown: unknown;
      let produced: DramaFilingEvent[] | undefined;
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

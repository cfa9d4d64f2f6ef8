import { expect } from 'vitest';
import type { ActionContext, ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { decideAction, decideTimeElapsed } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { foldChuyingLoan, type ChuyingLoanState } from '../../domain/chuying/state.js';
import { DomainError, type DomainErrorKind } from '../../domain/errors.js';

/**
 * Given/when/then for the 雏鹰 loan decider:
 *
 *   given(history).when(action, { actor, now }).then([...expected events])
 *   given(history).when(action, { actor, now }).thenThrows('forbidden', '四眼原则')
 *   given(history).whenTimeIs(instant).then([...])
 */
export function given(history: readonly ChuyingLoanEvent[]) {
  const state: ChuyingLoanState = foldChuyingLoan(history);
  return {
    state,
    when: (action: ChuyingLoanAction, context: ActionContext) => outcome(() => decideAction(state, action, context)),
    whenTimeIs: (now: number) => outcome(() => decideTimeElapsed(state, now)),
  };
}

/** What a decider decided, as assertions; shared by the spec helpers of every case type. */
export function outcome<E extends { type: string }>(decide: () => E[]) {
  return {
    /** The exact events decided, in order. */
    then(expected: E[]): void {
      expect(decide()).toEqual(expected);
    },
    /** The events decided, for assertions that are not a whole-list comparison. */
    events: (): E[] => decide(),
    /**
     * A refusal of this kind whose message contains every given part; for a check of the system's own
     * bookkeeping (internal-check-failed: people read only an apology), whose English detail does.
     */
    thenThrows(kind: DomainErrorKind, ...messageParts: string[]): DomainError {
      let thrown: unknown;
      let produced: E[] | undefined;
      try {
        produced = decide();
      } catch (error) {
        thrown = error;
      }
      if (produced) expect.fail(`expected a ${kind} refusal, but the decider produced ${JSON.stringify(produced.map((e) => e.type))}`);
      expect(thrown).toBeInstanceOf(DomainError);
      const error = thrown as DomainError;
      expect(error.kind, error.message).toBe(kind);
      const said = error.code === 'internal-check-failed' ? error.english : error.message;
      for (const part of messageParts) expect(said).toContain(part);
      return error;
    },
  };
}

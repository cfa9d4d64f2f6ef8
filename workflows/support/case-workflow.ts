import { ApplicationFailure, condition } from '@temporalio/workflow';
import { DomainError } from '../../domain/errors.js';

/**
 * One change at a time: each update, signal and timer of a case decides against the state the
 * previous one left. Issues no commands of its own, so using it changes no workflow history.
 */
export function turnTaking() {
  let busy = false;
  return async function exclusively<T>(work: () => Promise<T>): Promise<T> {
    // condition() releases every waiter whose predicate holds in the same pass, before any of them
    // runs on: each one looks again and takes the turn only if no other waiter took it first.
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };
}

/** A refusal by the rules becomes a failed update (or workflow) with the rule's message, never a stuck task. */
export function asFailure<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({ type: error.kind, message: error.message, nonRetryable: true, details: [error.issues] });
    }
    throw error;
  }
}

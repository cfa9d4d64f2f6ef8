import type { Actor } from '../cases/actor.js';
import type { DramaSubmission, ReviewDeadline } from './events.js';

/** Human actions on a drama filing. `actor` is the authenticated account, set by the server. */
export type DramaFilingAction =
  /** `takeOver`: the supervising official says they mean to take over a claim a colleague holds (since `claim-take-over-confirmed`). */
  | { type: 'ClaimFiling'; takeOver?: true }
  /** Since 2026-12-07: the claimant, or the supervising official, hands a claimed filing back to the queue (交回待认领), saying why. */
  | { type: 'ReleaseFiling'; reason: string }
  | { type: 'ApproveFiling'; notes: string }
  | { type: 'ReturnFilingForRevision'; reasons: string[] }
  | { type: 'RejectFiling'; reasons: string[] }
  | { type: 'ResubmitFiling'; submission: DramaSubmission; changeNote: string };

export type DramaFilingActionType = DramaFilingAction['type'];

export interface FilingActionContext {
  actor: Actor;
  now: number;
  /** The new review clock, computed by an activity before a resubmission is decided. */
  deadline?: ReviewDeadline;
  /**
   * True only while a workflow replays a claim recorded before the supervising official could take
   * over any claimed filing (`supervisor-takes-over-any-claim`): then only an escalated one.
   */
  legacy?: boolean;
  /**
   * Temporal's patched() as the workflow answers it: false while it replays a history recorded before
   * a change to what is decided. Absent outside a workflow: a decision made now, with every change.
   */
  patched?(changeId: string): boolean;
}

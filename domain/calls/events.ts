import type { Department } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import type { PanelEvent } from '../panels/events.js';
import type { TimeLimitEvent } from '../time-limits/step-time-limit.js';

/**
 * A call (申报批次): a programme office's window for applications to one programme, with a budget
 * a second official approves. Instants are ISO strings (UTC); people enter and read them in Shanghai time.
 */

export type CallMode = 'competitive' | 'first-come';

export interface ActorRef {
  accountId: string;
  displayName: string;
}

/** What may change on a call after it is opened. */
export interface CallChanges {
  title?: string;
  opensAt?: string;
  closesAt?: string;
  budgetFen?: Fen;
  /** null removes the quota. */
  quota?: number | null;
}

/** The call's own events, its panel's (domain/panels/) and its steps' time limits, recorded in the call's stream. */
export type CallEvent = CallOwnEvent | PanelEvent | TimeLimitEvent;

export type CallOwnEvent =
  | {
      type: 'CallOpened';
      data: {
        callId: string;
        referenceNo: string;
        programmeId: string;
        programmeName: string;
        department: Department;
        catalogueVersion: string;
        title: string;
        opensAt: string;
        closesAt: string;
        budgetFen: Fen;
        quota: number | null;
        mode: CallMode;
        publicityWorkingDays: number;
        openedBy: ActorRef;
        openedAt: string;
      };
    }
  | { type: 'CallBudgetApproved'; data: { budgetFen: Fen; by: ActorRef; approvedAt: string } }
  /** `budgetAwaitsApproval`: the budget changed, so the call takes no application until it is approved again. */
  | { type: 'CallChanged'; data: { changes: CallChanges; by: ActorRef; changedAt: string; budgetAwaitsApproval: boolean } }
  /**
   * `noApplications`: a competitive call closed with no application open, so no panel (since CALL_CLOSED_EMPTY_ENDS_PATCH).
   * `beforeOpening`: closed before it took any application (since CALL_CLOSED_BEFORE_OPENING_PATCH):
   * the call ends there, with no panel to review. Closes recorded before carry no mark.
   */
  | { type: 'CallClosed'; data: { by: ActorRef; reason: string; closedAt: string; beforeOpening?: true; noApplications?: true } }
  /**
   * The close instant passed: time alone ends the call. `noApplications`: a competitive call with no
   * application open at its close, so no panel (since CALL_ENDED_EMPTY_ENDS_PATCH).
   */
  | { type: 'CallEnded'; data: { endedAt: string; noApplications?: true } };

export type CallEventType = CallEvent['type'];

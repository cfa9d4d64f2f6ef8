import type { Actor } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';
import type { DayPeriod } from '../time/day-periods.js';
import type { ScheduledInstalment } from './repayment-schedule.js';
import type { SupplementResponse } from './events.js';
import type { ExtendTimeLimitCommand, WorkingDayCount } from '../time-limits/step-time-limit.js';

/**
 * Human actions on a 雏鹰 loan case. `actor` is always the authenticated account, set by the
 * server, never by the request body; `now` comes from the workflow clock.
 */
export type ChuyingLoanAction =
  | { type: 'RequestSupplement'; missingItems: string[] }
  | { type: 'ProvideSupplement'; responses: SupplementResponse[] }
  | { type: 'AcceptMaterials' }
  | { type: 'PassComplianceReview'; notes: string }
  | { type: 'FailComplianceReview'; reasons: string[] }
  | { type: 'ApproveFunding'; approvedAmountFen: Fen; notes: string }
  | { type: 'RejectFunding'; reasons: string[] }
  | { type: 'RecordDisbursement'; disbursedOn: LocalDate; bankReference: string }
  | { type: 'RecordRepayment'; amountFen: Fen; paidOn: LocalDate; reference: string }
  /**
   * Since DECLARE_REPAYMENT_PATCH: the borrower tells the fund they paid by bank transfer (the day,
   * the amount, the transfer's reference, a note). It moves no money and settles no instalment: the
   * fund's RecordRepayment does, once the transfer is in its account.
   */
  | { type: 'DeclareRepayment'; amountFen: Fen; paidOn: LocalDate; reference: string; note: string }
  /**
   * Since WITHDRAW_REPAYMENT_DECLARATION_PATCH: the borrower withdraws a report of theirs the fund has
   * not recorded yet (a wrong amount, day or reference), named by its bank reference; they may report again.
   */
  | { type: 'WithdrawRepaymentDeclaration'; reference: string; reason: string }
  /**
   * Since REJECT_REPAYMENT_DECLARATION_PATCH: the fund finds no transfer in its account that matches a
   * report waiting to be checked (none arrived, or another amount), and returns it with its reason;
   * the borrower may report again.
   */
  | { type: 'RejectRepaymentDeclaration'; reference: string; reason: string }
  /**
   * Since CANCEL_FUNDING_PATCH: the fund cancels its approval before the money goes out (the company
   * deregistered or left 杨浦, the borrower cannot be reached, the amount cannot be lent), with reasons.
   */
  | { type: 'CancelFunding'; reasons: string[] }
  | { type: 'Withdraw'; reason: string };

export type ChuyingLoanActionType = ChuyingLoanAction['type'];

/**
 * Every command the decider takes: the actions above (each with its typed update in
 * workflows/chuying-loan.messages.ts) and, since issue 13, a director's extension of the step's time limit.
 */
export type ChuyingLoanCommand = ChuyingLoanAction | ExtendTimeLimitCommand;
export type ChuyingLoanCommandType = ChuyingLoanCommand['type'];

export interface ActionContext {
  actor: Actor;
  now: number;
  /**
   * Temporal's patched() where a workflow decides, for a rule that came later than the action's own
   * patch (`DISBURSEMENT_APART_FROM_APPROVAL`): asked only where the rule would refuse, so that a
   * history recorded before it decides as it did. Absent elsewhere (the UI, an API check): the rule holds.
   */
  patched?(changeId: string): boolean;
  /** Computed by an activity before deciding a disbursement (calendar data stays out of workflow code). */
  schedule?: ScheduledInstalment[];
  /** Under terms with time limits, for a 补正 reply: the new completeness window, and the next step's limit should it close unanswered. */
  completeness?: WorkingDayCount;
  limitIfDeemedComplete?: WorkingDayCount;
  /** Under terms with time limits: the limit of the step an action moves the case to, counted from today. */
  nextStepLimit?: WorkingDayCount;
  /** For an extension: the extra working days counted from the limit's last working day. */
  extension?: WorkingDayCount;
  /** For a 补正 request: the reply period, its last day moved off a rest day by the calendar (absent in histories recorded before). */
  supplementReply?: DayPeriod;
  /**
   * True only while a workflow replays an action recorded before its action's patch (the case
   * module's `legacyBeforePatch`), so that the recorded history decides the same:
   *   - money (`money-recorded-once`): no bank-reference and no date-bound rules, as then;
   *   - a 补正 reply (`supplement-answers-as-requested`): answers to items not asked were taken;
   *   - a borrower's declaration of a repayment (`declare-repayment`): not taken at all then;
   *   - the withdrawal of such a declaration (`withdraw-repayment-declaration`): not taken at all then;
   *   - the fund's return of such a declaration (`reject-repayment-declaration`): not taken at all then;
   *   - the fund's cancellation of its approval before the disbursement (`cancel-funding`): not taken at all then.
   * Everything else decides under the current rules.
   */
  legacy?: boolean;
}

import type { Actor } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';
import type { DayPeriod } from '../time/day-periods.js';
import type { ExtendTimeLimitCommand, WorkingDayCount } from '../time-limits/step-time-limit.js';
import type { ApplicationPanelEvent } from '../panels/application-record.js';
import type { Remedy } from '../publicity/events.js';
import type { PublicityWindow } from '../publicity/window.js';
import type { ApplicationAssessment, SupplementResponse, VerifiedFact, WorkingDayWindow } from './events.js';

/**
 * Human actions on a programme application. The first six share their names (and bodies) with
 * the 雏鹰 loan's actions; `actor` is always the authenticated account, set by the server.
 */
export type ApplicationAction =
  | { type: 'RequestSupplement'; missingItems: string[] }
  | { type: 'ProvideSupplement'; responses: SupplementResponse[] }
  | { type: 'AcceptMaterials' }
  /** Since issue 14: the official verifies claimed facts, at the completeness check or later before the decision. */
  | { type: 'VerifyFacts'; verifiedFacts: VerifiedFact[] }
  | { type: 'PassComplianceReview'; notes: string }
  | { type: 'FailComplianceReview'; reasons: string[] }
  | { type: 'Withdraw'; reason: string }
  | { type: 'ScoreApplication'; score: number; comments: string }
  /** `approvedAmountFen` for one-off payments and vouchers; none where the rule fixes the amount or nothing is paid. */
  | { type: 'ApproveApplication'; approvedAmountFen?: Fen; notes: string }
  | { type: 'RejectApplication'; reasons: string[] }
  | { type: 'ReportLeftYangpu'; leftOn: LocalDate; note: string }
  /**
   * Since LEFT_YANGPU_RECORDED_BY_DEPARTMENT_PATCH: an official of the programme's department (one
   * who may decide it) records that the applicant left 杨浦, learnt from outside the case (the market
   * regulation register, a site visit); `note` says how, and is required. The same effects as the
   * applicant's report.
   */
  | { type: 'RecordLeftYangpu'; leftOn: LocalDate; note: string }
  /**
   * Since PAYOUTS_RECORDED_PATCH: an official of the programme's department, not the one who approved
   * the award (four-eyes), records that the oldest payment due (待拨付) was paid: the day the money
   * left, the bank reference of the transfer, and the amount, which must be the one due.
   */
  | { type: 'RecordPayout'; paidOn: LocalDate; bankReference: string; amountFen: Fen };

/**
 * Every command the decider takes: the actions above (each with its typed update in
 * workflows/application.messages.ts) and, since issue 13, a director's extension of the step's time limit.
 */
export type ApplicationCommand = ApplicationAction | ExtendTimeLimitCommand | ApplicationCallCommand;

/**
 * Since issue 13, for a case in a call: the system records the director's batch decision on a
 * competitive call (the panel's records for this case, from domain/panels `applicationRecordsOf`);
 * anyone objects to an award during its 公示 (the contact, if given, is already in the
 * personal-data vault: the case keeps its reference only); an official of the department answers.
 */
export type ApplicationCallCommand =
  | { type: 'RecordBatchDecision'; callId: string; batchId: string; records: ApplicationPanelEvent[] }
  /**
   * The system, when the call's close moves (CALL_CLOSE_REACHES_APPLICATIONS_PATCH): closed before
   * its planned close (`closedEarly`), or its close changed while it takes applications.
   */
  | { type: 'RecordCallClose'; callId: string; closesAt: string; closedEarly: boolean }
  | { type: 'LodgeObjection'; reasons: string; contactRef?: string }
  | { type: 'UpholdObjection'; objectionId: string; answer: string; remedy: Remedy }
  | { type: 'DismissObjection'; objectionId: string; answer: string };

export type ApplicationActionType = ApplicationAction['type'];
export type ApplicationCommandType = ApplicationCommand['type'];

export interface ApplicationActionContext {
  actor: Actor;
  /** From the workflow clock. */
  now: number;
  /** For a 补正 reply: the new completeness window, computed by an activity from the calendar. */
  completeness?: WorkingDayWindow;
  /** Under terms with time limits: for a 补正 reply, the next step's limit should the case be deemed complete. */
  limitIfDeemedComplete?: WorkingDayCount;
  /** Under terms with time limits: the limit of the step an action moves the case to, counted from today. */
  nextStepLimit?: WorkingDayCount;
  /** For an extension: the extra working days counted from the limit's last working day. */
  extension?: WorkingDayCount;
  /** For a 补正 request: the reply period, its last day moved off a rest day by the calendar (absent in histories recorded before). */
  supplementReply?: DayPeriod;
  /** For a call whose close moved: the panel limit counted again from the new close's day (domain/applications/in-call.ts panelLimitRecountOnClose). */
  callCloseRecount?: WorkingDayCount;
  /** For an approval: the rules re-applied against the awards ledger as it is now (an activity). */
  awardCheck?: ApplicationAssessment;
  /** For an approval that grants an award: its id, generated in the workflow. */
  awardId?: string;
  /**
   * True only while a workflow replays an action recorded before its action's patch (the case
   * module's `legacyBeforePatch`), so that the recorded history decides the same:
   *   - a report of leaving (`left-yangpu-date-bounded`): the day was then only kept from the future;
   *   - a 补正 reply (`supplement-answers-as-requested`): answers to items not asked were taken;
   *   - the department's record of leaving (`left-yangpu-recorded-by-department`): not taken at all then.
   */
  legacy?: boolean;
  /** For an award in a call: its 公示 window, computed by the look-up from today's calendar. */
  publicityWindow?: PublicityWindow;
  /** For an objection: its id, generated in the workflow. */
  objectionId?: string;
  /**
   * Asked only where an award with a one-off or monthly payout is granted: whether the case runs with
   * PAYOUTS_RECORDED_PATCH (payments fall due and are paid when an official records them). The
   * module answers with Temporal's patched(); absent, the rules of now (true).
   */
  paidOnRecord?: () => boolean;
}

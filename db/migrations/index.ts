import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as eventStore from './2026-11-23T00-00_event-store.js';
import * as calendarAndFilings from './2026-11-23T01-00_calendar-and-filings.js';
import * as audit from './2026-11-23T01-10_audit.js';
import * as awardsLedger from './2026-11-23T01-20_awards-ledger.js';
import * as applications from './2026-11-23T01-30_applications.js';
import * as ratingsAndTasks from './2026-11-23T01-40_ratings-and-tasks.js';
import * as authorization from './2026-11-23T01-50_authorization.js';
import * as signinLimits from './2026-12-02T00-10_signin-limits.js';
import * as accountEvents from './2026-12-02T00-20_account-events.js';
import * as appendFunction from './2026-12-02T01-00_append-function.js';
import * as caseReadModelColumns from './2026-12-02T02-00_case-read-model-columns.js';
import * as caseDepartments from './2026-12-02T03-00_case-departments.js';
import * as decisionLetters from './2026-12-02T04-10_decision-letters.js';
import * as expertRole from './2026-12-02T05-00_expert-role.js';
import * as objectionContacts from './2026-12-02T05-10_objection-contacts.js';
import * as callsAndBudgets from './2026-12-02T04-00_calls-and-budgets.js';
import * as documents from './2026-12-03T00-20_documents.js';
import * as chuyingLoanClaims from './2026-12-03T00-50_chuying-loan-claims.js';
import * as notices from './2026-12-03T00-10_notices.js';
import * as keyFilingsInQueue from './2026-12-03T01-10_key-filings-in-queue.js';
import * as registers from './2026-12-03T00-30_registers.js';
import * as programmeTerms from './2026-12-03T01-00_programme-terms.js';
import * as budgetMovementsInAppend from './2026-12-03T02-00_budget-movements-in-append.js';
import * as termsOpenedUnder from './2026-12-03T03-00_terms-opened-under.js';
import * as appendPlansPerCall from './2026-12-03T03-10_append-plans-per-call.js';
import * as caseRowWrittenOut from './2026-12-03T04-00_case-row-written-out.js';
import * as panelRecusalsInRanking from './2026-12-03T04-10_panel-recusals-in-ranking.js';
import * as grantsForResetsAndEnabling from './2026-12-04T00-10_grants-for-resets-and-enabling.js';
import * as moneyAndReplyNotices from './2026-12-04T00-20_money-and-reply-notices.js';
import * as rejectionDecisionDates from './2026-12-04T01-00_rejection-decision-dates.js';
import * as callQuotaInLedger from './2026-12-04T01-10_call-quota-in-ledger.js';
import * as provisionalNoticesAndFollowUpDepartments from './2026-12-04T01-30_provisional-notices-and-follow-up-departments.js';
import * as readModelWritesDispatchedByShape from './2026-12-04T02-00_read-model-writes-dispatched-by-shape.js';
import * as oneAccountPerCreditCode from './2026-12-04T02-10_one-account-per-credit-code.js';
import * as oneCallAtATime from './2026-12-04T02-20_one-call-at-a-time.js';
import * as applicationClaims from './2026-12-04T03-00_application-claims.js';
import * as filingApplicantIsTheAccount from './2026-12-04T03-10_filing-applicant-is-the-account.js';
import * as takeOverNotices from './2026-12-04T03-20_take-over-notices.js';
import * as pinyinCollation from './2026-12-04T04-00_pinyin-collation.js';
import * as callListedUnderItsDepartment from './2026-12-04T04-10_call-listed-under-its-department.js';
import * as noticesNameTheMeasure from './2026-12-04T04-20_notices-name-the-measure.js';
import * as finishedCallsSaySo from './2026-12-04T04-30_finished-calls-say-so.js';
import * as objectionNotices from './2026-12-04T04-40_objection-notices.js';
import * as callIntakeFence from './2026-12-04T05-00_call-intake-fence.js';
import * as recoveryNotices from './2026-12-04T05-10_recovery-notices.js';
import * as leftYangpuRecordedNotices from './2026-12-04T06-00_left-yangpu-recorded-notices.js';
import * as deadlineMovedNotices from './2026-12-04T06-20_deadline-moved-notices.js';
import * as filingTakeOversInState from './2026-12-04T06-30_filing-take-overs-in-state.js';
import * as decisionNotesOnTheCase from './2026-12-04T06-31_decision-notes-on-the-case.js';
import * as decisionNotesInNotices from './2026-12-04T06-32_decision-notes-in-notices.js';
import * as handledServicesToldSo from './2026-12-04T06-33_handled-services-told-so.js';
import * as repaymentDeclaredNotices from './2026-12-04T07-00_repayment-declared-notices.js';
import * as monthlyPlanFirstPayment from './2026-12-05T01-00_monthly-plan-first-payment.js';
import * as filingSupervisorClaimsNamed from './2026-12-05T02-10_filing-supervisor-claims-named.js';
import * as leftYangpuToldOnce from './2026-12-05T02-20_left-yangpu-told-once.js';
import * as repaymentDeclarationWithdrawnNotices from './2026-12-05T03-00_repayment-declaration-withdrawn-notices.js';
import * as pendingRepaymentReportsInFundQueue from './2026-12-05T03-10_pending-repayment-reports-in-fund-queue.js';
import * as instalmentDueDatesMovedNotices from './2026-12-05T03-20_instalment-due-dates-moved-notices.js';
import * as reasonsPartedWithoutDoubleStops from './2026-12-05T05-10_reasons-parted-without-double-stops.js';
import * as signinInFlight from './2026-12-05T06-00_signin-in-flight.js';
import * as hashedByTheDatabase from './2026-12-05T07-00_hashed-by-the-database.js';
import * as publicityWindowMovedNotices from './2026-12-05T08-10_publicity-window-moved-notices.js';
import * as appendPlansKeptOnIndexes from './2026-12-05T09-00_append-plans-kept-on-indexes.js';
import * as letterNumbersByRegister from './2026-12-05T10-00_letter-numbers-by-register.js';
import * as surnamesByTheirReading from './2026-12-05T10-10_surnames-by-their-reading.js';
import * as publicityNoticesNameTheCall from './2026-12-05T11-00_publicity-notices-name-the-call.js';
import * as signinPlacesExpire from './2026-12-05T11-10_signin-places-expire.js';
import * as decisionStepAmountInYuan from './2026-12-05T11-20_decision-step-amount-in-yuan.js';
import * as repaymentNoticesNameTheTransfer from './2026-12-05T11-30_repayment-notices-name-the-transfer.js';
import * as oneBankReferenceOneLoan from './2026-12-05T14-00_one-bank-reference-one-loan.js';
import * as listBalanceAsProposed from './2026-12-05T14-10_list-balance-as-proposed.js';
import * as callChangersSinceApproval from './2026-12-05T14-20_call-changers-since-approval.js';
import * as listPassedOverWithReasons from './2026-12-06T01-00_list-passed-over-with-reasons.js';
import * as repaymentDeclarationRejectedNotices from './2026-12-06T02-00_repayment-declaration-rejected-notices.js';
import * as fundingCancelledNotices from './2026-12-06T02-10_funding-cancelled-notices.js';
import * as objectionToldToDepartment from './2026-12-06T10-00_objection-told-to-department.js';
import * as oneOpenFilingPerTitle from './2026-12-06T11-00_one-open-filing-per-title.js';
import * as withdrawnReportsRecordedAfterwards from './2026-12-06T12-00_withdrawn-reports-recorded-afterwards.js';
import * as dramaItemsByFilingNumber from './2026-12-06T12-10_drama-items-by-filing-number.js';
import * as loanLendersFolded from './2026-12-06T12-20_loan-lenders-folded.js';
import * as objectionsWaitingInTheStep from './2026-12-06T12-30_objections-waiting-in-the-step.js';
import * as calendarCountsInFlight from './2026-12-06T16-00_calendar-counts-in-flight.js';
import * as repaymentNoticesInRuns from './2026-12-06T12-40_repayment-notices-in-runs.js';
import * as rankingRanksOnlyRankable from './2026-12-06T13-00_ranking-ranks-only-rankable.js';
import * as noticesSayTheDayIncluded from './2026-12-06T13-10_notices-say-the-day-included.js';
import * as payoutReferencesHeldOnce from './2026-12-06T16-10_payout-references-held-once.js';
import * as moneyReferencesFromAppendedEvents from './2026-12-06T22-00_money-references-from-appended-events.js';
import * as noticeDeliveriesPerStatement from './2026-12-07T01-00_notice-deliveries-per-statement.js';
import * as awardsOnNoticeByIndex from './2026-12-07T01-10_awards-on-notice-by-index.js';
import * as upheldObjectionNoticesSayTheOutcome from './2026-12-07T09-00_upheld-objection-notices-say-the-outcome.js';
import * as attachmentsHeldInState from './2026-12-07T15-00_attachments-held-in-state.js';
import * as passwordResetsTold from './2026-12-07T15-10_password-resets-told.js';
import * as deviceLocksByUsername from './2026-12-08T00-00_device-locks-by-username.js';

/** Every migration, by name; names sort in the order they run. Add new ones at the end. */
const migrations: Record<string, Migration> = {
  '2026-11-23T00-00_event-store': eventStore,
  '2026-11-23T01-00_calendar-and-filings': calendarAndFilings,
  '2026-11-23T01-10_audit': audit,
  '2026-11-23T01-20_awards-ledger': awardsLedger,
  '2026-11-23T01-30_applications': applications,
  '2026-11-23T01-40_ratings-and-tasks': ratingsAndTasks,
  '2026-11-23T01-50_authorization': authorization,
  '2026-12-02T00-10_signin-limits': signinLimits,
  '2026-12-02T00-20_account-events': accountEvents,
  '2026-12-02T01-00_append-function': appendFunction,
  '2026-12-02T02-00_case-read-model-columns': caseReadModelColumns,
  '2026-12-02T03-00_case-departments': caseDepartments,
  '2026-12-02T04-10_decision-letters': decisionLetters,
  '2026-12-02T05-00_expert-role': expertRole,
  '2026-12-02T05-10_objection-contacts': objectionContacts,
  '2026-12-03T00-30_registers': registers,
  '2026-12-02T04-00_calls-and-budgets': callsAndBudgets,
  '2026-12-03T00-20_documents': documents,
  '2026-12-03T00-50_chuying-loan-claims': chuyingLoanClaims,
  '2026-12-03T00-10_notices': notices,
  '2026-12-03T01-10_key-filings-in-queue': keyFilingsInQueue,
  '2026-12-03T01-00_programme-terms': programmeTerms,
  '2026-12-03T02-00_budget-movements-in-append': budgetMovementsInAppend,
  '2026-12-03T03-00_terms-opened-under': termsOpenedUnder,
  '2026-12-03T03-10_append-plans-per-call': appendPlansPerCall,
  '2026-12-03T04-00_case-row-written-out': caseRowWrittenOut,
  '2026-12-03T04-10_panel-recusals-in-ranking': panelRecusalsInRanking,
  '2026-12-04T00-10_grants-for-resets-and-enabling': grantsForResetsAndEnabling,
  '2026-12-04T00-20_money-and-reply-notices': moneyAndReplyNotices,
  '2026-12-04T01-00_rejection-decision-dates': rejectionDecisionDates,
  '2026-12-04T01-10_call-quota-in-ledger': callQuotaInLedger,
  '2026-12-04T01-30_provisional-notices-and-follow-up-departments': provisionalNoticesAndFollowUpDepartments,
  '2026-12-04T02-00_read-model-writes-dispatched-by-shape': readModelWritesDispatchedByShape,
  '2026-12-04T02-10_one-account-per-credit-code': oneAccountPerCreditCode,
  '2026-12-04T02-20_one-call-at-a-time': oneCallAtATime,
  '2026-12-04T03-00_application-claims': applicationClaims,
  '2026-12-04T03-10_filing-applicant-is-the-account': filingApplicantIsTheAccount,
  '2026-12-04T03-20_take-over-notices': takeOverNotices,
  '2026-12-04T04-00_pinyin-collation': pinyinCollation,
  '2026-12-04T04-10_call-listed-under-its-department': callListedUnderItsDepartment,
  '2026-12-04T04-20_notices-name-the-measure': noticesNameTheMeasure,
  '2026-12-04T04-30_finished-calls-say-so': finishedCallsSaySo,
  '2026-12-04T04-40_objection-notices': objectionNotices,
  '2026-12-04T05-00_call-intake-fence': callIntakeFence,
  '2026-12-04T05-10_recovery-notices': recoveryNotices,
  '2026-12-04T06-00_left-yangpu-recorded-notices': leftYangpuRecordedNotices,
  '2026-12-04T06-20_deadline-moved-notices': deadlineMovedNotices,
  '2026-12-04T06-30_filing-take-overs-in-state': filingTakeOversInState,
  '2026-12-04T06-31_decision-notes-on-the-case': decisionNotesOnTheCase,
  '2026-12-04T06-32_decision-notes-in-notices': decisionNotesInNotices,
  '2026-12-04T06-33_handled-services-told-so': handledServicesToldSo,
  '2026-12-04T07-00_repayment-declared-notices': repaymentDeclaredNotices,
  '2026-12-05T01-00_monthly-plan-first-payment': monthlyPlanFirstPayment,
  '2026-12-05T02-10_filing-supervisor-claims-named': filingSupervisorClaimsNamed,
  '2026-12-05T02-20_left-yangpu-told-once': leftYangpuToldOnce,
  '2026-12-05T03-00_repayment-declaration-withdrawn-notices': repaymentDeclarationWithdrawnNotices,
  '2026-12-05T03-10_pending-repayment-reports-in-fund-queue': pendingRepaymentReportsInFundQueue,
  '2026-12-05T03-20_instalment-due-dates-moved-notices': instalmentDueDatesMovedNotices,
  '2026-12-05T05-10_reasons-parted-without-double-stops': reasonsPartedWithoutDoubleStops,
  '2026-12-05T06-00_signin-in-flight': signinInFlight,
  '2026-12-05T07-00_hashed-by-the-database': hashedByTheDatabase,
  '2026-12-05T08-10_publicity-window-moved-notices': publicityWindowMovedNotices,
  '2026-12-05T09-00_append-plans-kept-on-indexes': appendPlansKeptOnIndexes,
  '2026-12-05T10-00_letter-numbers-by-register': letterNumbersByRegister,
  '2026-12-05T10-10_surnames-by-their-reading': surnamesByTheirReading,
  '2026-12-05T11-00_publicity-notices-name-the-call': publicityNoticesNameTheCall,
  '2026-12-05T11-10_signin-places-expire': signinPlacesExpire,
  '2026-12-05T11-20_decision-step-amount-in-yuan': decisionStepAmountInYuan,
  '2026-12-05T11-30_repayment-notices-name-the-transfer': repaymentNoticesNameTheTransfer,
  '2026-12-05T14-00_one-bank-reference-one-loan': oneBankReferenceOneLoan,
  '2026-12-05T14-10_list-balance-as-proposed': listBalanceAsProposed,
  '2026-12-05T14-20_call-changers-since-approval': callChangersSinceApproval,
  '2026-12-06T01-00_list-passed-over-with-reasons': listPassedOverWithReasons,
  '2026-12-06T02-00_repayment-declaration-rejected-notices': repaymentDeclarationRejectedNotices,
  '2026-12-06T02-10_funding-cancelled-notices': fundingCancelledNotices,
  '2026-12-06T10-00_objection-told-to-department': objectionToldToDepartment,
  '2026-12-06T11-00_one-open-filing-per-title': oneOpenFilingPerTitle,
  '2026-12-06T12-00_withdrawn-reports-recorded-afterwards': withdrawnReportsRecordedAfterwards,
  '2026-12-06T12-10_drama-items-by-filing-number': dramaItemsByFilingNumber,
  '2026-12-06T12-20_loan-lenders-folded': loanLendersFolded,
  '2026-12-06T12-30_objections-waiting-in-the-step': objectionsWaitingInTheStep,
  '2026-12-06T12-40_repayment-notices-in-runs': repaymentNoticesInRuns,
  '2026-12-06T13-00_ranking-ranks-only-rankable': rankingRanksOnlyRankable,
  '2026-12-06T13-10_notices-say-the-day-included': noticesSayTheDayIncluded,
  '2026-12-06T16-00_calendar-counts-in-flight': calendarCountsInFlight,
  '2026-12-06T16-10_payout-references-held-once': payoutReferencesHeldOnce,
  '2026-12-06T22-00_money-references-from-appended-events': moneyReferencesFromAppendedEvents,
  '2026-12-07T01-00_notice-deliveries-per-statement': noticeDeliveriesPerStatement,
  '2026-12-07T01-10_awards-on-notice-by-index': awardsOnNoticeByIndex,
  '2026-12-07T09-00_upheld-objection-notices-say-the-outcome': upheldObjectionNoticesSayTheOutcome,
  '2026-12-07T15-00_attachments-held-in-state': attachmentsHeldInState,
  '2026-12-07T15-10_password-resets-told': passwordResetsTold,
  '2026-12-08T00-00_device-locks-by-username': deviceLocksByUsername,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Runs pending migrations and throws (so the caller exits non-zero) if any fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Literal event histories of a 雏鹰 loan case, for the decider specs. They are written out by hand
 * (not produced by the decider under test), so a spec's "given" does not depend on its "when".
 */
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ActorRef, ChuyingLoanEvent, SupplementResponse } from '../../domain/chuying/events.js';
import { repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import { applicant, cacReviewer, fundApprover, fundReviewer } from '../support/actors.js';

type EventOf<T extends ChuyingLoanEvent['type']> = Extract<ChuyingLoanEvent, { type: T }>;
type SubmittedData = EventOf<'LoanApplicationSubmitted'>['data'];

export const d = (text: string): LocalDate => parseLocalDate(text);
export const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });

/** A third fund official who has not reviewed anything in these histories. */
export const fundDirector: Actor = { accountId: 'acct-fund-director', displayName: '陈主任', role: 'official', department: 'yangpu-fund' };

export const CASE_ID = '7f1c2d3e-0000-4000-8000-000000000001';
export const REFERENCE_NO = 'CY-2026-0001';
export const COMPANY = { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXA', registeredDistrict: '杨浦区' };
export const PROJECT = { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' };
export const MISSING_ITEMS = ['营业执照副本', '项目计划书'];
export const DISBURSED_ON = d('2026-01-31');
export const PRINCIPAL = 50_000_000;
/** The 500,000.00 schedule from 31 Jan 2026: 35 × 13,888.89 + 13,888.85, first due Sat 28 Feb 2026 (调休). */
export const SCHEDULE = repaymentSchedule(packagedCalendar(), PRINCIPAL, DISBURSED_ON, 36);

export const event = {
  submitted: (overrides: Partial<SubmittedData> = {}): EventOf<'LoanApplicationSubmitted'> => ({
    type: 'LoanApplicationSubmitted',
    data: {
      caseId: CASE_ID,
      referenceNo: REFERENCE_NO,
      applicant: ref(applicant),
      company: COMPANY,
      project: PROJECT,
      requestedAmountFen: PRINCIPAL,
      submittedAt: '2026-01-05T02:00:00.000Z',
      submittedOn: d('2026-01-05'),
      terms: CHUYING_LOAN_TERMS,
      ...overrides,
    },
  }),
  supplementRequested: (by: Actor = fundReviewer, missingItems = MISSING_ITEMS, replyDueOn = d('2026-02-05')): EventOf<'SupplementRequested'> => ({
    type: 'SupplementRequested',
    data: { by: ref(by), missingItems, requestedAt: '2026-01-06T02:00:00.000Z', replyDueOn },
  }),
  supplementProvided: (responses: SupplementResponse[] = MISSING_ITEMS.map((item) => ({ item, response: '已上传' }))): EventOf<'SupplementProvided'> => ({
    type: 'SupplementProvided',
    data: { by: ref(applicant), responses, providedAt: '2026-01-07T02:00:00.000Z' },
  }),
  materialsAccepted: (by: Actor = fundReviewer): EventOf<'MaterialsAccepted'> => ({
    type: 'MaterialsAccepted',
    data: { by: ref(by), acceptedAt: '2026-01-08T02:00:00.000Z' },
  }),
  compliancePassed: (by: Actor = cacReviewer): EventOf<'ComplianceReviewPassed'> => ({
    type: 'ComplianceReviewPassed',
    data: { by: ref(by), notes: '内容积极健康', reviewedAt: '2026-01-15T02:00:00.000Z' },
  }),
  complianceFailed: (by: Actor = cacReviewer): EventOf<'ComplianceReviewFailed'> => ({
    type: 'ComplianceReviewFailed',
    data: { by: ref(by), reasons: ['内容不符合要求'], reviewedAt: '2026-01-15T02:00:00.000Z' },
  }),
  fundingApproved: (approvedAmountFen = PRINCIPAL, by: Actor = fundApprover): EventOf<'FundingApproved'> => ({
    type: 'FundingApproved',
    data: { by: ref(by), approvedAmountFen, notes: '同意', decidedAt: '2026-01-22T02:00:00.000Z' },
  }),
  fundingRejected: (by: Actor = fundApprover): EventOf<'FundingRejected'> => ({
    type: 'FundingRejected',
    data: { by: ref(by), reasons: ['项目尚不成熟'], decidedAt: '2026-01-22T02:00:00.000Z' },
  }),
  disbursed: (): EventOf<'LoanDisbursed'> => ({
    type: 'LoanDisbursed',
    data: { by: ref(fundReviewer), amountFen: PRINCIPAL, disbursedOn: DISBURSED_ON, bankReference: 'BANK-0001', schedule: SCHEDULE, recordedAt: '2026-01-31T02:00:00.000Z' },
  }),
  repaymentRecorded: (amountFen: number, allocations: { number: number; amountFen: number }[], paidOn = d('2026-02-27')): EventOf<'RepaymentRecorded'> => ({
    type: 'RepaymentRecorded',
    data: { by: ref(fundReviewer), amountFen, paidOn, reference: `PAY-${paidOn}`, allocations, recordedAt: `${paidOn}T02:00:00.000Z` },
  }),
  /** The first instalment repaid under a bank reference of the test's choosing (the money-reference tests). */
  repaidUnder: (reference: string): EventOf<'RepaymentRecorded'> => {
    const paid = event.repaymentRecorded(1_388_889, [{ number: 1, amountFen: 1_388_889 }]);
    return { ...paid, data: { ...paid.data, reference } };
  },
  instalmentOverdue: (number: number, dueOn: LocalDate, outstandingFen: number): EventOf<'InstalmentOverdue'> => ({
    type: 'InstalmentOverdue',
    data: { number, dueOn, outstandingFen, at: new Date(Date.parse(`${dueOn}T16:00:00Z`)).toISOString() },
  }),
  reminderSent: (number: number, dueOn: LocalDate, outstandingFen: number): EventOf<'RepaymentReminderSent'> => ({
    type: 'RepaymentReminderSent',
    data: { number, dueOn, outstandingFen, at: '2026-03-03T16:00:00.000Z' },
  }),
  withdrawn: (): EventOf<'ApplicationWithdrawn'> => ({
    type: 'ApplicationWithdrawn',
    data: { reason: 'applicant-withdrew', detail: '不再需要', withdrawnAt: '2026-01-09T02:00:00.000Z' },
  }),
  loanRepaid: (): EventOf<'LoanRepaid'> => ({ type: 'LoanRepaid', data: { totalRepaidFen: PRINCIPAL, completedAt: '2029-01-31T02:00:00.000Z' } }),
};

/** Histories that bring a case to each step. */
export const history = {
  notSubmitted: [] as ChuyingLoanEvent[],
  completenessCheck: [event.submitted()],
  awaitingSupplement: [event.submitted(), event.supplementRequested()],
  complianceReview: [event.submitted(), event.materialsAccepted(fundReviewer)],
  fundingDecision: [event.submitted(), event.materialsAccepted(fundReviewer), event.compliancePassed()],
  awaitingDisbursement: [event.submitted(), event.materialsAccepted(fundReviewer), event.compliancePassed(), event.fundingApproved()],
  repaying: [event.submitted(), event.materialsAccepted(fundReviewer), event.compliancePassed(), event.fundingApproved(), event.disbursed()],
  completed: [
    event.submitted(),
    event.materialsAccepted(fundReviewer),
    event.compliancePassed(),
    event.fundingApproved(),
    event.disbursed(),
    event.repaymentRecorded(
      PRINCIPAL,
      SCHEDULE.map((i) => ({ number: i.number, amountFen: i.amountFen })),
    ),
    event.loanRepaid(),
  ],
  withdrawn: [event.submitted(), event.withdrawn()],
  rejectedByCompliance: [event.submitted(), event.materialsAccepted(fundReviewer), event.complianceFailed()],
  rejectedByFund: [event.submitted(), event.materialsAccepted(fundReviewer), event.compliancePassed(), event.fundingRejected()],
} satisfies Record<string, ChuyingLoanEvent[]>;

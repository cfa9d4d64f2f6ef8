import { DEPARTMENTS } from '../cases/actor.js';
import type { ChuyingLoanEvent } from './events.js';
import { CHUYING_LOAN_DEPARTMENT } from './terms.js';

/**
 * A loan's money once it is lent: the disbursement, the schedule, what the borrower reports and the
 * fund records, what falls overdue. It is the fund's own business. 网信 sees a loan for its content
 * review and reads what that review needs (the company, the project, the decision), not the bank
 * references and repayments of the years after; the loan book is the fund's alike (api/routes/dashboard.routes.ts).
 */
const FUND_MONEY_EVENTS: ReadonlySet<ChuyingLoanEvent['type']> = new Set<ChuyingLoanEvent['type']>([
  'LoanDisbursed',
  'RepaymentRecorded',
  'RepaymentDeclared',
  'RepaymentDeclarationWithdrawn',
  'RepaymentDeclarationRejected',
  'InstalmentOverdue',
  'RepaymentReminderSent',
  'InstalmentDelinquent',
  'LoanRepaid',
  'InstalmentDueDatesRecomputed',
]);

/** What an event's data reads as outside the fund: that the fund recorded something, not what. */
export const WITHHELD_FROM_OTHER_DEPARTMENTS = { withheld: 'fund-business' } as const;

/** The words for what is left out, on the case page and in its timeline. */
export const WITHHELD_IN_WORDS = `由${DEPARTMENTS[CHUYING_LOAN_DEPARTMENT]}办理，明细仅基金工作人员和审计人员可见`;

/** A loan's event as an official of another department reads it: the fund's money events without their data. */
export function loanEventOutsideTheFund<E extends { type: string; data: unknown }>(event: E): E {
  return FUND_MONEY_EVENTS.has(event.type as ChuyingLoanEvent['type']) ? { ...event, data: { ...WITHHELD_FROM_OTHER_DEPARTMENTS } } : event;
}

/** A loan's view model as an official of another department reads it: no disbursement, schedule or repayment reports. */
export function loanDetailsOutsideTheFund(details: Record<string, unknown>): Record<string, unknown> {
  const { repaymentDeclarations: _declarations, ...rest } = details;
  return { ...rest, disbursement: null, schedule: [], moneyWithheld: true };
}

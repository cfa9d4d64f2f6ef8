import { ApplicationFailure } from '@temporalio/common';
import { repaymentSchedule, type ScheduledInstalment } from '../domain/chuying/repayment-schedule.js';
import { DomainError } from '../domain/errors.js';
import type { LocalDate } from '../domain/time/local-date.js';
import type { WorkingDayCalendar } from '../domain/time/working-days.js';
import type { Db } from '../db/client.js';
import { claimChuyingLoan } from '../db/chuying-loan-claims.js';
import { claimDramaFiling } from '../db/filing-claims.js';
import { moneyReferenceElsewhere } from '../db/money-references.js';
import type { MoneyReferenceHeld } from '../domain/chuying/money.js';
import type { LoanClaimAnswer } from '../domain/chuying/one-loan.js';
import type { FilingClaimAnswer } from '../domain/drama-filing/one-open-filing.js';
import type { DramaFilingType } from '../domain/drama-filing/terms.js';
import { appendToStream, type AppendRequest, type AppendResult } from '../db/event-store.js';
import { projectReadModels } from '../db/projections/index.js';

export interface CaseActivityDependencies {
  db: Db;
  clock: () => Date;
  calendar: () => Promise<WorkingDayCalendar>;
}

/**
 * The I/O that case workflows ask for. Activities are retried; each is safe to repeat because
 * event ids come from the workflow and a repeated append returns the original positions.
 */
export function createCaseActivities({ db, clock, calendar }: CaseActivityDependencies) {
  return {
    async appendCaseEvents(request: AppendRequest): Promise<AppendResult> {
      try {
        return await appendToStream(db, request, { now: clock, project: projectReadModels });
      } catch (error) {
        throw asNonRetryableWhenFinal(error);
      }
    },

    /** The schedule lands in workflow history, so a calendar loaded later cannot change a replay. */
    async computeRepaymentSchedule(input: { principalFen: number; disbursedOn: LocalDate; instalmentCount: number }): Promise<ScheduledInstalment[]> {
      try {
        return repaymentSchedule(await calendar(), input.principalFen, input.disbursedOn, input.instalmentCount);
      } catch (error) {
        throw asNonRetryableWhenFinal(error);
      }
    },

    /** The other loan a bank reference is already recorded on, if any (db/money-references.ts). */
    async findMoneyReference(input: { caseId: string; reference: string }): Promise<MoneyReferenceHeld | null> {
      return moneyReferenceElsewhere(db, input);
    },

    /** Claims the company's one 雏鹰 loan for the case opening now, or names the case that holds it (db/chuying-loan-claims.ts). */
    async claimChuyingLoan(input: { companyCode: string; caseId: string; referenceNo: string }): Promise<LoanClaimAnswer> {
      return claimChuyingLoan(db, input, clock());
    },

    /** Claims the account's title for the filing opening now, or names the open filing that holds it (db/filing-claims.ts). */
    async claimDramaFiling(input: { applicantAccountId: string; filingType: DramaFilingType; titleKey: string; caseId: string; referenceNo: string }): Promise<FilingClaimAnswer> {
      return claimDramaFiling(db, input, clock());
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;

/** A domain refusal will not change on retry; anything else (a dropped connection) may. */
function asNonRetryableWhenFinal(error: unknown): unknown {
  if (error instanceof DomainError) {
    return ApplicationFailure.create({ type: error.kind, message: error.message, nonRetryable: true, details: [error.issues, error.wording] });
  }
  return error;
}

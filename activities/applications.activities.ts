import { ApplicationFailure } from '@temporalio/common';
import type { ApplicationAssessment, WorkingDayWindow } from '../domain/applications/events.js';
import { countsStaysThisYear, stayYearOf, withServerFacts } from '../domain/applications/terms.js';
import type { ApplicationFacts } from '../domain/programmes/programme.js';
import { checkApplication } from '../domain/programmes/check.js';
import { parseLocalDate, type LocalDate } from '../domain/time/local-date.js';
import { workingDayDeadline, type WorkingDayCalendar } from '../domain/time/working-days.js';
import { publicityWindow, type PublicityWindow } from '../domain/publicity/window.js';
import { ledgerForApplication } from '../db/awards-ledger.js';
import { claimApplicationItem } from '../db/application-claims.js';
import type { ApplicationClaimAnswer } from '../domain/applications/one-open-application.js';
import { approvedStaysInYear } from '../db/projections/application.projection.js';
import { caseProgramme } from '../db/programme-terms/terms-store.js';
import type { Db } from '../db/client.js';

export interface ApplicationActivityDependencies {
  db: Db;
  calendar: () => Promise<WorkingDayCalendar>;
  /** The worker's clock: when a claim was made (an abandoned one is given up after a while). */
  clock?: () => Date;
}

export interface AssessApplicationInput {
  caseId: string;
  catalogueVersion: string;
  programmeId: string;
  applicantAccountId: string;
  facts: ApplicationFacts;
  /** The Shanghai date the rules are applied on (submission, or the award step). */
  on: LocalDate;
}

/**
 * What programme applications ask of the outside world. Each answer lands in workflow history, so
 * an award that lands later, or a calendar year loaded later, cannot change how a case replays.
 */
export function createApplicationActivities({ db, calendar, clock = () => new Date() }: ApplicationActivityDependencies) {
  return {
    /**
     * Every rule of the measure at the case's catalogue version, against the whole awards ledger
     * (every applicant's awards of the item, this case's own excepted) and, for YOUNG人才公寓, the
     * stays the applicant was approved this calendar year. The measure is the one the case opened
     * under: with the published terms and stacking matrix of its opening (issue 14 part 4), if any.
     */
    async assessApplication(input: AssessApplicationInput): Promise<ApplicationAssessment> {
      const measure = await caseProgramme(db, input);
      if (!measure) {
        throw ApplicationFailure.create({ type: 'validation', message: `no programme ${input.programmeId} in catalogue version ${input.catalogueVersion}`, nonRetryable: true });
      }
      // A stay applied for before 入住日期 was asked (2026-12-05) is not asked it now, at its decision: it
      // counts the stays of the year it is judged in, as it always did. An answer of this activity is
      // recorded in the case's history, so no running case replays differently.
      const programme = countsStaysThisYear(measure) && input.facts.stayStartDate === undefined
        ? { ...measure, requiredFacts: measure.requiredFacts.filter((f) => f !== 'stayStartDate') }
        : measure;
      const staysThisYear = countsStaysThisYear(programme)
        ? await approvedStaysInYear(db, { programmeId: programme.id, applicantAccountId: input.applicantAccountId, year: stayYearOf(input.facts, input.on), excludingCaseId: input.caseId })
        : undefined;
      const facts = withServerFacts(programme, input.facts, { applicantAccountId: input.applicantAccountId, staysThisYear });
      const ledger = await ledgerForApplication(db, { ...(facts.itemId !== undefined ? { itemId: facts.itemId } : {}), applicantAccountId: input.applicantAccountId, excludingCaseId: input.caseId });
      const result = checkApplication(programme, facts, { on: input.on, ledger, applicantAccountId: input.applicantAccountId });
      return { eligible: result.eligible, maxAmountFen: result.maxAmountFen, amountRule: result.amountRule, violations: result.violations, facts };
    },

    /** Claims the account's item under the measure for the case opening now (db/application-claims.ts): granted, or the open case that holds it. */
    async claimApplicationItem(input: { programmeId: string; applicantAccountId: string; item: string; caseId: string; referenceNo: string }): Promise<ApplicationClaimAnswer> {
      return claimApplicationItem(db, input, clock());
    },

    /** "Within N working days" of `startedOn`, from the calendar data (packaged and admin-loaded years). */
    async computeWorkingDayWindow(input: { startedOn: LocalDate; workingDays: number }): Promise<WorkingDayWindow> {
      try {
        const { lastWorkingDay, deadlineMs, provisional } = workingDayDeadline(await calendar(), parseLocalDate(input.startedOn), input.workingDays);
        return { workingDays: input.workingDays, startedOn: input.startedOn, lastWorkingDay, deadlineAt: new Date(deadlineMs).toISOString(), provisional };
      } catch (error) {
        // Bad input does not improve on retry; a database hiccup reading the calendar may.
        if (error instanceof RangeError) throw ApplicationFailure.create({ type: 'validation', message: error.message, nonRetryable: true });
        throw error;
      }
    },

    /** The 公示 window of an award published on `publishedOn`, for the call's working days, from the calendar data. */
    async computePublicityWindow(input: { publishedOn: LocalDate; workingDays: number }): Promise<PublicityWindow> {
      try {
        return publicityWindow(await calendar(), parseLocalDate(input.publishedOn), input.workingDays);
      } catch (error) {
        if (error instanceof RangeError) throw ApplicationFailure.create({ type: 'validation', message: error.message, nonRetryable: true });
        throw error;
      }
    },
  };
}

export type ApplicationActivities = ReturnType<typeof createApplicationActivities>;

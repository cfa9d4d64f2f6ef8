import type { Selectable } from 'kysely';
import type { Account } from '../auth/sessions.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { interestLeftOnLoan } from '../../domain/programmes/check.js';
import { fundedItemKey, stackingReview, yearlyCapUse, type LedgerStanding } from '../../domain/programmes/stacking.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { ledgerForApplication } from '../../db/awards-ledger.js';
import type { Db } from '../../db/client.js';
import { caseProgramme } from '../../db/programme-terms/terms-store.js';
import type { CasesTable } from '../../db/tables/cases.table.js';

/** The steps before anyone decides an application: where an official still weighs its award. */
const UNDECIDED: readonly ApplicationState['status'][] = ['completeness-check', 'awaiting-supplement', 'compliance-review', 'review', 'panel-review'];

/** What the ledger says of an undecided application to its department's officials (caseDetail shows both). */
export interface LedgerReview {
  /** Its item already funded under another measure the sources say nothing of stacking with: to weigh (叠加资助待审核). */
  stackingNotes: string[];
  /** For the approval form: the yearly cap used this year, and what the ledger would refuse the approval for. */
  standing?: LedgerStanding;
}

/**
 * What the stacking ledger leaves to the officials of an undecided application: its item already
 * funded under another measure the sources say nothing of (政策未明确…能否与其叠加，请经办人审核),
 * and, for the approval form, the measure's yearly cap as used this year and what the ledger would
 * refuse (an outsider's approver read the bare cap on a company awarded all of it this year, and was
 * refused only after sending). The rules refuse what does not stack; these an official must know
 * before approving, so they are told on the case, against the ledger as it is now. Nobody else is
 * told: nothing for an applicant, an auditor or a decided case.
 */
export async function ledgerReviewFor(db: Db, row: Pick<Selectable<CasesTable>, 'case_id' | 'case_type' | 'state'>, account: Account, now: Date): Promise<LedgerReview> {
  const none: LedgerReview = { stackingNotes: [] };
  if (row.case_type !== 'application' || account.role !== 'official') return none;
  const state = row.state as unknown as ApplicationState;
  if (!state.terms || !state.applicant || !UNDECIDED.includes(state.status)) return none;
  const programme = await caseProgramme(db, { caseId: row.case_id, catalogueVersion: state.terms.catalogueVersion, programmeId: state.terms.programmeId });
  if (!programme) return none;
  const itemId = fundedItemKey(programme, state.facts);
  if (itemId === undefined) return none;
  const applicantAccountId = state.applicant.accountId;
  const ledger = await ledgerForApplication(db, { itemId, applicantAccountId, excludingCaseId: row.case_id });
  const requestedAmountFen = typeof state.facts.requestedAmountFen === 'number' ? state.facts.requestedAmountFen : 0;
  const application = { itemId, requestedAmountFen, on: shanghaiDateOf(now.getTime()), applicantAccountId };
  const review = stackingReview(programme, application, ledger, findProgramme);
  const yearlyCap = yearlyCapUse(programme, application, ledger);
  const interest = interestLeftOnLoan(programme, itemId, state.facts.interestPaidFen, ledger);
  return {
    stackingNotes: review.notes.filter((note) => note.rule === 'stacking-unspecified').map((note) => note.message),
    standing: {
      ...(yearlyCap ? { yearlyCap } : {}),
      // The yearly cap is said with what is left of it; the form starts from that.
      refusals: review.violations.filter((v) => v.rule !== 'cap-per-year').map((v) => v.message),
      ...(interest ? { interestLeft: { remainingFen: interest.remainingFen, inWords: interest.inWords } } : {}),
    },
  };
}

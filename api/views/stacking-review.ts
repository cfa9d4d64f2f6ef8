import type { Selectable } from 'kysely';
import type { Account } from '../auth/sessions.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { yuanText } from '../../domain/programmes/fact-labels.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { interestLeftOnLoan } from '../../domain/programmes/check.js';
import { awardsNamedForOfficials, fundedItemKey, SAME_CONTRACT_ANOTHER_LENDER, stackingReview, yearlyCapUse, type LedgerStanding } from '../../domain/programmes/stacking.js';
import { chineseDate, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { ledgerForApplication } from '../../db/awards-ledger.js';
import { readCallLedger } from '../../db/budget-ledger.js';
import type { Db } from '../../db/client.js';
import { caseProgramme } from '../../db/programme-terms/terms-store.js';
import type { CasesTable } from '../../db/tables/cases.table.js';

/** The steps before anyone decides an application: where an official still weighs its award. */
const UNDECIDED: readonly ApplicationState['status'][] = ['completeness-check', 'awaiting-supplement', 'compliance-review', 'review', 'panel-review'];

/** What the ledger says of an undecided application to its department's officials (caseDetail shows both). */
export interface LedgerReview {
  /** Its item already funded under another measure the sources say nothing of stacking with: to weigh (叠加资助待审核). */
  stackingNotes: string[];
  /** Facts it states that another decided application of the same item stated otherwise (the interest paid on one loan): to check against the originals. */
  factConflicts: string[];
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
  const none: LedgerReview = { stackingNotes: [], factConflicts: [] };
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
  const review = stackingReview(programme, application, ledger, findProgramme, awardsNamedForOfficials);
  const yearlyCap = yearlyCapUse(programme, application, ledger);
  const interest = interestLeftOnLoan(programme, itemId, state.facts.interestPaidFen, ledger);
  const callLedger = state.call?.mode === 'first-come' ? await readCallLedger(db, state.call.callId) : undefined;
  return {
    stackingNotes: review.notes.filter((note) => note.rule === 'stacking-unspecified' || note.rule === SAME_CONTRACT_ANOTHER_LENDER).map((note) => note.message),
    factConflicts: interest ? await interestStatedOtherwise(db, state.facts, ledger.filter((award) => interest.caseIds.includes(award.caseId))) : [],
    standing: {
      ...(yearlyCap ? { yearlyCap } : {}),
      // The yearly cap is said with what is left of it; the form starts from that.
      refusals: review.violations.filter((v) => v.rule !== 'cap-per-year').map((v) => v.message),
      ...(interest ? { interestLeft: { remainingFen: interest.remainingFen, inWords: interest.inWords } } : {}),
      // A first-come call's approvals commit its budget one by one: what is left, before sending (an outside tester's form said only the measure's cap).
      ...(callLedger && state.call ? { callBudget: { title: state.call.title, remainingFen: callLedger.remainingFen } } : {}),
    },
  };
}

/** The interest facts two applications for one loan state, which the combined cap reads: the amount and the period it was paid over. */
const INTEREST_FACTS = ['interestPaidFen', 'interestPeriodFrom', 'interestPeriodTo'] as const;

/**
 * The loan's other interest subsidies whose applications stated the interest paid otherwise than
 * this one: the combined cap (interestLeftOnLoan) reads this application's figure, so two figures
 * for one loan are for the officials to settle against the bank's interest statements. An outsider
 * stated 100,000.00 to 杨浦 and 200,000.00 to the city for one loan, and each was checked alone.
 */
async function interestStatedOtherwise(db: Db, facts: ApplicationFacts, others: readonly { caseId: string; programmeId: string }[]): Promise<string[]> {
  if (others.length === 0) return [];
  const rows = await db.selectFrom('cases').select(['case_id', 'reference_no', 'state']).where('case_id', 'in', others.map((o) => o.caseId)).execute();
  const stated = (f: ApplicationFacts) => {
    const [paid, from, to] = INTEREST_FACTS.map((name) => f[name]);
    return `实际支付利息 ${typeof paid === 'number' ? yuanText(paid) : '未填写'}（付息期间 ${typeof from === 'string' ? chineseDate(from as LocalDate) : '未填写'}至${typeof to === 'string' ? chineseDate(to as LocalDate) : '未填写'}）`;
  };
  return rows
    .filter((row) => {
      const theirs = (row.state as unknown as ApplicationState).facts;
      return INTEREST_FACTS.some((name) => theirs[name] !== facts[name]);
    })
    .map((row) => {
      const theirs = (row.state as unknown as ApplicationState).facts;
      const programme = findProgramme(others.find((o) => o.caseId === row.case_id)!.programmeId);
      return `同一笔贷款已获${programme?.name.zh ?? '其他贴息'}（${row.reference_no}），该申请所报${stated(theirs)}，与本申请所报${stated(facts)}不一致：两项贴息合计以实际支付利息为限，请核对付息凭证后再作决定。`;
    });
}

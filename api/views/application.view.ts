import type { Selectable } from 'kysely';
import { applicationNextStep } from '../../domain/applications/decide.js';
import { describePlan } from '../../domain/applications/payouts.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import type { LedgerAward } from '../../domain/programmes/stacking.js';
import { ledgerAwards } from '../../db/awards-ledger.js';
import type { Db } from '../../db/client.js';
import type { CasesTable } from '../../db/tables/cases.table.js';

/** A programme application (award or service) as its applicant and the officials see it. */
export function applicationView(row: Selectable<CasesTable>) {
  const state = row.state as unknown as ApplicationState;
  const step = applicationNextStep(state);
  const terms = state.terms;
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: terms ? { id: terms.programmeId, zh: terms.name.zh, en: terms.name.en, catalogueVersion: terms.catalogueVersion, department: terms.department, payout: terms.payout } : null,
    priority: terms?.priority ?? 'normal',
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    waitingFor: step.waitingFor,
    deadline: step.deadline ?? null,
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    details: state.details ?? null,
    facts: state.facts,
    requestedAmountFen: state.requestedAmountFen,
    maxAmountFen: state.maxAmountFen,
    amountRule: state.amountRule,
    completeness: state.completeness ?? null,
    deemedCompleteAt: state.deemedCompleteAt ?? null,
    supplement: state.supplement ?? null,
    scores: state.scores.map((s) => ({ by: s.by.displayName, score: s.score, comments: s.comments, scoredAt: s.scoredAt })),
    decision: state.decidedBy
      ? { by: state.decidedBy.displayName, on: state.decidedOn ?? null, approvedAmountFen: state.approvedAmountFen, byDirector: state.byDirector ?? false }
      : null,
    award: state.award ? { ...state.award, planInWords: describePlan(state.award.plan) } : null,
    payouts: state.payouts,
    rentWaiverYears: state.waiverYears,
    vouchers: state.vouchers ?? null,
    stopped: state.stopped ? { ...state.stopped, leftOn: state.leftYangpu?.leftOn ?? null } : null,
    totalPaidFen: state.totalPaidFen,
    closingReasons: state.closingReasons,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Everything the applicant has been awarded, across programmes, from the stacking ledger: the total
 * shown on each of their cases.
 */
export async function applicantAwards(db: Db, applicantAccountId: string) {
  return applicantAwardsView(await ledgerAwards(db, { applicantAccountId }));
}

/** The same, from awards already read (api/authorization/case-access.ts reads them with the case). */
export function applicantAwardsView(awards: readonly (LedgerAward & { recoveredFen?: number; writtenOffFen?: number })[]) {
  return {
    totalFen: awards.reduce((sum, a) => sum + a.amountFen, 0),
    count: awards.length,
    awards: awards.map((a) => ({
      awardId: a.awardId,
      caseId: a.caseId,
      programmeId: a.programmeId,
      programme: findProgramme(a.programmeId)?.name ?? { zh: a.programmeId, en: a.programmeId },
      itemId: a.itemId,
      amountFen: a.amountFen,
      awardedOn: a.awardedOn,
      // 追回: what has come back from the award, and what a director wrote off.
      recoveredFen: Number(a.recoveredFen ?? 0),
      writtenOffFen: Number(a.writtenOffFen ?? 0),
    })),
  };
}

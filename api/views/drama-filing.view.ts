import type { Selectable } from 'kysely';
import { filingNextStep } from '../../domain/drama-filing/decide.js';
import type { DramaFilingState } from '../../domain/drama-filing/state.js';
import { formatShanghaiInstant } from '../../domain/time/local-date.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { DRAMA_FILING_TYPES, type DramaFilingType } from '../../domain/drama-filing/terms.js';

/** The programme a filing belongs to, as the case list names it. */
export function filingProgramme(filingType: DramaFilingType): { zh: string; en: string } {
  return { zh: `AI 微短剧沪8条 · ${DRAMA_FILING_TYPES[filingType].zh}`, en: DRAMA_FILING_TYPES[filingType].en };
}

const shanghai = (iso: string | undefined) => (iso ? formatShanghaiInstant(Date.parse(iso)) : null);

/** A drama filing as its producer and the reviewers see it: the step, the review clock, every round. */
export function dramaFilingView(row: Selectable<CasesTable>) {
  const state = row.state as unknown as DramaFilingState;
  const step = filingNextStep(state);
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: filingProgramme(row.case_type as DramaFilingType),
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    waitingFor: step.waitingFor,
    // 24:00 Shanghai at the end of the last working day, written with +08:00; provisional while a year it reaches is not loaded.
    deadline: step.deadline ? { ...step.deadline, at: shanghai(step.deadline.at) } : null,
    flagged: step.flagged,
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    filing: state.submission ?? null,
    reasons: state.reasons,
    decidedBy: state.decidedBy ?? null,
    rounds: state.rounds.map((r) => ({
      round: r.round,
      submittedAt: shanghai(r.submittedAt),
      submittedOn: r.submittedOn,
      workingDays: r.deadline.workingDays,
      lastWorkingDay: r.deadline.lastWorkingDay,
      deadline: shanghai(r.deadline.deadlineAt),
      provisional: r.deadline.provisional,
      reviewer: r.reviewer ?? null,
      remindedAt: shanghai(r.remindedAt),
      breachedAt: shanghai(r.breachedAt),
      escalatedAt: shanghai(r.escalatedAt),
      endedAt: shanghai(r.endedAt),
      outcome: r.outcome ?? null,
    })),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

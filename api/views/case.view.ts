import type { Selectable } from 'kysely';
import { instalmentStatus, nextStep } from '../../domain/chuying/decide.js';
import type { ChuyingLoanState } from '../../domain/chuying/state.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { applicationView } from './application.view.js';
import { dramaFilingView, filingProgramme } from './drama-filing.view.js';

export const PROGRAMME_NAMES: Record<string, { zh: string; en: string }> = {
  'chuying-loan': { zh: '雏鹰计划（V聚场基金）创业借款', en: 'Chuying start-up loan (V-Space fund)' },
  'drama-planning-filing': filingProgramme('drama-planning-filing'),
  'drama-release-filing': filingProgramme('drama-release-filing'),
  // Each application also names its own measure (its view, the worklist); this is the case type's name.
  application: { zh: '政策申请（奖补与服务）', en: 'Programme application (awards and services)' },
};

/** How each case type is shown, by `cases.case_type`; a type without one is shown as a loan would be. */
const CASE_VIEWS: Record<string, (row: Selectable<CasesTable>) => Record<string, unknown>> = {
  'chuying-loan': chuyingLoanView,
  'drama-planning-filing': dramaFilingView,
  'drama-release-filing': dramaFilingView,
  application: applicationView,
};

/** What a case looks like to the people who may see it, in the shape of its case type. */
export function caseView(row: Selectable<CasesTable>) {
  return (CASE_VIEWS[row.case_type] ?? chuyingLoanView)(row);
}

export function programmeOf(caseType: string): { zh: string; en: string } {
  return PROGRAMME_NAMES[caseType] ?? { zh: caseType, en: caseType };
}

/** A 雏鹰 loan case: the step, who acts next, deadlines, money. */
export function chuyingLoanView(row: Selectable<CasesTable>) {
  const state = row.state as unknown as ChuyingLoanState;
  const step = nextStep(state);
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: programmeOf(row.case_type),
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    waitingFor: step.waitingFor,
    deadline: step.deadline ?? null,
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    company: state.company ?? null,
    project: state.project ?? null,
    requestedAmountFen: row.requested_fen,
    approvedAmountFen: row.approved_fen,
    outstandingFen: row.outstanding_fen,
    supplement: state.supplement ?? null,
    disbursement: state.disbursement ?? null,
    closingReasons: state.closingReasons,
    schedule: state.instalments.map((i) => ({
      number: i.number,
      dueOn: i.dueOn,
      amountFen: i.amountFen,
      paidFen: i.paidFen,
      status: instalmentStatus(i),
      provisional: i.provisional,
    })),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function caseSummary(row: Selectable<CasesTable>) {
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    status: row.status,
    statusLabel: row.status_label,
    applicantName: row.applicant_name,
    programmeId: row.programme_id,
    priority: row.priority,
    waitingFor: row.waiting_for_role ? { role: row.waiting_for_role, department: row.waiting_for_department } : null,
    nextDeadlineAt: row.next_deadline_at?.toISOString() ?? null,
    requestedAmountFen: row.requested_fen,
    outstandingFen: row.outstanding_fen,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

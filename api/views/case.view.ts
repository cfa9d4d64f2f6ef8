import type { Selectable } from 'kysely';
import type { CaseModule, CaseRow } from '../../cases/case-module.js';
import { moduleForStreamType } from '../../cases/registry.js';
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

/**
 * What a case looks like to the people who may see it, in the shape of its case type: its module's
 * `view` of the read-model row where the module declares one, else the view of its type here.
 */
export function caseView(row: Selectable<CasesTable>) {
  const module = moduleForStreamType(row.case_type);
  if (module?.view) return moduleCaseView(module, row);
  return (CASE_VIEWS[row.case_type] ?? chuyingLoanView)(row);
}

/**
 * A case of a type whose module declares its view (issue 11): what every case shows, from the
 * read-model row's own columns, and the module's view of its `details` beside it.
 */
function moduleCaseView(module: CaseModule, row: Selectable<CasesTable>) {
  const own = module.view!(row as unknown as CaseRow);
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: { zh: module.name, en: module.caseType },
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    waitingFor: null,
    deadline: null,
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    requestedAmountFen: row.requested_fen,
    outstandingFen: row.outstanding_fen,
    department: row.department,
    sourceCaseId: row.source_case_id,
    overview: [] as { label: string; value: string }[],
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...own,
  };
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

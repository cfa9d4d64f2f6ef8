import type { Selectable } from 'kysely';
import type { CaseModule, CaseRow } from '../../cases/case-module.js';
import { moduleForStreamType } from '../../cases/registry.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { filingProgramme } from '../../cases/drama-filing.case.js';

export const PROGRAMME_NAMES: Record<string, { zh: string; en: string }> = {
  'chuying-loan': { zh: '雏鹰计划（V聚场基金）创业借款', en: 'Chuying start-up loan (V-Space fund)' },
  'drama-planning-filing': filingProgramme('drama-planning-filing'),
  'drama-release-filing': filingProgramme('drama-release-filing'),
  // Each application also names its own measure (its view, the worklist); this is the case type's name.
  application: { zh: '政策申请（奖补与服务）', en: 'Programme application (awards and services)' },
};

/**
 * What a case looks like to the people who may see it, in the shape of its case type: its module's
 * `view` of the read-model row (its own columns and `details`, never the decider's state).
 */
export function caseView(row: Selectable<CasesTable>) {
  const module = moduleForStreamType(row.case_type);
  if (!module?.view) throw new RangeError(`no case module shows case type ${row.case_type}`);
  return moduleCaseView(module, row);
}

/**
 * A case of a type whose module declares its view (issue 11): what every case shows, from the
 * read-model row's own columns, and the module's view of its `details` beside it.
 */
export function moduleCaseView(module: CaseModule, row: Selectable<CasesTable>) {
  // A row projected before its type's module wrote `details` (issue 11) is read through the module's
  // read model of its stored state once, until its next event rewrites it.
  const details = row.details ?? (module.readModel ? module.readModel(row.state as never).details : null);
  const own = module.view!({ ...(row as unknown as CaseRow), details });
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: { zh: module.name, en: module.caseType },
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    finished: caseFinished(module, row),
    waitingFor: null,
    deadline: null,
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    requestedAmountFen: row.requested_fen,
    outstandingFen: row.outstanding_fen,
    department: row.department,
    sourceCaseId: row.source_case_id,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...own,
  };
}

/**
 * Whether a case has ended, by its module's own rule; waitingFor null is not enough (a 公示 waits on
 * nobody, yet an objection may still undo the award). Read from the row's status column: every
 * module's isTerminal reads its state's status alone, so the view needs no decider state.
 */
export function caseFinished(module: Pick<CaseModule, 'isTerminal'> | undefined, row: Pick<Selectable<CasesTable>, 'status'> & Partial<Pick<Selectable<CasesTable>, 'state'>>): boolean {
  // The module's rule on the folded state where the row carries it: a competitive call closed early is
  // 已提前截止 yet still owes its panel, which its status alone does not say.
  const folded = row.state as { status?: unknown } | null | undefined;
  return module?.isTerminal((folded && folded.status === row.status ? folded : { status: row.status }) as never) ?? false;
}

export function programmeOf(caseType: string): { zh: string; en: string } {
  return PROGRAMME_NAMES[caseType] ?? { zh: caseType, en: caseType };
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

import type { Selectable } from 'kysely';
import { moduleForStreamType } from '../../cases/registry.js';
import { DEPARTMENTS, type Department } from '../../domain/cases/actor.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import type { WorkingDayCalendar } from '../../domain/time/working-days.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { caseFinished, programmeOf } from './case.view.js';
import { countingFor, deadlineKindOf } from '../../domain/time/deadline-counting.js';
import { countdown, nextDayOf } from './countdown.view.js';

/** The programme's name for a case type: the case views' names first, then the catalogue's. */
export function caseTypeName(caseType: string): { zh: string; en: string } {
  const named = programmeOf(caseType);
  if (named.zh !== caseType) return named;
  return findProgramme(caseType)?.name ?? named;
}

export function departmentName(department: string | null | undefined): string | null {
  if (!department) return null;
  return (DEPARTMENTS as Record<string, string>)[department] ?? department;
}

/** Who acts next, in words: 申请人, or the official's department. */
export function waitingForText(row: Pick<Selectable<CasesTable>, 'waiting_for_role' | 'waiting_for_department'>): string | null {
  if (row.waiting_for_role === 'applicant') return '申请人';
  if (row.waiting_for_role === 'official') return departmentName(row.waiting_for_department) ?? '经办部门';
  return null;
}

/** One line of a case list or work queue: reference, step, who acts next, the deadline and its countdown. */
export function worklistItem(row: Selectable<CasesTable>, calendar: WorkingDayCalendar, now: Date, review?: ReviewFlags) {
  const counting = countingFor(row.waiting_for_role, deadlineKindOf(row.details));
  const dueOn = row.next_deadline_at ? nextDayOf(row.next_deadline_at, counting) : null;
  const clock = dueOn ? countdown(calendar, now, dueOn, review?.provisional ?? false, counting) : null;
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    // A programme application is named by its measure of the catalogue.
    programme: (row.programme_id ? findProgramme(row.programme_id)?.name : undefined) ?? caseTypeName(row.case_type),
    priority: row.priority,
    status: row.status,
    statusLabel: row.status_label,
    applicantName: row.applicant_name,
    waitingFor: row.waiting_for_role ? { role: row.waiting_for_role, department: row.waiting_for_department as Department | null, text: waitingForText(row) } : null,
    finished: caseFinished(moduleForStreamType(row.case_type), row),
    deadlineAt: row.next_deadline_at?.toISOString() ?? null,
    countdown: clock,
    reviewer: review?.reviewer ?? null,
    breached: Boolean(review?.breached) || Boolean(clock?.breached),
    escalated: Boolean(review?.escalated),
    requestedAmountFen: row.requested_fen,
    approvedAmountFen: row.approved_fen,
    outstandingFen: row.outstanding_fen,
    version: row.version,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What a review clock adds to a queue line (drama filings): who claimed it, breach and escalation. */
export interface ReviewFlags {
  reviewer: { accountId: string; displayName: string | null } | null;
  breached: boolean;
  escalated: boolean;
  provisional: boolean;
}

import type { CaseModule } from '../../cases/case-module.js';
import type { PlannedEvent, ProjectionPlan, ProjectionPlanner, ReadModelWrite } from '../event-store.js';
import { loadCaseReadModel, upsertCase, type CaseReadModel } from './case-read-model.js';

/**
 * The one case projection (issue 11): folds a case's events with its module's `evolve` and writes
 * the columns its module's `readModel` declares, plus the other tables it names (the awards ledger
 * for a recovery), in the appending transaction. The decider's state is kept in `state` only for
 * the next fold and the auditor's as-of view; no view reads it.
 */
export function caseProjection(module: CaseModule): ProjectionPlanner {
  return {
    load: (trx, _streamType, streamId) => loadCaseReadModel(trx, streamId),
    plan: (streamType, before, events) => planCase(module, streamType, before as CaseReadModel<unknown> | undefined, events),
  };
}

function planCase(module: CaseModule, streamType: string, before: CaseReadModel<unknown> | undefined, events: readonly PlannedEvent[]): ProjectionPlan {
  const caseId = events[0]!.streamId;
  const prior = (before?.state ?? module.initialState()) as Parameters<CaseModule['evolve']>[0];
  const state = events.reduce((s, e) => module.evolve(s, { type: e.type, data: e.data }), prior);
  const updatedAt = events[events.length - 1]!.recordedAt;
  const model = module.readModel!(state);
  const values = {
    case_id: caseId,
    reference_no: model.referenceNo,
    case_type: streamType,
    applicant_account_id: model.applicantAccountId,
    applicant_name: model.applicantName,
    status: model.status,
    status_label: model.statusLabel,
    waiting_for_role: model.waitingFor?.role ?? null,
    waiting_for_department: model.waitingFor?.department ?? null,
    requested_fen: model.requestedFen,
    approved_fen: model.approvedFen,
    outstanding_fen: model.outstandingFen,
    next_deadline_at: model.nextDeadlineAt === null ? null : new Date(model.nextDeadlineAt),
    version: state.version,
    opened_at: before?.openedAt ?? updatedAt,
    updated_at: updatedAt,
    state,
    programme_id: model.programmeId,
    priority: 0,
    decided_on: model.decidedOn,
    details: model.details,
    source_case_id: model.sourceCaseId,
    department: model.department,
    departments: model.departments,
  };
  const writes: ReadModelWrite[] = [upsertCase(values), ...(model.writes ?? [])];
  return { writes, after: { state, openedAt: values.opened_at } satisfies CaseReadModel<unknown> };
}

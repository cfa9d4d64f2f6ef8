import type { CaseModule } from '../../cases/case-module.js';
import type { PlannedEvent, ProjectionPlan, ProjectionPlanner, ReadModelWrite } from '../event-store.js';
import { caseRowOf, loadCaseReadModel, upsertCase, type CaseReadModel } from './case-read-model.js';

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
  const values = caseRowOf(model, { caseId, caseType: streamType, version: state.version, state, openedAt: before?.openedAt ?? events[0]!.recordedAt, updatedAt, priority: 0 });
  const writes: ReadModelWrite[] = [upsertCase(values), ...(model.writes ?? [])];
  return { writes, after: { state, openedAt: values.opened_at } satisfies CaseReadModel<unknown> };
}

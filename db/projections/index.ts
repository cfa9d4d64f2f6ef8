import { applyReadModelWrites, type Projection, type ProjectionPlanner } from '../event-store.js';
import { APPLICATION_STREAM, applicationPlanner, projectApplication } from './application.projection.js';
import { CALENDAR_STREAM, calendarPlanner } from './calendar.projection.js';
import { CHUYING_LOAN_STREAM, chuyingLoanPlanner } from './chuying-loan.projection.js';
import { DRAMA_FILING_STREAMS, dramaFilingPlanner } from './drama-filing.projection.js';
import { ratingPlanner, RATING_STREAM } from './ratings.projection.js';
import { moduleForStreamType } from '../../cases/registry.js';
import { caseProjection } from './case.projection.js';
import { CALL_STREAM, callIntakeRefusalOf, callOverlapRefusalOf, callPlanner, projectCall } from './call.projection.js';
import { REGISTER_STREAM, registerPlanner } from './register.projection.js';
import { applyBudgetMovements, budgetMovementWrite, budgetRefusalOf } from '../budget-ledger.js';
import { budgetMovementsOf } from '../../domain/calls/ledger.js';
import { moneyReferenceRefusalOf } from '../money-references.js';
import { projectNotices, withNotices } from '../notices/notice-projection.js';
import { PROGRAMME_TERMS_STREAM, projectProgrammeTerms, STACKING_MATRIX_STREAM } from '../programme-terms/terms-store.js';

/**
 * Read models by stream type; a stream type without one is stored and simply not projected.
 * Account streams ('account') are projected by db/projections/account.projection.ts, passed to the
 * append by db/accounts/account-stream.ts: the accounts table also holds what no event carries
 * (password hashes), so it is not a read model the auditors' rebuild could reproduce.
 */
function plannerFor(streamType: string): ProjectionPlanner | undefined {
  if (streamType === CHUYING_LOAN_STREAM) return chuyingLoanPlanner;
  if (DRAMA_FILING_STREAMS.includes(streamType)) return dramaFilingPlanner;
  if (streamType === CALENDAR_STREAM) return calendarPlanner;
  if (streamType === APPLICATION_STREAM) return applicationPlanner;
  if (streamType === RATING_STREAM) return ratingPlanner;
  if (streamType === CALL_STREAM) return callPlanner;
  if (streamType === REGISTER_STREAM) return registerPlanner;
  // Every case type added since issue 11: the one case projection, from its module's read model.
  const module = moduleForStreamType(streamType);
  if (module?.readModel) return caseProjection(module);
  return undefined;
}

const readModelPlanner: ProjectionPlanner = {
  load: async (trx, streamType, streamId) => plannerFor(streamType)?.load(trx, streamType, streamId),
  plan: (streamType, before, events) => {
    const planner = plannerFor(streamType);
    const plan = planner ? planner.plan(streamType, before, events) : { writes: [], after: undefined };
    if (!plan) return undefined;
    // Money moved against a budget, by the ledger's rules in the database, in the same statement
    // (a refusal rolls the append back): one write per event, in the events' order.
    const budget = events.filter((e) => budgetMovementsOf(e.data).length > 0).map((e) => budgetMovementWrite(e.streamId, budgetMovementsOf(e.data)));
    // The notices the events give rise to (issue 14), in the same statement: the outbox row comes with them (a trigger).
    return withNotices(events[0]!.streamId, events, budget.length ? { ...plan, writes: [...plan.writes, ...budget] } : plan);
  },
};

/**
 * The read models of one stream type (the case row and its own tables), in the transaction: not the
 * budget ledger or the notices, which the events of many streams write together. The auditor's check
 * of one case rebuilds its rows with this alone (audit/read-model-drift.ts, `rebuildCaseAndCompare`).
 */
export async function projectCaseReadModels(...[trx, streamType, events]: Parameters<Projection>): Promise<void> {
  // The office's terms and stacking matrix (issue 14): appended with their own projection, rebuilt here with it.
  if (streamType === PROGRAMME_TERMS_STREAM || streamType === STACKING_MATRIX_STREAM) return projectProgrammeTerms(trx, streamType, events);
  if (streamType === APPLICATION_STREAM) return projectApplication(trx, events);
  if (streamType === CALL_STREAM) return projectCall(trx, events);
  const planner = plannerFor(streamType);
  if (!planner) return;
  const plan = planner.plan(streamType, await planner.load(trx, streamType, events[0]!.streamId), events);
  if (plan) await applyReadModelWrites(trx, plan.writes);
}

/**
 * Every read model, in the appending transaction (and in the auditor's rebuild): reads what the
 * read model holds, folds the events into it and writes what changed. Its planner lets
 * appendToStream send the same writes with the append itself, in one round trip.
 */
export const projectReadModels: Projection = Object.assign(
  async (...[trx, streamType, events]: Parameters<Projection>) => {
    await projectCaseReadModels(trx, streamType, events);
    // The budget ledger (issue 13): what an event says it moves against a call's budget or the 雏鹰 pool,
    // whatever its case type, committed or refused with the event (db/budget-ledger.ts).
    for (const event of events) await applyBudgetMovements(trx, event.streamId, event.data);
    await projectNotices(trx, events);
  },
  { planner: readModelPlanner, refusalOf: (error: unknown) => budgetRefusalOf(error) ?? callOverlapRefusalOf(error) ?? callIntakeRefusalOf(error) ?? moneyReferenceRefusalOf(error) },
);

/**
 * Every table a projection writes. The auditor's rebuild (audit/read-model-drift.ts) refolds all
 * events into empty copies of these in a scratch schema and reports any row that differs from the
 * live one. A projection that writes a table missing here stops the rebuild, which changes nothing.
 */
export const READ_MODEL_TABLES: readonly string[] = ['cases', 'loan_instalments', 'filing_reviews', 'calendar_years', 'case_ratings', 'follow_up_tasks', 'awards', 'calls', 'budget_commitments', 'notices', 'register_entries', 'programme_terms_versions', 'stacking_matrix_changes'];

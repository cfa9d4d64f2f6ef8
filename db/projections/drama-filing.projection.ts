import { dramaFilingReadModel } from '../../cases/drama-filing.case.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { evolveDramaFiling, initialDramaFilingState, type DramaFilingState } from '../../domain/drama-filing/state.js';
import { categoryOf, DRAMA_FILING_TYPE_NAMES } from '../../domain/drama-filing/terms.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import type { PlannedEvent, ProjectionPlan, ProjectionPlanner, ReadModelWrite } from '../event-store.js';
import { caseRowOf, loadCaseReadModel, upsertCase, type CaseReadModel } from './case-read-model.js';

/** Both filing types are projected alike; the stream type is the case type. */
export const DRAMA_FILING_STREAMS: readonly string[] = DRAMA_FILING_TYPE_NAMES;

/**
 * The case row (the columns and `details` of the filing module's read model), and one
 * filing_reviews row per review clock (the queue and the SLA statistics read those), folded with
 * the same `evolveDramaFiling` the workflow uses.
 */
export const dramaFilingPlanner: ProjectionPlanner = {
  load: (trx, _streamType, streamId) => loadCaseReadModel<DramaFilingState>(trx, streamId),
  plan: (streamType, before, events) => planDramaFiling(streamType, before as CaseReadModel<DramaFilingState> | undefined, events),
};

function planDramaFiling(streamType: string, before: CaseReadModel<DramaFilingState> | undefined, events: readonly PlannedEvent[]): ProjectionPlan {
  const caseId = events[0]!.streamId;
  const prior = before?.state ?? initialDramaFilingState();
  const state = events.reduce((s, e) => evolveDramaFiling(s, { type: e.type, data: e.data } as DramaFilingEvent), prior);
  const updatedAt = events[events.length - 1]!.recordedAt;
  const model = dramaFilingReadModel(state);
  const values = caseRowOf(model, { caseId, caseType: streamType, version: state.version, state, openedAt: before?.openedAt ?? events[0]!.recordedAt, updatedAt, priority: 0 });
  const writes: ReadModelWrite[] = [upsertCase(values)];
  const after: CaseReadModel<DramaFilingState> = { state, openedAt: values.opened_at };

  // Every event touches the last round (a resubmission opens it); earlier rounds are closed.
  const round = state.rounds.at(-1);
  if (!round) return { writes, after };
  // A 重点 drama's round has no promised review time (source 004): the queue shows it without a
  // deadline and the SLA statistics count it apart (issue 14).
  const category = categoryOf(state.submission);
  const review = {
    case_id: caseId,
    round: round.round,
    filing_type: streamType,
    reference_no: state.referenceNo,
    title: state.submission?.title ?? '',
    applicant_name: values.applicant_name,
    submitted_at: new Date(round.submittedAt),
    submitted_on: round.submittedOn,
    working_days: round.deadline?.workingDays ?? null,
    last_working_day: round.deadline?.lastWorkingDay ?? null,
    deadline_at: round.deadline ? new Date(round.deadline.deadlineAt) : null,
    provisional: round.deadline?.provisional ?? false,
    reviewer_account_id: round.reviewer?.accountId ?? null,
    reviewer_name: round.reviewer?.displayName ?? null,
    claimed_at: round.claimedAt ? new Date(round.claimedAt) : null,
    reminded_at: round.remindedAt ? new Date(round.remindedAt) : null,
    breached_at: round.breachedAt ? new Date(round.breachedAt) : null,
    escalated_at: round.escalatedAt ? new Date(round.escalatedAt) : null,
    decided_at: round.endedAt ? new Date(round.endedAt) : null,
    decided_on: round.endedAt ? shanghaiDateOf(Date.parse(round.endedAt)) : null,
    outcome: round.outcome ?? null,
    category,
  };
  writes.push({ op: 'upsert', table: 'filing_reviews', key: ['case_id', 'round'], rows: [review] });
  return { writes, after };
}

import { sql, type Transaction } from 'kysely';
import { callCase, CALL_STREAM_TYPE } from '../../cases/call.case.js';
import type { CaseModule } from '../../cases/case-module.js';
import type { CallEvent } from '../../domain/calls/events.js';
import type { CallState } from '../../domain/calls/state.js';
import { DomainError } from '../../domain/errors.js';
import { formatFen } from '../../domain/money/fen.js';
import { callPeriodInWords } from '../../domain/calls/decide.js';
import { chineseMinute } from '../../domain/calls/shanghai-time.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import type { Database } from '../database.js';
import { applyReadModelWrites, type PlannedEvent, type ProjectionPlan, type ProjectionPlanner, type ReadModelWrite, type StoredEvent } from '../event-store.js';
import { caseProjection } from './case.projection.js';
import type { CaseReadModel } from './case-read-model.js';

export const CALL_STREAM = CALL_STREAM_TYPE;

const casePlanner = caseProjection(callCase as unknown as CaseModule);

/**
 * A call's `cases` row (its module's read model, by the one case projection) and its row in
 * `calls`: the terms from its events. The ledger columns (committed, paid, recovered) are the
 * budget ledger's (db/budget-ledger.ts) and never written here: an upsert names only its columns.
 */
function callRow(state: CallState): ReadModelWrite {
  return {
    op: 'upsert',
    table: 'calls',
    key: ['call_id'],
    rows: [
      {
        call_id: state.callId,
        programme_id: state.programmeId,
        department: state.department,
        title: state.title,
        mode: state.mode,
        opens_at: state.opensAt,
        closes_at: state.closesAt,
        quota: state.quota,
        publicity_working_days: state.publicityWorkingDays,
        catalogue_version: state.catalogueVersion,
        status: state.status,
        budget_fen: state.budgetFen,
        budget_approved: state.budgetApproved,
      },
    ],
  };
}

const changesBudget = (events: readonly PlannedEvent[]) => events.some((e) => e.type === 'CallChanged' && (e.data as Extract<CallEvent, { type: 'CallChanged' }>['data']).changes.budgetFen !== undefined);

function planCall(streamType: string, before: unknown, events: readonly PlannedEvent[]): ProjectionPlan {
  const plan = casePlanner.plan(streamType, before, events)!;
  const { state } = plan.after as CaseReadModel<CallState>;
  return { writes: [...plan.writes, callRow(state)], after: plan.after };
}

/**
 * With the append: a batch that changes the budget needs the transaction (the ledger's row lock,
 * to hold the budget above what is committed), so it answers undefined and `projectCall` runs.
 */
export const callPlanner: ProjectionPlanner = {
  load: (trx, streamType, streamId) => casePlanner.load(trx, streamType, streamId),
  plan: (streamType, before, events) => (changesBudget(events) ? undefined : planCall(streamType, before, events)),
};

/**
 * In the appending transaction: a new budget below what approvals have committed meanwhile is
 * refused (the workflow checked against the ledger just before; an approval may have landed since).
 */
export async function projectCall(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
  const streamId = events[0]!.streamId;
  for (const event of events) {
    if (event.type !== 'CallChanged') continue;
    const budgetFen = (event.data as Extract<CallEvent, { type: 'CallChanged' }>['data']).changes.budgetFen;
    if (budgetFen === undefined) continue;
    const { rows } = await sql<{ committed_fen: number }>`SELECT committed_fen FROM calls WHERE call_id = ${streamId} FOR UPDATE`.execute(trx);
    const committed = Number(rows[0]?.committed_fen ?? 0);
    if (budgetFen < committed) throw new DomainError('conflict', `本批次已核定 ${formatFen(committed)} 元，预算不能调减至 ${formatFen(budgetFen)} 元`);
  }
  const plan = planCall(CALL_STREAM, await casePlanner.load(trx, CALL_STREAM, streamId), events);
  await applyReadModelWrites(trx, plan.writes);
}

/** The SQLSTATE of an application first recorded after its call's planned close fenced the intake (migration 2026-12-04T05-00). */
const INTAKE_CLOSED = 'YC431';

/** The refusal of an application that reached the store only after its call's close had counted its applications. */
export function callIntakeRefusalOf(error: unknown): DomainError | undefined {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code !== INTAKE_CLOSED || !detail) return undefined;
  const call = JSON.parse(detail) as { title: string | null; closedAt: string };
  return new DomainError('illegal-state', `申报批次「${call.title ?? ''}」已于 ${chineseMinute(Date.parse(call.closedAt))}（北京时间）截止：这份申请在截止之后才送达，未能受理。`);
}

/** The SQLSTATE of a call whose period overlaps another's of its programme (migration 2026-12-04T02-20). */
const OVERLAPPING_CALL = 'YC430';

/** The refusal of a call that would take applications while another call of its programme does, naming that call. */
export function callOverlapRefusalOf(error: unknown): DomainError | undefined {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code !== OVERLAPPING_CALL || !detail) return undefined;
  const other = JSON.parse(detail) as { callId: string; title: string; opensAt: string; closesAt: string; programmeId: string };
  const programme = findProgramme(other.programmeId)?.name.zh ?? other.programmeId;
  const period = callPeriodInWords({ opensAt: new Date(other.opensAt).toISOString(), closesAt: new Date(other.closesAt).toISOString() });
  return new DomainError(
    'conflict',
    `「${programme}」已有申报批次「${other.title}」（${period}），与这个批次的申报时间重叠：同一项目同一时间只能有一个批次受理申报。请调整申报时间，或先截止那个批次`,
    [{ field: 'opensAt', message: `与「${other.title}」（${period}）重叠` }],
  );
}
